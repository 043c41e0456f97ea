"""The per-user rule-set cache: hits, misses on any change, corrupt or unwritable caches."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.api import AuditOptions, audit_path
from auditor.resources import rules_dir
from auditor.ruleset import RuleSetError, build, load_ruleset
from auditor.ruleset.schema import Rule

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "210_ptzhsyqscj-2021.txt"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A private copy of the shipped rules, to edit."""
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy, ignore=shutil.ignore_patterns("schema"))
    return copy


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the times the rule files are parsed and validated."""
    calls: list[int] = []
    real = build.load

    def counting(sources):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(sources)

    monkeypatch.setattr(build, "load", counting)
    return calls


def test_second_load_is_a_cache_hit_with_the_same_rules(cache_dir, rules, monkeypatch) -> None:
    calls = _builds(monkeypatch)
    first = load_ruleset([rules], shipped=False)
    second = load_ruleset([rules], shipped=False)
    assert calls == [1]
    assert len(list(cache_dir.glob("ruleset-*.pickle"))) == 1
    assert second is not first and second.hash == first.hash and second.rules == first.rules
    assert all(isinstance(r, Rule) for r in second.rules)


def test_editing_a_rule_file_misses_the_cache(cache_dir, rules, monkeypatch) -> None:
    before = load_ruleset([rules], shipped=False)
    rule = before.rules[0]
    path = Path(before.sources[rule.id].rsplit(":", 1)[0]).resolve()
    assert path.is_relative_to(rules)
    text = path.read_text("utf-8")
    assert f"title: {rule.title}" in text
    path.write_text(text.replace(f"title: {rule.title}", "title: 改过的标题", 1), "utf-8")
    calls = _builds(monkeypatch)
    after = load_ruleset([rules], shipped=False)
    assert calls == [1]
    assert after.get(rule.id).title == "改过的标题" and after.hash != before.hash


def test_a_corrupt_cache_file_is_rebuilt_silently(cache_dir, rules, monkeypatch) -> None:
    good = load_ruleset([rules], shipped=False)
    (entry,) = cache_dir.glob("ruleset-*.pickle")
    entry.write_bytes(b"\x80\x05not a pickle")
    calls = _builds(monkeypatch)
    again = load_ruleset([rules], shipped=False)
    assert calls == [1] and again.rules == good.rules
    load_ruleset([rules], shipped=False)
    assert calls == [1]  # the rebuilt entry is valid again


def test_an_unwritable_or_disabled_cache_is_skipped(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(blocker / "cache"))
    assert load_ruleset().rules
    monkeypatch.setenv("AUDITOR_CACHE_DIR", "0")
    calls = _builds(monkeypatch)
    load_ruleset()
    load_ruleset()
    assert calls == [1, 1]


def test_cached_and_fresh_rules_give_the_same_result(cache_dir, monkeypatch) -> None:
    from auditor import api

    api.ruleset_for.cache_clear()
    monkeypatch.setenv("AUDITOR_CACHE_DIR", "0")
    fresh = audit_path(SAMPLE, AuditOptions()).to_json()
    api.ruleset_for.cache_clear()
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(cache_dir))
    load_ruleset()  # fills the cache
    cached = audit_path(SAMPLE, AuditOptions()).to_json()
    api.ruleset_for.cache_clear()
    assert cached == fresh and fresh["status"] == "audited"


def test_an_audit_from_the_cache_imports_no_pydantic_or_yaml(cache_dir) -> None:
    code = (
        "import sys; from auditor.api import audit_path; "
        f"r = audit_path({str(SAMPLE)!r}); assert r.status == 'audited'; "
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # fills it
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_an_unreadable_rule_file_is_reported_even_when_an_empty_one_was_cached(
    cache_dir, tmp_path
) -> None:
    extra = tmp_path / "extra.yml"
    extra.write_text("", "utf-8")
    load_ruleset([extra])
    extra.unlink()
    with pytest.raises(RuleSetError) as err:
        load_ruleset([extra])
    assert "cannot read" in str(err.value)
