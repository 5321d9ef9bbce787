from __future__ import annotations

from pathlib import Path

import pytest

from msglint.lint import lint_text
from msglint.model import Finding, Severity
from msglint.rules.registry import get_info
from msglint.rules.tone import lexicon_sentiment, text_sentiment

DE = "---\nlanguage: de\n---\n"
EN = "---\nlanguage: en\n---\n"


def findings(rule_id: str, text: str, filename: str = "x.letter.md") -> list[Finding]:
    return [f for f in lint_text(text, filename).findings if f.rule == rule_id]


def spans(found: list[Finding], text: str) -> list[str]:
    return [text[f.start : f.end] for f in found]


def front(language: str, **keys: str) -> str:
    lines = [f"language: {language}"] + [f"{k}: {v}" for k, v in keys.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


# tone/formality-mix


def test_formality_mix_reports_the_minority_form_with_its_counterpart() -> None:
    text = DE + (
        "<p>Vielen Dank für Ihre Bestellung! Wir haben Ihre Zahlung erhalten. "
        "Hier kannst du deine Sendung verfolgen.</p>"
    )
    found = findings("tone/formality-mix", text, "x.email.html")
    assert spans(found, text) == ["du", "deine"]
    assert all(f.severity is Severity.WARNING for f in found)
    assert '"deine" is the du form' in found[1].message
    assert 'Use "Ihre"' in found[1].message


def test_formality_mix_ignores_consistent_sie_and_ambiguous_sentence_starts() -> None:
    consistent = DE + "Guten Tag, Ihre Bestellung ist da. Sie können sie abholen."
    assert findings("tone/formality-mix", consistent) == []
    # "Sie" first in a sentence may be "they"; lower-case "sie" is "they"/"she".
    ambiguous = (
        DE + "Hallo Max, deine Pakete sind da. Sie liegen in der Filiale, sie warten auf dich."
    )
    assert findings("tone/formality-mix", ambiguous) == []


def test_formality_mix_counts_ihr_only_next_to_a_plural_verb() -> None:
    plural = DE + "Liebe Familie Muster, habt ihr Fragen? Dann rufen Sie uns an, wir helfen Ihnen."
    found = findings("tone/formality-mix", plural)
    assert spans(found, plural) == ["ihr"]
    possessive = DE + "Frau Muster hat ihr Paket abgeholt. Wir danken Ihnen für Ihre Geduld."
    assert findings("tone/formality-mix", possessive) == []


def test_formality_mix_house_style_option_reports_every_other_form() -> None:
    text = (
        "---\nlanguage: de\nmsglint:\n  tone/formality-mix: {address: sie}\n---\n"
        "Hallo Max, dein Code ist 1234."
    )
    found = findings("tone/formality-mix", text)
    assert spans(found, text) == ["dein"]
    assert "house style" in found[0].message


def test_formality_mix_does_not_check_english() -> None:
    assert findings("tone/formality-mix", EN + "Du bist great. Thank you, Sie.") == []


# tone/shouting


def test_shouting_reports_caps_runs_and_repeated_marks_once_each() -> None:
    text = DE + "WICHTIG: Ihre Zahlung ist JETZT FÄLLIG!!! Bitte per SEPA-Lastschrift zahlen."
    found = findings("tone/shouting", text)
    assert spans(found, text) == ["WICHTIG", "JETZT FÄLLIG", "!!!"]
    assert found[2].fix is not None
    assert found[2].fix.edits[0].replacement == "!"


def test_shouting_ignores_repeated_question_marks() -> None:
    text = DE + "Schon gesehen?? Ihre Rechnung ist da."
    assert findings("tone/shouting", text) == []


def test_shouting_allows_acronyms_brands_codes_and_sms_keywords() -> None:
    text = DE + (
        "Ihre IBAN, die DSGVO-Hinweise und die AGB als PDF. Tarif XR500, Code ABCD12. "
        "Antworten Sie STOP zum Abmelden."
    )
    assert findings("tone/shouting", text, "x.sms") == []


def test_shouting_in_english_including_interrobang_and_allow_option() -> None:
    text = EN + "Get it FREE today?! Acme members save more."
    found = findings("tone/shouting", text)
    assert spans(found, text) == ["FREE", "?!"]
    allowed = (
        "---\nlanguage: en\nmsglint:\n  tone/shouting: {allow: [FREE]}\n---\nGet it FREE today."
    )
    assert findings("tone/shouting", allowed) == []


# tone/blame


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DE + "Sie haben es versäumt, die Rechnung zu bezahlen.", "Sie haben es versäumt"),
        (DE + "Aufgrund Ihres Versäumnisses ruht der Vertrag.", "Aufgrund Ihres Versäumnisses"),
        (EN + "You failed to provide a valid address.", "You failed to"),
        (EN + "Due to your failure to pay, the plan ended.", "Due to your failure to"),
    ],
)
def test_blame_flags_reproaches(text: str, expected: str) -> None:
    found = findings("tone/blame", text)
    assert spans(found, text) == [expected]
    assert found[0].message.startswith("Blames the customer")


