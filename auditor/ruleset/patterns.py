"""Rule patterns: macro expansion, one compile per process, matching with a timeout.

Every regex a rule or fact uses goes through :func:`compile_pattern` (cached) and is matched
through :func:`finditer`/:func:`search`, which always pass ``timeout``. A timeout raises the
built-in :class:`TimeoutError`; the engine turns it into an ``error`` result for the rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache

import regex

#: Seconds one match call may take.
REGEX_TIMEOUT = 1.0

#: Macros every rule set has; packs may redefine them.
BUILTIN_MACROS: dict[str, str] = {
    "NUM": r"(?:\d[\d,]*(?:\.\d+)?|[〇零一二两三四五六七八九十百千万亿]+)",
    "DATE": r"(?:(?:19|20)\d\d(?:年\d{1,2}月\d{1,2}日|[-./]\d{1,2}[-./]\d{1,2}))",
}

_MACRO = regex.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def expand(pattern: str, macros: Mapping[str, str]) -> str:
    """Replace ``{NAME}`` macros (upper-case names only, so ``{2,3}`` is left alone)."""

    def sub(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise ValueError(f"unknown macro {{{name}}}")
        return macros[name]

    return _MACRO.sub(sub, pattern)


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile once per process. ``regex.error`` becomes ``ValueError`` (pydantic needs it)."""
    try:
        return regex.compile(pattern, regex.MULTILINE)
    except regex.error as exc:
        raise ValueError(f"bad regex {pattern!r}: {exc}") from None


def finditer(
    pattern: str, text: str, start: int = 0, end: int | None = None
) -> Iterator[regex.Match[str]]:
    """All matches of ``pattern`` in ``text[start:end]`` (offsets stay absolute)."""
    compiled = compile_pattern(pattern)
    return compiled.finditer(text, start, len(text) if end is None else end, timeout=REGEX_TIMEOUT)


def search(
    pattern: str, text: str, start: int = 0, end: int | None = None
) -> regex.Match[str] | None:
    """The first match of ``pattern`` in ``text[start:end]``."""
    compiled = compile_pattern(pattern)
    return compiled.search(text, start, len(text) if end is None else end, timeout=REGEX_TIMEOUT)


@lru_cache(maxsize=4096)  # ~300 bytes an entry
def occurs(pattern: str, text: str) -> bool:
    """Whether ``pattern`` occurs in a short ``text`` (a heading, a row label).

    Remembered per process: the same headings and labels recur across documents, and each
    timed regex call has a fixed cost of about 2 µs. A timeout is raised, never remembered.
    """
    return search(pattern, text) is not None


def group_names(pattern: str) -> set[str]:
    """Named groups of a pattern."""
    return set(compile_pattern(pattern).groupindex)
