"""Normalisation: the one-translate fast path gives exactly what the general path gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.normalise import (
    _by_runs,
    _converter,
    _nfkc_and_space,
    _traditional,
    detect_script,
    normalise,
)

# Characters that exercise every whitespace and NFKC branch (no multi-character NFKC, so
# the fast path is really taken; "㈠" is added separately to check the fallback).
_ALPHABET = st.sampled_from(
    [
        *"a中1,。、“ \n\r\t（１",
        *("\u3000", "\u00a0", "\u200b", "\ufeff", "\u00ad"),
        *("\x0b", "\x0c", "\x01", "\x85", "\u2028", "\x1c"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_fast_path_matches_the_general_path(text: str) -> None:
    assert _nfkc_and_space(text) == _by_runs(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text_matches_the_general_path(text: str) -> None:
    assert _nfkc_and_space(text) == _by_runs(text)


def test_the_drop_mark_itself_takes_the_general_path() -> None:
    assert _nfkc_and_space("a\uffffb") == _by_runs("a\uffffb")


def test_whitespace_rules() -> None:
    text = "一、 概述\r\n  本机关 2023 年  共 公开 12 条 ， 见\u200b下表。 \n（一） Ab  cd "
    norm, offsets, _ = normalise(text)
    assert norm == "一、概述\n本机关2023年共公开12条,见下表。\n(一) Ab cd"
    assert text[offsets[norm.index("Ab cd") + 2]] == " "  # the kept space maps to a space
    assert offsets[-1] == len(text)


def test_expanding_characters_take_the_general_path() -> None:
    norm, offsets, _ = normalise("㈠ 主动公开")
    assert norm == "(一)主动公开"
    assert offsets[:3] == [0, 0, 0]


def test_the_traditional_class_holds_what_t2s_changes_and_nothing_it_keeps() -> None:
    traditional = _traditional()
    for ch in "資報機條辦關於門戶網際處費":
        assert traditional.match(ch), ch
    for ch in "资报机条办关于门户网处理费政府信息公开":
        assert not traditional.match(ch), ch


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="政府資訊信息公開公开報告报告機關机关辦理办理，。年", max_size=80))
def test_script_detection_skips_t2s_only_when_it_would_change_nothing(text: str) -> None:
    if not _traditional().search(text):
        assert _converter().convert(text) == text
        assert detect_script(text) == "hans"
