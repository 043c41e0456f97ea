"""Every example of every rule runs as a test (shipped packs and the engine's fixture pack).

Test ids look like ``OGI-T3-BALANCE::fail[0]``.
"""

from pathlib import Path

import pytest

from auditor.ruleset import load_ruleset
from auditor.testing import example_cases, run_example

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
SHIPPED = load_ruleset()
FIXTURE = load_ruleset([FIXTURES], shipped=False)
CASES = [(rs, case) for rs in (SHIPPED, FIXTURE) for case in example_cases(rs)]


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        metafunc.parametrize(("ruleset", "case"), CASES, ids=[c[0] for _, c in CASES])


def test_example(ruleset, case):
    test_id, rule, example, expected = case
    outcome = run_example(rule, example, expected, test_id.split("::")[1], ruleset)
    assert outcome.ok, (
        f"{test_id}: expected {outcome.expected}, got {outcome.actual}: {outcome.message} {outcome.detail}"
    )


def test_every_rule_has_pass_and_fail_examples():
    for rs in (SHIPPED, FIXTURE):
        for rule in rs.rules:
            assert rule.examples.pass_ and rule.examples.fail, rule.id


def test_examples_cover_every_check_kind():
    assert {r.kind for r in FIXTURE.rules} == {
        "required_content", "section_order", "pattern", "fact_present", "identity",
        "stated_sum", "percentages", "text_vs_table", "deadline", "declared_count", "condition",
    }  # fmt: skip


@pytest.mark.parametrize("rs", [SHIPPED, FIXTURE], ids=["shipped", "fixture"])
def test_rule_ids_unique(rs):
    ids = [r.id for r in rs.rules]
    assert len(ids) == len(set(ids))
