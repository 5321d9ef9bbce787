"""readability/* rules and tone/passive, through the real pipeline (lint_text)."""

from __future__ import annotations

from msglint.config import Config
from msglint.lint import lint_text
from msglint.model import Finding
from msglint.text.compounds import suggest_split

DE = "---\nlanguage: de\n---\n"
EN = "---\nlanguage: en\n---\n"


def findings(text: str, rule: str, filename: str = "x.email.html", **cfg: object) -> list[Finding]:
    config = Config(select=[rule], **cfg)  # type: ignore[arg-type]
    result = lint_text(text, filename, config)
    return [f for f in result.findings if f.rule == rule]


def flagged(text: str, found: list[Finding]) -> list[str]:
    return [text[f.start : f.end] for f in found]


# readability/score

HARD_DE = (
    "Wir möchten Sie darüber informieren, dass aufgrund der Anpassung der Netzentgelte und der "
    "gesetzlichen Umlagen eine Erhöhung Ihres monatlichen Abschlagsbetrags zum nächstmöglichen "
    "Abrechnungszeitpunkt erforderlich wird, welche wir Ihnen hiermit mitteilen."
)
EASY_DE = "Ihr Abschlag steigt ab 1. März auf 62 Euro. Der Grund: Die Netzentgelte sind gestiegen."
HARD_EN = (
    "We would like to inform you that, owing to the adjustment of network charges and statutory "
    "levies, an increase of your monthly instalment will become necessary at the next possible "
    "billing date, which we hereby communicate to you."
)
EASY_EN = "From 1 March your monthly payment goes up to 62 pounds. The reason: costs went up."


def test_score_flags_hard_german_and_english_but_not_plain_text() -> None:
    for text in (DE + HARD_DE, EN + HARD_EN):
        found = findings(text, "readability/score")
        assert len(found) == 1
        assert "below 50 for e-mail" in found[0].message
    assert findings(DE + EASY_DE, "readability/score") == []
    assert findings(EN + EASY_EN, "readability/score") == []


def test_score_threshold_per_channel_from_options_and_config_scores() -> None:
    text = DE + EASY_DE
    strict = {"readability/score": {"email": 99}}
    assert len(findings(text, "readability/score", rules=strict)) == 1
    assert len(findings(text, "readability/score", scores={"email": {"readability": 99}})) == 1
    lenient = {"default": {"readability": 1}}
    assert findings(DE + HARD_DE, "readability/score", scores=lenient) == []


def test_score_ignores_very_short_messages() -> None:
    assert findings(DE + "Zahlungsaufforderungsbestätigung erhalten.", "readability/score") == []


# readability/long-sentence

LONG_DE = (
    "Wir möchten Sie darüber informieren, dass Ihr Paket aufgrund eines hohen Aufkommens in "
    "unserem Verteilzentrum leider erst am Donnerstag und nicht wie ursprünglich angekündigt am "
    "Dienstag bei Ihnen eintreffen wird."
)
LONG_EN = (
    "We would like to let you know that due to a high volume of parcels at our sorting centre "
    "your parcel will unfortunately arrive on Thursday rather than on Tuesday as originally "
    "announced to you."
)


def test_long_sentence_reports_the_sentence_span_in_both_languages() -> None:
    for text, sentence in ((DE + LONG_DE, LONG_DE), (EN + LONG_EN, LONG_EN)):
        found = findings(text + "\nDanke.", "readability/long-sentence")
        assert flagged(text, found) == [sentence]
        assert "more than 25" in found[0].message
        assert found[0].line == 4


def test_long_sentence_allows_short_sentences_and_letters_a_bit_more() -> None:
    assert findings(DE + EASY_DE, "readability/long-sentence") == []
    assert findings(EN + EASY_EN, "readability/long-sentence") == []
    # 29 words: too long for an e-mail, fine for a letter (30).
    text = EN + " ".join(["word"] * 28) + " end."
    assert len(findings(text, "readability/long-sentence")) == 1
    assert findings(text, "readability/long-sentence", "x.letter.md") == []


def test_long_sentence_suggests_a_comma_near_the_middle() -> None:
    text = DE + (
        "Ihr neuer Tarif gilt ab dem ersten März des nächsten Jahres, und wir buchen den neuen "
        "Betrag dann gern jeden Monat automatisch von Ihrem Konto ab.\n"
    )
    (finding,) = findings(text, "readability/long-sentence")
    assert 'after "Jahres,"' in finding.message


def test_long_sentence_skips_tables_of_placeholders() -> None:
    row = " ".join(f"{{{{ item.{n} }}}}" for n in ("a", "b", "c", "d", "e")) + " | "
    text = EN + "Pos. Description Quantity Price Total " + row * 6 + "\n"
    assert findings(text, "readability/long-sentence") == []


# readability/long-word


def test_long_word_suggests_hyphenated_split_at_compound_joints() -> None:
    text = DE + "Bitte senden Sie uns das Rufnummernmitnahmeformular zurück.\n"
    (finding,) = findings(text, "readability/long-word")
    assert flagged(text, [finding]) == ["Rufnummernmitnahmeformular"]
    assert '"Rufnummern-Mitnahme-Formular"' in finding.message
    assert finding.fix is None  # ambiguous: never applied automatically


