"""Decoding bytes of text and web pages without silent mojibake.

Order: BOM → UTF-16 without BOM → declared charset (HTML meta / caller) with WHATWG label
mapping → strict UTF-8 → strict GB18030 → strict Big5 → the encoding under which a few stray
bytes are the only damage (a file with invalid bytes in the middle) → charset-normalizer as
the last resort. A decode that needed replacement characters is reported, never hidden.

Bytes that are valid UTF-8 but give no Chinese (a Big5 or GBK file that happens to be valid
UTF-8) are read in the Chinese encoding that does give Chinese, with a note; when none does,
the UTF-8 text is kept with a note that the encoding may be wrong.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import regex

from auditor.document.model import RawDocument

# WHATWG treats these labels as supersets; GBK pages routinely declare gb2312.
LABELS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode": "utf-16",
    "utf-16": "utf-16",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_HAN_RUNS = regex.compile(r"\p{Han}+")
_COMMON_HAN_RUNS = re.compile("[\u4e00-\u9fa5]+")
# Runs, not single characters: counting run lengths makes far fewer match objects.
_CJK_RUNS = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # number of U+FFFD inserted by a lossy decode
    note: str = ""  # a doubt about the decode, in plain Chinese (empty when none)

    def report(self, raw: RawDocument, what: str) -> None:
        """Record on ``raw`` what a loader must tell about this decode: a doubt as a warning,
        a few replaced bytes as a warning, too many as status ``unreadable`` (``what``
        names the input in the message, e.g. "文件" or "网页")."""
        if self.note:
            raw.warnings.append(self.note)
        if not self.replaced:
            return
        if self.replaced / max(1, len(self.text)) > UNREADABLE_SHARE:
            raw.status = "unreadable"
            raw.message = (
                f"无法可靠识别{what}编码（{self.replaced} 个字符无法解码），请另存为 UTF-8 后再提交"
            )
        else:
            raw.warnings.append(
                f"有 {self.replaced} 个字节无法按 {self.encoding} 解码，已用替换字符标出"
            )


#: Share of replaced characters above which a decode is not trusted at all.
UNREADABLE_SHARE = 0.05
#: Largest share of replaced characters a "mostly valid" decode may have.
STRAY_SHARE = 0.005


def canonical_label(label: str | None) -> str | None:
    """Map a declared charset label to the codec we decode it with."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in LABELS:
        return LABELS[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: many NULs on one byte parity, or (Chinese text, whose characters
    rarely hold a NUL byte) NULs mostly on one parity and a clean, plausible decode."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 4 and other * 10 < zeros:
            text = _strict(data, enc)
            if text and _HAN_RUNS.search(text) and _plausible(text) and "\x00" not in text:
                return enc
    return None


def _plausible(text: str) -> bool:
    """Reject decodes that are mostly rare CJK (Big5 bytes read as GBK and vice versa)."""
    han = sum(map(len, _HAN_RUNS.findall(text)))
    if not han:
        return True
    common = sum(map(len, _COMMON_HAN_RUNS.findall(text)))
    return common / han > 0.97


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode bytes, trying the declared charset first; see the module docstring."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            return Decoded(text, enc.replace("-sig", ""), text.count("\ufffd"))
    utf16 = _looks_utf16(data)
    if utf16:
        text = data.decode(utf16, errors="replace")
        return Decoded(text, "utf-16", text.count("\ufffd"))
    enc = canonical_label(declared)
    if enc:
        text = _strict(data, enc)
        if text is not None:
            return Decoded(text, enc)
    text = _strict(data, "utf-8")
    if text is not None:
        return _checked_utf8(data, text)
    candidates = []
    for enc in ("gb18030", "big5hkscs"):
        text = _strict(data, enc)
        if text is not None and _plausible(text):
            candidates.append((enc, text))
    if len(candidates) == 1:
        return Decoded(candidates[0][1], candidates[0][0])
    if candidates:
        # Both decode cleanly: prefer the one with more common Chinese characters.
        enc, text = max(candidates, key=lambda c: _common_ratio(c[1]))
        return Decoded(text, enc)
    return _mostly_valid(data) or _best_effort(data, declared)


def _han_share(text: str) -> tuple[int, float]:
    """Non-ASCII characters at the start of ``text`` and the share of them that are Han."""
    sample = text[:2000]
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    if not non_ascii:
        return 0, 1.0
    return non_ascii, sum(map(len, _CJK_RUNS.findall(sample))) / non_ascii


def _checked_utf8(data: bytes, text: str) -> Decoded:
    """A clean UTF-8 decode, unless it gives no Chinese where a Chinese encoding does."""
    letters, share = _han_share(text)
    if letters < 8 or share >= 0.5:
        return Decoded(text, "utf-8")
    for enc in ("big5hkscs", "gb18030"):
        other = _strict(data, enc)
        if (
            other is not None
            and _plausible(other)
            and _han_share(other)[1] >= 0.9
            and _common_ratio(other) >= 0.2
        ):
            name = "Big5" if enc.startswith("big5") else "GBK"
            note = f"文件按 UTF-8 解码得不到中文，已按 {name} 编码读取，请核对文字是否正确"
            return Decoded(other, enc, note=note)
    return Decoded(text, "utf-8", note="文件解码后几乎没有汉字，编码可能有误，请核对文字是否正确")


def _mostly_valid(data: bytes) -> Decoded | None:
    """The encoding under which only a few stray bytes fail (invalid bytes in a valid file);
    among several, the one giving the most common Chinese characters."""
    candidates = []
    for enc in ("utf-8", "gb18030", "big5hkscs"):
        text = data.decode(enc, errors="replace")
        replaced = text.count("\ufffd")
        if replaced > max(1, len(text) * STRAY_SHARE):
            continue
        if enc != "utf-8" and not _plausible(text):
            continue
        candidates.append(Decoded(text, enc, replaced))
    if not candidates:
        return None
    return max(candidates, key=lambda d: (_common_ratio(d.text), -d.replaced))


def _common_ratio(text: str) -> float:
    common = (
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所"
        "民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
        "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
        "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
        "几九区强放决西被干做必战先回则任取据处理府研质"
    )
    hits = sum(1 for ch in text if ch in common)
    han = sum(map(len, _HAN_RUNS.findall(text))) or 1
    return hits / han


def _best_effort(data: bytes, declared: str | None) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    enc = canonical_label(best.encoding) if best is not None else None
    enc = enc or canonical_label(declared) or "utf-8"
    text = data.decode(enc, errors="replace")
    return Decoded(text, enc, text.count("\ufffd"))
