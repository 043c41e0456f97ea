"""Plain text and Markdown reports (crawl text, saved pages as text)."""

from __future__ import annotations

from auditor.document.encoding import decode
from auditor.document.model import RawDocument


def load(data: bytes, source: str) -> RawDocument:
    """Decode a text file; a lossy decode is reported in the status."""
    decoded = decode(data)
    fmt = "md" if source.lower().endswith(".md") else "txt"
    raw = RawDocument(source, fmt, text=decoded.text, encoding=decoded.encoding)
    if decoded.note:
        raw.warnings.append(decoded.note)
    if decoded.replaced:
        share = decoded.replaced / max(1, len(decoded.text))
        if share > 0.05:
            raw.status = "unreadable"
            raw.message = f"无法可靠识别文件编码（{decoded.replaced} 个字符无法解码），请另存为 UTF-8 后再提交"
        else:
            raw.warnings.append(
                f"有 {decoded.replaced} 个字节无法按 {decoded.encoding} 解码，已用替换字符标出"
            )
    if "\x00" in raw.text:
        raw.text = raw.text.replace("\x00", "")
        raw.warnings.append("文本中含有 NUL 字符，已删除")
    return raw
