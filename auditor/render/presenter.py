"""Plain view models for the HTML pages, built from the results JSON.

Everything a template shows is decided here (labels, order, grouping, which text is marked,
which table cells are highlighted, chart geometry); templates only lay the data out. Text is
never turned into markup here: the original text is cut into segments and the template
escapes each one, so a document cannot inject markup whatever it contains.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from auditor.document.tableschema import SPECS, all_keys, row_cols
from auditor.labels import (
    CATEGORY_LABELS,
    FINDING_LABELS,
    GRADE_ORDER,
    ISSUER_LABELS,
    KIND_LABELS,
    REGIME_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
)

SEVERITIES = ("critical", "major", "minor", "info")
AUDITED = {"audited", "ok", "incomplete"}  # "ok"/"incomplete": statuses of earlier result files
READ = AUDITED | {"not_annual_report"}  # statuses of inputs whose kind was recognised
STATUS_ICONS = {
    "pass": "✓",
    "fail": "✗",
    "not_applicable": "–",
    "blocked": "?",
    "error": "!",
    "waived": "≈",
}
OTHER_STATUSES = ("error", "blocked", "waived", "pass", "not_applicable")  # collapsed, this order
GRADE_CLASSES = {"优": "excellent", "良": "good", "合格": "fair", "不合格": "poor"}
TABLE_TITLES = {
    "table2": "表二 主动公开政府信息情况",
    "table3": "表三 收到和处理政府信息公开申请情况",
    "table4": "表四 政府信息公开行政复议、行政诉讼情况",
    "stats": "统计表（2008年条例格式）",
}
SHOWN_EVIDENCE = 8
SHORT_QUOTE = 8
MAX_MARK = 2000  # longer evidence spans (e.g. "absent from the whole text") are not marked
_CELL_KEY = re.compile(r"table[234](?:\.[a-z_]+)+")
_KNOWN_KEYS = all_keys()
_MARK_RANK = {"m-fail": 3, "m-fact": 2, "m-pass": 1}


# --- shared helpers --------------------------------------------------------------------------


def label(table: dict[str, str], code: Any) -> str:
    """The Chinese label of a code, or the code itself, or an em dash for nothing."""
    if code is None or code == "":
        return "—"
    return table.get(str(code), str(code))


def file_name(source: str | None) -> str:
    return PurePath(source or "").name or "（无名文件）"


def format_score(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def format_value(value: Any) -> str:
    """A fact or cell value as people write it (no trailing .0, 是/否 for booleans)."""
    if value is None:
        return "未载明"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".10g")
    if isinstance(value, list):
        return "、".join(format_value(v) for v in value)
    return str(value)


def safe_anchor(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]+", "-", text).strip("-") or "x"


def is_audited(status: str | None) -> bool:
    return status in AUDITED


def status_label(status: str | None) -> str:
    return "已审查" if is_audited(status) else label(STATUS_LABELS, status)


# --- per-document view -----------------------------------------------------------------------


@dataclass(slots=True)
class EvidenceView:
    quote: str
    section: str
    kind: str  # match | extracted | absence | computed
    short: bool  # a few characters (a table figure): shown as a chip
    link: str  # "#ev-3", "#cell-…" or ""
    link_label: str


@dataclass(slots=True)
class FindingView:
    rule: str
    anchor: str
    category: str
    title: str
    status: str
    status_label: str
    icon: str
    severity: str
    severity_label: str
    message: str
    basis: str
    hint: str
    evidence: list[EvidenceView]
    more_evidence: list[EvidenceView]  # beyond SHOWN_EVIDENCE, collapsed
    cells: list[str]
    notes: list[str]  # waiver, blocking facts, check errors


@dataclass(slots=True)
class FindingGroup:
    key: str
    label: str
    findings: list[FindingView]


@dataclass(slots=True)
class Segment:
    text: str
    css: str = ""  # mark class, "" for plain text
    anchors: list[str] = field(default_factory=list)
    title: str = ""


@dataclass(slots=True)
class CellView:
    text: str
    css: str = ""
    anchor: str = ""
    title: str = ""
    link: str = ""


@dataclass(slots=True)
class RowView:
    label: str
    level: int
    cells: list[CellView] | None  # None for a label-only group row


@dataclass(slots=True)
class BlockView:
    headers: list[str]
    rows: list[RowView]


@dataclass(slots=True)
class TableView:
    anchor: str
    title: str
    note: str
    blocks: list[BlockView]
    broken: int


@dataclass(slots=True)
class FactView:
    id: str
    title: str
    value: str
    missing: bool
    unit: str
    quote: str
    link: str


@dataclass(slots=True)
class DocumentView:
    heading: str  # the agency, or the file name when no agency was found
    file: str
    source: str
    title: str
    agency: str
    year: str
    regime: str
    profile: str
    issuer: str
    kind: str
    format: str
    pages: str
    sha256: str
    audited: bool
    status: str
    status_label: str
    message: str
    error_detail: str
    duplicate_of: str
    score: str
    grade: str
    grade_class: str
    severity_counts: list[tuple[str, str, int]]  # (code, label, failed count)
    status_counts: list[tuple[str, str, int]]  # (code, label, count)
    failed: list[FindingGroup]
    others: list[FindingGroup]  # one group per non-failing status
    tables: list[TableView]
    facts: list[FactView]  # named facts
    cell_facts: list[FactView]  # standard-table cells read as facts
    text: list[Segment]
    text_available: bool
    marks: int
    warnings: list[str]
    scoring: str
    ruleset_version: str
    ruleset_hash: str
    index_link: str


def document_view(
    result: dict[str, Any], run_info: dict[str, Any], index_link: str = ""
) -> DocumentView:
    """The view model of one document's audit page."""
    doc = result.get("document") or {}
    findings = sorted(result.get("findings") or [], key=_finding_order)
    facts = result.get("facts") or {}
    original = doc.get("original_text")
    marks = _Marks(len(original) if isinstance(original, str) else 0)

    cell_rules: dict[str, list[FindingView]] = {}
    views = [_finding_view(f, marks) for f in findings]
    for view in views:
        if view.status == "fail":
            for key in view.cells:
                cell_rules.setdefault(key, []).append(view)
    fact_views = [_fact_view(key, fact, marks) for key, fact in facts.items()]
    named_facts = [f for f in fact_views if f.id not in _KNOWN_KEYS]

    ruleset = result.get("ruleset") or run_info.get("ruleset") or {}
    status = result.get("status")
    stats = Counter(f.get("status") for f in findings)
    failed = [v for v in views if v.status == "fail"]
    return DocumentView(
        heading=str(doc.get("agency") or file_name(doc.get("source"))),
        file=file_name(doc.get("source")),
        source=str(doc.get("source") or ""),
        title=str(doc.get("title") or ""),
        agency=str(doc.get("agency") or "—"),
        year=str(doc.get("year") or "—"),
        regime=label(REGIME_LABELS, doc.get("regime")),
        profile=str(result.get("profile") or "—"),
        issuer=label(ISSUER_LABELS, doc.get("issuer_type")),
        kind=label(KIND_LABELS, doc.get("kind")) if status in READ else "—",
        format=str(doc.get("format") or "—").upper(),
        pages=str(doc.get("pages") or ""),
        sha256=str(doc.get("sha256") or ""),
        audited=is_audited(status),
        status=str(status or ""),
        status_label=status_label(status),
        message=_message(result),
        error_detail=str(result.get("error_detail") or ""),
        duplicate_of=str(result.get("duplicate_of") or ""),
        score=format_score(result.get("score")),
        grade=str(result.get("grade") or "—"),
        grade_class=GRADE_CLASSES.get(result.get("grade") or "", "none"),
        severity_counts=[
            (s, SEVERITY_LABELS[s], sum(1 for v in failed if v.severity == s)) for s in SEVERITIES
        ],
        status_counts=[(s, FINDING_LABELS[s], stats[s]) for s in FINDING_LABELS if stats[s]],
        failed=_group_by_category(failed),
        others=[
            FindingGroup(s, FINDING_LABELS[s], [v for v in views if v.status == s])
            for s in OTHER_STATUSES
            if stats[s]
        ],
        tables=[t for t in (_table_view(t, cell_rules) for t in doc.get("tables") or []) if t],
        facts=named_facts,
        cell_facts=[f for f in fact_views if f.id in _KNOWN_KEYS],
        text=marks.segments(original) if isinstance(original, str) else [],
        text_available=isinstance(original, str) and bool(original),
        marks=len(marks.spans),
        warnings=[str(w) for w in doc.get("warnings") or []],
        scoring=str(run_info.get("scoring") or ""),
        ruleset_version=str(ruleset.get("version") or "—"),
        ruleset_hash=str(ruleset.get("hash") or "—"),
        index_link=index_link,
    )


