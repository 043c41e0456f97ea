"""Audit results: evidence, facts, findings, per-document and per-run results.

These pydantic models are the contract for every renderer (JSON, HTML, terminal, CSV).
``python -m auditor.results`` writes ``rules/schema/results.schema.json``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["pass", "fail", "not_applicable", "blocked", "error", "waived"]
Outcome = Literal["pass", "fail", "not_applicable", "blocked", "error"]
DocumentStatus = Literal[
    "audited", "not_annual_report", "unsupported", "unreadable", "no_text_layer", "error"
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Evidence(Model):
    """Where something was seen: original characters and original-text offsets.

    ``kind``: ``match`` (a pattern hit), ``extracted`` (a fact's source), ``absence``
    (where something was expected) or ``computed`` (arithmetic; ``quote`` shows it and the
    offsets are null).
    """

    quote: str
    start: int | None = None
    end: int | None = None
    section: str | None = None
    kind: Literal["match", "extracted", "absence", "computed"] = "match"


class Fact(Model):
    """A fact extracted from the document; ``value`` is null when the document is silent."""

    value: Any = None
    unit: str | None = None
    evidence: list[Evidence] = []
    title: str = ""
    error: str | None = None


class BlockedBy(Model):
    fact: str
    root: str | None = None  # the rule reporting the fact's absence (fact_present), if any


class Finding(Model):
    """One rule's result on one document."""

    rule: str
    title: str
    category: str
    kind: str
    status: Status
    outcome: Outcome  # the rule's real outcome (differs from status only when waived)
    severity: str
    weight: float
    message: str
    evidence: list[Evidence] = []
    cells: list[str] = []  # canonical keys of the table cells that break the rule
    basis: str
    hint: str = ""
    blocked_by: list[BlockedBy] = []
    waiver: str | None = None
    error: str | None = None


class RulesetInfo(Model):
    version: str
    hash: str


class DocumentResult(Model):
    """Everything the audit found about one document."""

    document: dict[str, Any]
    status: DocumentStatus
    message: str = ""  # why an input was not audited, in plain Chinese
    facts: dict[str, Fact] = {}
    findings: list[Finding] = []
    score: float | None = None
    grade: str | None = None
    ruleset: RulesetInfo
    profile: str | None = None
    stats: dict[str, int] = {}
    duplicate_of: str | None = None  # an identical file earlier in the batch
    error_detail: str | None = None  # traceback of an unexpected failure (for developers)


class RunResult(Model):
    """A run over several documents."""

    documents: list[DocumentResult]
    ruleset: RulesetInfo
    scoring: str


if __name__ == "__main__":
    from auditor.resources import rules_dir

    path = rules_dir() / "schema" / "results.schema.json"
    schema = RunResult.model_json_schema()
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(path)
