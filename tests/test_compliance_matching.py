from __future__ import annotations

from compliance_helpers import OPTOUT_V3
from msglint.compliance.matching import (
    ApprovedText,
    TextIndex,
    find_approved,
    find_pattern,
    find_phrase,
    normalise,
)
from msglint.compliance.packs import compile_regex


def test_normalise_strips_markup_entities_soft_hyphens_and_unifies_quotes() -> None:
    raw = "<p>Sie\u00a0k&ouml;nnen\n  <b>jeder\u00adzeit</b> \u201ewidersprechen\u201c.</p>"
    assert normalise(raw).text == 'Sie können jederzeit "widersprechen".'


def test_normalised_offsets_point_back_into_the_source() -> None:
    raw = "a  <b>bold</b>   word"
    norm = normalise(raw)
    start = norm.text.index("bold")
    assert raw[slice(*norm.source_range(start, start + 4))] == "bold"


def test_replaced_characters_map_to_their_whole_source() -> None:
    raw = "<p>Preis\u00a0&ndash;\n\n\u201eab\u201c\u2026 <!-- x -->Ende</p>"
    norm = normalise(raw)
    assert norm.text == 'Preis - "ab"... Ende'
    assert raw[slice(*norm.source_range(6, 7))] == "&ndash;"
    assert raw[slice(*norm.source_range(7, 8))] == "\n"
    assert raw[slice(*norm.source_range(12, 15))] == "\u2026"
    assert raw[slice(*norm.source_range(0, len(norm.text)))] == raw[3:-4]


def test_rewrapped_text_is_an_exact_match_with_span() -> None:
    text = (
        "Hallo,\n\n" + OPTOUT_V3.replace(" Ihrer ", "\nIhrer ").replace(", ", ",\n   ") + "\nEnde"
    )
    [match] = find_approved(TextIndex(text), ApprovedText(OPTOUT_V3))
    assert match.exact
    assert text[match.start : match.end].startswith("Sie können")
    assert text[match.start : match.end].endswith("entstehen.")


def test_index_limited_to_the_blocks_anchors_finds_the_same() -> None:
    approved = ApprovedText(OPTOUT_V3)
    for text in (
        "Hallo Max,\n\n" + OPTOUT_V3.replace("jederzeit", "nicht") + " Gruß",
        "Hallo {{ name }}, " + OPTOUT_V3 + " E-Mail: info@example.com",
    ):
        limited = TextIndex(text, approved.anchors)
        assert set(limited.positions) <= approved.anchors
        [match] = find_approved(limited, approved)
        assert match == find_approved(TextIndex(text), approved)[0]
        assert text[match.start : match.end].startswith("Sie können")
        assert text[match.start : match.end].endswith("entstehen.")


def test_one_changed_word_is_named() -> None:
    text = OPTOUT_V3.replace("jederzeit", "nicht")
    [match] = find_approved(TextIndex(text), ApprovedText(OPTOUT_V3))
    assert not match.exact
    assert match.changes == ("'jederzeit' changed to 'nicht'",)


def test_missing_words_are_named() -> None:
    text = OPTOUT_V3.replace(" nach den Basistarifen", "")
    [match] = find_approved(TextIndex(text), ApprovedText(OPTOUT_V3))
    assert match.changes == ("missing: 'nach den Basistarifen'",)


def test_placeholder_matches_sample_value_or_placeholder() -> None:
    approved = ApprovedText("Newsletter abbestellen: {{ unsubscribe_url }} – jederzeit.")
    for text in (
        "Newsletter abbestellen: https://example.com/u?id=1 – jederzeit.",
        "Newsletter abbestellen: {{ url }} – jederzeit.",
        "Newsletter abbestellen: hier klicken – jederzeit.",
    ):
        [match] = find_approved(TextIndex(text), approved)
        assert match.exact, text


def test_unrelated_text_is_not_a_candidate() -> None:
    text = "Ihre Bestellung ist unterwegs. Sie können sie jederzeit verfolgen."
    assert find_approved(TextIndex(text), ApprovedText(OPTOUT_V3)) == []


def test_two_occurrences_are_both_found() -> None:
    text = OPTOUT_V3 + "\n\nMehr Text hier.\n\n" + OPTOUT_V3
    assert len(find_approved(TextIndex(text), ApprovedText(OPTOUT_V3))) == 2


def test_phrase_matches_whole_words_across_line_breaks_case_insensitive() -> None:
    index = TextIndex("Eine GARANTIERTE\nRendite! Keine garantierterendite.")
    assert len(find_phrase(index, "garantierte Rendite")) == 1
    assert find_phrase(TextIndex("risikofreie Anlage"), "risikofrei") == []


def test_pathological_regex_runs_in_linear_time() -> None:
    pattern = compile_regex("(a+)+$")
    text = "a" * 50_000 + "b"
    assert find_pattern(TextIndex(text), pattern) == []
