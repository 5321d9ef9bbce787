"""Readability formulas from msglint's own counts, and msglint's 0-100 score."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msglint.text.readability import readability

GERMAN_TEXT = "Ihr Paket ist da. Wir wünschen Ihnen viel Freude."
ENGLISH_TEXT = "The cat sat on the mat. It was happy."


def test_german_counts_by_hand() -> None:
    result = readability(GERMAN_TEXT, "de")
    # Ihr Pa-ket ist da | Wir wün-schen Ih-nen viel Freu-de
    assert (result["sentences"], result["words"], result["syllables"]) == (2, 9, 13)
    assert result["long_words"] == 1  # wünschen
    assert result["polysyllables"] == 0


def test_german_formulas_by_hand() -> None:
    result = readability(GERMAN_TEXT, "de")
    asl, asw = 9 / 2, 13 / 9
    assert result["flesch_amstad"] == pytest.approx(180 - asl - 58.5 * asw, abs=0.01)
    assert result["flesch_amstad"] == pytest.approx(91.0, abs=0.01)
    assert result["lix"] == pytest.approx(4.5 + 100 / 9, abs=0.01)
    assert result["gsmog"] == pytest.approx(-2.0)
    ms, iw, es = 0.0, 100 / 9, 500 / 9
    wstf1 = 0.1935 * ms + 0.1672 * asl + 0.1297 * iw - 0.0327 * es - 0.875
    assert result["wiener_sachtextformel_1"] == pytest.approx(wstf1, abs=0.01)
    assert result["wiener_sachtextformel_2"] == pytest.approx(
        0.1682 * asl + 0.1373 * iw - 2.779, abs=0.01
    )
    assert result["wiener_sachtextformel_3"] == pytest.approx(0.1905 * asl - 1.1144, abs=0.01)
    assert result["wiener_sachtextformel_4"] == pytest.approx(0.2656 * asl - 1.693, abs=0.01)
    assert "flesch_reading_ease" not in result


def test_english_formulas_by_hand() -> None:
    result = readability(ENGLISH_TEXT, "en")
    assert (result["sentences"], result["words"], result["syllables"]) == (2, 9, 10)
    asl, asw = 4.5, 10 / 9
    assert result["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * asl - 84.6 * asw, 0.01)
    assert result["flesch_kincaid_grade"] == pytest.approx(0.39 * asl + 11.8 * asw - 15.59, 0.01)
    assert result["smog"] == pytest.approx(3.13, abs=0.01)
    assert result["lix"] == pytest.approx(4.5)
    assert "flesch_amstad" not in result


def test_smog_counts_polysyllables() -> None:
    result = readability("Your information is available immediately.", "en")
    # in-for-ma-tion, a-vail-a-ble, im-me-di-ate-ly
    assert result["polysyllables"] == 3
    assert result["smog"] == pytest.approx(1.043 * (30 * 3) ** 0.5 + 3.1291, abs=0.01)


EASIER_HARDER = [
    ("Ihr Paket ist da.", "Die Zustellung der Sendung erfolgte im Briefkasten des Empfängers."),
    (
        "Bitte zahlen Sie bis Freitag.",
        "Wir ersuchen Sie um Begleichung des ausstehenden Rechnungsbetrages innerhalb der Frist.",
    ),
    (
        "Wir haben Ihre Karte gesperrt, weil jemand dreimal die falsche PIN eingegeben hat.",
        "Aufgrund wiederholter Fehleingaben der persönlichen Identifikationsnummer wurde Ihre "
        "Debitkarte aus Sicherheitsgründen vorsorglich gesperrt.",
    ),
    (
        "Ihr Vertrag endet am 31. März. Sie müssen nichts tun.",
        "Sofern keine fristgerechte Verlängerungserklärung Ihrerseits erfolgt, endet das "
        "Vertragsverhältnis mit Ablauf des 31. März.",
    ),
    ("Die Kaution wird verrechnet.", "Vorsteuerabzugsberechtigung liegt vor."),
]


@pytest.mark.parametrize(("easier", "harder"), EASIER_HARDER)
def test_score_ranks_easier_text_higher(easier: str, harder: str) -> None:
    assert readability(easier, "de")["score"] > readability(harder, "de")["score"] + 5


def test_english_score_ranks_easier_text_higher() -> None:
    easy = "Your parcel is here. Enjoy!"
    hard = (
        "Notwithstanding the aforementioned contractual obligations, reimbursement of "
        "administrative expenditures shall be processed subsequently."
    )
    assert readability(easy, "en")["score"] > readability(hard, "en")["score"] + 20


def test_splitting_a_long_sentence_raises_the_score_plausibly() -> None:
    one = readability("Ihr Paket kommt morgen zwischen 10 und 12 Uhr, bitte seien Sie da.", "de")
    two = readability("Ihr Paket kommt morgen zwischen 10 und 12 Uhr. Bitte seien Sie da.", "de")
    assert 5 < two["score"] - one["score"] < 25


@pytest.mark.parametrize(
    ("text", "edited"),
    [
        ("Ihr Paket ist da.", "Ihr Paket ist jetzt da."),
        ("Vielen Dank.", "Vielen herzlichen Dank."),
        ("Danke!", "Danke schön!"),
        ("Your code is 123456.", "Your code is 123456 now."),
    ],
)
def test_score_is_stable_for_one_word_edits_of_short_texts(text: str, edited: str) -> None:
    language = "en" if text.startswith("Your") else "de"
    before, after = readability(text, language)["score"], readability(edited, language)["score"]
    assert abs(before - after) <= 12


def test_one_long_compound_moves_a_short_text_noticeably_but_not_wildly() -> None:
    before = readability("Ihr Code: 123456", "de")["score"]
    after = readability("Ihr Sicherheitscode: 123456", "de")["score"]
    assert 5 < before - after < 25


def test_short_plain_texts_score_high() -> None:
    for text in ("Vielen Dank.", "Ihr Paket ist da.", "Danke!"):
        assert readability(text, "de")["score"] >= 90


def test_score_is_clamped() -> None:
    monster = " ".join(["Haushaltskonsolidierungsmaßnahmenbeschleunigungsgesetz"] * 60) + "."
    assert readability(monster, "de")["score"] == 0.0
    assert readability("Ja.", "de")["score"] == 100.0


def test_empty_text() -> None:
    result = readability("", "de")
    assert result["score"] == 100.0
    assert result["words"] == 0
    assert "flesch_amstad" not in result


def test_urls_and_placeholders_count_as_one_average_word() -> None:
    short = readability("Infos unter x.de und {{ a }} hier.", "de")["score"]
    long = readability(
        "Infos unter https://www.example.com/de/kunden/hilfe?id=1234567890 und "
        "{{ customer.profile.first_name | default('Kundin') }} hier.",
        "de",
    )["score"]
    assert short == long


def test_more_sentences_of_the_same_kind_keep_the_score() -> None:
    one = readability("Ihr Paket ist da.", "de")["score"]
    three = readability("Ihr Paket ist da. Ihr Paket ist da. Ihr Paket ist da.", "de")["score"]
    assert abs(one - three) <= 3  # only the shrinkage of word shares differs


_PIECES = [
    "Ihr",
    "Paket",
    "kommt",
    "am",
    "3.",
    "Oktober",
    "Nr.",
    "5",
    "z. B.",
    "Kundenservicezentrum",
    "the",
    "e-mail",
    "https://x.de/a",
    "max@bank.de",
    "{x}",
    "😀",
    "…",
    "!",
    "?",
    ".",
    ",",
    "-",
    "–",
    "- ",
    "1. ",
    "•",
    "\n",
    "\n\n",
    " ",
    "\u00a0",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sampled_from(["de", "en"]))
def test_message_counts_equal_the_counts_of_its_sentences(pieces: list[str], lang: str) -> None:
    # readability() counts the text's words in one pass instead of each sentence's words;
    # that holds only while every sentence has a word and every word is in one sentence.
    from msglint.text.readability import count_text
    from msglint.text.segment import split_sentences

    text = " ".join(pieces)
    counts = count_text(split_sentences(text, lang), lang)
    result = readability(text, lang)
    assert (result["sentences"], result["words"], result["syllables"]) == (
        counts.sentences,
        counts.words,
        counts.syllables,
    )
    assert (result["long_words"], result["polysyllables"]) == (
        counts.long_words,
        counts.polysyllables,
    )
    if counts.sentences:
        assert result["characters_per_sentence"] == round(counts.characters / counts.sentences, 1)
