"""Tests for auditor.document.flattened: standard tables recovered from flattened digit runs.

The dev corpus (samples/206–215) is crawl text whose HTML tables were tag-stripped. Expected
figures are what a careful reader takes from each report (docs/samples/DEV_SOURCES.tsv); for
212 and 213 the page's own HTML (``*.body.html``) gives the true cells.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from auditor.document.flattened import recover
from auditor.document.model import Table
from auditor.document.normalise import normalise, normalise_fragment
from auditor.document.tableschema import SPECS, T4, all_keys, match_row, row_cols

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEV = {p.name[:3]: p for p in SAMPLES.glob("2[01]?_*.txt") if "NEG" not in p.name}
REPORTS_2019_ON = [k for k in sorted(DEV) if "206" <= k <= "215"]


def _text(num: str) -> str:
    return normalise(DEV[num].read_text(encoding="utf-8"))[0]


def _tables(num: str) -> dict[str, Table]:
    return {t.kind: t for t in recover(_text(num))}


# --- what a careful reader takes from each report (cells not listed are 0) ---------------

P, C, OT, T = "natural_person", "commercial", "other", "total"
EXPECTED_T3: dict[str, dict[str, int | None]] = {
    "206": {},
    "207": {},
    "208": {},
    # 209: the (七)总计 row is all 0 in the source although 2 applications were granted.
    "209": {f"new.{P}": 1, f"new.{OT}": 1, f"new.{T}": 2}
    | {f"results.granted.{P}": 1, f"results.granted.{OT}": 1, f"results.granted.{T}": 2},
    "210": {f"new.{P}": 5, f"new.{T}": 5, f"results.granted.{P}": 3, f"results.granted.{T}": 3}
    | {f"results.denied.enforcement.{P}": 2, f"results.denied.enforcement.{T}": 2}
    | {f"results.total.{P}": 5, f"results.total.{T}": 5}
    | {
        f"results.other.{row}.{col.key}": None
        for row in ("fee_unpaid", "other")
        for col in SPECS[("table3", "2021")].cols
    },
    "211": {f"new.{P}": 29, f"new.{C}": 1, f"new.{T}": 30}
    | {f"results.granted.{P}": 2, f"results.granted.{T}": 2}
    | {f"results.partial.{P}": 1, f"results.partial.{C}": 1, f"results.partial.{T}": 2}
    | {f"results.unable.not_held.{P}": 26, f"results.unable.not_held.{T}": 26}
    | {f"results.total.{P}": 29, f"results.total.{C}": 1, f"results.total.{T}": 30},
    "212": {f"new.{P}": 1, f"new.{T}": 1}
    | {f"results.unable.not_held.{P}": 1, f"results.unable.not_held.{T}": 1}
    | {f"results.total.{P}": 1, f"results.total.{T}": 1},
    "213": {f"new.{P}": 8, f"new.{T}": 8, f"results.granted.{P}": 4, f"results.granted.{T}": 4}
    | {f"results.denied.third_party.{P}": 1, f"results.denied.third_party.{T}": 1}
    | {f"results.unable.not_held.{P}": 2, f"results.unable.not_held.{T}": 2}
    | {f"results.not_processed.repeat.{P}": 1, f"results.not_processed.repeat.{T}": 1}
    | {f"results.total.{P}": 8, f"results.total.{T}": 8},
    "214": {f"new.{P}": 1, f"new.{T}": 1}
    | {f"results.not_processed.petition.{P}": 1, f"results.not_processed.petition.{T}": 1}
    | {f"results.total.{P}": 1, f"results.total.{T}": 1},
    "215": {f"new.{P}": 1, f"new.{T}": 1, f"results.granted.{P}": 1, f"results.granted.{T}": 1}
    | {f"results.total.{P}": 1, f"results.total.{T}": 1},
}
EXPECTED_T4: dict[str, dict[str, int]] = {
    "211": {"review.corrected": 1, "review.pending": 1, "review.total": 2},
    "212": {"litigation_direct.maintained": 3, "litigation_direct.pending": 1}
    | {"litigation_direct.total": 4}
    | {"litigation_after_review.maintained": 1, "litigation_after_review.total": 1},
    "214": {"review.other": 1, "review.total": 1},
}
# 213: row 四、结转下年度继续办理 has 6 digits for 7 cells (one HTML cell is empty).
EXPECTED_AMBIGUOUS_T3 = {
    "213": {f"table3.carried_out.{c.key}" for c in SPECS[("table3", "2021")].cols}
}


def _t4_keys() -> list[str]:
    return [f"table4.{g.key}.{c.key}" for g in T4.rows for c in T4.cols]


@pytest.mark.parametrize("num", REPORTS_2019_ON)
def test_table3_read_as_a_careful_reader_does(num: str) -> None:
    table = _tables(num)["table3"]
    text = _text(num)
    assert table.source == "flattened"
    assert table.version == ("2019" if num <= "209" else "2021")
    keys = SPECS[("table3", table.version)].keys()
    assert set(table.cells) | set(table.ambiguous) == set(keys)
    assert set(table.ambiguous) == EXPECTED_AMBIGUOUS_T3.get(num, set())
    assert not table.unresolved
    expected = EXPECTED_T3[num]
    for key, cell in table.cells.items():
        assert cell.value == expected.get(key.removeprefix("table3."), 0), key
        if cell.raw:
            assert text[cell.start : cell.end] == cell.raw, key
        else:
            assert cell.start == cell.end
    assert table.start <= min(c.start for c in table.cells.values())
    assert table.end >= max(c.end for c in table.cells.values())


@pytest.mark.parametrize("num", REPORTS_2019_ON)
def test_table4_read_as_a_careful_reader_does(num: str) -> None:
    table = _tables(num)["table4"]
    text = _text(num)
    assert set(table.cells) == set(_t4_keys())
    assert not table.ambiguous and not table.unresolved
    expected = EXPECTED_T4.get(num, {})
    for key, cell in table.cells.items():
        assert cell.value == expected.get(key.removeprefix("table4."), 0), key
        assert text[cell.start : cell.end] == cell.raw


# Table 二: settled cells (not listed: 0) and rows with several readings, per report.
EXPECTED_T2: dict[str, tuple[dict[str, int], set[str]]] = {
    "206": ({"procurement.count": 1, "procurement.amount": 246900}, {"licensing", "punishment"}),
    "207": ({}, {"other_services", "procurement"}),  # "033", "1018703元"
    "208": ({}, {"normative", "licensing", "fees", "procurement"}),  # 121212, 4800, 20, …
    "209": ({"coercion.change": 3}, {"normative", "licensing", "procurement"}),
    "210": ({"punishment.decisions": 211, "coercion.decisions": 42}, {"normative"}),
    "211": ({"licensing.decisions": 202, "punishment.decisions": 74}, {"normative"}),
    "212": ({"licensing.decisions": 1396, "punishment.decisions": 14}, {"normative"}),
    "213": ({"normative.in_force": 1}, set()),
    "214": ({"licensing.decisions": 77, "punishment.decisions": 204}, set()),
    "215": ({"licensing.decisions": 12, "punishment.decisions": 2}, {"normative"}),
}


@pytest.mark.parametrize("num", REPORTS_2019_ON)
def test_table2_cells_and_ambiguous_rows(num: str) -> None:
    table = _tables(num)["table2"]
    text = _text(num)
    values, ambiguous_rows = EXPECTED_T2[num]
    assert {k.split(".")[1] for k in table.ambiguous} == ambiguous_rows
    assert not table.unresolved
    for key, cell in table.cells.items():
        assert cell.value == values.get(key.removeprefix("table2."), 0), key
        assert text[cell.start : cell.end] == cell.raw, key


def test_table2_settles_only_what_the_structure_settles() -> None:
    t206 = _tables("206")["table2"]
    assert t206.version == "2019"
    assert t206.value("table2.procurement.count") == 1  # "1个246900元": units separate
    assert t206.value("table2.procurement.amount") == 246900
    for row in ("licensing", "punishment"):  # "215", "3000": several readings
        assert {f"table2.{row}.prev_count", f"table2.{row}.decisions"} <= set(t206.ambiguous)
    t209 = _tables("209")["table2"]
    for key in ("normative.new_made", "licensing.prev_count", "procurement.amount"):
        assert f"table2.{key}" in t209.ambiguous  # 2211, 0124, 4110669053
    assert [t209.value(f"table2.coercion.{c}") for c in ("prev_count", "change", "decisions")] == [
        0,
        3,
        0,
    ]
    t210 = _tables("210")["table2"]
    assert t210.version == "2021"
    assert t210.value("table2.punishment.decisions") == 211
    assert t210.value("table2.coercion.decisions") == 42
    assert "table2.normative.issued" in t210.ambiguous  # "6045"


def test_narrative_with_row_words_does_not_displace_the_table() -> None:
    text = _text("211")
    at = text.find("二、主动公开")
    text = text[:at] + "本年新收政府信息公开申请30件,上年结转政府信息公开申请0件。" + text[at:]
    table = next(t for t in recover(text) if t.kind == "table3")
    assert not table.ambiguous
    assert table.value("table3.new.natural_person") == 29
    assert table.start > at


def test_not_annual_report_tables_are_not_invented() -> None:
    for num in ("201", "202", "203", "204", "205"):
        assert recover(_text(num)) == [], num
    neg = next(SAMPLES.glob("216_NEG_*.txt"))
    assert recover(normalise(neg.read_text(encoding="utf-8"))[0]) == []


# --- the page's own HTML tables give the truth for 212 and 213 ---------------------------

_SPANNED = object()


def _html_grids(path: Path) -> list[list[list[object]]]:
    """Every <table> as a grid; cells covered by a row/col span hold ``_SPANNED``."""
    grids = []
    for table in html.fromstring(path.read_text(encoding="utf-8")).iter("table"):
        cells: dict[tuple[int, int], object] = {}
        for r, tr in enumerate(table.iter("tr")):
            c = 0
            for td in (e for e in tr if e.tag in ("td", "th")):
                while (r, c) in cells:
                    c += 1
                rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
                for dr in range(rs):
                    for dc in range(cs):
                        text = normalise_fragment("".join(td.itertext())).replace(" ", "")
                        cells[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else _SPANNED
                c += cs
        n_rows = max(r for r, _ in cells) + 1
        n_cols = max(c for _, c in cells) + 1
        grids.append([[cells.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)])
    return grids


def _value(text: object) -> int | None:
    return int(text) if isinstance(text, str) and text.isdigit() else None


def _truth(path: Path, version: str) -> dict[str, int | None]:
    """Canonical key → true value from the HTML tables 二, 三, 四 of a 2021-format page."""
    t2, t3, t4 = _html_grids(path)
    truth: dict[str, int | None] = {}
    spec2 = SPECS[("table2", version)]
    for row in t2:
        origin = [c for c in row if c is not _SPANNED]
        found = match_row(spec2, str(origin[0])) if origin else None
        if found is None or any(str(c) and not str(c).isdigit() for c in origin[1:]):
            continue
        for col, text in zip(row_cols(spec2, found), origin[1:], strict=False):
            truth[f"table2.{found.key}.{col.key}"] = _value(text)
    spec3 = SPECS[("table3", version)]
    index = 0
    for row in t3:
        labels = [str(c) for c in row[:-7] if c is not _SPANNED and str(c)]
        found = match_row(spec3, labels[-1], index) if labels else None
        if found is None or not found.value:
            continue
        index = spec3.rows.index(found) + 1
        for col, text in zip(spec3.cols, row[-7:], strict=True):
            truth[f"table3.{found.key}.{col.key}"] = _value(text)
    for key, text in zip(_t4_keys(), t4[-1], strict=True):
        truth[key] = _value(text)
    return truth


@pytest.mark.parametrize("num", ["212", "213"])
def test_recovered_cells_match_the_html_truth(num: str) -> None:
    page = next(SAMPLES.glob(f"{num}_*.body.html"))
    truth = _truth(page, "2021")
    tables = _tables(num)
    assert len([k for k in truth if k.startswith("table3.")]) == len(
        SPECS[("table3", "2021")].keys()
    )
    checked = 0
    for kind in ("table2", "table3", "table4"):
        table = tables[kind]
        for key, cell in table.cells.items():
            assert key in truth, key
            assert cell.value == truth[key], key
            checked += 1
        if kind != "table2":  # every cell of 三 and 四 is either recovered or flagged
            kind_keys = {k for k in truth if k.startswith(kind)}
            assert kind_keys == set(table.cells) | set(table.ambiguous)
    assert checked >= 150
    if num == "213":
        assert truth["table3.carried_out.commercial"] is None  # the empty HTML cell


# --- splitting under the table's constraints ------------------------------------------------

_T3_LABELS_2019 = [r.label for r in SPECS[("table3", "2019")].rows]
_T4_HEAD = (
    "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
    "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
)


def _t3_text(runs: dict[str, str]) -> str:
    """A flattened 2019-format table 三 with the given runs (all-zero rows otherwise)."""
    parts = ["三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计"]
    for row in SPECS[("table3", "2019")].rows:
        parts.append(row.label)
        if row.value:
            parts.append(runs.get(row.key, "0000000"))
    return "".join(parts) + _T4_HEAD + "000000000000000五、存在的主要问题"


def _t3(runs: dict[str, str]) -> Table:
    return next(t for t in recover(_t3_text(runs), "2019") if t.kind == "table3")


def _row(table: Table, row: str) -> list[int | float | None]:
    cols = SPECS[("table3", "2019")].cols
    return [table.value(f"table3.{row}.{c.key}") for c in cols]


def test_row_sum_settles_glued_cells() -> None:
    table = _t3({"new": "640020470", "carried_in": "10 0 0 012"})
    assert _row(table, "new") == [64, 0, 0, 2, 0, 4, 70]
    assert _row(table, "carried_in") == [1, 0, 0, 0, 0, 1, 2]
    assert "table3.new.total" not in table.ambiguous


def test_column_sums_settle_what_a_row_cannot() -> None:
    # "101000011" is 10,1,0,0,0,0,11 or 1,0,10,0,0,0,11: both add up within the row, but only
    # the first makes 本年新收 = 总计 = (一) 10 自然人 + (二) 1 商业企业.
    runs = {"new": "101000011", "results.total": "101000011"}
    runs |= {"results.granted": "100000010", "results.partial": "0100001"}
    table = _t3(runs)
    assert _row(table, "new") == [10, 1, 0, 0, 0, 0, 11]
    assert _row(table, "results.total") == [10, 1, 0, 0, 0, 0, 11]
    assert not table.ambiguous


def test_row_alone_stays_ambiguous_without_column_help() -> None:
    # Same run, but the other rows cannot tell the two readings apart.
    table = _t3({"new": "101000011", "results.total": "101000011", "results.granted": "101000011"})
    assert "table3.new.natural_person" in table.ambiguous
    assert table.value("table3.new.total") == 11  # every reading agrees on it
    assert table.value("table3.new.legal_service") == 0


def test_a_unique_reading_is_kept_even_when_its_sum_is_wrong() -> None:
    table = _t3({"new": "1000003"})  # 7 digits, 7 cells: the source's own (defective) total
    assert _row(table, "new") == [1, 0, 0, 0, 0, 0, 3]
    assert not table.unresolved


def test_blank_cell_row_is_ambiguous() -> None:
    table = _t3({"carried_out": "000000"})
    keys = {f"table3.carried_out.{c.key}" for c in SPECS[("table3", "2019")].cols}
    assert keys <= set(table.ambiguous)
    assert not keys & set(table.cells)


def test_digits_that_fit_no_split_are_unresolved() -> None:
    table = _t3({"new": "98765432198765432198765432198765432198765432199"})
    assert "table3.new" in table.unresolved
    assert "table3.new.total" in table.ambiguous
    assert "table3.new.total" not in table.cells


def test_table4_group_sums_choose_the_split() -> None:
    # "1200012" then ten zeros: 12,0,0,0,12 is the only reading whose groups add up.
    text = _T4_HEAD + "1200012" + "0" * 10 + "五、存在的主要问题"
    table = next(t for t in recover(text, "2021") if t.kind == "table4")
    assert [table.value(f"table4.review.{c.key}") for c in T4.cols] == [12, 0, 0, 0, 12]
    assert not table.ambiguous and not table.unresolved
    assert table.cells["table4.review.maintained"].raw == "12"


def test_table4_stray_zero_keeps_the_zeros_but_says_unresolved() -> None:
    text = _T4_HEAD + "0 00 0 0 0 0 00 00 0 00 00" + "五、存在的主要问题"  # 16 zeros, 15 cells
    table = next(t for t in recover(text, "2021") if t.kind == "table4")
    assert set(table.unresolved) == {f"table4.{g.key}" for g in T4.rows}
    assert all(table.value(k) == 0 for k in _t4_keys())


# --- never raises, spans stay inside the text -------------------------------------------------


def _check_bounds(text: str) -> None:
    keys = all_keys()
    for table in recover(text):
        assert 0 <= table.start <= table.end <= len(text)
        for key, cell in table.cells.items():
            assert key in keys
            assert 0 <= cell.start <= cell.end <= len(text)


_WORDS = ["本年新收", "上年结转", "总计", "复议后起诉", "规章", "行政许可", "2.", "(七)"]
_ALPHABET = st.sampled_from([*"0123456789 0000 ./-—个元\n", *_WORDS])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300) | st.lists(_ALPHABET, max_size=120).map("".join))
def test_arbitrary_text_never_raises(text: str) -> None:
    _check_bounds(text)


_REAL = _text("213")
_TABLE_REGION = (_REAL.find("二、主动公开"), _REAL.find("五、存在的主要问题"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(_TABLE_REGION[0], _TABLE_REGION[1]),
            st.integers(0, 3),
            st.text(alphabet="0123456789 总计", max_size=4),
        ),
        max_size=12,
    )
)
def test_mutated_real_tables_never_raise(edits: list[tuple[int, int, str]]) -> None:
    text = _REAL
    for pos, cut, insert in sorted(edits, reverse=True):
        text = text[:pos] + insert + text[pos + cut :]
    _check_bounds(text)


# --- shortcuts agree with the full search ---------------------------------------------

_RUN_TOKENS = st.one_of(
    st.from_regex(r"[0-9]{1,6}", fullmatch=True),
    st.sampled_from(["0", "00", "000000", "/", "—", "1.5", "+3", "-2", "12.25"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_RUN_TOKENS, max_size=9), st.sampled_from([1, 3, 7]), st.booleans())
def test_counting_and_shortcuts_agree_with_enumeration(
    tokens: list[str], width: int, blanks: bool
) -> None:
    from auditor.document import flattened as fl

    run = " ".join(tokens)
    toks = fl._tokens(run, 0, len(run))
    cols = [fl._Col(f"c{i}", signed=i == 0) for i in range(width)]
    every = fl._enumerate(toks, cols, len(run), fl._Budget(10**9), blanks=blanks)
    counter = fl._Splitter(toks, cols, len(run), blanks=blanks, relaxed=False)
    count = counter.count(fl.MAX_CANDIDATES + 1)
    if every is None:
        assert count > fl.MAX_CANDIDATES
        return
    assert count == len(every)
    if count == 1:
        assert counter.only() == every[0]
    obvious = None if blanks else fl._obvious(toks, cols)
    if obvious is not None:
        assert every == [obvious]


@pytest.mark.parametrize("num", sorted(DEV))
def test_remembered_readings_give_the_tables_a_fresh_reading_gives(num: str) -> None:
    from auditor.document import flattened

    text = _text(num)
    flattened._MEMO.clear()
    fresh = [repr(t) for t in recover(text)]
    again = [repr(t) for t in recover(text)]  # every run now read from the memo
    shifted = [repr(t) for t in recover("前言。\n" + text)]  # same runs, other offsets
    assert again == fresh
    flattened._MEMO.clear()
    assert shifted == [repr(t) for t in recover("前言。\n" + text)]
