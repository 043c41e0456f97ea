"""Hostile inputs: nothing raises, nothing hangs, every input gets a status and a plain message.

Property tests (hypothesis) drive the normaliser, the sectioner and every loader with arbitrary
and mutated real inputs and check that spans stay inside the text and map back to the original;
the limits (size, characters, PDF pages, DOCX inflation, HTML depth, YAML aliases) answer with
a Chinese message; damaged encodings are read with a warning instead of silent garbage; and the
``auditor`` command reports every hostile input of a batch with a status and no traceback.
"""

from __future__ import annotations

import itertools
import json
import struct
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.api import AuditOptions, audit_path
from auditor.document import loaders
from auditor.document.loaders import load_bytes
from auditor.document.loaders import pdf as pdf_loader
from auditor.document.model import Document
from auditor.document.normalise import normalise
from auditor.document.reader import analyse
from auditor.document.sections import find_sections
from tests import fixtures_pdf
from tests.variants import to_docx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
REPORT = SAMPLES / "210_ptzhsyqscj-2021.txt"
STATUSES = {"ok", "unreadable", "unsupported", "no_text_layer", "empty", "error"}
RESULT_STATUSES = {
    "audited",
    "not_annual_report",
    "unsupported",
    "unreadable",
    "no_text_layer",
    "error",
}
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_document(doc: Document) -> None:
    """A read document is consistent: status with a message, or spans inside the text."""
    assert doc.status in STATUSES
    if not doc.readable:
        assert doc.message, doc.status
        return
    n, m = len(doc.text), len(doc.original)
    assert len(doc.offsets) == n + 1 and doc.offsets[-1] == m
    assert all(a <= b for a, b in itertools.pairwise(doc.offsets))
    assert all(0 <= o < m for o in doc.offsets[:-1])
    spans = [(s.start, s.end) for s in doc.sections] + [(s.title_end, s.end) for s in doc.sections]
    for table in doc.tables:
        if table.start >= 0:
            spans.append((table.start, table.end))
        spans += [(c.start, c.end) for c in table.cells.values() if c.start >= 0]
    for start, end in spans:
        assert 0 <= start <= end <= n, (start, end, n)
        o_start, o_end = doc.original_span(start, end)
        assert 0 <= o_start <= o_end <= m
    for s in doc.sections:
        assert s.start <= s.title_end <= s.end and 1 <= s.level <= 4


def read(data: bytes, name: str) -> Document:
    doc = analyse(load_bytes(data, name))
    check_document(doc)
    return doc


# --- normaliser and sectioner -----------------------------------------------------------

_HEADINGS = st.sampled_from(
    [
        *"一二三四五六七八九十、()（）.．:：，。\n \t\u3000\u00a01234５６",
        "第三部分",
        "附件",
        "（一）",
        "二、",
    ]
)
_TEXTISH = st.text() | st.lists(_HEADINGS | st.text(max_size=3), max_size=80).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TEXTISH)
def test_normalised_offsets_map_back_to_the_original(text: str) -> None:
    norm, offsets, script = normalise(text)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert all(a <= b for a, b in itertools.pairwise(offsets))
    if script == "hans":
        for i, ch in enumerate(norm):
            source = text[offsets[i]]
            assert (ch == " " and source.isspace()) or ch in unicodedata.normalize("NFKC", source)


@settings(max_examples=150, deadline=None)
@given(_TEXTISH, st.integers(0, 50))
def test_sectioner_spans_stay_inside_the_text(text: str, start: int) -> None:
    norm, _, _ = normalise(text)
    start = min(start, len(norm))
    sections = find_sections(norm, start, [(start, start + 5)])
    for s in sections:
        assert start <= s.start <= s.title_end <= s.end <= len(norm)
        assert 1 <= s.level <= 4
    assert [s.start for s in sections] == sorted(s.start for s in sections)


# --- loaders: arbitrary and mutated bytes -------------------------------------------------

_PREFIXES = [
    b"",
    b"%PDF-1.4\n",
    b"PK\x03\x04word/",
    b"<html><body><p>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]
_NAMES = ["a.txt", "a.html", "a.docx", "a.pdf", "a"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_PREFIXES), st.binary(max_size=3000), st.sampled_from(_NAMES))
def test_arbitrary_bytes_never_raise(prefix: bytes, body: bytes, name: str) -> None:
    read(prefix + body, name)


_EDIT = st.tuples(
    st.floats(0, 1, exclude_max=True),  # where, as a share of the file
    st.integers(0, 64),  # bytes removed
    st.binary(max_size=16),  # bytes inserted
)


def _mutate(data: bytes, edits: list[tuple[float, int, bytes]], cut: float | None) -> bytes:
    out = bytearray(data)
    for where, removed, inserted in edits:
        pos = int(where * len(out))
        out[pos : pos + removed] = inserted
    return bytes(out[: int(len(out) * cut)] if cut is not None else out)


