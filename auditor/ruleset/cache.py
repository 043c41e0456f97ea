"""A per-user cache of validated rule sets, so that a run does not parse and validate YAML.

The key is a hash of every rule file (display name and bytes), the auditor version, the
Python version, the pydantic version and the size/mtime of the modules that define and
validate rules; any change gives a new key, so a cached rule set is never stale. The cache
lives in ``$AUDITOR_CACHE_DIR`` (an empty value or ``0``/``off`` disables it), else
``$XDG_CACHE_HOME/ogi-auditor``, else ``~/.cache/ogi-auditor``. Every failure (unwritable
folder, corrupt or foreign file) is silent: the rule set is then loaded from the YAML.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from auditor import __version__

ENV = "AUDITOR_CACHE_DIR"
_OFF = {"", "0", "off", "no", "false"}
_KEEP = 16  # cached rule sets kept per folder (the most recent ones)
_PACKAGE = Path(__file__).resolve().parent.parent
# Modules whose code decides what a loaded rule set looks like.
_CODE = ("ruleset", "checks", "expr.py", "facts.py", "document/tableschema.py")


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is switched off."""
    value = os.environ.get(ENV)
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ogi-auditor"


def key(files: Iterable[tuple[str, bytes]]) -> str:
    """The cache key of rule files given as (display name, bytes)."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{sys.version}\0{_pydantic_version()}\0".encode())
    for path in _code_files():
        try:
            st = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    for name, data in files:
        digest.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


def get(cache_key: str) -> Any | None:
    """The object cached under ``cache_key``, or None (missing, unreadable or corrupt)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"ruleset-{cache_key}.pickle", "rb") as fh:
            stored_key, value = pickle.load(fh)
    except Exception:  # missing, truncated, foreign or from incompatible code: rebuild
        return None
    return value if stored_key == cache_key else None


def put(cache_key: str, value: Any) -> None:
    """Store ``value`` under ``cache_key`` (atomically; silently skipped on any failure)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = pickle.dumps((cache_key, value), protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(prefix=".ruleset-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, folder / f"ruleset-{cache_key}.pickle")
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(folder)
    except Exception:  # read-only home, full disk, unpicklable object: just do not cache
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("ruleset-*.pickle"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-_KEEP]:
        old.unlink(missing_ok=True)


def _code_files() -> list[Path]:
    out: list[Path] = []
    for name in _CODE:
        path = _PACKAGE / name
        out.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    return out


def _pydantic_version() -> str:
    """pydantic's version file, read without importing pydantic."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("pydantic")
    if spec is None or spec.origin is None:
        return "-"
    try:
        return (Path(spec.origin).parent / "version.py").read_text("utf-8")
    except OSError:
        return spec.origin