def _message(result: dict[str, Any]) -> str:
    doc = result.get("document") or {}
    if result.get("message") or doc.get("message"):
        return str(result.get("message") or doc.get("message"))
    kind_finding = next(
        (f for f in result.get("findings") or [] if f.get("category") == "document"), None
    )
    if kind_finding and not is_audited(result.get("status")):
        return str(kind_finding.get("message") or "")
    return str(doc.get("kind_reason") or "") if not is_audited(result.get("status")) else ""


def _finding_order(finding: dict[str, Any]) -> tuple[int, int, str]:
    severity = finding.get("severity")
    rank = SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
    return (0 if finding.get("status") == "fail" else 1, rank, str(finding.get("rule")))


def _group_by_category(views: list[FindingView]) -> list[FindingGroup]:
    """Groups in order of their worst finding (views arrive sorted by severity)."""
    groups: dict[str, FindingGroup] = {}
    for view in views:
        if view.category not in groups:
            groups[view.category] = FindingGroup(
                view.category, label(CATEGORY_LABELS, view.category), []
            )
        groups[view.category].findings.append(view)
    return list(groups.values())


def _finding_view(finding: dict[str, Any], marks: _Marks) -> FindingView:
    rule = str(finding.get("rule") or "?")
    status = str(finding.get("status") or "")
    category = str(finding.get("category") or "other")
    css = "m-fail" if status == "fail" else "m-pass"
    raw_evidence = finding.get("evidence") or []
    cells = finding.get("cells")
    if cells is None:  # results written before findings named their cells
        named = [str(finding.get("message") or "")] + [
            str(e.get("quote") or "") for e in raw_evidence
        ]
        cells = _cell_keys(" ".join(named))
    evidence = []
    for ev in raw_evidence:
        anchor = marks.add(ev, css, f"{rule} {finding.get('title') or ''}")
        kind = str(ev.get("kind") or "match")
        quote = str(ev.get("quote") or "")
        link, link_label = ("#" + anchor, "在原文中查看") if anchor else ("", "")
        if not link and kind == "computed" and cells:
            link, link_label = "#" + cell_anchor(_first_cell(quote, cells)), "在表中查看"
        short = kind in ("match", "extracted") and len(quote.strip()) <= SHORT_QUOTE
        evidence.append(
            EvidenceView(quote, str(ev.get("section") or ""), kind, short, link, link_label)
        )
    keep = {i for i, e in enumerate(evidence) if not e.short}
    keep = set(sorted(keep)[:SHOWN_EVIDENCE])
    keep |= set([i for i, e in enumerate(evidence) if e.short][: SHOWN_EVIDENCE * 3])
    notes = []
    if finding.get("waiver"):
        notes.append(f"豁免理由：{finding['waiver']}")
    for blocked in finding.get("blocked_by") or []:
        root = f"（见规则 {blocked['root']}）" if blocked.get("root") else ""
        notes.append(f"缺少事实 {blocked.get('fact')}{root}")
    if finding.get("error"):
        notes.append(f"检查出错：{finding['error']}")
    return FindingView(
        rule=rule,
        anchor="f-" + safe_anchor(rule),
        category=category,
        title=str(finding.get("title") or ""),
        status=status,
        status_label=label(FINDING_LABELS, status),
        icon=STATUS_ICONS.get(status, "·"),
        severity=str(finding.get("severity") or ""),
        severity_label=label(SEVERITY_LABELS, finding.get("severity")),
        message=str(finding.get("message") or ""),
        basis=str(finding.get("basis") or ""),
        hint=str(finding.get("hint") or ""),
        evidence=[e for i, e in enumerate(evidence) if i in keep],
        more_evidence=[e for i, e in enumerate(evidence) if i not in keep],
        cells=[str(c) for c in cells],
        notes=notes,
    )


