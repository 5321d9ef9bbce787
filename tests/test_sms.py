from __future__ import annotations

import pytest

from msglint.channels.sms import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    GSM_REPLACEMENTS,
    analyse_sms,
    capacity,
    count_sms_segments,
    gsm7_units,
    is_gsm7,
    overflow_offset,
    replace_for_gsm,
)


def test_empty_text_needs_no_segment() -> None:
    assert analyse_sms("").segments == 0
    assert analyse_sms("").encoding == "GSM-7"


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)],
)
def test_gsm7_segment_boundaries(length: int, segments: int) -> None:
    result = analyse_sms("a" * length)
    assert result.encoding == "GSM-7"
    assert result.units == length
    assert result.segments == segments


@pytest.mark.parametrize(
    ("length", "segments"),
    [(70, 1), (71, 2), (134, 2), (135, 3)],
)
def test_ucs2_segment_boundaries(length: int, segments: int) -> None:
    result = analyse_sms("Ж" * length)
    assert result.encoding == "UCS-2"
    assert result.units == length
    assert result.segments == segments


def test_german_letters_and_gsm_specials_are_basic_gsm7() -> None:
    text = "äöüÄÖÜß éèùìò Ç Øø Åå Ææ É ñÑ § ¿¡ £¥ @$_ ΔΦΓΛΩΠΨΣΘΞ ¤ à\n\r"
    assert is_gsm7(text)
    assert all(gsm7_units(c) == 1 for c in text)
    assert analyse_sms(text).units == len(text)


def test_basic_table_has_127_characters_and_extension_nine_plus_form_feed() -> None:
    assert len(GSM7_BASIC) == 127  # 128 codes minus the escape
    assert set("\f^{}\\[~]|€") == set(GSM7_EXTENSION)
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize("char", list("^{}\\[~]|€\f"))
def test_extension_characters_count_two_septets(char: str) -> None:
    assert analyse_sms(char).units == 2
    assert analyse_sms("a" + char).encoding == "GSM-7"


def test_euro_sign_counts_two_so_80_euros_fill_one_sms() -> None:
    full = analyse_sms("€" * 80)
    assert (full.encoding, full.units, full.segments) == ("GSM-7", 160, 1)
    over = analyse_sms("€" * 80 + "a")
    assert (over.units, over.segments) == (161, 2)


def test_escape_pair_is_never_split_across_segments() -> None:
    # 306 septets would fit two segments, but the € at position 153 cannot be split.
    text = "a" * 152 + "€" + "a" * 152
    result = analyse_sms(text)
    assert result.units == 306
    assert result.segments == 3
    # Without the boundary problem the same length fits into two.
    assert analyse_sms("€" + "a" * 304).segments == 2


def test_surrogate_pair_is_never_split_across_segments() -> None:
    text = "Ж" * 66 + "😀" + "Ж" * 66
    result = analyse_sms(text)
    assert result.encoding == "UCS-2"
    assert result.units == 134  # the emoji is two UTF-16 code units
    assert result.segments == 3
    assert analyse_sms("😀" + "Ж" * 132).segments == 2


def test_emoji_counts_two_utf16_units() -> None:
    assert analyse_sms("😀").units == 2
    assert analyse_sms("😀" * 35).segments == 1
    assert analyse_sms("😀" * 35 + "a").segments == 2


def test_german_quotes_force_ucs2_and_replacement_restores_gsm7() -> None:
    text = "Ihr Paket „Sommer“ ist da – bis morgen…"
    result = analyse_sms(text)
    assert result.encoding == "UCS-2"
    assert [c for _, c in result.chars_forcing_ucs2] == ["„", "“", "–", "…"]
    assert all(text[i] == c for i, c in result.chars_forcing_ucs2)
    fixed = replace_for_gsm(text)
    assert fixed == 'Ihr Paket "Sommer" ist da - bis morgen...'
    assert analyse_sms(fixed).encoding == "GSM-7"


def test_typographic_quotes_dashes_and_spaces_have_replacements() -> None:
    expected = {
        "„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'",
        "…": "...", "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
        "\u00ad": "", "´": "'", "`": "'", "•": "-",
    }  # fmt: skip
    for char, replacement in expected.items():
        assert GSM_REPLACEMENTS[char] == replacement, char


def test_replacement_pack_maps_non_gsm_characters_to_gsm_text() -> None:
    assert len(GSM_REPLACEMENTS) > 20
    for char, replacement in GSM_REPLACEMENTS.items():
        assert len(char) == 1
        assert not is_gsm7(char), char
        assert is_gsm7(replacement), char


def test_replacement_does_not_touch_letters_without_gsm_form() -> None:
    assert replace_for_gsm("Łódź") == "Łódź"


def test_count_sms_segments_matches_analysis() -> None:
    assert count_sms_segments("a" * 161) == 2


@pytest.mark.parametrize(
    ("text", "max_segments", "offset"),
    [
        ("a" * 160, 1, None),
        ("a" * 161, 1, 160),
        ("a" * 306, 2, None),
        ("a" * 307, 2, 306),
        ("a" * 152 + "€" + "a" * 152, 2, 304),
        ("Ж" * 71, 1, 70),
        ("Ж" * 135, 2, 134),
    ],
)
def test_overflow_offset_is_first_character_beyond_the_limit(
    text: str, max_segments: int, offset: int | None
) -> None:
    assert overflow_offset(text, max_segments) == offset


def test_capacity_per_encoding() -> None:
    assert capacity("GSM-7", 1) == 160
    assert capacity("GSM-7", 3) == 459
    assert capacity("UCS-2", 1) == 70
    assert capacity("UCS-2", 2) == 134
