"""Helpers for testing rules: build documents by hand and run a rule's own examples.

Each example runs on a document: ``text`` goes through the reader (sections, tables and
metadata analysed); a ``facts``-only example runs on an empty report. Examples are
fragments, so document attributes are then adjusted until the rule's ``applies`` holds
(first listed kind / regime / issuer type, a year in range); ``meta`` overrides everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from auditor.checks import MODULES
from auditor.document.model import Document, Section, Table
from auditor.engine import evaluate
from auditor.facts import FactStore
from auditor.ruleset.loader import RuleSet
from auditor.ruleset.schema import Example

_REGIME_YEARS = {"ogi-2008": 2015, "ogi-2019": 2020, "ogi-2021": 2023}


@dataclass(frozen=True, slots=True)
class ExampleOutcome:
    """One example's verdict: ``ok`` when the rule gave the expected status and message."""

    rule: str
    label: str  # "pass[0]" / "fail[1]"
    expected: str
    actual: str
    message: str
    ok: bool
    detail: str = ""

    @property
    def test_id(self) -> str:
        return f"{self.rule}::{self.label}"


def make_document(
    text: str = "",
    *,
    sections: list[Section] | tuple[Section, ...] = (),
    tables: list[Table] | tuple[Table, ...] = (),
    **attrs: Any,
) -> Document:
    """A Document built by hand: ``text`` is taken as already normalised."""
    doc = Document(
        source=attrs.pop("source", "<test>"),
        format="txt",
        status="ok",
        original=text,
        text=text,
        offsets=list(range(len(text) + 1)),
        sections=list(sections),
        tables=list(tables),
        kind=attrs.pop("kind", "annual_report"),
    )
    for key, value in attrs.items():
        if not hasattr(doc, key):
            raise AttributeError(f"Document has no attribute {key!r}")
        setattr(doc, key, value)
    return doc


def example_document(rule: Any, example: Example) -> Document:
    """The document an example runs on."""
    if example.text is not None:
        from auditor.document.reader import read_text

        doc = read_text(example.text, name=f"<{rule.id} example>")
    else:
        doc = make_document(source=f"<{rule.id} example>")
    applies = rule.applies
    reads = MODULES[rule.kind].fact_refs(rule)
    if doc.kind not in applies.kinds:
        doc.kind = applies.kinds[0]
    if applies.regimes and doc.regime not in applies.regimes:
        doc.regime = applies.regimes[0]
    if applies.issuer_types and doc.issuer_type not in applies.issuer_types:
        doc.issuer_type = applies.issuer_types[0]
    years = applies.years
    outside = years is not None and doc.year is not None
    outside = outside and not (years.min or 0) <= doc.year <= (years.max or 9999)
    if outside or (doc.year is None and "meta.year" not in reads):
        doc.year = (years.min or years.max) if years else _REGIME_YEARS.get(doc.regime or "", 2023)
    for key, value in example.meta.items():
        if key in ("published", "signed") and isinstance(value, dt.date):
            value = value.isoformat()
        setattr(doc, key, value)
    return doc


def run_example(
    rule: Any, example: Example, expected: str, label: str, ruleset: RuleSet
) -> ExampleOutcome:
    """Run one example of a rule."""
    expected = example.expect.status or expected
    doc = example_document(rule, example)
    store = FactStore(doc, ruleset.facts, example.facts)
    finding = evaluate([rule], doc, store)[0]
    ok = finding.status == expected
    detail = ""
    want = example.expect.message_contains
    if ok and want and want not in finding.message:
        ok, detail = False, f"message lacks {want!r}"
    if finding.status == "error":
        detail = finding.error or ""
    return ExampleOutcome(rule.id, label, expected, finding.status, finding.message, ok, detail)


def run_examples(rule: Any, ruleset: RuleSet) -> list[ExampleOutcome]:
    """Run every pass and fail example of a rule."""
    out: list[ExampleOutcome] = []
    for expected, examples in (("pass", rule.examples.pass_), ("fail", rule.examples.fail)):
        for i, example in enumerate(examples):
            out.append(run_example(rule, example, expected, f"{expected}[{i}]", ruleset))
    return out


def example_cases(ruleset: RuleSet) -> list[tuple[str, Any, Example, str]]:
    """(test id, rule, example, expected status) for every example of every rule."""
    cases = []
    for rule in ruleset.rules:
        for expected, examples in (("pass", rule.examples.pass_), ("fail", rule.examples.fail)):
            for i, example in enumerate(examples):
                cases.append((f"{rule.id}::{expected}[{i}]", rule, example, expected))
    return cases