def _first_cell(quote: str, cells: list[str]) -> str:
    """The cell a computed quote starts with, by key or by its row·column label; else the first."""
    spots = [(quote.find(k), k) for k in cells if k in quote]
    spots += [(quote.find(_CELL_TEXT[k]), k) for k in cells if _CELL_TEXT.get(k, "\0") in quote]
    return min(spots)[1] if spots else cells[0]


def _cell_keys(text: str) -> list[str]:
    """Canonical cell keys named in a text, in order, without repeats."""
    found = [k for k in _CELL_KEY.findall(text) if k in _KNOWN_KEYS]
    return list(dict.fromkeys(found))


def _cell_labels() -> dict[str, str]:
    """Canonical cell key → "表三 · row label · column label"."""
    names = {"table2": "表二", "table3": "表三", "table4": "表四"}
    out: dict[str, str] = {}
    for spec in SPECS.values():
        for row in spec.rows:
            for col in row_cols(spec, row) if row.value else ():
                out.setdefault(
                    f"{spec.kind}.{row.key}.{col.key}",
                    f"{names[spec.kind]} · {row.label} · {col.label}",
                )
    return out


_CELL_LABELS = _cell_labels()
_CELL_TEXT = {k: v.split(" · ", 1)[1].replace(" · ", "·") for k, v in _CELL_LABELS.items()}


