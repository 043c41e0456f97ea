"""The ``auditor`` command as a user runs it: statuses, exit codes, formats, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import fixtures_pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def auditor(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
    )


@pytest.fixture(scope="module")
def salted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of real reports salted with bad inputs and a duplicate."""
    folder = tmp_path_factory.mktemp("batch")
    for name in (
        "000_340bac1f8475ed93.txt",
        "002_750ab5ebf1f3b941.txt",
        "001_687b4b7f304522fd.txt",
    ):
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copy(SAMPLES / "000_340bac1f8475ed93.txt", folder / "copy-of-000.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 64)
    (folder / "scan.pdf").write_bytes(fixtures_pdf.image_pdf())
    docx = (SAMPLES / "004_TEMPLATE_2021-format-blank-template.docx").read_bytes()
    (folder / "truncated.docx").write_bytes(docx[: len(docx) // 2])
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    return folder


@pytest.fixture(scope="module")
def batch_run(
    salted: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("out")
    proc = auditor(
        "check",
        str(salted),
        "--out",
        str(out),
        "--format",
        "json",
        "--format",
        "csv",
        "--jobs",
        "2",
    )
    return proc, out


def test_every_input_gets_a_row_with_its_status(batch_run, salted: Path) -> None:
    proc, out = batch_run
    assert "Traceback" not in proc.stderr
    data = json.loads((out / "results.json").read_text("utf-8"))
    by_name = {Path(d["document"]["source"]).name: d for d in data["documents"]}
    assert set(by_name) == {p.name for p in salted.iterdir()}
    assert by_name["000_340bac1f8475ed93.txt"]["status"] == "audited"
    assert by_name["001_687b4b7f304522fd.txt"]["status"] == "not_annual_report"
    assert by_name["empty.txt"]["status"] == "unreadable"
    assert by_name["junk.bin"]["status"] == "unsupported"
    assert by_name["scan.pdf"]["status"] == "no_text_layer"
    assert by_name["truncated.docx"]["status"] == "unreadable"
    assert by_name["picture.png"]["status"] == "unsupported"
    assert by_name["copy-of-000.txt"]["duplicate_of"].endswith("000_340bac1f8475ed93.txt")
    assert by_name["copy-of-000.txt"]["score"] == by_name["000_340bac1f8475ed93.txt"]["score"]
    for name in ("empty.txt", "junk.bin", "scan.pdf", "truncated.docx", "picture.png"):
        assert by_name[name]["message"], name  # a plain message, in Chinese
    assert "OCR" in by_name["scan.pdf"]["message"]
    assert data["scoring"] and data["ruleset"]["hash"]


def test_exit_code_follows_fail_on(batch_run, salted: Path) -> None:
    proc, _ = batch_run
    assert proc.returncode == 1  # seed 002 fails a critical rule
    clean = auditor("check", str(salted / "000_340bac1f8475ed93.txt"), "--format", "json")
    assert clean.returncode == 0
    strict = auditor(
        "check", str(salted / "000_340bac1f8475ed93.txt"), "--format", "json", "--fail-on", "info"
    )
    assert strict.returncode in (0, 1)


def test_csv_has_one_row_per_input(batch_run, salted: Path) -> None:
    _, out = batch_run
    rows = (out / "results.csv").read_text("utf-8-sig").strip().splitlines()
    assert len(rows) == 1 + len(list(salted.iterdir()))
    assert rows[0].startswith("文件,")


def test_json_to_stdout_for_one_file() -> None:
    proc = auditor("check", str(SAMPLES / "003_3652b83934f3edf5.txt"), "--format", "json")
    data = json.loads(proc.stdout)
    doc = data["documents"][0]
    assert {"document", "status", "facts", "findings", "score", "grade", "ruleset"} <= set(doc)
    finding = next(f for f in doc["findings"] if f["category"] == "category_sum")
    assert {
        "rule",
        "category",
        "status",
        "severity",
        "weight",
        "message",
        "evidence",
        "basis",
        "hint",
    } <= set(finding)
    assert {"quote", "start", "end", "section"} <= set(finding["evidence"][0])


def test_inspect_json_fields() -> None:
    proc = auditor("inspect", "--json", str(SAMPLES / "213_ptzhsyqjjp-2024.txt"))
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)["documents"][0]
    for key in (
        "source",
        "format",
        "encoding",
        "script",
        "status",
        "title",
        "agency",
        "kind",
        "kind_reason",
        "year",
        "regime",
        "issuer_type",
        "published",
        "published_source",
        "signed",
        "declared_parts",
        "sections",
        "tables",
        "warnings",
    ):
        assert key in doc, key
    assert doc["sections"][0] == {
        **doc["sections"][0],
        "number": "一",
        "level": 1,
        "title": "总体情况",
    }
    kinds = {t["kind"] for t in doc["tables"]}
    assert {"table2", "table3", "table4"} <= kinds
    table3 = next(t for t in doc["tables"] if t["kind"] == "table3")
    assert table3["cells"]["table3.new.total"]["value"] == 8
    assert table3["ambiguous"]  # the 6-digit 结转下年度 row is marked, not guessed


@pytest.mark.parametrize("name", ["empty.txt", "junk.bin", "scan.pdf", "truncated.docx"])
def test_inspect_bad_input_gives_status_and_exit_code(salted: Path, name: str) -> None:
    proc = auditor("inspect", str(salted / name))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout


def test_rules_validate_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "province.yml"
    bad.write_text(
        "rules:\n  - id: P-1\n    title: 测试\n    category: fees\n    basis: 省规定\n    severity: major\n"
        "    weight: 1\n    kind: no_such_kind\n    message: m\n    examples: {pass: [{facts: {}}], fail: [{facts: {}}]}\n",
        encoding="utf-8",
    )
    proc = auditor("rules", "validate", str(tmp_path))
    assert proc.returncode == 2
    assert "province.yml:8" in proc.stderr and "no_such_kind" in proc.stderr
    assert "Traceback" not in proc.stderr
    check = auditor(
        "check",
        str(SAMPLES / "000_340bac1f8475ed93.txt"),
        "--rules",
        str(tmp_path),
        "--format",
        "json",
    )
    assert check.returncode == 2 and "province.yml:8" in check.stderr


def test_rules_test_and_docs() -> None:
    proc = auditor("rules", "test")
    assert proc.returncode == 0 and " 0 failed" in proc.stdout
    docs = auditor("rules", "docs")
    assert "FMT-T3-BALANCE" in docs.stdout and "依据" in docs.stdout


def test_help_lists_commands() -> None:
    proc = auditor("--help")
    assert proc.returncode == 0
    for command in ("check", "inspect", "rules", "serve"):
        assert command in proc.stdout


def test_terminal_summary_in_plain_mode() -> None:
    proc = auditor("check", str(SAMPLES / "002_750ab5ebf1f3b941.txt"), "--format", "terminal")
    assert "OGI08-CONTENT-3" in proc.stdout and "不合格" in proc.stdout
    assert "\x1b[" not in proc.stdout  # no colour codes when not on a terminal


def test_province_rules_and_waivers(tmp_path: Path) -> None:
    """A province adds its own rule; an approved waiver is shown but not scored."""
    province = tmp_path / "province"
    province.mkdir()
    (province / "extra.yml").write_text(
        "rules:\n"
        "  - id: PROV-ZONE\n"
        "    title: 应写明政务公开专区建设情况\n"
        "    category: structure\n"
        "    basis: 某省年报编制通知（示例）\n"
        "    severity: minor\n"
        "    weight: 1\n"
        "    kind: pattern\n"
        "    must_match: '政务公开专区'\n"
        "    message: 未写明政务公开专区建设情况。\n"
        "    hint: 补充政务公开专区的建设和运行情况。\n"
        "    examples:\n"
        '      pass: [{text: "某局2020年政府信息公开工作年度报告\\n建成政务公开专区2个。"}]\n'
        '      fail: [{text: "某局2020年政府信息公开工作年度报告\\n无。"}]\n',
        encoding="utf-8",
    )
    waivers = tmp_path / "waivers.yml"
    waivers.write_text(
        "waivers:\n  - rule: OGI08-CONTENT-3\n    document: '002_*.txt'\n    reason: 经批准另行公布收费情况（示例）\n",
        encoding="utf-8",
    )
    seed = SAMPLES / "002_750ab5ebf1f3b941.txt"
    proc = auditor(
        "check", str(seed), "--rules", str(province), "--waivers", str(waivers), "--format", "json"
    )
    doc = json.loads(proc.stdout)["documents"][0]
    by_rule = {f["rule"]: f for f in doc["findings"]}
    assert by_rule["PROV-ZONE"]["status"] == "fail"
    assert by_rule["OGI08-CONTENT-3"]["status"] == "waived"
    assert by_rule["OGI08-CONTENT-3"]["outcome"] == "fail"
    plain = json.loads(auditor("check", str(seed), "--format", "json").stdout)["documents"][0]
    assert (
        plain["grade"] == "不合格" and doc["grade"] != plain["grade"]
    )  # the waived critical no longer caps
    broken = tmp_path / "broken-waivers.yml"
    broken.write_text("waivers:\n  - rule: X\n    documnet: a\n    reason: r\n", encoding="utf-8")
    bad = auditor("check", str(seed), "--waivers", str(broken), "--format", "json")
    assert bad.returncode == 2 and "broken-waivers.yml:3" in bad.stderr
