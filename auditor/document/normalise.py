"""Normalisation with an offset map back to the original text.

All matching runs on the normalised text; all evidence is quoted from the original. The
normaliser therefore returns, next to the normalised string, a list ``offsets`` with
``len(norm) + 1`` entries: ``offsets[i]`` is the index in the original text of normalised
character ``i`` (the last entry is ``len(original)``).

Steps, in order:

1. NFKC per character (full-width digits, letters and punctuation become ASCII: "（一）" →
   "(一)", "１２" → "12", "：" → ":"); zero-width and control characters are dropped.
2. Whitespace: ``\\r\\n`` → ``\\n``; runs of horizontal whitespace (incl. U+3000 and NBSP)
   become one space; a space next to a CJK character is dropped (PDF extractors and crawlers
   put spaces between Chinese characters); spaces at line ends are dropped.
3. Traditional → Simplified with OpenCC ``t2s`` when the text is Traditional, then a small
   phrase table of our own for Taiwan/HK wording. ``tw2sp`` is not used: it rewrites
   mainland terms (建立健全 → 创建健全).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

# Taiwan / Hong Kong wording → mainland wording, applied after t2s on Traditional text only.
PHRASES: dict[str, str] = {
    "网际网路": "互联网",
    "网路": "网络",
    "资讯": "信息",
    "资料库": "数据库",
    "入口网站": "门户网站",
    "软体": "软件",
    "硬体": "硬件",
    "程式": "程序",
    "最佳化": "优化",
    "伺服器": "服务器",
    "行动装置": "移动设备",
    "数位": "数字",
    "讯息": "信息",
}

_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_HSPACE = regex.compile(r"[^\S\n]")
_CJK = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef、。《》“”‘’〔〕【】—…·]")
_CHUNK = regex.compile(r"[^,。;:、!?\n]*[,。;:、!?\n]?")
_PHRASE_RE = regex.compile("|".join(sorted(PHRASES, key=len, reverse=True)))
_HAN_RUNS = regex.compile(r"\p{Han}+")


@lru_cache(maxsize=8192)
def _nfkc_char(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch == "\r":
        return ""
    if ch in "\n\t":
        return ch
    cat = unicodedata.category(ch)
    if cat == "Cc":
        return " " if ch in "\x0b\x0c" else ""
    out = unicodedata.normalize("NFKC", ch)
    return out


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


# Runs of characters with no whitespace, controls or dropped marks.
_PLAIN_RUN = regex.compile(r"[^\s\p{Cc}\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_SPACE = regex.compile(r"\s")


class _NfkcTable(dict):
    """``str.translate`` table of per-character NFKC, filled on first use of a character."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _nfkc_char(chr(code))
        return value


_NFKC_TABLE = _NfkcTable()


class _Builder:
    """Normalised text and its offset map, built from whole runs and single characters."""

    __slots__ = ("chars", "last", "offsets", "pending")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.pending = -1  # original index of a pending collapsed space
        self.last = ""  # the last character written

    def run(self, piece: str, start: int) -> None:
        """A run already in NFKC with no whitespace: copied whole."""
        self._flush_space(piece[0])
        self.chars.append(piece)
        self.offsets.extend(range(start, start + len(piece)))
        self.last = piece[-1]

    def char(self, ch: str, i: int) -> None:
        """One original character, normalised on its own."""
        for piece in _nfkc_char(ch):
            if piece == "\n":
                self.pending = -1
                self.chars.append("\n")
                self.offsets.append(i)
                self.last = "\n"
            elif _HSPACE.match(piece):
                if self.last not in ("", " ", "\n") and self.pending < 0:
                    self.pending = i
            else:
                self._flush_space(piece)
                self.chars.append(piece)
                self.offsets.append(i)
                self.last = piece

    def _flush_space(self, following: str) -> None:
        if self.pending >= 0:
            if not (_is_cjk(self.last) or _is_cjk(following)):
                self.chars.append(" ")
                self.offsets.append(self.pending)
            self.pending = -1


