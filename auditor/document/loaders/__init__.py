"""Loaders: bytes of any supported format → :class:`RawDocument`.

The format is decided by content, not by file extension (an upload called ``.docx`` that is
really a PDF is read as a PDF). Every failure becomes a status with a plain message; loaders
never raise for bad input.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from auditor.document.model import RawDocument

MAX_BYTES = 50 * 1024 * 1024
MAX_CHARS = 2_000_000  # decoded text; a report is rarely over 100,000 characters

_IMAGE_MAGIC = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"BM", "BMP 图片"),
)
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
_ARCHIVE_MAGIC = (
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
)


def sniff(data: bytes, name: str = "") -> str:
    """Guess the format from content: pdf, docx, zip, ole, image, archive, html, text, binary."""
    head = data[:2048]
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx" if b"word/" in data[:200_000] or name.lower().endswith(".docx") else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    for magic, _ in _IMAGE_MAGIC:
        if head.startswith(magic) and not name.lower().endswith((".txt", ".md")):
            return "image"
    for magic, _ in _ARCHIVE_MAGIC:
        if head.startswith(magic):
            return "archive"
    if _is_binary(head):
        return "binary"
    lowered = head.lower()
    if name.lower().endswith((".html", ".htm", ".shtml", ".xhtml")) or any(
        tag in lowered
        for tag in (b"<html", b"<body", b"<!doctype html", b"<div", b"<table", b"<p>", b"<p ")
    ):
        return "html"
    return "text"


def _is_binary(head: bytes) -> bool:
    if not head:
        return False
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:3] == b"\xef\xbb\xbf":
        return False
    zeros = head.count(0)
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if zeros and (even > len(head) * 0.3 or odd > len(head) * 0.3):
        return False  # UTF-16 without BOM
    one_parity = max(even, odd) >= 4 and min(even, odd) * 10 < max(even, odd)
    if one_parity and _utf16_chinese(head, "utf-16-le" if odd > even else "utf-16-be"):
        return False  # NULs from the ASCII characters of UTF-16 Chinese text
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > len(head) * 0.1:
        return True
    # a few stray NULs in a text file (a broken export) do not make it binary
    return bool(zeros) and (zeros > len(head) * 0.02 or not _text_bytes(head.replace(b"\0", b"")))


def _utf16_chinese(head: bytes, encoding: str) -> bool:
    """The bytes decode as UTF-16 into mostly Chinese text."""
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han * 2 > len(text)


def _text_bytes(head: bytes) -> bool:
    """The bytes (possibly cut mid-character at the end) decode as UTF-8 or GB18030."""
    for enc in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(enc)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def load_bytes(data: bytes, source: str) -> RawDocument:
    """Load a document from bytes; ``source`` is its name or path (for messages only)."""
    sha = hashlib.sha256(data).hexdigest()
    raw = _dispatch(data, source)
    raw.sha256 = sha
    if raw.status == "ok" and len(raw.text) > MAX_CHARS:
        size = len(raw.text)
        raw.text, raw.grids = "", []
        raw.status = "unsupported"
        raw.message = (
            f"文本过长（{size} 个字符），超过 {MAX_CHARS} 个字符的上限，不像是一份年度报告"
        )
    return raw


def load(path: str | Path) -> RawDocument:
    """Load a document from a file path."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            return RawDocument(
                str(p),
                p.suffix.lstrip(".").lower() or "unknown",
                status="unsupported",
                message=f"文件过大（{size // 1024 // 1024} MB），超过 {MAX_BYTES // 1024 // 1024} MB 的上限",
            )
        data = p.read_bytes()
    except OSError as exc:
        return RawDocument(
            str(p), "unknown", status="unreadable", message=f"无法读取文件：{exc.strerror or exc}"
        )
    return load_bytes(data, str(p))


def _dispatch(data: bytes, source: str) -> RawDocument:
    if not data.strip():
        return RawDocument(source, "unknown", status="empty", message="文件为空，没有可审查的内容")
    kind = sniff(data, source)
    if kind == "pdf":
        from auditor.document.loaders import pdf

        return pdf.load(data, source)
    if kind == "docx":
        from auditor.document.loaders import docx

        return docx.load(data, source)
    if kind == "html":
        from auditor.document.loaders import html

        return html.load(data, source)
    if kind == "text":
        from auditor.document.loaders import text

        return text.load(data, source)
    return RawDocument(source, kind, status="unsupported", message=_unsupported_message(kind, data))


def _unsupported_message(kind: str, data: bytes) -> str:
    if kind == "ole":
        return "旧版 Word（.doc）或 WPS 文件暂不支持，请另存为 .docx 或 PDF 后再提交"
    if kind == "zip":
        return "压缩包或非 Word 的 ZIP 文件，请解压后提交其中的报告文件"
    if kind == "image":
        label = next((lbl for magic, lbl in _IMAGE_MAGIC if data.startswith(magic)), "图片")
        return f"{label}没有文字层，需要先进行文字识别（OCR）"
    if kind == "archive":
        return "压缩包文件，请解压后提交其中的报告文件"
    return "无法识别的二进制文件，不是文本、网页、Word 或 PDF 文档"
