"""HTML audit pages and batch index, checked structurally on real samples through the pipeline."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from auditor.api import audit_path, ruleset_for
from auditor.document.reader import read
from auditor.render.html import HtmlRenderer, HtmlWriter, page_name
from auditor.render.outputs import summary
from auditor.scoring import FORMULA

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
HONGZE_2023 = "001_huaian-hongze-district-2023.pdf"
WORK_SUMMARY = "004_bd982173723fbff0.txt"
GUIDE = "216_NEG_ptzhsyqnyn-2022.txt"
NAMES = [
    HONGZE_2023,
    "201_ptzhsyqscj-2009.txt",
    "212_ptzhsyqshs-2023.body.html",
    WORK_SUMMARY,
    GUIDE,
]

HOSTILE = (
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "</textarea><b>bold</b>",
    "</mark><i>mark-escape</i>",
    "{{ 7*7 }}{% raw %}",
    '<a href="javascript:alert(1)" onclick=alert(2)>link</a>',
)


def run_info() -> dict[str, Any]:
    ruleset = ruleset_for(())
    return {"ruleset": {"version": ruleset.version, "hash": ruleset.hash}, "scoring": FORMULA}


def with_original(result: dict[str, Any], path: Path) -> dict[str, Any]:
    """The result JSON with the original text the pages mark up (read again if not included)."""
    result["document"].setdefault("original_text", read(path).original)
    return result


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("html")
    writer = HtmlWriter(out, templates=None, run_info=run_info())
    results, summaries = {}, []
    for index, name in enumerate(NAMES):
        path = SAMPLES / name
        result = with_original(audit_path(path).to_json(), path)
        results[name] = result
        row = summary(result)
        row["page"] = writer.write_document(index, result)
        summaries.append(row)
    writer.write_index(summaries)
    return {"out": out, "results": results, "summaries": summaries}


def page(batch: dict[str, Any], name: str) -> lxml_html.HtmlElement:
    row = next(s for s in batch["summaries"] if Path(s["source"]).name == name)
    return lxml_html.parse(str(batch["out"] / row["page"])).getroot()


def text_of(tree: lxml_html.HtmlElement, xpath: str) -> str:
    return " ".join(n.text_content().strip() for n in tree.xpath(xpath))


def test_document_page_shows_score_grade_and_failing_rules(batch: dict[str, Any]) -> None:
    result = batch["results"][HONGZE_2023]
    tree = page(batch, HONGZE_2023)
    assert tree.get("lang") == "zh-CN"
    assert text_of(tree, '//*[@id="score"]') == f"{result['score']:.1f}"
    assert text_of(tree, '//*[@id="grade"]') == result["grade"]
    failing = {f["rule"] for f in result["findings"] if f["status"] == "fail"}
    assert failing, "the sample is known to fail some rules"
    shown = set(
        tree.xpath('//section[@id="findings"]//article[contains(@class, "st-fail")]/@data-rule')
    )
    assert shown == failing
    # every failing finding carries its basis and hint; the rest are listed collapsed
    for article in tree.xpath('//article[contains(@class, "st-fail")]'):
        assert "依据" in article.text_content()
    others = tree.xpath('//section[@id="other-rules"]//details')
    assert others and all(d.get("open") is None for d in others if "st-error" not in d.get("class"))
    listed = set(tree.xpath('//section[@id="other-rules"]//li/@data-rule'))
    assert listed == {f["rule"] for f in result["findings"]} - failing
    footer = text_of(tree, '//*[@id="scoring"]')
    assert result["ruleset"]["hash"] in footer and "得分" in footer


def test_table_four_totals_highlighted(batch: dict[str, Any]) -> None:
    tree = page(batch, HONGZE_2023)
    broken = set(tree.xpath('//figure[@id="tbl-table4"]//td[contains(@class, "broken")]/@id'))
    assert {"cell-table4-review-total", "cell-table4-litigation_after_review-total"} <= broken
    assert not tree.xpath('//figure[@id="tbl-table3"]//td[contains(@class, "broken")]')
    # the highlighted cells link to the failing finding, and the finding links to the table
    link = tree.xpath('//td[@id="cell-table4-review-total"]/a/@href')
    assert link == ["#f-FMT-T4-SUM"] and tree.xpath('//article[@id="f-FMT-T4-SUM"]')
    jumps = tree.xpath('//article[@id="f-FMT-T4-SUM"]//a[@class="jump"]/@href')
    assert {"#cell-table4-review-total", "#cell-table4-litigation_after_review-total"} <= set(jumps)


def test_evidence_marked_in_rendered_original_text(batch: dict[str, Any]) -> None:
    result = batch["results"][HONGZE_2023]
    tree = page(batch, HONGZE_2023)
    (original,) = tree.xpath('//div[@class="original"]')
    assert original.text_content() == result["document"]["original_text"]
    marks = original.xpath(".//mark")
    assert marks and original.xpath('.//mark[@class="m-fact"]')
    ids = {m.get("id") for m in marks} | set(original.xpath('.//span[@class="anchor"]/@id'))
    links = [h[1:] for h in tree.xpath("//a/@href") if h.startswith("#ev-")]
    assert links and set(links) <= ids
    # a fact's quote links to a mark whose text is where the quote starts
    fact = result["facts"]["proactive.total"]
    href = tree.xpath(
        '//section[@id="facts"]//a[normalize-space()=$q]/@href', q=fact["evidence"][0]["quote"]
    )
    assert href and fact["evidence"][0]["quote"].startswith(
        tree.get_element_by_id(href[0][1:]).text_content()
    )


@pytest.mark.parametrize(("name", "words"), [(WORK_SUMMARY, "工作总结"), (GUIDE, "指南")])
def test_non_reports_show_status_message_and_no_score(
    batch: dict[str, Any], name: str, words: str
) -> None:
    tree = page(batch, name)
    assert text_of(tree, '//*[@id="status"]') == "不是年度报告"
    assert words in text_of(tree, '//*[@id="status-message"]')
    assert not tree.xpath('//*[@id="score"]') and not tree.xpath('//*[@id="findings"]')


def test_index_has_one_row_per_input_with_links(batch: dict[str, Any]) -> None:
    tree = lxml_html.parse(str(batch["out"] / "index.html")).getroot()
    rows = tree.xpath('//table[@id="docs"]/tbody/tr')
    assert len(rows) == len(NAMES)
    for row, name in zip(rows, NAMES, strict=True):
        (link,) = row.xpath('.//td[@class="file"]/a')
        assert link.text_content() == name and (batch["out"] / link.get("href")).is_file()
    hongze = rows[0]
    assert (
        hongze.xpath('string(.//td[contains(@class, "score-cell")])')
        == f"{batch['results'][HONGZE_2023]['score']:.1f}"
    )
    not_audited = text_of(tree, '//section[@id="not-audited"]//tbody')
    assert WORK_SUMMARY in not_audited and GUIDE in not_audited and HONGZE_2023 not in not_audited
    assert tree.xpath('//figure[@id="chart-scores"]//svg//rect')
    rules = tree.xpath('//figure[@id="chart-rules"]//svg//text[@class="rule"]/text()')
    assert "FMT-T4-SUM" in rules


def test_index_marks_duplicates() -> None:
    summaries = [
        {
            "source": "a/报告.pdf",
            "status": "audited",
            "score": 90.0,
            "grade": "优",
            "page": "docs/001.html",
        },
        {
            "source": "b/副本.pdf",
            "status": "audited",
            "score": 90.0,
            "grade": "优",
            "page": "docs/002.html",
            "duplicate_of": "a/报告.pdf",
        },
    ]
    tree = lxml_html.fromstring(HtmlRenderer(None, run_info()).index(summaries))
    rows = tree.xpath('//table[@id="docs"]/tbody/tr')
    assert "duplicate" in rows[1].get("class") and "duplicate" not in rows[0].get("class")
    assert rows[1].xpath('.//span[@class="dup-note"]/a/@href') == ["docs/001.html"]


def assert_inert(markup: str, scripts: int) -> lxml_html.HtmlElement:
    """No markup or script from the document got into the page."""
    tree = lxml_html.fromstring(markup)
    assert len(tree.xpath("//script")) == scripts
    assert not any("alert" in (s.text or "") for s in tree.xpath("//script"))
    assert not tree.xpath("//@*[starts-with(name(), 'on')]")
    assert not tree.xpath("//img | //i | //textarea | //a[starts-with(@href, 'javascript')]")
    assert not tree.xpath("//b[normalize-space()='bold']")
    text = tree.text_content()
    assert "<script>alert('x')</script>" in text and "{{ 7*7 }}" in text and "</mark>" in text
    return tree


HOSTILE_REPORT = """<html><head><meta charset="utf-8"><title>2023年政府信息公开工作年度报告</title></head><body>
<h1>某某局2023年政府信息公开工作年度报告{}</h1>
<p>本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。{}</p>
<p>一、总体情况 {} 2023年，本局主动公开政府信息120条。{}</p>
<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况 本年新收申请5件。{}</p>
<p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况 {}</p>
<p>六、其他需要报告的事项 本年度未收取信息处理费。</p>
<p>某某局</p><p>2024年1月20日</p>
<script>alert('real script in the input')</script><img src=x onerror=alert(3)>
</body></html>""".format(*(escape(h) for h in HOSTILE))  # in the text, plus real tags


def test_hostile_html_input_cannot_inject(tmp_path: Path) -> None:
    path = tmp_path / "<img src=x onerror=alert(1)>.html"
    path.write_text(HOSTILE_REPORT, encoding="utf-8")
    result = with_original(audit_path(path).to_json(), path)
    assert result["document"]["original_text"], "the hostile page must be read"
    writer = HtmlWriter(tmp_path / "out", templates=None, run_info=run_info())
    row = summary(result)
    row["page"] = writer.write_document(0, result)
    writer.write_index([row])
    assert "/" not in row["page"].removeprefix("docs/") and "<" not in row["page"]
    tree = assert_inert((tmp_path / "out" / row["page"]).read_text("utf-8"), scripts=1)
    marks = tree.xpath('//div[@class="original"]//mark')
    assert (
        marks
        and tree.xpath('string(//div[@class="original"])') == result["document"]["original_text"]
    )
    index = lxml_html.parse(str(tmp_path / "out" / "index.html")).getroot()
    assert not index.xpath("//img | //@*[starts-with(name(), 'on')]")
    assert path.name in index.text_content()


def hostile_result() -> dict[str, Any]:
    """A hand-made result where every string a page shows is hostile."""
    bad = "".join(HOSTILE)
    original = f"开头{bad}中间{bad}结尾"
    start = original.index("</mark>")
    evidence = [
        {"quote": bad, "start": start, "end": start + 40, "section": bad, "kind": "match"},
        {"quote": bad, "start": None, "end": None, "section": None, "kind": "computed"},
    ]
    finding = {
        "rule": bad,
        "title": bad,
        "category": bad,
        "kind": "pattern",
        "status": "fail",
        "outcome": "fail",
        "severity": "critical",
        "weight": 1.0,
        "message": bad,
        "evidence": evidence,
        "basis": bad,
        "hint": bad,
        "blocked_by": [{"fact": bad, "root": bad}],
        "waiver": bad,
        "error": bad,
    }
    table = {
        "kind": "table4",
        "version": "2021",
        "source": "grid",
        "rows": 4,
        "cols": 6,
        "cells": {"table4.review.total": {"raw": bad, "value": None}},
        "pairs": [[bad, bad, None]],
        "ambiguous": [],
        "unresolved": [],
        "grid": [[bad]],
        "start": 0,
        "end": 1,
    }
    return {
        "document": {
            "source": bad + ".pdf",
            "format": bad,
            "title": bad,
            "agency": bad,
            "kind": bad,
            "year": bad,
            "regime": bad,
            "issuer_type": bad,
            "message": bad,
            "sha256": bad,
            "warnings": [bad],
            "tables": [table, {**table, "kind": "stats"}],
            "original_text": original,
        },
        "status": "audited",
        "message": bad,
        "score": 50.0,
        "grade": "不合格",
        "profile": bad,
        "facts": {
            bad: {"value": bad, "unit": bad, "title": bad, "evidence": evidence, "error": None}
        },
        "findings": [finding, {**finding, "status": "pass"}, {**finding, "status": "error"}],
        "ruleset": {"version": bad, "hash": bad},
        "duplicate_of": bad,
        "error_detail": bad,
    }


def test_hostile_strings_in_every_field_stay_text() -> None:
    renderer = HtmlRenderer(
        None, {"ruleset": {"version": "v", "hash": "h"}, "scoring": "".join(HOSTILE)}
    )
    result = hostile_result()
    assert_inert(renderer.document(result, index_link="../index.html"), scripts=1)
    row = {
        **summary(result),
        "page": "docs/001-x.html",
        "findings": [{"rule": "".join(HOSTILE), "severity": "critical", "title": "".join(HOSTILE)}],
    }
    assert_inert(renderer.index([row]), scripts=1)
    json.dumps(result)  # the hand-made result stays plain JSON


def test_result_without_original_text_still_renders(batch: dict[str, Any]) -> None:
    result = batch["results"][HONGZE_2023]
    result = {
        **result,
        "document": {k: v for k, v in result["document"].items() if k != "original_text"},
    }
    tree = lxml_html.fromstring(HtmlRenderer(None, run_info()).document(result))
    assert "没有可显示的原文" in text_of(tree, '//section[@id="original"]')
    assert not tree.xpath("//mark") and not tree.xpath('//a[starts-with(@href, "#ev-")]')
    assert tree.xpath('//td[contains(@class, "broken")]')


def test_office_templates_override_blocks(tmp_path: Path, batch: dict[str, Any]) -> None:
    (tmp_path / "base.html").write_text(
        '{% extends "default:base.html" %}{% block brand %}<div class="brand" id="office">某某市政务公开办公室</div>{% endblock %}',
        encoding="utf-8",
    )
    renderer = HtmlRenderer(tmp_path, run_info())
    tree = lxml_html.fromstring(renderer.document(batch["results"][HONGZE_2023]))
    assert text_of(tree, '//*[@id="office"]') == "某某市政务公开办公室"
    assert text_of(tree, '//*[@id="score"]') == f"{batch['results'][HONGZE_2023]['score']:.1f}"


def test_page_names_are_safe() -> None:
    assert page_name("../../etc/<x> y.pdf") == "x-y.pdf"
    assert page_name("淮安市 2023年报告.docx") == "淮安市-2023年报告.docx"
    assert page_name("") == "document"