def cell_anchor(key: str) -> str:
    return "cell-" + safe_anchor(key.replace(".", "-"))


def _fact_view(key: str, fact: dict[str, Any], marks: _Marks) -> FactView:
    """A fact row; named facts are marked in the text (table cells are shown in the tables)."""
    evidence = fact.get("evidence") or []
    title = str(fact.get("title") or "")
    title = _CELL_LABELS.get(key, "") if title in ("", key) else title
    anchor = ""
    if key not in _KNOWN_KEYS:
        for ev in evidence:
            anchor = marks.add(ev, "m-fact", f"{key} {title}") or anchor
    first = evidence[0] if evidence else {}
    value = fact.get("value")
    return FactView(
        id=key,
        title=title,
        value=format_value(value) if not fact.get("error") else f"出错：{fact['error']}",
        missing=value is None,
        unit=str(fact.get("unit") or ""),
        quote=str(first.get("quote") or ""),
        link="#" + anchor if anchor else "",
    )


class _Marks:
    """Evidence spans in the original text, cut into non-overlapping segments."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.spans: list[tuple[int, int, str, str, str]] = []  # start, end, css, anchor, title

    def add(self, evidence: dict[str, Any], css: str, title: str) -> str:
        """Register an evidence span; return its anchor id, or "" when it cannot be marked."""
        start, end = evidence.get("start"), evidence.get("end")
        if (
            evidence.get("kind") in ("absence", "computed")
            or not isinstance(start, int)
            or not isinstance(end, int)
        ):
            return ""
        start, end = max(0, start), min(end, self.length)
        if end <= start or end - start > MAX_MARK:
            return ""
        anchor = f"ev-{len(self.spans) + 1}"
        self.spans.append((start, end, css, anchor, title.strip()))
        return anchor

    def segments(self, text: str) -> list[Segment]:
        """Plain and marked segments covering ``text``; each span's anchor sits on its first segment."""
        bounds = sorted({0, len(text)} | {s[0] for s in self.spans} | {s[1] for s in self.spans})
        starts: dict[int, list[tuple[int, int, str, str, str]]] = {}
        for span in self.spans:
            starts.setdefault(span[0], []).append(span)
        active: list[tuple[int, int, str, str, str]] = []
        out: list[Segment] = []
        for a, b in itertools.pairwise(bounds):
            active = [s for s in active if s[1] > a] + starts.get(a, [])
            piece = text[a:b]
            if not active:
                if out and not out[-1].css:
                    out[-1].text += piece
                else:
                    out.append(Segment(piece))
                continue
            css = max((s[2] for s in active), key=_MARK_RANK.__getitem__)
            titles = list(dict.fromkeys(s[4] for s in active))
            out.append(Segment(piece, css, [s[3] for s in starts.get(a, [])], "；".join(titles)))
        return out


