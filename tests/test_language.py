"""Language detection from function words."""

from __future__ import annotations

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
