"""Language detection from function words."""

from __future__ import annotations

import re
import sys

import pytest

from msglint.text.language import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "Vielen Dank für Ihre Bestellung. Wir melden uns bald.",
        "Ihr Paket ist unterwegs und kommt morgen an.",
        "Hallo {{ name }}, Ihr Termin ist am Montag um 10 Uhr.",
        "Jetzt Newsletter abonnieren und sparen",
        "Bitte überprüfen Sie Ihre Angaben unter https://example.com/account/settings",
    ],
)
def test_german(text: str) -> None:
    assert detect_language(text) == "de"


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for your order. We will be in touch soon.",
        "Your package is on its way and will arrive tomorrow.",
        "Hi {{ name }}, your appointment is on Monday at 10 am.",
        "Save 20% today on all shoes in our store",
    ],
)
def test_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["", "Hallo", "Ihr Code: 1234", "OK", "{{ a }} {{ b }} 123 456"])
def test_too_little_text_gives_none(text: str) -> None:
    assert detect_language(text) is None


def _classes(text: str) -> str:
    return re.sub(r"[^\W\d_]", "a", re.sub(r"[^'\w]|[\d_]", "x", text))


def test_lowering_the_text_keeps_its_words() -> None:
    # detect_language lower-cases whole texts without "İ" or "Σ" instead of each word: every
    # other character must lower-case to one character, a letter exactly if it was one.
    chars = "".join(
        chr(c)
        for c in range(sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF and chr(c) not in "İΣ"
    )
    lowered = chars.lower()
    assert len(lowered) == len(chars)
    assert lowered == "".join(map(str.lower, chars))
    assert _classes(lowered) == _classes(chars)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İstanbul İst İ is the city and the best of the world", "en"),
        ("ΟΔΟΣ ΣΑΣ the and of to in Σ", "en"),
        ("DIE ΣTRAßE UND DER WEG İST DAS ZIEL", "de"),
    ],
)
def test_dotted_capital_i_and_sigma(text: str, expected: str) -> None:
    assert detect_language(text) == expected