def _nfkc_and_space(original: str) -> tuple[str, list[int]]:
    """NFKC per character and whitespace tidying, with the offset map.

    Most texts map character for character (every character to exactly one character or
    to nothing): one ``str.translate`` then settles everything but the whitespace runs, and
    the offset map is built from the stretches between them. Other texts (NFKC expansions
    such as "㈠" → "(一)") go through :func:`_by_runs`.
    """
    marked = original.translate(_MARKED_TABLE)
    if len(marked) != len(original) or _MARK in original:
        return _by_runs(original)
    chars: list[str] = []
    offsets: list[int] = []
    last = ""  # the last character written
    pos = 0
    for m in _GAP.finditer(marked):
        a, b = m.span()
        if a > pos:
            chars.append(marked[pos:a])
            offsets.extend(range(pos, a))
            last = marked[a - 1]
        space = m.group().find(" ")
        if space >= 0 and last not in ("", "\n") and b < len(marked):
            following = marked[b]
            if following != "\n" and not (_is_cjk(last) or _is_cjk(following)):
                chars.append(" ")
                offsets.append(a + space)
                last = " "
        pos = b
    if pos < len(marked):
        chars.append(marked[pos:])
        offsets.extend(range(pos, len(marked)))
    offsets.append(len(original))
    return "".join(chars), offsets


class _MarkedTable(dict):
    """``str.translate`` table: NFKC per character, horizontal space as " ", dropped
    characters as ``_MARK``; a character whose NFKC has several characters maps to them."""

    def __missing__(self, code: int) -> str:
        value = _nfkc_char(chr(code))
        if value == "":
            value = _MARK
        elif len(value) == 1 and value != "\n" and _HSPACE.match(value):
            value = " "
        self[code] = value
        return value


_MARK = "\uffff"
_MARKED_TABLE = _MarkedTable()
# A stretch of spaces and dropped characters: removed, or one space when it holds a space.
_GAP = regex.compile(r"[ \uffff]+")


def _by_runs(original: str) -> tuple[str, list[int]]:
    """The general path: whole runs where possible, else character by character."""
    out = _Builder()
    pos = 0
    for m in _PLAIN_RUN.finditer(original):
        a, b = m.span()
        for i in range(pos, a):
            out.char(original[i], i)
        piece = m.group().translate(_NFKC_TABLE)
        if len(piece) == b - a and not _SPACE.search(piece):
            out.run(piece, a)
        else:
            for i in range(a, b):
                out.char(original[i], i)
        pos = b
    for i in range(pos, len(original)):
        out.char(original[i], i)
    out.offsets.append(len(original))
    return "".join(out.chars), out.offsets


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def _remap(text: str, offsets: list[int], convert) -> tuple[str, list[int]]:
    """Apply a length-changing conversion chunk by chunk, keeping the offset map."""
    out: list[str] = []
    new_offsets: list[int] = []
    for m in _CHUNK.finditer(text):
        a, b = m.span()
        if a == b:
            continue
        seg = text[a:b]
        conv = convert(seg)
        if len(conv) == len(seg):
            new_offsets.extend(offsets[a:b])
        else:
            width = b - a
            for k in range(len(conv)):
                new_offsets.append(offsets[a + min(width - 1, k * width // max(1, len(conv)))])
        out.append(conv)
    new_offsets.append(offsets[-1])
    return "".join(out), new_offsets


def _phrases(seg: str) -> str:
    return _PHRASE_RE.sub(lambda m: PHRASES[m.group(0)], seg)


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern[str]:
    """The characters of the main CJK blocks that ``t2s`` converts on their own (about
    4,000), as one character class (``re`` matches a large class far faster than ``regex``).
    """
    chars = [chr(c) for c in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00))]
    converted = _converter().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # not one line per character: always convert
        return re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
    return re.compile(
        "[" + "".join(a for a, b in zip(chars, converted, strict=True) if a != b) + "]"
    )


def detect_script(text: str) -> str:
    """``hant`` when converting to Simplified changes a noticeable share of Han characters."""
    sample = text[:20000]
    if not _traditional().search(sample):
        return "hans"
    converted = _converter().convert(sample)
    if converted == sample:
        return "hans"
    if len(converted) != len(sample):
        changed = 50
    else:
        changed = sum(1 for a, b in zip(sample, converted, strict=True) if a != b)
    han = sum(map(len, _HAN_RUNS.findall(sample))) or 1
    return "hant" if changed >= 5 and changed / han > 0.02 else "hans"


def normalise(original: str) -> tuple[str, list[int], str]:
    """Return ``(normalised_text, offsets, script)`` for an original text."""
    text, offsets = _nfkc_and_space(original)
    script = detect_script(text)
    if script == "hant":
        text, offsets = _remap(text, offsets, _converter().convert)
        text, offsets = _remap(text, offsets, _phrases)
    return text, offsets, script


def normalise_fragment(text: str) -> str:
    """Normalise a short string (a pattern input, a table cell) without the offset map."""
    norm, _, _ = normalise(text)
    return norm