def _table_view(
    table: dict[str, Any], cell_rules: dict[str, list[FindingView]]
) -> TableView | None:
    kind = table.get("kind")
    if kind == "stats":
        rows = [
            RowView(str(pair[0]), 0, [CellView(str(pair[1]) if len(pair) > 1 else "")])
            for pair in table.get("pairs") or []
        ]
        if not rows:
            return None
        return TableView(
            f"tbl-stats-{table.get('start', 0)}",
            TABLE_TITLES["stats"],
            _table_note(table),
            [BlockView(["数量"], rows)],
            0,
        )
    spec = SPECS.get((str(kind), str(table.get("version") or "2021")))
    if spec is None:
        return None
    cells = table.get("cells") or {}
    ambiguous = set(table.get("ambiguous") or [])
    blocks: list[BlockView] = []
    broken = 0
    for row in spec.rows:
        cols = row_cols(spec, row)
        headers = [c.label for c in cols]
        if not blocks or (row.value and blocks[-1].headers != headers and blocks[-1].headers):
            blocks.append(BlockView(headers if row.value else [], []))
        elif not blocks[-1].headers and row.value:
            blocks[-1].headers = headers
        level = 2 if row.group else (1 if row.key.startswith("results.") else 0)
        if not row.value:
            blocks[-1].rows.append(RowView(row.label, level, None))
            continue
        views = []
        for col in cols:
            key = f"{spec.kind}.{row.key}.{col.key}"
            view = _cell_view(key, cells.get(key), key in ambiguous, cell_rules.get(key, []))
            broken += "broken" in view.css
            views.append(view)
        blocks[-1].rows.append(RowView(row.label, level, views))
    version = f"{spec.version}年格式" if spec.kind != "table4" else ""
    title = TABLE_TITLES.get(spec.kind, spec.title)
    return TableView(
        f"tbl-{spec.kind}",
        title + (f"（{version}）" if version else ""),
        _table_note(table),
        blocks,
        broken,
    )


def _cell_view(
    key: str, cell: dict[str, Any] | None, ambiguous: bool, rules: list[FindingView]
) -> CellView:
    if cell is None:
        return CellView("", "missing", cell_anchor(key), "未识别到该单元格")
    raw = str(cell.get("raw") or "")
    css, title, link = [], [], ""
    if ambiguous:
        css.append("ambiguous")
        title.append("该数值的拆分不确定")
    if rules:
        css.append("broken")
        title.extend(f"{r.rule}：{r.title}" for r in rules)
        link = "#" + rules[0].anchor
    if not raw.strip():
        css.append("blank")
    return CellView(raw, " ".join(css), cell_anchor(key), "；".join(title), link)


def _table_note(table: dict[str, Any]) -> str:
    notes = []
    if table.get("source") == "flattened":
        notes.append("原文表格被压平为一串数字，本表由审查工具按表格结构还原")
    if table.get("unresolved"):
        notes.append(f"有 {len(table['unresolved'])} 行数字无法确定拆分")
    return "；".join(notes)


# --- batch index -----------------------------------------------------------------------------


@dataclass(slots=True)
class IndexRow:
    number: int
    file: str
    page: str
    title: str
    agency: str
    year: str
    kind: str
    status: str
    status_label: str
    score: str
    score_sort: float
    grade: str
    grade_class: str
    critical: int
    major: int
    message: str
    duplicate_of: str
    duplicate_page: str


@dataclass(slots=True)
class Bar:
    label: str
    sub: str
    count: int
    x: float
    y: float
    width: float
    height: float
    css: str


@dataclass(slots=True)
class IndexView:
    rows: list[IndexRow]
    total: int
    audited: int
    not_audited: list[IndexRow]
    duplicates: int
    mean_score: str
    grades: list[tuple[str, str, int]]  # (grade, css, count)
    statuses: list[tuple[str, str]]  # (code, label) present, for the filter
    score_bars: list[Bar]
    score_max: int
    rule_bars: list[Bar]
    chart_width: int
    rule_chart_height: int
    scoring: str
    ruleset_version: str
    ruleset_hash: str
    generated: str


CHART_WIDTH = 560
SCORE_CHART_HEIGHT = 180
RULE_ROW = 34


