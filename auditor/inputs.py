"""Turn command-line arguments (files, folders, globs) into the inputs to read, one at a time.

Folders are walked lazily: a folder is listed when the walk reaches it, and only the names of
the folders on the current branch are held (sorted, so the order is that of sorting the whole
paths and does not depend on the file system). A batch of any size thus starts at once and
holds no list of its files. Globs are expanded by :mod:`glob` and sorted, like a shell does.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

# Files a folder walk passes over: documentation that travels with a folder of reports.
_SKIP_NAMES = {"readme.md", "readme.txt", "readme"}


def _skipped(rel: Path) -> bool:
    """Whether a folder walk passes over ``rel`` (a path relative to the folder walked)."""
    return rel.name.lower() in _SKIP_NAMES or any(part.startswith(".") for part in rel.parts)


def iter_inputs(args: Iterable[str]) -> Iterator[Path]:
    """Yield the files ``args`` name: files as given, folders walked, globs expanded.

    A path named explicitly is always yielded (even a README or a missing file, which then
    gets an ``unreadable`` status); folder walks skip hidden files and READMEs. A file named
    twice, or named and inside a folder walked, is yielded once. Memory: the resolved names
    of the arguments and of the glob matches, nothing per file found by a folder walk.
    """
    walked: set[str] = set()  # resolved folders walked so far
    named: set[str] = set()  # resolved files named or matched explicitly

    def covered(real: str) -> bool:
        """Whether a walk of a folder above ``real`` has yielded it already."""
        for parent in Path(real).parents:
            if str(parent) in walked:
                return not _skipped(Path(real).relative_to(parent))
        return False

    def explicit(p: Path) -> Iterator[Path]:
        real = os.path.realpath(p)
        if real not in named and not covered(real):
            named.add(real)
            yield p

    for arg in args:
        p = Path(arg)
        if p.is_dir():
            real = os.path.realpath(p)
            if real not in walked and not covered(real):
                yield from map(Path, _walk(arg, real, walked, named))
        elif any(ch in arg for ch in "*?["):
            for match in sorted(glob.glob(arg, recursive=True)):
                if os.path.isfile(match):
                    yield from explicit(Path(match))
        else:
            yield from explicit(p)


def _walk(folder: str, real: str, walked: set[str], named: set[str]) -> Iterator[str]:
    """Files under ``folder``, depth first, each folder's entries sorted by name.

    Works on strings: a ``Path`` interns its parts, and interning the names of a large folder
    while they are all alive would grow the interpreter's table of interned strings for good.
    """
    walked.add(real)
    names: list[str] = []
    folders: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.add(entry.name)
                elif entry.is_file() and entry.name.lower() not in _SKIP_NAMES:
                    names.append(entry.name)
    except OSError:  # unreadable folder: nothing to audit in it
        return
    names.extend(folders)
    names.sort()
    for name in names:
        path = os.path.join(folder, name)
        if name in folders:
            sub = os.path.join(real, name)
            if sub not in walked:
                yield from _walk(path, sub, walked, named)
        elif not named or os.path.realpath(path) not in named:
            yield path