def test_compound_split_prefers_main_joints() -> None:
    assert suggest_split("Versicherungsbestätigung") == "Versicherungs-Bestätigung"
    assert suggest_split("Passwortwiederherstellungscode") == "Passwort-Wiederherstellungs-Code"
    assert suggest_split("abcdefghijklmnopqrstuvwxyz") is None


def test_long_word_negatives_short_words_identifiers_and_hyphenated_parts() -> None:
    text = (
        DE
        + "Ihre Datenschutzerklärung, der Kfz-Haftpflicht-Versicherungsvertrag, "
        + "CamelCaseIdentifierName.\n"
    )
    assert findings(text, "readability/long-word") == []
    text = EN + "Please read our terms and conditions.\n"
    assert findings(text, "readability/long-word") == []


def test_long_word_english_words_over_the_limit_without_suggestion() -> None:
    text = EN + "This is incomprehensibilities.\n"
    (finding,) = findings(text, "readability/long-word")
    assert "rephrase it with shorter words" in finding.message


# readability/nominal-style


def test_nominal_style_german_noun_with_empty_verb() -> None:
    text = (
        DE
        + "Die Abbuchung des Betrags erfolgt zum Monatsende. Wir führen die Prüfung morgen durch.\n"
    )
    found = findings(text, "readability/nominal-style")
    assert flagged(text, found) == [
        "Abbuchung des Betrags erfolgt",
        "führen die Prüfung morgen durch",
    ]
    assert '"abbuchen"' in found[0].message
    assert '"prüfen"' in found[1].message


def test_nominal_style_german_negatives_everyday_nouns_and_plain_verbs() -> None:
    text = DE + (
        "Ihre Bestellung ist erfolgt. Die Rechnung kommt per E-Mail. Wir buchen den Betrag ab. "
        "Die Lieferung kommt morgen.\n"
    )
    assert findings(text, "readability/nominal-style") == []


def test_nominal_style_english_light_verbs() -> None:
    text = EN + "We will carry out an investigation. An assessment was conducted by our team.\n"
    found = findings(text, "readability/nominal-style")
    assert flagged(text, found) == ["carry out an investigation", "assessment was conducted"]
    assert '"investigate"' in found[0].message


def test_nominal_style_english_negatives() -> None:
    text = EN + (
        "If you have any questions, reply to this email. Check your payment details. "
        "Take action now. We investigate every report.\n"
    )
    assert findings(text, "readability/nominal-style") == []


def test_nominal_style_leaves_pack_phrases_to_the_jargon_rules() -> None:
    # "make a payment" is in rules/en/plain-english.yaml: jargon/plain-english reports it.
    text = EN + "Please make a payment today.\n"
    assert findings(text, "readability/nominal-style") == []


# tone/passive

PASSIVE_DE = (
    "Ihr Antrag wurde geprüft. Der Betrag wird erstattet. Die Gutschrift wird morgen gebucht. "
    "Wir melden uns bei Ihnen."
)
PASSIVE_EN = (
    "Your request has been reviewed. The amount will be refunded. The credit will be booked "
    "tomorrow. We will be in touch."
)


def test_passive_reported_when_passives_pile_up() -> None:
    for text, expected in (
        (DE + PASSIVE_DE, ["wurde geprüft", "wird erstattet", "wird morgen gebucht"]),
        (EN + PASSIVE_EN, ["been reviewed", "be refunded", "be booked"]),
    ):
        found = findings(text, "tone/passive")
        assert flagged(text, found) == expected
        assert "3 of 4 sentences are passive" in found[0].message


def test_a_single_natural_passive_is_not_reported() -> None:
    text = DE + "Ihr Paket wurde versendet. Es kommt morgen zwischen 10 und 12 Uhr. Viel Freude!\n"
    assert findings(text, "tone/passive") == []
    text = EN + "Your order has been shipped. It arrives tomorrow. Enjoy!\n"
    assert findings(text, "tone/passive") == []


def test_future_tense_and_adjectives_are_not_passive() -> None:
    text = DE + (
        "Wir werden Sie informieren. Sie werden begeistert sein. Das wird Ihnen gefallen. "
        "Wir werden Ihnen Bescheid geben.\n"
    )
    assert (
        findings(text, "tone/passive", rules={"tone/passive": {"min_sentences": 1, "min_share": 0}})
        == []
    )
    text = EN + "We are interested in your feedback. The store is located in Berlin.\n"
    assert (
        findings(text, "tone/passive", rules={"tone/passive": {"min_sentences": 1, "min_share": 0}})
        == []
    )


def test_passive_requests_are_reported_always() -> None:
    text = DE + "Sie werden gebeten, das Formular zu unterschreiben. Vielen Dank für Ihre Hilfe.\n"
    (finding,) = findings(text, "tone/passive")
    assert flagged(text, [finding]) == ["werden gebeten"]
    assert "Bitte" in finding.message
    text = EN + "You are requested to sign the form. Thank you for your help.\n"
    (finding,) = findings(text, "tone/passive")
    assert flagged(text, [finding]) == ["are requested"]


def test_impersonal_passive_is_reported_but_a_subject_after_es_is_not() -> None:
    text = DE + "Es wird darauf hingewiesen, dass der Vertrag endet. Danke.\n"
    assert len(findings(text, "tone/passive")) == 1
    text = DE + "Es wurde ein neuer Schlüssel hinzugefügt. Danke.\n"
    assert findings(text, "tone/passive") == []