def _sources() -> dict[str, tuple[bytes, str]]:
    text = REPORT.read_text("utf-8")
    return {
        "utf8": (text.encode("utf-8"), "r.txt"),
        "gbk": (text.encode("gbk", "replace"), "r.txt"),
        "html": ((SAMPLES / "212_ptzhsyqshs-2023.body.html").read_bytes(), "r.html"),
        "docx": (to_docx(text), "r.docx"),
        "pdf": (fixtures_pdf.table_pdf(), "r.pdf"),
    }


SOURCES = _sources()


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_mutated_real_files_never_raise(kind: str) -> None:
    data, name = SOURCES[kind]

    @SLOW
    @given(st.lists(_EDIT, max_size=12), st.none() | st.floats(0, 1))
    def run(edits: list[tuple[float, int, bytes]], cut: float | None) -> None:
        read(_mutate(data, edits, cut), name)

    run()


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.999])
def test_truncated_real_pdf_gets_a_status(cut: float) -> None:
    data = (SAMPLES / "002_huaian-hongze-district-2024.pdf").read_bytes()
    read(data[: int(len(data) * cut)], "r.pdf")


# --- damaged encodings ------------------------------------------------------------------

TEXT = REPORT.read_text("utf-8")
TITLE = "平潭综合实验区市场监督管理局2021年度政府信息公开工作年度报告"


def _middle(data: bytes, junk: bytes, encoding: str) -> bytes:
    """``junk`` inserted at a character boundary near the middle."""
    half = len(data.decode(encoding)) // 2
    cut = len(data.decode(encoding)[:half].encode(encoding))
    return data[:cut] + junk + data[cut:]


@pytest.mark.parametrize(
    ("encoding", "junk"),
    [("utf-8", b"\xff"), ("utf-8", b"\xc3\x28\xa0\xa1"), ("gbk", b"\x80\xff"), ("gbk", b"\xff")],
)
def test_invalid_bytes_in_the_middle_are_reported_not_fatal(encoding: str, junk: bytes) -> None:
    doc = read(_middle(TEXT.encode(encoding, "replace"), junk, encoding), "r.txt")
    assert doc.readable and doc.title == TITLE and doc.kind == "annual_report"
    assert any("无法按" in w and "解码" in w for w in doc.warnings)


def test_invalid_bytes_in_a_big5_file_keep_big5() -> None:
    text = (SAMPLES / "003_3652b83934f3edf5.txt").read_text("utf-8")
    doc = read(_middle(text.encode("big5hkscs", "replace"), b"\xff\xff", "big5hkscs"), "r.txt")
    assert doc.readable and doc.encoding == "big5hkscs" and doc.kind == "annual_report"
    assert any("解码" in w for w in doc.warnings)


def _utf8_and_big5(n: int) -> bytes:
    """Big5 characters whose two bytes are also one valid UTF-8 character."""
    pairs = []
    for lead, trail in itertools.product(range(0xC2, 0xE0), range(0xA1, 0xC0)):
        pair = bytes([lead, trail])
        try:
            pair.decode("big5hkscs"), pair.decode("utf-8")
        except UnicodeDecodeError:
            continue
        pairs.append(pair)
    return b"".join(pairs[(i * 7) % len(pairs)] for i in range(n))


def test_valid_utf8_meant_as_big5_is_never_silent_garbage() -> None:
    data = _utf8_and_big5(400)
    data.decode("utf-8")  # really valid UTF-8
    doc = read(data, "r.txt")
    assert doc.readable and doc.warnings and "编码" in doc.warnings[0]


def test_a_big5_report_is_not_taken_for_utf8() -> None:
    text = (SAMPLES / "003_3652b83934f3edf5.txt").read_text("utf-8")
    doc = read(text.encode("big5hkscs", "replace"), "r.txt")
    assert doc.encoding == "big5hkscs" and doc.kind == "annual_report"


@pytest.mark.parametrize("where", [0, 100, -50])
def test_nul_bytes_in_text_are_dropped_with_a_warning(where: int) -> None:
    data = TEXT.encode("utf-8")
    pos = len(data) + where if where < 0 else where
    doc = read(data[:pos] + b"\x00\x00" + data[pos:], "r.txt")
    assert doc.readable and doc.title == TITLE and any("NUL" in w for w in doc.warnings)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(encoding: str) -> None:
    doc = read(TEXT.encode(encoding), "r.txt")
    assert doc.readable and doc.title == TITLE


# --- limits -------------------------------------------------------------------------------


