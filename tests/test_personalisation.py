"""personalisation/* rules, through the real pipeline (lint_text)."""

from __future__ import annotations

import pytest

from msglint.lint import LintOptions, lint_text
from msglint.model import Finding, Severity
from msglint.text.sensitive import find_sensitive_data, iban_is_valid, luhn_is_valid


def lint(text: str, filename: str, rule: str) -> list[Finding]:
    result = lint_text(text, filename, options=LintOptions(select=[rule]))
    return [f for f in result.findings if f.rule == rule]


def front(language: str, sample: str, variables: str = "", extra: str = "") -> str:
    block = f"variables:\n{variables}" if variables else ""
    return f"---\nlanguage: {language}\n{extra}samples:\n  - {sample}\n{block}---\n"


# personalisation/missing-fallback

OPTIONAL_NAME = "  first_name: {required: false}\n"


def test_german_greeting_without_fallback_points_at_the_placeholder() -> None:
    text = (
        front("de", "{first_name: Anna}", OPTIONAL_NAME) + "Hallo {{ first_name }},\nIhr Paket.\n"
    )
    findings = lint(text, "a.sms.j2", "personalisation/missing-fallback")
    assert len(findings) == 1
    f = findings[0]
    assert f.severity is Severity.ERROR
    line = text.splitlines()[f.line - 1]
    assert line[f.column - 1 : f.end_column - 1] == "{{ first_name }}"
    assert '"first_name"' in f.message and "Hallo ," in f.message
    assert 'default("…", true)' in f.message


def test_english_dear_without_name_is_an_error() -> None:
    text = front("en", "{first_name: Bob}", OPTIONAL_NAME) + "Dear {{ first_name }},\nThanks.\n"
    findings = lint(text, "a.sms.j2", "personalisation/missing-fallback")
    assert [f.column for f in findings] == [6]
    assert "Dear ," in findings[0].message


