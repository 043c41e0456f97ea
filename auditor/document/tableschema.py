"""The standard tables 二, 三 and 四 of the 2019 and 2021 report formats.

Each table is described by its rows (canonical key + label pattern) and its columns
(canonical key + label pattern). A cell's canonical key is ``<table>.<row>.<col>``, e.g.
``table3.new.total`` or ``table4.review.corrected``; table 二 rows name their own columns.

Label patterns run on *normalised* text (NFKC, so brackets are ASCII "(" ")") with all
whitespace removed, and tolerate typos seen in real reports (e.g. "其他法律行政止公开").
Source: ``regulations.md`` §2.3–2.5 and §3.3–3.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex


@dataclass(frozen=True, slots=True)
class RowSpec:
    key: str
    label: str  # official wording
    pattern: str  # regex on the whitespace-free normalised label
    group: str | None = None  # label of the row group it belongs to ("(三)不予公开")
    value: bool = True  # False for label-only group rows


@dataclass(frozen=True, slots=True)
class ColSpec:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class TableSpec:
    kind: str  # table2 | table3 | table4
    version: str  # 2019 | 2021
    title: str
    rows: tuple[RowSpec, ...]
    cols: tuple[ColSpec, ...]  # data columns in order (table 二: per row, see ROW_COLS)

    def keys(self) -> list[str]:
        out = []
        for row in self.rows:
            if not row.value:
                continue
            for col in row_cols(self, row):
                out.append(f"{self.kind}.{row.key}.{col.key}")
        return out


# --- table 三 ----------------------------------------------------------------------------

T3_COLS = (
    ColSpec("natural_person", "自然人"),
    ColSpec("commercial", "商业企业"),
    ColSpec("research", "科研机构"),
    ColSpec("social_welfare", "社会公益组织"),
    ColSpec("legal_service", "法律服务机构"),
    ColSpec("other", "其他"),
    ColSpec("total", "总计"),
)

_T3_HEAD = (
    RowSpec("new", "一、本年新收政府信息公开申请数量", r"本年新收"),
    RowSpec("carried_in", "二、上年结转政府信息公开申请数量", r"上年结转"),
    RowSpec("results", "三、本年度办理结果", r"本年度办理结果", value=False),
    RowSpec("results.granted", "(一)予以公开", r"予以公开"),
    RowSpec("results.partial", "(二)部分公开", r"部分公开"),
    RowSpec("results.denied", "(三)不予公开", r"不予公开$", value=False),
    RowSpec("results.denied.state_secret", "1.属于国家秘密", r"国家秘密", "denied"),
    RowSpec(
        "results.denied.law_forbidden",
        "2.其他法律行政法规禁止公开",
        r"法律.{0,4}(?:法规|止)|禁止公开",
        "denied",
    ),
    RowSpec("results.denied.three_safety", "3.危及“三安全一稳定”", r"三安全|一稳定", "denied"),
    RowSpec("results.denied.third_party", "4.保护第三方合法权益", r"第三方", "denied"),
    RowSpec("results.denied.internal", "5.属于三类内部事务信息", r"内部事务", "denied"),
    RowSpec("results.denied.process", "6.属于四类过程性信息", r"过程性", "denied"),
    RowSpec("results.denied.enforcement", "7.属于行政执法案卷", r"执法案卷", "denied"),
    RowSpec("results.denied.inquiry", "8.属于行政查询事项", r"查询事项", "denied"),
    RowSpec("results.unable", "(四)无法提供", r"无法提供$", value=False),
    RowSpec("results.unable.not_held", "1.本机关不掌握相关政府信息", r"不掌握", "unable"),
    RowSpec(
        "results.unable.needs_creation",
        "2.没有现成信息需要另行制作",
        r"另行制作|没有现成",
        "unable",
    ),
    RowSpec("results.unable.unclear", "3.补正后申请内容仍不明确", r"仍不明确|补正后", "unable"),
    RowSpec("results.not_processed", "(五)不予处理", r"不予处理$", value=False),
    RowSpec(
        "results.not_processed.petition", "1.信访举报投诉类申请", r"信访|举报投诉", "not_processed"
    ),
    RowSpec("results.not_processed.repeat", "2.重复申请", r"^\d?\.?重复申请", "not_processed"),
    RowSpec(
        "results.not_processed.publication", "3.要求提供公开出版物", r"出版物", "not_processed"
    ),
    RowSpec("results.not_processed.bulk", "4.无正当理由大量反复申请", r"大量反复", "not_processed"),
    RowSpec(
        "results.not_processed.confirm",
        "5.要求行政机关确认或重新出具已获取信息",
        r"确认或重新出具|重新出具",
        "not_processed",
    ),
)

_T3_TAIL = (
    RowSpec("results.total", "(七)总计", r"^\(?七\)?总计|^总计$"),
    RowSpec("carried_out", "四、结转下年度继续办理", r"结转下年度"),
)

T3_2019 = TableSpec(
    "table3",
    "2019",
    "收到和处理政府信息公开申请情况",
    (*_T3_HEAD, RowSpec("results.other", "(六)其他处理", r"其他处理"), *_T3_TAIL),
    T3_COLS,
)

T3_2021 = TableSpec(
    "table3",
    "2021",
    "收到和处理政府信息公开申请情况",
    (
        *_T3_HEAD,
        RowSpec("results.other", "(六)其他处理", r"其他处理$", value=False),
        RowSpec(
            "results.other.no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            r"逾期不补正|不补正",
            "other",
        ),
        RowSpec(
            "results.other.fee_unpaid",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            r"收费通知|缴纳费用",
            "other",
        ),
        RowSpec("results.other.other", "3.其他", r"^\d?\.?其他$", "other"),
        *_T3_TAIL,
    ),
    T3_COLS,
)

# Rows whose sum is （七）总计 (T3-3), per version.
T3_RESULT_PARTS = {
    spec.version: [
        r.key
        for r in spec.rows
        if r.value and r.key.startswith("results.") and r.key != "results.total"
    ]
    for spec in (T3_2019, T3_2021)
}

# --- table 四 ----------------------------------------------------------------------------

T4_COLS = (
    ColSpec("maintained", "结果维持"),
    ColSpec("corrected", "结果纠正"),
    ColSpec("other", "其他结果"),
    ColSpec("pending", "尚未审结"),
    ColSpec("total", "总计"),
)
T4_GROUPS = (
    RowSpec("review", "行政复议", r"行政复议"),
    RowSpec("litigation_direct", "行政诉讼·未经复议直接起诉", r"未经复议直接起诉|直接起诉"),
    RowSpec("litigation_after_review", "行政诉讼·复议后起诉", r"复议后起诉"),
)
T4 = TableSpec("table4", "2019", "政府信息公开行政复议、行政诉讼情况", T4_GROUPS, T4_COLS)

# --- table 二 ----------------------------------------------------------------------------
# Table 二 has blocks with their own columns; ROW_COLS gives each row's columns.

T2_2021_ROWS = (
    RowSpec("rules", "规章", r"^规章$"),
    RowSpec("normative", "行政规范性文件", r"规范性文件"),
    RowSpec("licensing", "行政许可", r"行政许可"),
    RowSpec("punishment", "行政处罚", r"行政处罚"),
    RowSpec("coercion", "行政强制", r"行政强制"),
    RowSpec("fees", "行政事业性收费", r"行政事业性收费"),
)
T2_2019_ROWS = (
    RowSpec("rules", "规章", r"^规章$"),
    RowSpec("normative", "规范性文件", r"规范性文件"),
    RowSpec("licensing", "行政许可", r"行政许可"),
    RowSpec("other_services", "其他对外管理服务事项", r"其他对外管理服务事项|对外管理服务"),
    RowSpec("punishment", "行政处罚", r"行政处罚"),
    RowSpec("coercion", "行政强制", r"行政强制"),
    RowSpec("fees", "行政事业性收费", r"行政事业性收费"),
    RowSpec("procurement", "政府集中采购", r"政府集中采购|集中采购"),
)

_C = ColSpec
T2_2021_COLS = {
    "rules": (
        _C("issued", "本年制发件数"),
        _C("repealed", "本年废止件数"),
        _C("in_force", "现行有效件数"),
    ),
    "normative": (
        _C("issued", "本年制发件数"),
        _C("repealed", "本年废止件数"),
        _C("in_force", "现行有效件数"),
    ),
    "licensing": (_C("decisions", "本年处理决定数量"),),
    "punishment": (_C("decisions", "本年处理决定数量"),),
    "coercion": (_C("decisions", "本年处理决定数量"),),
    "fees": (_C("amount", "本年收费金额(单位:万元)"),),
}
_T2_19_MADE = (
    _C("new_made", "本年新制作数量"),
    _C("new_published", "本年新公开数量"),
    _C("total_published", "对外公开总数量"),
)
_T2_19_ITEMS = (
    _C("prev_count", "上一年项目数量"),
    _C("change", "本年增/减"),
    _C("decisions", "处理决定数量"),
)
T2_2019_COLS = {
    "rules": _T2_19_MADE,
    "normative": _T2_19_MADE,
    "licensing": _T2_19_ITEMS,
    "other_services": _T2_19_ITEMS,
    "punishment": _T2_19_ITEMS,
    "coercion": _T2_19_ITEMS,
    "fees": (_C("prev_count", "上一年项目数量"), _C("change", "本年增/减")),
    "procurement": (_C("count", "采购项目数量"), _C("amount", "采购总金额")),
}

T2_2021 = TableSpec("table2", "2021", "主动公开政府信息情况", T2_2021_ROWS, ())
T2_2019 = TableSpec("table2", "2019", "主动公开政府信息情况", T2_2019_ROWS, ())

ROW_COLS = {("table2", "2021"): T2_2021_COLS, ("table2", "2019"): T2_2019_COLS}

# Markers that tell the 2019 format from the 2021 format (regulations.md §7).
MARKERS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期未按收费通知")
MARKERS_2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "上一年项目数量",
    "其他对外管理服务事项",
    "政府集中采购",
)

SPECS = {
    ("table2", "2019"): T2_2019,
    ("table2", "2021"): T2_2021,
    ("table3", "2019"): T3_2019,
    ("table3", "2021"): T3_2021,
    ("table4", "2019"): T4,
    ("table4", "2021"): T4,
}


def row_cols(spec: TableSpec, row: RowSpec) -> tuple[ColSpec, ...]:
    """The data columns of a row (table 二 rows have their own)."""
    per_row = ROW_COLS.get((spec.kind, spec.version))
    return per_row[row.key] if per_row else spec.cols


_SPACES = regex.compile(r"\s+")
_NUMBERING = regex.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")


@cache
def compiled(pattern: str) -> regex.Pattern[str]:
    """A row or column pattern, compiled once per process."""
    return regex.compile(pattern)


def match_row(spec: TableSpec, label: str, start: int = 0) -> RowSpec | None:
    """The first row spec (from index ``start``) whose pattern matches a label."""
    flat = _SPACES.sub("", label)
    for row in spec.rows[start:]:
        if compiled(row.pattern).search(flat):
            return row
    return None


_SHORT_ROWS = {
    "new": "本年新收",
    "carried_in": "上年结转",
    "results.total": "办理结果总计",
    "carried_out": "结转下年度",
}


def _short(label: str) -> str:
    """An official row label without its numbering: "(三)不予公开" → "不予公开"."""
    return _NUMBERING.sub("", label)


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    """table kind → {row, column or group key → Chinese label}."""
    labels: dict[str, dict[str, str]] = {}
    for spec in SPECS.values():
        table = labels.setdefault(spec.kind, {})
        for row in spec.rows:
            table.setdefault(row.key, _SHORT_ROWS.get(row.key, _short(row.label)))
            for col in row_cols(spec, row):
                table.setdefault(col.key, col.label)
    return labels


def part_label(part: str, table: str | None = None) -> str:
    """Chinese label of a row, column or group key ("natural_person" → "自然人"), looked up
    in ``table`` first (column keys such as "other" differ between tables)."""
    tables = _labels()
    if table in tables and part in tables[table]:
        return tables[table][part]
    return next((t[part] for t in tables.values() if part in t), part)


def key_label(key: str) -> str | None:
    """Chinese label of a canonical cell key, e.g. "table3.new.natural_person" →
    "表三 本年新收·自然人"; None for keys that are not table cells."""
    table, _, rest = key.partition(".")
    if table not in ("table2", "table3", "table4") or "." not in rest:
        return None
    row, _, col = rest.rpartition(".")
    name = {"table2": "表二", "table3": "表三", "table4": "表四"}[table]
    return f"{name} {part_label(row, table)}·{part_label(col, table)}"


def all_keys() -> set[str]:
    """Every canonical cell key of every standard table."""
    keys: set[str] = set()
    for spec in SPECS.values():
        keys.update(spec.keys())
    return keys
