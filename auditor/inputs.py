"""Turn command-line arguments (files, folders, globs) into the list of inputs to read."""

from __future__ import annotations

import glob
from pathlib import Path

# Files a folder walk passes over: documentation that travels with a folder of reports.
_SKIP_NAMES = {"readme.md", "readme.txt", "readme"}


def _skipped(path: Path) -> bool:
    return path.name.lower() in _SKIP_NAMES or any(part.startswith(".") for part in path.parts)


def collect(args: list[str]) -> list[Path]:
    """Expand files, folders (recursively) and globs into a sorted, de-duplicated list.

    A path named explicitly is always kept (even a README or a missing file, which then
    gets an ``unreadable`` status); folder walks skip hidden files and READMEs.
    """
    seen: set[str] = set()  # strings: a resolved Path per file would cost ~0.8 KB
    out: list[Path] = []

    def add(p: Path) -> None:
        key = str(p.resolve() if p.exists() else p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for arg in args:
        p = Path(arg)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and not _skipped(child.relative_to(p)):
                    add(child)
        elif any(ch in arg for ch in "*?["):
            for match in sorted(glob.glob(arg, recursive=True)):
                if Path(match).is_file():
                    add(Path(match))
        else:
            add(p)
    return out