def test_plain_tags_are_judged_without_rendering_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A template without control tags prints a plain tag's value and nothing else: the
    broken text is known from the first render (no render per emptied variable)."""
    import msglint.lint

    renders: list[object] = []
    original = msglint.lint.render_parts

    def counting(*args: object, **kwargs: object) -> object:
        renders.append(args)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(msglint.lint, "render_parts", counting)
    text = front("en", "{first_name: Bob}", OPTIONAL_NAME) + "Dear {{ first_name }},\nThanks.\n"
    findings = lint(text, "a.sms.j2", "personalisation/missing-fallback")
    assert ["Dear ," in f.message for f in findings] == [True]
    assert len(renders) == 1


def test_two_names_printed_side_by_side_are_not_judged_one_by_one() -> None:
    """'{{ first_name }}{{ last_name }},' still reads 'Mustermann,' without the first name."""
    sample = "{first_name: Max, last_name: Mustermann}"
    body = "{{ first_name }}{{ last_name }}, Ihr Termin ist morgen.\n"
    text = front("de", sample) + body
    assert lint(text, "a.sms.j2", "personalisation/missing-fallback") == []


def test_if_fallback_and_default_with_true_are_fine() -> None:
    body = (
        "Hallo{% if first_name %} {{ first_name }}{% endif %}, Ihr Termin ist morgen.\n"
        '{{ first_name | default("Kundin", true) }}, bis bald.\n'
    )
    text = front("de", "{first_name: Anna}", OPTIONAL_NAME) + body
    assert lint(text, "a.sms.j2", "personalisation/missing-fallback") == []


def test_default_without_true_breaks_on_empty_string() -> None:
    text = front("en", "{first_name: Bob}", OPTIONAL_NAME) + 'Hi {{ first_name | default("") }},\n'
    findings = lint(text, "a.sms.j2", "personalisation/missing-fallback")
    assert len(findings) == 1
    assert "without `true`" in findings[0].message


def test_double_space_and_none_mid_sentence() -> None:
    variables = "  order_id: {required: false}\n"
    text = front("de", "{order_id: A-1}", variables) + "Ihre Bestellung {{ order_id }} ist da.\n"
    findings = lint(text, "a.sms.j2", "personalisation/missing-fallback")
    assert len(findings) == 1
    assert "Ihre Bestellung  ist da." in findings[0].message


def test_none_is_reported_in_html_where_whitespace_collapses() -> None:
    variables = "  order_id: {required: false}\n"
    body = "<html><body><p>Ihre Bestellung {{ order_id }} ist da.</p></body></html>\n"
    text = front("de", "{order_id: A-1}", variables) + body
    findings = lint(text, "a.email.html.j2", "personalisation/missing-fallback")
    assert len(findings) == 1
    assert "None" in findings[0].message


def test_required_variables_are_not_checked() -> None:
    variables = "  first_name: {required: true}\n"
    text = front("de", "{first_name: Anna}", variables) + "Hallo {{ first_name }},\n"
    assert lint(text, "a.sms.j2", "personalisation/missing-fallback") == []


def test_undeclared_name_in_greeting_is_a_hint() -> None:
    text = front("en", "{name: Bob}") + "Hi {{ name }},\nyour parcel is here.\n"
    findings = lint(text, "a.sms.j2", "personalisation/missing-fallback")
    assert [f.severity for f in findings] == [Severity.INFO]
    assert "required: true" in findings[0].message


def test_product_name_is_not_a_person() -> None:
    text = front("en", "{product: {name: Shoe}}") + "Hi, your {{ product.name }} has shipped.\n"
    assert lint(text, "a.sms.j2", "personalisation/missing-fallback") == []


# personalisation/generic-greeting


def test_generic_german_greeting_with_name_variable() -> None:
    body = "<p>Sehr geehrte Damen und Herren,</p><p>Ihr Vertrag {{ nachname }}.</p>\n"
    text = front("de", "{nachname: Meier}") + body
    findings = lint(text, "a.email.html.j2", "personalisation/generic-greeting")
    assert len(findings) == 1
    assert "Sehr geehrte Damen und Herren" in findings[0].message


def test_generic_english_greeting_in_sms_without_name_variable() -> None:
    text = front("en", "{x: 1}") + "Dear customer, your parcel is here.\n"
    findings = lint(text, "a.sms.j2", "personalisation/generic-greeting")
    assert len(findings) == 1


def test_generic_greeting_in_else_branch_is_the_fallback() -> None:
    body = (
        "{% if first_name %}Hallo {{ first_name }},{% else %}Sehr geehrte Damen und Herren,"
        "{% endif %}\nIhr Paket ist da.\n"
    )
    text = front("de", "{first_name: ''}") + body
    assert lint(text, "a.sms.j2", "personalisation/generic-greeting") == []


def test_generic_greeting_in_email_without_name_is_fine() -> None:
    text = front("en", "{x: 1}") + "<p>Dear customer,</p><p>news.</p>\n"
    assert lint(text, "a.email.html.j2", "personalisation/generic-greeting") == []


# personalisation/unresolved-token


def test_foreign_placeholder_syntax_is_reported() -> None:
    body = "Hallo %VORNAME%, Hi *|FNAME|*, ((name)) und ${name}.\n"
    text = front("de", "{x: 1}", extra="syntax: jinja\n") + body
    findings = lint(text, "a.sms.j2", "personalisation/unresolved-token")
    assert len(findings) == 4


def test_percent_signs_and_urls_are_not_tokens() -> None:
    body = "Jetzt 20% sparen, 30% mehr: https://bsp.de/?q=%C3%A4%20x\n"
    text = front("de", "{x: 1}", extra="syntax: jinja\n") + body
    assert lint(text, "a.sms.j2", "personalisation/unresolved-token") == []


def test_stand_in_is_info_once() -> None:
    body = "Thanks for using [Product Name]. [Product Name] team\n"
    text = front("en", "{x: 1}", extra="syntax: jinja\n") + body
    findings = lint(text, "a.sms.j2", "personalisation/unresolved-token")
    assert [f.severity for f in findings] == [Severity.INFO]


def test_sample_values_are_not_reported() -> None:
    text = front("en", "{note: '{{x}}'}") + "Note: {{ note }}\n"
    assert lint(text, "a.sms.j2", "personalisation/unresolved-token") == []


# personalisation/creepy


def test_creepy_german_observation_and_browsing() -> None:
    body = "Wir haben gesehen, dass Sie sich kürzlich Laufschuhe angesehen haben.\n"
    findings = lint(front("de", "{x: 1}") + body, "a.sms.j2", "personalisation/creepy")
    assert len(findings) == 1


def test_creepy_english_phrases() -> None:
    body = "We noticed you were looking at shoes. Based on your location, try these.\n"
    findings = lint(front("en", "{x: 1}") + body, "a.sms.j2", "personalisation/creepy")
    assert len(findings) == 2


def test_recommendation_without_tracking_is_fine() -> None:
    de = "Wir haben gesehen, dass Ihre Rechnung offen ist. Neue Laufschuhe sind da.\n"
    en = "New running shoes just arrived – maybe something for you?\n"
    assert lint(front("de", "{x: 1}") + de, "a.sms.j2", "personalisation/creepy") == []
    assert lint(front("en", "{x: 1}") + en, "a.sms.j2", "personalisation/creepy") == []


# personalisation/sensitive-data


def test_sms_with_balance_health_and_password() -> None:
    body = (
        "Ihr Kontostand beträgt 1.234,56 €. Ihr Befund liegt vor. Ihr Passwort lautet {{ pw }}.\n"
    )
    text = front("de", "{pw: Xy7kq}") + body
    findings = lint(text, "a.sms.j2", "personalisation/sensitive-data")
    assert len(findings) == 3
    assert [f.severity for f in findings] == [Severity.WARNING, Severity.WARNING, Severity.ERROR]


def test_one_time_codes_are_normal_in_sms() -> None:
    de = "Ihr Code ist 123456. Ihre TAN lautet 4711.\n"
    en = "Your one-time password is 123456. Your password was changed.\n"
    assert lint(front("de", "{x: 1}") + de, "a.sms.j2", "personalisation/sensitive-data") == []
    assert lint(front("en", "{x: 1}") + en, "a.sms.j2", "personalisation/sensitive-data") == []


def test_email_reports_passwords_but_not_health_or_iban() -> None:
    body = (
        "<p>Your diagnosis is ready. Pay to DE89 3704 0044 0532 0130 00.</p>"
        "<p>Your password is Summer2024</p>\n"
    )
    findings = lint(
        front("en", "{x: 1}") + body, "a.email.html.j2", "personalisation/sensitive-data"
    )
    assert len(findings) == 1
    assert "password" in findings[0].message


def test_reset_link_is_not_a_password() -> None:
    body = "Reset your password at: {{ reset_url }}\n"
    text = front("en", "{reset_url: 'https://x.io/r'}") + body
    assert lint(text, "a.sms.j2", "personalisation/sensitive-data") == []


def test_find_sensitive_data_is_reusable() -> None:
    text = "IBAN DE89 3704 0044 0532 0130 00, Karte 4111 1111 1111 1111"
    kinds = [kind for _, _, kind in find_sensitive_data(text, "de")]
    assert kinds == ["iban", "card"]
    assert iban_is_valid("DE89370400440532013000")
    assert not iban_is_valid("DE89370400440532013001")
    assert luhn_is_valid("4111111111111111")
    assert not luhn_is_valid("4111111111111112")
