"""clarity/* rules, through the real pipeline (lint_text)."""

from __future__ import annotations

from msglint.lint import LintOptions, lint_text
from msglint.model import Finding, Severity


def lint(text: str, filename: str, rule: str) -> list[Finding]:
    result = lint_text(text, filename, options=LintOptions(select=[rule]))
    return [f for f in result.findings if f.rule == rule]


def sms(language: str, body: str, requires_action: bool | None = None) -> str:
    flag = "" if requires_action is None else f"requires_action: {str(requires_action).lower()}\n"
    return f"---\nlanguage: {language}\nsyntax: jinja\n{flag}---\n{body}\n"


CTA = "clarity/call-to-action"
TOO_MANY = "clarity/too-many-ctas"


# clarity/call-to-action, requires_action: true


def test_german_message_without_what_when_how() -> None:
    findings = lint(sms("de", "Ihr Ausweis läuft ab.", True), "a.sms.j2", CTA)
    messages = " ".join(f.message for f in findings)
    assert len(findings) == 3
    assert "what" in messages and "by when" in messages and "how" in messages


def test_german_complete_request() -> None:
    body = "Bitte laden Sie bis zum 30.06. ein Foto Ihres Ausweises hoch: https://bsp.de/a"
    assert lint(sms("de", body, True), "a.sms.j2", CTA) == []


def test_english_request_without_deadline() -> None:
    body = "Please confirm your address in the app."
    findings = lint(sms("en", body, True), "a.sms.j2", CTA)
    assert len(findings) == 1
    assert "by when" in findings[0].message


def test_english_complete_request_with_button() -> None:
    body = (
        "<p>Your card expires soon.</p><p>Order a new card within 14 days:</p>"
        '<a class="button" href="https://bank.example/card">Order card</a>'
    )
    text = f"---\nlanguage: en\nrequires_action: true\nsubject: Card\n---\n{body}\n"
    assert lint(text, "a.email.html.j2", CTA) == []


def test_rule_is_silent_without_requires_action() -> None:
    assert lint(sms("de", "Ihr Ausweis läuft ab."), "a.sms.j2", CTA) == []


# clarity/call-to-action, requires_action: false


def test_english_request_in_information_message() -> None:
    findings = lint(sms("en", "Please check your new tariff.", False), "a.sms.j2", CTA)
    assert [f.severity for f in findings] == [Severity.WARNING, Severity.INFO]
    assert "reads like a request" in findings[0].message


def test_german_information_with_no_action_statement_and_help_offer() -> None:
    body = (
        "Ihr Tarif ändert sich am 1. Mai. Sie müssen nichts tun. "
        "Haben Sie Fragen? Rufen Sie uns an: 0800 123456"
    )
    assert lint(sms("de", body, False), "a.sms.j2", CTA) == []


def test_german_imperative_in_information_message() -> None:
    body = "Ihr Tarif ändert sich am 1. Mai. Prüfen Sie Ihre neuen Preise. Sie müssen nichts tun."
    findings = lint(sms("de", body, False), "a.sms.j2", CTA)
    assert len(findings) == 1
    assert "Prüfen Sie" in findings[0].message


def test_english_conditional_help_offer_is_fine() -> None:
    body = (
        "Your password was changed. You don't need to do anything. "
        "If you didn't change it, please contact us."
    )
    assert lint(sms("en", body, False), "a.sms.j2", CTA) == []


# clarity/too-many-ctas


def test_sms_with_two_links() -> None:
    body = "Rechnung: https://bsp.de/r Tarif: https://bsp.de/t"
    findings = lint(sms("de", body), "a.sms.j2", TOO_MANY)
    assert len(findings) == 1
    assert findings[0].column == body.index("https://bsp.de/t") + 1


def test_sms_with_one_link_twice() -> None:
    body = "Your bill: https://x.example/b?utm=1 (or https://x.example/b)"
    assert lint(sms("en", body), "a.sms.j2", TOO_MANY) == []


def test_email_buttons_counted_footer_links_not() -> None:
    links = "".join(
        f'<a class="btn" href="https://x.example/{p}">{t}</a>'
        for p, t in [("c", "Confirm"), ("u", "Upgrade"), ("i", "Invite friends"), ("r", "Rate us")]
    )
    footer = (
        '<a href="https://x.example/unsub">Unsubscribe</a><a href="https://x.example/">Home</a>'
    )
    text = f"---\nlanguage: en\nsubject: Hi\n---\n<html><body>{links}{footer}</body></html>\n"
    findings = lint(text, "a.email.html.j2", TOO_MANY)
    assert len(findings) == 1
    assert findings[0].message.startswith("4 calls to action")
    few = text.replace('<a class="btn" href="https://x.example/r">Rate us</a>', "")
    assert lint(few, "a.email.html.j2", TOO_MANY) == []


def test_german_email_links_without_action_text_are_not_ctas() -> None:
    links = "".join(f'<a href="https://bsp.de/{i}">Artikel {i}</a> ' for i in range(6))
    text = f"---\nlanguage: de\nsubject: Neu\n---\n<html><body><p>{links}</p></body></html>\n"
    assert lint(text, "a.email.html.j2", TOO_MANY) == []
