"""Plain text and Markdown reports (crawl text, saved pages as text)."""

from __future__ import annotations

from auditor.document.encoding import decode
from auditor.document.model import RawDocument


def load(data: bytes, source: str) -> RawDocument:
    """Decode a text file; a lossy decode is reported in the status."""
    decoded = decode(data)
    fmt = "md" if source.lower().endswith(".md") else "txt"
    raw = RawDocument(source, fmt, text=decoded.text, encoding=decoded.encoding)
    decoded.report(raw, "文件")
    if "\x00" in raw.text:
        raw.text = raw.text.replace("\x00", "")
        raw.warnings.append("文本中含有 NUL 字符，已删除")
    return raw
