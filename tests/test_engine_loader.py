"""Strict rule loading: every error names the file, the line and the key."""

import textwrap
from pathlib import Path

import pytest

from auditor.ruleset import RuleSetError, load_ruleset, validate
from auditor.ruleset.waivers import load_waivers

FIXTURES = Path(__file__).parent / "fixtures" / "rules"

RULE = """\
rules:
  - id: T-1
    title: 测试
    category: document
    basis: 测试
    kind: pattern
    must_match: '年度报告'
    message: 未找到（{count}）。
    examples:
      pass: [{text: "年度报告"}]
      fail: [{text: "无"}]
"""


def errors_for(tmp_path: Path, text: str, name: str = "r.yml") -> list[str]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return [str(e) for e in validate([path], shipped=False)]


def test_valid_rule_loads(tmp_path):
    assert errors_for(tmp_path, RULE) == []


def test_fixture_pack_is_valid():
    assert validate([FIXTURES], shipped=False) == []
    rs = load_ruleset([FIXTURES], shipped=False)
    assert rs.version == "fixture@1.0"
    assert len(rs.hash) == 64
    assert {"FX-T3-BALANCE", "FX-SUM", "FX-PCT"} <= {r.id for r in rs.rules}


def test_pack_defaults_apply():
    rs = load_ruleset([FIXTURES], shipped=False)
    assert rs.get("FX-PATTERN").severity == "minor"
    assert rs.get("FX-PATTERN").weight == 2
    assert rs.get("FX-T3-BALANCE").severity == "critical"
    assert "fixture" in rs.get("FX-SUM").groups


def test_unknown_key_names_file_line_and_key(tmp_path):
    errs = errors_for(
        tmp_path, RULE.replace("    kind: pattern\n", "    kind: pattern\n    kidn: x\n")
    )
    assert len(errs) == 1
    assert errs[0].endswith("r.yml:7: rule T-1: key 'kidn': unknown key")


def test_misspelt_kind_is_reported(tmp_path):
    errs = errors_for(tmp_path, RULE.replace("    kind: pattern", "    kidn: pattern"))
    assert errs == [f"{tmp_path / 'r.yml'}:2: rule T-1: key 'kind': missing required key"]


def test_unknown_check_kind(tmp_path):
    errs = errors_for(tmp_path, RULE.replace("kind: pattern", "kind: patern"))
    assert len(errs) == 1 and ":6: rule T-1: key 'kind': unknown check kind 'patern'" in errs[0]


def test_bad_regex_is_a_load_error(tmp_path):
    errs = errors_for(tmp_path, RULE.replace("'年度报告'", "'年度(报告'"))
    assert len(errs) == 1
    assert ":7: rule T-1: key 'must_match': bad regex" in errs[0]


def test_bad_regex_in_a_fact(tmp_path):
    text = """\
    facts:
      - id: x.y
        from: text
        pattern: '(?P<value>\\d+'
    """
    errs = errors_for(tmp_path, text)
    assert len(errs) == 1 and ":4: fact x.y: key 'pattern': bad regex" in errs[0]


def test_fact_pattern_needs_value_group(tmp_path):
    text = "facts:\n  - id: x.y\n    from: text\n    pattern: '\\d+件'\n"
    errs = errors_for(tmp_path, text)
    assert len(errs) == 1 and "needs a (?P<value>" in errs[0] and ":4:" in errs[0]


def test_unknown_fact_id(tmp_path):
    text = RULE.replace(
        "    kind: pattern\n    must_match: '年度报告'\n",
        "    kind: fact_present\n    fact: no.such\n",
    )
    text = text.replace("（{count}）", "")
    errs = errors_for(tmp_path, text)
    assert len(errs) == 1 and "rule T-1: key 'fact': unknown fact id 'no.such'" in errs[0]


def test_unknown_fact_in_expression_and_examples(tmp_path):
    text = (
        RULE.replace(
            "    kind: pattern\n    must_match: '年度报告'\n",
            "    kind: identity\n    expr: table3.new.total == nope.x\n",
        )
        .replace("（{count}）", "")
        .replace('{text: "无"}', "{facts: {nope.y: 1}}")
    )
    errs = errors_for(tmp_path, text)
    assert any("key 'expr': unknown fact id 'nope.x'" in e for e in errs)
    assert any(":11: rule T-1: key 'facts': unknown fact id 'nope.y'" in e for e in errs)


def test_unknown_table_cell_key(tmp_path):
    text = "facts:\n  - id: x.y\n    from: table\n    cell: table3.new.totl\n"
    errs = errors_for(tmp_path, text)
    assert len(errs) == 1 and "unknown table cell key(s): table3.new.totl" in errs[0]


def test_placeholder_that_cannot_be_filled(tmp_path):
    errs = errors_for(tmp_path, RULE.replace("{count}", "{cuont}"))
    assert len(errs) == 1
    assert ":8: rule T-1: key 'message': placeholder {cuont} cannot be filled" in errs[0]


def test_named_groups_and_fact_ids_are_placeholders(tmp_path):
    text = RULE.replace("'年度报告'", "'(?P<what>年度)报告'").replace(
        "{count}", "{what}{table3.new.total}{{x}}"
    )
    assert errors_for(tmp_path, text) == []


