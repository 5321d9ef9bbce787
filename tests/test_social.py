from __future__ import annotations

import pytest

from msglint.channels.emoji import visible_length, visible_overflow
from msglint.channels.social import overflow_offset, url_spans, weighted_length


def test_280_ascii_characters_fit_and_281_do_not() -> None:
    assert weighted_length("a" * 280) == 280
    assert weighted_length("a" * 281) == 281
    assert overflow_offset("a" * 280) is None
    assert overflow_offset("a" * 281) == 280


def test_latin_greek_cyrillic_count_one() -> None:
    assert weighted_length("äöüß éñ ΩΣ Жд") == 13


def test_cjk_counts_two() -> None:
    assert weighted_length("日本語") == 6
    assert weighted_length("한국") == 4
    assert weighted_length("日" * 140) == 280
    assert weighted_length("日" * 141) == 282


@pytest.mark.parametrize(
    ("char", "weight"),
    [
        ("\u2000", 1),  # en quad: 8192
        ("\u200d", 1),  # zero width joiner: 8205
        ("\u200e", 2),  # left-to-right mark: 8206
        ("\u2010", 1),  # hyphen: 8208
        ("\u201e", 1),  # „ 8222
        ("\u2020", 2),  # dagger: 8224
        ("\u2032", 1),  # prime: 8242
        ("\u2037", 1),  # reversed triple prime: 8247
        ("\u2038", 2),  # caret: 8248
        ("\u10ff", 1),  # 4351
        ("\u1100", 2),  # 4352: Hangul Jamo
        ("€", 2),  # 8364
    ],
)
def test_range_boundaries_of_config_v3(char: str, weight: int) -> None:
    assert weighted_length(char) == weight


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "https://example.com/a/very/long/path/that/goes/on/and/on?with=query&and=more#frag",
        "http://x.de",
        "example.com/path",
        "www.example.org",
    ],
)
def test_url_counts_23(url: str) -> None:
    assert weighted_length(url) == 23
    assert weighted_length(f"Mehr: {url}.") == 6 + 23 + 1


def test_trailing_punctuation_is_not_part_of_the_url() -> None:
    text = "See https://example.com/x)."
    spans = list(url_spans(text))
    assert [text[s:e] for s, e in spans] == ["https://example.com/x"]


def test_email_addresses_and_abbreviations_are_not_urls() -> None:
    assert list(url_spans("max.mustermann@example.com")) == []
    assert list(url_spans("z.B. und u.a. sowie Danke.Bitte")) == []


@pytest.mark.parametrize(
    "emoji",
    [
        "😀",
        "👍🏽",  # skin tone
        "👨‍👩‍👧‍👦",  # ZWJ family
        "🇩🇪",  # flag
        "❤️",  # with presentation selector
        "#️⃣",  # keycap
        "🏴󠁧󠁢󠁳󠁣󠁴󠁿",  # subdivision flag (tag sequence)
        "🧑🏻‍💻",  # profession with skin tone
    ],
)
def test_emoji_sequence_counts_two(emoji: str) -> None:
    assert weighted_length(emoji) == 2
    assert weighted_length(f"ok {emoji}") == 5
    assert visible_length(emoji) == 1


def test_text_is_nfc_normalised_first() -> None:
    assert weighted_length("a\u0308") == weighted_length("ä") == 1


def test_visible_length_ignores_joiners_and_soft_hyphens() -> None:
    assert visible_length("Ver\u00adsand") == 7
    assert visible_length("a\u0308") == 1
    assert visible_overflow("abc👍🏽def", 4) == 5  # the emoji is two code points
    assert visible_overflow("abc", 3) is None