def test_too_many_characters_is_unsupported_with_a_message() -> None:
    data = ("政府信息公开" * (loaders.MAX_CHARS // 6 + 1)).encode("utf-8")
    doc = read(data, "long.txt")
    assert doc.status == "unsupported" and "字符" in doc.message and "上限" in doc.message


def test_file_size_limit(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(loaders, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(REPORT.read_bytes())
    result = audit_path(path, AuditOptions())
    assert result.status == "unsupported" and "文件过大" in result.message


def test_pdf_page_limit(monkeypatch) -> None:
    monkeypatch.setattr(pdf_loader, "MAX_PAGES", 1)
    doc = read(fixtures_pdf.table_pdf(), "two-pages.pdf")
    assert doc.status == "unsupported" and "页" in doc.message


def docx_bomb() -> bytes:
    """A Word file whose directory says a member inflates to about 4 GB."""
    data = bytearray((SAMPLES / "004_TEMPLATE_2021-format-blank-template.docx").read_bytes())
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + 24, 0xFFFFFFF0)
    return bytes(data)


def deep_html(depth: int = 5000) -> bytes:
    return ("<html><body>" + "<div>" * depth + "政府信息公开" + "</div>" * depth).encode()


def test_docx_bomb_and_deep_html_are_refused() -> None:
    bomb = read(docx_bomb(), "bomb.docx")
    assert bomb.status == "unsupported" and "过大" in bomb.message
    deep = read(deep_html(), "deep.html")
    assert deep.status in ("unsupported", "unreadable") and "嵌套" in deep.message


# --- the command line ---------------------------------------------------------------------


def auditor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_every_hostile_input_gets_a_status_in_a_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = TEXT.encode("utf-8")
    files = {
        "report.txt": text,
        "utf8-bad-byte.txt": _middle(text, b"\xff", "utf-8"),
        "gbk-bad-byte.txt": _middle(TEXT.encode("gbk", "replace"), b"\x80\xff", "gbk"),
        "big5-as-utf8.txt": _utf8_and_big5(300),
        "nul.txt": text[:200] + b"\x00" + text[200:],
        "utf16.txt": TEXT.encode("utf-16-le"),
        "long.txt": ("公开" * (loaders.MAX_CHARS // 2 + 1)).encode(),
        "bomb.docx": docx_bomb(),
        "deep.html": deep_html(),
        "truncated.pdf": fixtures_pdf.table_pdf()[:700],
        "scan.pdf": fixtures_pdf.image_pdf(),
        "random.bin": bytes((i * 7919 + 13) % 256 for i in range(5000)),
        "only-nuls.txt": b"\x00" * 100,
        "empty.html": b"",
        "mutated.docx": _mutate(SOURCES["docx"][0], [(0.5, 40, b"\xff" * 8)], None),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "out"
    proc = auditor("check", str(folder), "--format", "jsonl", "--out", str(out), "--jobs", "2")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text("utf-8").splitlines()]
    by_name = {Path(r["document"]["source"]).name: r for r in lines}
    assert set(by_name) == set(files)
    for name, result in by_name.items():
        assert result["status"] in RESULT_STATUSES, name
        if result["status"] not in ("audited", "not_annual_report"):
            assert result["message"], name
    for name in ("report.txt", "utf8-bad-byte.txt", "gbk-bad-byte.txt", "nul.txt", "utf16.txt"):
        assert by_name[name]["status"] == "audited", name
    for name in ("long.txt", "bomb.docx"):
        assert by_name[name]["status"] == "unsupported", name
    assert by_name["big5-as-utf8.txt"]["document"]["warnings"]


SLOW_RULE = """
rules:
  - id: USER-SLOW
    title: 灾难性回溯
    category: document
    basis: 测试
    kind: pattern
    must_not_match: '(?:.|..)+\\d{30}$'
    message: 含有三十位数字
    examples: {pass: [{text: "甲"}], fail: [{text: "甲123456789012345678901234567890"}]}
"""


def test_catastrophic_user_rule_is_an_error_naming_it_and_the_audit_completes(
    tmp_path: Path,
) -> None:
    rules = tmp_path / "slow.yml"
    rules.write_text(SLOW_RULE, "utf-8")
    proc = auditor("check", str(REPORT), "--rules", str(rules), "--format", "json")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    (result,) = json.loads(proc.stdout)["documents"]
    assert result["status"] == "audited" and result["score"] is not None
    slow = next(f for f in result["findings"] if f["rule"] == "USER-SLOW")
    assert (
        slow["status"] == "error" and "USER-SLOW" in slow["message"] and "超时" in slow["message"]
    )
    others = [f for f in result["findings"] if f["rule"] != "USER-SLOW"]
    assert others and all(f["status"] != "error" for f in others)


def test_yaml_alias_bomb_rule_file_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    (tmp_path / "bomb.yml").write_text("\n".join([*lines, "rules: []"]) + "\n", "utf-8")
    proc = auditor("check", str(REPORT), "--rules", str(tmp_path / "bomb.yml"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "有错误" in proc.stderr and "alias bomb" in proc.stderr