def test_blame_leaves_neutral_questions_alone() -> None:
    assert findings("tone/blame", DE + "Haben Sie Ihr Passwort vergessen? Kein Problem.") == []
    assert findings("tone/blame", EN + "If you did not request this, ignore this email.") == []


# tone/pressure


def test_pressure_flags_false_urgency_in_service_messages() -> None:
    text = DE + "Letzte Chance! Zahlen Sie sofort, sonst sehen wir uns gezwungen zu kündigen."
    found = findings("tone/pressure", text)
    assert spans(found, text) == ["Letzte Chance", "Zahlen Sie sofort", "sehen wir uns gezwungen"]
    english = EN + "Act now: this is your last chance to keep your account."
    assert spans(findings("tone/pressure", english), english) == ["Act now", "your last chance"]


def test_pressure_ignores_plain_sofort_and_marketing_by_default() -> None:
    assert (
        findings("tone/pressure", DE + "Sie können sofort loslegen. Ab sofort gilt der Tarif.")
        == []
    )
    marketing = front("de", category="marketing") + "Nur noch heute: 20 % auf alles!"
    assert findings("tone/pressure", marketing) == []
    opted_in = (
        "---\nlanguage: de\ncategory: marketing\nmsglint:\n  tone/pressure: {marketing: true}\n"
        "---\nNur noch heute: 20 % auf alles!"
    )
    assert len(findings("tone/pressure", opted_in)) == 1


# tone/canned-phrase


def test_canned_phrases_in_both_languages_are_reported_once() -> None:
    text = DE + "Sollten Sie Fragen haben, zögern Sie nicht, uns zu kontaktieren."
    result = lint_text(text, "x.letter.md").findings
    canned = [f for f in result if f.rule == "tone/canned-phrase"]
    assert len(canned) == 1 and canned[0].severity is Severity.INFO
    # The phrase is no longer also reported as officialese.
    assert not any(f.rule == "jargon/officialese" and "zögern" in f.message for f in result)
    english = EN + "Please do not hesitate to contact us. We apologize for any inconvenience."
    result = lint_text(english, "x.letter.md").findings
    assert spans([f for f in result if f.rule == "tone/canned-phrase"], english) == [
        "Please do not hesitate to contact us",
        "We apologize for any inconvenience",
    ]
    assert not any(f.rule == "jargon/plain-english" for f in result)


def test_canned_phrase_suggests_a_concrete_alternative() -> None:
    text = DE + "Für Rückfragen stehen wir Ihnen gerne zur Verfügung."
    (found,) = findings("tone/canned-phrase", text)
    assert "Rufen Sie uns an" in found.message


def test_plain_sentences_are_not_canned() -> None:
    assert findings("tone/canned-phrase", DE + "Fragen? Rufen Sie uns an: 030 123456.") == []
    assert findings("tone/canned-phrase", EN + "Questions? Call us on 555 0100.") == []


# tone/no-reply


def test_no_reply_without_contact_is_reported() -> None:
    text = DE + "Ihr Paket ist unterwegs.\n\nBitte antworten Sie nicht auf diese E-Mail."
    (found,) = findings("tone/no-reply", text)
    assert text[found.start : found.end] == "Bitte antworten Sie nicht auf diese E-Mail"
    english = EN + "Your order shipped. This mailbox is not monitored."
    assert spans(findings("tone/no-reply", english), english) == ["This mailbox is not monitored"]


@pytest.mark.parametrize(
    "extra",
    [
        "Fragen? Rufen Sie uns an: 030 1234567.",
        "Hilfe finden Sie unter https://example.de/kontakt.",
        "Schreiben Sie an service@example.de.",
        "Unser Kundenservice hilft Ihnen gern.",
    ],
)
def test_no_reply_with_another_way_to_reach_a_person_is_fine(extra: str) -> None:
    text = DE + f"Bitte antworten Sie nicht auf diese E-Mail. {extra}"
    assert findings("tone/no-reply", text) == []


def test_no_reply_accepts_a_contact_link_in_html_and_rejects_noreply_addresses() -> None:
    html = EN + (
        '<p>Please do not reply to this email. <a href="https://example.com/help">Get help</a></p>'
    )
    assert findings("tone/no-reply", html, "x.email.html") == []
    only_noreply = EN + "Please do not reply. Sent from noreply@example.com."
    found = findings("tone/no-reply", only_noreply)
    assert spans(found, only_noreply) == ["Please do not reply", "noreply"]


# tone/negativity


def test_refusal_without_alternative_is_reported_in_both_languages() -> None:
    text = DE + "Leider können wir Ihre Bestellung nicht ändern.\n\nIhr Team"
    (found,) = findings("tone/negativity", text)
    assert text[found.start : found.end] == "Leider"
    assert "Refusal without an alternative" in found.message
    english = EN + "Unfortunately, we cannot change your order."
    assert spans(findings("tone/negativity", english), english) == ["Unfortunately"]


