"""Tokenizer and sentence splitter for German and English customer text."""

from __future__ import annotations

import pytest

from msglint.text.segment import Sentence, Token, split_sentences, tokenize


def sentences(text: str, language: str = "de") -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, language)]


def kinds(text: str, language: str = "de") -> list[tuple[str, str]]:
    return [(t.text, t.kind) for t in tokenize(text, language)]


GERMAN_ABBREVIATIONS = [
    "z. B.",
    "z.B.",
    "Z. B.",
    "u. a.",
    "d. h.",
    "ggf.",
    "bzw.",
    "ca.",
    "Nr.",
    "inkl.",
    "zzgl.",
    "Tel.",
    "Str.",
    "evtl.",
    "i. d. R.",
    "o. Ä.",
    "vgl.",
    "Dr.",
    "Fr.",
    "Hr.",
    "Mio.",
]
ENGLISH_ABBREVIATIONS = [
    "e.g.",
    "i.e.",
    "Mr.",
    "Mrs.",
    "Dr.",
    "vs.",
    "approx.",
    "incl.",
    "Ms.",
    "St.",
    "Prof.",
]


@pytest.mark.parametrize("abbreviation", GERMAN_ABBREVIATIONS)
def test_german_abbreviation_does_not_end_the_sentence(abbreviation: str) -> None:
    text = f"Wir prüfen {abbreviation} Angaben zum Konto. Danke!"
    assert sentences(text) == [f"Wir prüfen {abbreviation} Angaben zum Konto.", "Danke!"]
    assert (abbreviation, "word") in kinds(text)


@pytest.mark.parametrize("abbreviation", ENGLISH_ABBREVIATIONS)
def test_english_abbreviation_does_not_end_the_sentence(abbreviation: str) -> None:
    text = f"We check {abbreviation} Smith and your details. Thanks!"
    assert sentences(text, "en") == [f"We check {abbreviation} Smith and your details.", "Thanks!"]


def test_enumeration_abbreviation_can_end_a_sentence() -> None:
    assert sentences("Wir liefern Hosen, Hemden usw. Bitte wählen Sie.") == [
        "Wir liefern Hosen, Hemden usw.",
        "Bitte wählen Sie.",
    ]
    assert sentences("We sell shirts, shoes etc. Order now.", "en") == [
        "We sell shirts, shoes etc.",
        "Order now.",
    ]
    assert sentences("Preis 19,99 € inkl. MwSt. Jetzt bestellen!") == [
        "Preis 19,99 € inkl. MwSt.",
        "Jetzt bestellen!",
    ]
    assert sentences("We open at 9 a.m. Please come early.", "en") == [
        "We open at 9 a.m.",
        "Please come early.",
    ]


def test_usw_before_lower_case_or_a_noun_continues() -> None:
    assert len(sentences("Hosen, Hemden usw. sind reduziert.")) == 1
    assert len(sentences("Für Hosen, Hemden usw. Gutscheine einlösen.")) == 1
    assert len(sentences("Wir prüfen u. a. Ihre Angaben.")) == 1


def test_abbreviations_before_numbers_only() -> None:
    assert sentences("Nach Art. 6 DSGVO gilt das. Das ist eine Art. Neu ist das.") == [
        "Nach Art. 6 DSGVO gilt das.",
        "Das ist eine Art.",
        "Neu ist das.",
    ]
    assert sentences("Your order No. 5 is here. The answer is No. We are sorry.", "en") == [
        "Your order No. 5 is here.",
        "The answer is No.",
        "We are sorry.",
    ]


def test_street_compound_abbreviation() -> None:
    assert sentences("Hauptstr. 5, 12345 Berlin. Kommen Sie vorbei.") == [
        "Hauptstr. 5, 12345 Berlin.",
        "Kommen Sie vorbei.",
    ]


def test_short_sentence_vielen_dank_is_its_own_sentence() -> None:
    assert sentences("Vielen Dank. Ihre Bestellung ist da.") == [
        "Vielen Dank.",
        "Ihre Bestellung ist da.",
    ]
    assert sentences("Vielen Dank.") == ["Vielen Dank."]


@pytest.mark.parametrize(
    "date", ["31.12.2026", "3. Oktober", "1. Jan.", "31.12.", "15. Mai 2026", "2. Versuch"]
)
def test_german_dates_and_ordinals_stay_in_the_sentence(date: str) -> None:
    text = f"Wir melden uns am {date} bei Ihnen. Danke."
    assert sentences(text) == [f"Wir melden uns am {date} bei Ihnen.", "Danke."]


def test_ordinal_number_is_one_token() -> None:
    assert ("3.", "number") in kinds("Am 3. Oktober ist frei.")
    assert ("31.12.2026", "number") in kinds("bis 31.12.2026 zahlen")