def index_view(
    summaries: list[dict[str, Any]], run_info: dict[str, Any], generated: str = ""
) -> IndexView:
    """The view model of the batch index."""
    pages = {s.get("source"): s.get("page") or "" for s in summaries}
    rows = [_index_row(i, s, pages) for i, s in enumerate(summaries, 1)]
    audited = [s for s in summaries if is_audited(s.get("status")) and not s.get("duplicate_of")]
    scores = [float(s["score"]) for s in audited if s.get("score") is not None]
    grades = Counter(s.get("grade") for s in audited)
    statuses = dict.fromkeys(r.status for r in rows)
    ruleset = run_info.get("ruleset") or {}
    return IndexView(
        rows=rows,
        total=len(rows),
        audited=sum(1 for r in rows if is_audited(r.status)),
        not_audited=[r for r in rows if not is_audited(r.status)],
        duplicates=sum(1 for r in rows if r.duplicate_of),
        mean_score=format_score(sum(scores) / len(scores)) if scores else "—",
        grades=[(g, GRADE_CLASSES[g], grades[g]) for g in GRADE_ORDER],
        statuses=[(code, status_label(code)) for code in statuses],
        score_bars=_score_bars(scores),
        score_max=max(Counter(_bin(s) for s in scores).values(), default=0),
        rule_bars=_rule_bars(audited),
        chart_width=CHART_WIDTH,
        rule_chart_height=max(1, len(_rule_counts(audited))) * RULE_ROW + 8,
        scoring=str(run_info.get("scoring") or ""),
        ruleset_version=str(ruleset.get("version") or "—"),
        ruleset_hash=str(ruleset.get("hash") or "—"),
        generated=generated,
    )


def _index_row(number: int, summary: dict[str, Any], pages: dict[Any, str]) -> IndexRow:
    counts = summary.get("counts") or {}
    status = str(summary.get("status") or "")
    duplicate = summary.get("duplicate_of")
    return IndexRow(
        number=number,
        file=file_name(summary.get("source")),
        page=str(summary.get("page") or ""),
        title=str(summary.get("title") or ""),
        agency=str(summary.get("agency") or "—"),
        year=str(summary.get("year") or "—"),
        kind=label(KIND_LABELS, summary.get("kind")) if status in READ else "—",
        status=status,
        status_label=status_label(status),
        score=format_score(summary.get("score")),
        score_sort=-1.0 if summary.get("score") is None else float(summary["score"]),
        grade=str(summary.get("grade") or "—"),
        grade_class=GRADE_CLASSES.get(summary.get("grade") or "", "none"),
        critical=int(counts.get("critical") or 0),
        major=int(counts.get("major") or 0),
        message=str(summary.get("message") or ""),
        duplicate_of=file_name(str(duplicate)) if duplicate else "",
        duplicate_page=pages.get(duplicate, "") if duplicate else "",
    )


def _bin(score: float) -> int:
    return min(int(score // 10), 9)


def _score_bars(scores: list[float]) -> list[Bar]:
    counts = Counter(_bin(s) for s in scores)
    top = max(counts.values(), default=0) or 1
    width = CHART_WIDTH / 10
    plot = SCORE_CHART_HEIGHT - 40
    bars = []
    for b in range(10):
        height = plot * counts[b] / top
        css = "poor" if b < 6 else "ok"
        bars.append(
            Bar(
                f"{b * 10}–{b * 10 + 10 if b < 9 else 100}",
                "",
                counts[b],
                b * width + 4,
                20 + plot - height,
                width - 8,
                height,
                css,
            )
        )
    return bars


def _rule_counts(summaries: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for summary in summaries:
        for f in summary.get("findings") or []:
            counts[f["rule"]] += 1
            titles[f["rule"]] = str(f.get("title") or "")
    return [(rule, titles[rule], n) for rule, n in counts.most_common(12)]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rule_bars(summaries: list[dict[str, Any]]) -> list[Bar]:
    counts = _rule_counts(summaries)
    top = max((n for *_, n in counts), default=1)
    left = 210
    return [
        Bar(
            rule,
            _shorten(title, 15),
            n,
            left,
            i * RULE_ROW + 4,
            (CHART_WIDTH - left - 40) * n / top,
            RULE_ROW - 8,
            "rule",
        )
        for i, (rule, title, n) in enumerate(counts)
    ]