@pytest.mark.parametrize(
    "text",
    [
        DE + "Leider können wir die Bestellung nicht ändern, Sie können sie aber stornieren.",
        DE + "Leider ist das nicht möglich. Sie können stattdessen einen Gutschein wählen.",
        DE + "Leider hat die Zahlung nicht geklappt. Prüfen Sie bitte Ihre Kartendaten.",
        EN + "Unfortunately we can't change it. Instead, you can return it for free.",
        EN + "Unfortunately, your payment didn't go through. Update your card here: https://x.io",
    ],
)
def test_refusal_with_a_way_forward_is_fine(text: str) -> None:
    assert findings("tone/negativity", text) == []


def test_negation_density_is_reported_once_per_message() -> None:
    text = DE + (
        "Ihr Antrag ist nicht vollständig. Wir können ihn nicht bearbeiten. Es liegt kein "
        "Nachweis vor. Eine Verlängerung ist nicht möglich. Wir haben keine Unterlagen."
    )
    found = [f for f in findings("tone/negativity", text) if "Negative wording" in f.message]
    assert len(found) == 1
    assert '"nicht" ×2' in found[0].message
    calm = DE + "Ihr Paket kommt morgen. Falls Sie nicht zu Hause sind, geht es in die Filiale."
    assert findings("tone/negativity", calm) == []


# tone/sentiment


def test_strongly_negative_service_messages_are_reported_as_info() -> None:
    text = DE + (
        "Leider ist Ihre Zahlung fehlgeschlagen. Ihr Konto wurde gesperrt. Es fallen "
        "Mahngebühren an, das Inkasso ist beauftragt."
    )
    (found,) = findings("tone/sentiment", text)
    assert found.severity is Severity.INFO
    assert "gesperrt" in found.message
    english = EN + (
        "Unfortunately your payment failed. Your account is suspended and a penalty fee applies."
    )
    assert len(findings("tone/sentiment", english)) == 1


def test_positive_and_marketing_messages_are_not_reported() -> None:
    assert (
        findings("tone/sentiment", DE + "Vielen Dank für Ihre Bestellung! Viel Freude damit.") == []
    )
    marketing = front("en", category="marketing") + "Terrible weather? Awful commute? Fix it."
    assert findings("tone/sentiment", marketing) == []


def test_german_lexicon_handles_negation_and_inflection() -> None:
    assert lexicon_sentiment("Das ist kein Problem.", "de").score > 0
    assert lexicon_sentiment("Das war nicht gut.", "de").score < 0
    assert lexicon_sentiment("Wir freuen uns über Ihre guten Bewertungen.", "de").score > 0.3
    assert lexicon_sentiment("Ihre Zahlungen sind überfällig, Mahngebühren.", "de").score < -0.5
    assert text_sentiment("Thanks, great to have you!", "en").score > 0.5


# documentation


@pytest.mark.parametrize(
    "rule_id",
    [
        "tone/formality-mix",
        "tone/shouting",
        "tone/blame",
        "tone/pressure",
        "tone/negativity",
        "tone/canned-phrase",
        "tone/no-reply",
        "tone/sentiment",
    ],
)
def test_every_tone_rule_is_documented(rule_id: str) -> None:
    info = get_info(rule_id)
    assert info is not None
    doc = info.doc
    assert doc.what and doc.why and doc.bad and doc.good and doc.fix
    assert set(info.options) <= set(doc.options)


def test_vader_from_the_cache_scores_like_a_fresh_analyzer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from msglint.rules import tone

    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path))
    texts = ["We are sorry, your payment failed again :(", "Great news! Your order shipped 😀"]
    fresh = SentimentIntensityAnalyzer()
    tone._vader.cache_clear()
    built = tone._vader()  # builds the analyzer and stores its state
    assert list((tmp_path / "vader").rglob("*.pickle"))

    def no_parsing(self: object) -> None:
        raise AssertionError("the lexicon was parsed again")

    monkeypatch.setattr(SentimentIntensityAnalyzer, "make_lex_dict", no_parsing)
    tone._vader.cache_clear()
    cached = tone._vader()  # from the stored state, without parsing
    tone._vader.cache_clear()
    assert cached is not built
    for text in texts:
        expected = fresh.polarity_scores(text)
        assert built.polarity_scores(text) == expected
        assert cached.polarity_scores(text) == expected


def test_phrase_regex_first_letter_keeps_case_insensitive_equivalents() -> None:
    """The first-letter lookahead matches what the case-insensitive alternation matches,
    including re's special case equivalents (long s, Kelvin sign, dotted and dotless i)."""
    import re

    from msglint.rules import tone

    phrases = ("sorry", "kein Problem", "ideally", "leider nicht", "Ärger")
    plain = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(tone.longest_first({r"\s+".join(map(re.escape, p.split())) for p in phrases}))
        + r")(?![\w-]*\w)",
        re.IGNORECASE,
    )
    pattern = tone._phrase_regex(phrases)
    assert pattern is not None
    text = (
        "SORRY. ſorry! \u212aein  Problem, \u0130deally \u0131deally; LEIDER\nnicht. ärger "
        "xsorry sorry-x sorryx kein-Problem"
    )
    found = [m.span() for m in pattern.finditer(text)]
    assert found == [m.span() for m in plain.finditer(text)]
    assert len(found) == 7