def test_number_at_sentence_end_before_function_word_ends_the_sentence() -> None:
    assert sentences("Zahlen Sie bis zum 15. Danach fällt eine Gebühr an.") == [
        "Zahlen Sie bis zum 15.",
        "Danach fällt eine Gebühr an.",
    ]
    assert sentences("Sie haben 3. Bitte prüfen Sie das.") == [
        "Sie haben 3.",
        "Bitte prüfen Sie das.",
    ]


def test_english_ordinals() -> None:
    assert ("1st", "number") in kinds("on the 1st of May", "en")
    assert ("23rd", "number") in kinds("until the 23rd.", "en")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Sie zahlen 1.234,56 € pro Jahr.", "1.234,56"),
        ("Sie zahlen 19,99 EUR pro Monat.", "19,99"),
        ("Sie zahlen 19,- € pro Monat.", "19,-"),
        ("You pay €1,234.56 a year.", "1,234.56"),
        ("Wir kommen um 14:30 Uhr.", "14:30"),
        ("Wir kommen um 14.30 Uhr.", "14.30"),
    ],
)
def test_amounts_and_times_are_single_number_tokens(text: str, amount: str) -> None:
    language = "en" if text.startswith("You") else "de"
    assert (amount, "number") in kinds(text, language)
    assert len(sentences(text, language)) == 1


def test_currency_symbol_is_a_symbol() -> None:
    assert ("€", "symbol") in kinds("1.234,56 €")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.meinebank.de/app?id=12&x=y",
        "http://example.com/a.b/c",
        "www.meinebank.de/hilfe",
        "meinebank.de",
        "shop.example.com/de/angebote",
    ],
)
def test_urls_are_one_token_and_do_not_split(url: str) -> None:
    text = f"Mehr unter {url}. Danke."
    assert (url, "url") in kinds(text)
    assert sentences(text) == [f"Mehr unter {url}.", "Danke."]


@pytest.mark.parametrize("email", ["service@meinebank.de", "max.mustermann+news@mail.example.com"])
def test_email_addresses_are_one_token(email: str) -> None:
    text = f"Schreiben Sie an {email}. Wir antworten schnell."
    assert (email, "email") in kinds(text)
    assert len(sentences(text)) == 2


@pytest.mark.parametrize(
    "placeholder",
    [
        "{{ name }}",
        "{{name}}",
        "{{ user.first_name | default('Kunde') }}",
        "((name))",
        "%NAME%",
        "{name}",
        "${name}",
        "*|FNAME|*",
        "[[name]]",
    ],
)
def test_placeholders_are_tokens(placeholder: str) -> None:
    text = f"Hallo {placeholder}, Ihr Paket ist da. Viel Spaß."
    assert (placeholder, "placeholder") in kinds(text)
    assert len(sentences(text)) == 2


def test_list_items_are_sentences_without_their_markers() -> None:
    text = (
        "Ihre Vorteile:\n- schneller Versand\n• kostenlose Rückgabe\n* 24/7 Hilfe\n"
        "1. Schritt eins\n2) Schritt zwei"
    )
    assert sentences(text) == [
        "Ihre Vorteile:",
        "schneller Versand",
        "kostenlose Rückgabe",
        "24/7 Hilfe",
        "Schritt eins",
        "Schritt zwei",
    ]


def test_list_markers_come_out_as_punct_tokens() -> None:
    assert kinds("- eins\n1. zwei")[0] == ("-", "punct")
    assert ("1.", "punct") in kinds("- eins\n1. zwei")


def test_heading_without_punctuation_is_a_sentence() -> None:
    text = (
        "Ihre Rechnung\nDer Betrag wird am Montag abgebucht.\n\nMit freundlichen Grüßen\nIhr Team"
    )
    assert sentences(text) == [
        "Ihre Rechnung",
        "Der Betrag wird am Montag abgebucht.",
        "Mit freundlichen Grüßen",
        "Ihr Team",
    ]


def test_blank_line_ends_a_sentence() -> None:
    assert sentences("Sehr geehrte Frau Müller,\n\nvielen Dank für Ihre Nachricht.") == [
        "Sehr geehrte Frau Müller,",
        "vielen Dank für Ihre Nachricht.",
    ]


def test_line_continued_in_lower_case_is_one_sentence() -> None:
    assert sentences("Sehr geehrte Frau Müller,\nvielen Dank für Ihre Nachricht.") == [
        "Sehr geehrte Frau Müller,\nvielen Dank für Ihre Nachricht."
    ]


def test_long_soft_wrapped_line_continues() -> None:
    text = (
        "Wir haben Ihre Bestellung erhalten und werden sie so schnell wie möglich an\n"
        "Sie versenden."
    )
    assert sentences(text) == [text]


