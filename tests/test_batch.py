"""The batch runner: a file that hangs, crashes its worker or exhausts memory never stops a batch."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from auditor import batch
from auditor.api import AuditOptions, audit_path

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
