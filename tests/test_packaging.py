"""The wheel ships the rule files and report templates, and a non-editable install finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


def test_wheel_contains_rules_and_reports(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "auditor/_data/rules/packs/ogi/facts.yml" in names
    assert any(n.startswith("auditor/_data/rules/profiles/") for n in names)
    assert any(n.startswith("auditor/_data/reports/") and n.endswith(".html") for n in names)
    assert "auditor/cli/__init__.py" in names


def test_non_editable_install_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import auditor.resources as r;"
        "print(r.rules_dir()); print(r.reports_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.split()
    assert all(str(target) in line for line in out), out
    assert (Path(out[0]) / "packs" / "ogi" / "format.yml").is_file()