def test_examples_are_required(tmp_path):
    errs = errors_for(tmp_path, RULE.replace('      fail: [{text: "无"}]\n', ""))
    assert len(errs) == 1 and "key 'fail': missing required key" in errs[0]


def test_bad_severity_and_category(tmp_path):
    text = RULE.replace("category: document", "category: documents")
    text = text.replace("    kind: pattern", "    severity: fatal\n    kind: pattern")
    errs = errors_for(tmp_path, text)
    assert any(":4: rule T-1: key 'category'" in e for e in errs)
    assert any(":6: rule T-1: key 'severity'" in e for e in errs)


def test_duplicate_rule_id(tmp_path):
    text = RULE + RULE.split("rules:\n", 1)[1]
    errs = errors_for(tmp_path, text)
    assert len(errs) == 1 and ":12: rule T-1: key 'id': id or alias 'T-1' already used" in errs[0]


def test_alias_bomb_is_refused(tmp_path):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("rules: []")
    errs = errors_for(tmp_path, "\n".join(lines) + "\n")
    assert len(errs) == 1 and "alias bomb" in errs[0] and "r.yml:1:" in errs[0]


def test_invalid_yaml_names_line(tmp_path):
    errs = errors_for(tmp_path, "rules:\n  - id: x\n    title: [unclosed\n")
    assert len(errs) == 1 and "invalid YAML" in errs[0]


def test_load_ruleset_raises_with_all_errors(tmp_path):
    (tmp_path / "r.yml").write_text(RULE.replace("kind: pattern", "kind: nope"), "utf-8")
    with pytest.raises(RuleSetError) as info:
        load_ruleset([tmp_path], shipped=False)
    assert len(info.value.errors) == 1
    assert "unknown check kind" in str(info.value)


def test_condition_inline_check_is_validated_with_lines(tmp_path):
    text = RULE.replace(
        "    kind: pattern\n    must_match: '年度报告'\n",
        "    kind: condition\n    when: table3.new.total > 0\n    require:\n"
        "      kind: pattern\n      must_mach: 'x'\n",
    )
    errs = errors_for(tmp_path, text)
    assert any(":10: rule T-1: key 'must_mach': unknown key" in e for e in errs)


def test_bad_expression_is_a_load_error(tmp_path):
    text = RULE.replace(
        "    kind: pattern\n    must_match: '年度报告'\n",
        "    kind: identity\n    expr: __import__('os')\n",
    ).replace("（{count}）", "")
    errs = errors_for(tmp_path, text)
    assert len(errs) == 1 and "function '__import__' not allowed" in errs[0]


def test_macro_expansion_and_unknown_macro(tmp_path):
    ok = RULE.replace("'年度报告'", "'{NUM}件'")
    assert errors_for(tmp_path, ok) == []
    errs = errors_for(tmp_path, RULE.replace("'年度报告'", "'{NOPE}件'"))
    assert len(errs) == 1 and "unknown macro {NOPE}" in errs[0]


def test_profile_errors(tmp_path):
    (tmp_path / "r.yml").write_text(RULE, "utf-8")
    (tmp_path / "p.yml").write_text(
        "profile: p\nextends: nope\nselect: {ids: [T-2]}\noverrides:\n  T-1: {weight: 2, sevrity: x}\n",
        "utf-8",
    )
    errs = [str(e) for e in validate([tmp_path], shipped=False)]
    assert any("p.yml:5: profile p: key 'sevrity': unknown key" in e for e in errs)
    (tmp_path / "p.yml").write_text(
        "profile: p\nextends: nope\nselect: {ids: [T-2]}\noverrides:\n  group:zzz: {weight: 2}\n",
        "utf-8",
    )
    errs = [str(e) for e in validate([tmp_path], shipped=False)]
    assert any("p.yml:2: profile p: key 'extends': unknown profile 'nope'" in e for e in errs)
    assert any("p.yml:3: profile p: key 'ids': unknown rule id 'T-2'" in e for e in errs)
    assert any("override target 'group:zzz'" in e for e in errs)


def test_waivers_file_is_strict(tmp_path):
    path = tmp_path / "w.yml"
    path.write_text(
        "waivers:\n  - rule: T-1\n    document: '*.pdf'\n    reason: 批准\n    resaon: x\n", "utf-8"
    )
    with pytest.raises(RuleSetError) as info:
        load_waivers(path)
    assert "w.yml:5: key 'resaon': unknown key" in str(info.value)
    path.write_text("waivers:\n  - rule: T-1\n    document: '*.pdf'\n    reason: 批准\n", "utf-8")
    assert load_waivers(path)[0].rule == "T-1"


def test_shipped_rules_validate():
    assert [str(e) for e in validate()] == []


def test_word_boundary_is_refused(tmp_path):
    errs = errors_for(tmp_path, RULE.replace("'年度报告'", "'\\b年度报告'"))
    assert len(errs) == 1 and ":7: rule T-1: key 'must_match': do not use \\b" in errs[0]
