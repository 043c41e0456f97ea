"""The batch runner: a file that hangs, crashes its worker or exhausts memory never stops a batch."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from auditor import batch
from auditor.api import AuditOptions, audit_path, failed_result
from auditor.inputs import iter_inputs
from auditor.render import outputs

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def misbehaving_audit(path: Path, options: AuditOptions):
    """Stands in for the real audit in the worker processes (they are forked from the test)."""
    if "hang" in path.name:
        time.sleep(60)
    if "crash" in path.name:
        os._exit(3)
    if "memory" in path.name:
        raise MemoryError
    return audit_path(path, options)


@pytest.fixture
def folder(tmp_path: Path) -> list[Path]:
    names = ["a-report.txt", "hang.txt", "crash.txt", "memory.txt", "z-report.txt"]
    for name in names:
        shutil.copy(SAMPLES / "000_340bac1f8475ed93.txt", tmp_path / name)
        (tmp_path / name).write_text(
            (tmp_path / name).read_text("utf-8") + name, "utf-8"
        )  # not duplicates
    return [tmp_path / n for n in names]


def test_bad_workers_are_replaced_and_every_file_gets_a_status(
    monkeypatch, folder: list[Path]
) -> None:
    monkeypatch.setattr(batch, "audit_path", misbehaving_audit)
    started = time.monotonic()
    results = dict(batch.run(folder, AuditOptions(), jobs=2, timeout=10))
    assert time.monotonic() - started < 55  # the hanging file sleeps 60 s
    assert sorted(results) == list(range(len(folder)))
    by_name = {folder[i].name: r for i, r in results.items()}
    assert by_name["a-report.txt"]["status"] == "audited"
    assert by_name["z-report.txt"]["status"] == "audited"
    assert by_name["hang.txt"]["status"] == "error" and "超时" in by_name["hang.txt"]["message"]
    assert (
        by_name["crash.txt"]["status"] == "error" and "意外退出" in by_name["crash.txt"]["message"]
    )
    assert by_name["memory.txt"]["status"] == "error" and "内存" in by_name["memory.txt"]["message"]


def test_duplicates_are_audited_once_and_linked(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(SAMPLES / "002_750ab5ebf1f3b941.txt", first)
    shutil.copy(SAMPLES / "002_750ab5ebf1f3b941.txt", second)
    results = dict(batch.run([first, second], AuditOptions(), jobs=1))
    assert results[1]["duplicate_of"] == str(first)
    assert results[1]["document"]["source"] == str(second)
    assert results[1]["score"] == results[0]["score"]


def logged_audit(path: Path, options: AuditOptions):
    """Records each audit in a log next to the inputs (the workers are separate processes)."""
    with (path.parent.parent / "audited.log").open("a", encoding="utf-8") as log:
        log.write(path.name + "\n")
    return audit_path(path, options)


def test_duplicates_found_while_streaming_are_audited_once_and_linked(
    monkeypatch, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    report = (SAMPLES / "000_340bac1f8475ed93.txt").read_bytes()
    for name, data in [("a.txt", report), ("b.txt", report), ("c.txt", report + b"\n(c)")]:
        (folder / name).write_bytes(data)
    shutil.copy(folder / "a.txt", folder / "d.txt")
    shutil.copy(folder / "c.txt", folder / "e.txt")
    monkeypatch.setattr(batch, "audit_path", logged_audit)
    results = dict(batch.run(iter_inputs([str(folder)]), AuditOptions(), jobs=2))
    assert sorted(results) == [0, 1, 2, 3, 4]
    assert sorted((tmp_path / "audited.log").read_text("utf-8").split()) == ["a.txt", "c.txt"]
    source = {i: Path(r["document"]["source"]).name for i, r in results.items()}
    assert source == {0: "a.txt", 1: "b.txt", 2: "c.txt", 3: "d.txt", 4: "e.txt"}
    assert [results[i].get("duplicate_of") for i in range(5)] == [
        None,
        str(folder / "a.txt"),
        None,
        str(folder / "a.txt"),
        str(folder / "c.txt"),
    ]


def quick_audit(path: Path, options: AuditOptions):
    return failed_result(path, "测试")


def test_a_jsonl_run_keeps_nothing_per_file_in_the_parent(monkeypatch, tmp_path: Path) -> None:
    n = 2000
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(n):
        (folder / f"{k:04d}.txt").write_text(f"报告 {k}", "utf-8")
    monkeypatch.setattr(batch, "audit_path", quick_audit)
    real_run = batch.run
    blocks: list[int] = []  # objects the parent's allocator holds (a path, a digest, ...)

    def watched(*args, **kwargs):
        """The batch, with the parent's objects counted at the first, 500th and last file."""
        for done, pair in enumerate(real_run(*args, **kwargs), 1):
            yield pair
            if done in (1, 500, n):
                blocks.append(sys.getallocatedblocks())

    def jsonl_run(inputs: list[str]) -> list[dict]:
        return outputs.write_outputs(
            iter_inputs(inputs), AuditOptions(), formats=["jsonl"], out=tmp_path, jobs=2
        )

    monkeypatch.setattr(outputs, "run", watched)
    jsonl_run([str(folder / "0000.txt"), str(folder / "0001.txt")])  # imports, caches
    blocks.clear()
    before = sys.getallocatedblocks()
    totals = jsonl_run([str(folder)])
    assert totals == [{"counts": dict.fromkeys(("critical", "major", "minor", "info"), 0)}]
    assert len((tmp_path / "results.jsonl").read_text("utf-8").splitlines()) == n
    # the first pass is over, and nothing is kept per file (that would be n objects or more)
    assert max(blocks) - before < n // 2, (before, blocks)
    assert blocks[2] - blocks[1] < n // 10, blocks  # nothing grows while the batch runs


def test_the_digest_table_is_a_compact_dict() -> None:
    table = batch.DigestTable(slots=8)
    digests = [hashlib.sha256(str(k % 7000).encode()).digest()[:16] for k in range(10_000)]
    reference: dict[bytes, int] = {}
    for index, digest in enumerate(digests):
        assert table.setdefault(digest, index) == reference.setdefault(digest, index)
    assert table.used == 7000
    assert table.slots * batch.DigestTable._SLOT <= 7000 * 60  # bytes per distinct digest


def test_jsonl_to_a_text_only_stdout(monkeypatch) -> None:
    """Lines are UTF-8 bytes; a stdout without a byte buffer (a notebook) still gets them."""
    import io

    sink = io.StringIO()
    monkeypatch.setattr(sys, "stdout", sink)
    sample = Path(__file__).resolve().parent.parent / "samples" / "210_ptzhsyqscj-2021.txt"
    outputs.write_outputs([sample], AuditOptions(), formats=["jsonl"], out=None, jobs=1)
    lines = sink.getvalue().splitlines()
    assert len(lines) == 1 and '"status":"audited"' in lines[0] and "政府信息公开" in lines[0]