def test_question_and_exclamation_marks() -> None:
    assert sentences("Fragen? Rufen Sie an! Wir helfen gern?!") == [
        "Fragen?",
        "Rufen Sie an!",
        "Wir helfen gern?!",
    ]


def test_closing_quotes_stay_with_the_sentence() -> None:
    assert sentences("Er sagte: „Danke.“ Dann ging er.") == ["Er sagte: „Danke.“", "Dann ging er."]
    assert sentences("„Danke!“ sagte er.") == ["„Danke!“ sagte er."]


def test_ellipsis_before_lower_case_continues() -> None:
    assert sentences("Es war ... gut. Ende.") == ["Es war ... gut.", "Ende."]


def test_initials_do_not_end_a_sentence() -> None:
    assert sentences("Max M. Mustermann hilft Ihnen.") == ["Max M. Mustermann hilft Ihnen."]


def test_trailing_emoji_belongs_to_the_sentence() -> None:
    assert sentences("Danke! 😊 Bis bald.") == ["Danke! 😊", "Bis bald."]


def test_offsets_point_into_the_text() -> None:
    text = "  Hallo {{ name }}!\n\nIhr Code: 1234."
    for sentence in split_sentences(text, "de"):
        assert isinstance(sentence, Sentence)
        for tok in sentence.tokens:
            assert isinstance(tok, Token)
            assert text[tok.start : tok.end] == tok.text
    for tok in tokenize(text, "de"):
        assert text[tok.start : tok.end] == tok.text


def test_sentence_words_are_content_tokens() -> None:
    (sentence,) = split_sentences("Hallo {{ name }}, 3 Tage!", "de")
    assert [t.text for t in sentence.words] == ["Hallo", "{{ name }}", "3", "Tage"]


def test_hyphenated_words_and_apostrophes_are_single_words() -> None:
    assert ("E-Mail-Adresse", "word") in kinds("Ihre E-Mail-Adresse")
    assert ("geht's", "word") in kinds("Wie geht's?")
    assert ("don't", "word") in kinds("We don't know.", "en")
    assert ("3-mal", "word") in kinds("Sie haben 3-mal falsch eingegeben.")


def test_suspended_hyphen_stays_on_the_word() -> None:
    assert ("Ein-", "word") in kinds("Ein- und Ausgang")


def test_empty_and_whitespace_text() -> None:
    assert split_sentences("", "de") == []
    assert split_sentences("  \n\n ", "en") == []
    assert tokenize("", "de") == []


def test_unknown_language_falls_back_to_german_rules() -> None:
    assert sentences("Vielen Dank. Bis bald.", "fr") == ["Vielen Dank.", "Bis bald."]


def _pattern_tokens(text: str, language: str) -> list[tuple[str, int, int, str]]:
    """Tokens as the token pattern alone finds them (no shortcut for plain words)."""
    from msglint.text import segment

    lang = segment._language(language)
    out = []
    for m in lang.pattern.finditer(text):
        group = m.lastgroup or "symbol"
        if group == "marker":
            out.append((m.group("marker"), m.start("marker"), m.end(), "marker"))
        else:
            out.append((m.group(), m.start(), m.end(), segment._KIND.get(group, group)))
    return out


@pytest.mark.parametrize(
    "text",
    [
        "Hallo Welt, wie geht es? Gut: danke! Ja; nein.",
        "z. B. Hallo, usw. Bitte {{ name }} und {{x}}s, ((a b)) Text ${x y} [[a b]]",
        "Mail: max@bank.de, Web: www.bank.de! https://x.de/a?b=1 bank.de:",
        "Liste:\n- eins\n  • zwei\n1. drei\na) vier\n\nE-Mail- und Post, don't it’s",
        "Straße\u00a0Nr.\u202f5 Hauptstr. 3. Oktober x² Ⅻ İstanbul 😀! :/ a:/b Ende:",
        " \tLeer  \n\n  Zeilen\x1c mit\u2028 Trennern,",
    ],
)
@pytest.mark.parametrize("language", ["de", "en"])
def test_scan_shortcut_matches_the_pattern(text: str, language: str) -> None:
    from msglint.text import segment

    lang = segment._language(language)
    expected = _pattern_tokens(text, language)
    scanned, _ = segment._scan_marked(text, lang)
    if language == "de":  # ordinals merged in the pattern's tokens, wherever their period is
        tokens = [Token(*t) for t in expected]
        dots = segment._ordinal_dots(text, tokens, lang, range(len(tokens)))
        expected = [tuple(t) for t in segment._merge_dots(tokens, dots)]
    assert [tuple(t) for t in scanned] == expected
