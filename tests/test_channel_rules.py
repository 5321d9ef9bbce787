"""channel/ rules through the real pipeline (lint_text): positives, negatives and positions."""

from __future__ import annotations

import pytest

from msglint.lint import LintOptions, lint_text
from msglint.model import Finding
from msglint.rules.registry import get_info


def run(text: str, name: str, rule: str) -> list[Finding]:
    result = lint_text(text, name, options=LintOptions(select=[rule]))
    return [f for f in result.findings if f.rule == rule]


def test_every_rule_is_documented_with_examples() -> None:
    for rule_id in (
        "channel/markup", "channel/link", "channel/emoji", "channel/whatsapp-template",
        "channel/letter", "channel/push-sensitive",
    ):  # fmt: skip
        info = get_info(rule_id)
        assert info is not None, rule_id
        assert info.doc.bad and info.doc.good and info.doc.why and info.doc.fix
        for option in info.options:
            assert option in info.doc.options, (rule_id, option)


# --- channel/markup ----------------------------------------------------------------------------


def test_html_in_sms_points_at_the_tag() -> None:
    findings = run("Ihr Termin ist <b>morgen</b>.\n", "x.sms", "channel/markup")
    assert [(f.line, f.column) for f in findings] == [(1, 16), (1, 25)]


def test_markdown_bold_in_whatsapp_is_fixed_to_single_asterisks() -> None:
    text = 'body: "Ihre Bestellung ist **fertig**. Danke!"\n'
    [finding] = run(text, "x.whatsapp.yaml", "channel/markup")
    assert finding.fix is not None and finding.fix.edits[0].replacement == "*fertig*"
    assert (finding.line, finding.column) == (1, 28)


def test_whatsapp_formatting_is_fine_in_the_body_but_not_in_the_header() -> None:
    text = 'header: "*Ihr Termin*"\nbody: "Ihr Termin ist *morgen* um _10 Uhr_."\n'
    [finding] = run(text, "x.whatsapp.yaml", "channel/markup")
    assert finding.part == "header"


def test_markdown_link_in_push_and_plain_text_passes() -> None:
    push = 'title: "Paket"\nbody: "Verfolgen: [hier](https://paket.de/t)"\n'
    assert run(push, "x.push.yaml", "channel/markup")
    assert run("Ihr Termin ist morgen um 10 Uhr.\n", "x.sms", "channel/markup") == []


# --- channel/link ------------------------------------------------------------------------------


def test_sms_shortener_http_and_long_url() -> None:
    shortener = run("Ihr Paket: https://bit.ly/3xYz\n", "x.sms", "channel/link")
    assert "shortener bit.ly" in shortener[0].message
    http = run("Ihr Paket: http://paket.de/s/1\n", "x.sms", "channel/link")
    assert "https" in http[0].message and http[0].column == 12
    long = "https://www.paketdienst-beispiel.de/sendungsverfolgung/detail/ABC123\n"
    assert "characters" in run("Paket: " + long, "x.sms", "channel/link")[0].message


def test_short_https_link_in_sms_passes() -> None:
    assert run("Ihr Paket: https://paket.de/s/1\n", "x.sms", "channel/link") == []


def test_url_in_push_body() -> None:
    text = 'title: "Versandt"\nbody: "Verfolgen Sie es unter https://shop.de/t/1"\n'
    [finding] = run(text, "x.push.yaml", "channel/link")
    assert finding.part == "body" and "deep link" in finding.message


def test_whatsapp_url_button_with_shortener() -> None:
    text = (
        'body: "Ihre Bestellung ist da."\n'
        "buttons:\n  - {text: Ansehen, type: url, url: 'https://bit.ly/abc'}\n"
    )
    [finding] = run(text, "x.whatsapp.yaml", "channel/link")
    assert finding.part == "buttons[0]"


# --- channel/emoji -----------------------------------------------------------------------------


def test_emoji_in_letter() -> None:
    text = "Sehr geehrte Frau Schmidt,\n\nIhre Kündigung ist eingegangen 👍\n"
    [finding] = run(text, "x.letter.md", "channel/emoji")
    assert (finding.line, finding.column) == (3, 32)
    assert finding.fix is not None


def test_emoji_in_formal_journey_but_not_in_ordinary_push() -> None:
    formal = 'journey: dunning\ntitle: "Zahlung offen ⚠️"\nbody: "Bitte zahlen Sie bis Freitag."\n'
    assert run(formal, "x.push.yaml", "channel/emoji")
    casual = 'title: "Paket kommt 📦"\nbody: "Heute zwischen 10 und 12 Uhr."\n'
    assert run(casual, "x.push.yaml", "channel/emoji") == []


# --- channel/whatsapp-template -----------------------------------------------------------------


def test_whatsapp_body_starting_ending_and_adjacent_variables() -> None:
    text = 'body: "{{ first_name }} {{ last_name }}, your offer is {{ offer }}"\n'
    messages = [f.message for f in run(text, "x.whatsapp.yaml", "channel/whatsapp-template")]
    assert any("starts with" in m for m in messages)
    assert any("ends with" in m for m in messages)
    assert any("adjacent" in m for m in messages)


def test_whatsapp_good_template_passes() -> None:
    text = 'body: "Hallo {{ first_name }}, Ihr Termin ist am {{ date }}. Bis dann!"\n'
    assert run(text, "x.whatsapp.yaml", "channel/whatsapp-template") == []


def test_whatsapp_header_and_url_button_variables() -> None:
    text = (
        'header: "{{ a }} und {{ b }}"\nbody: "Hallo {{ name }}."\n'
        "buttons:\n  - {text: Ansehen, type: url, url: 'https://shop.de/{{ id }}/details'}\n"
    )
    parts = {f.part for f in run(text, "x.whatsapp.yaml", "channel/whatsapp-template")}
    assert parts == {"header", "buttons[0]"}


# --- channel/letter ----------------------------------------------------------------------------

GOOD_LETTER = """\
Beispiel Energie GmbH · Musterstraße 1 · 10115 Berlin

Anna Schmidt
Lindenweg 5
12345 Musterstadt

Berlin, 24. November 2026

**Ihre Kündigung**

Sehr geehrte Frau Schmidt,

wir haben Ihre Kündigung erhalten. Mehr unter energie.de/kuendigung.

Freundliche Grüße
"""


def test_good_letter_passes() -> None:
    assert run(GOOD_LETTER, "x.letter.md", "channel/letter") == []


def test_letter_without_date_and_subject() -> None:
    text = "Sehr geehrte Frau Schmidt,\n\nwir haben Ihre Kündigung erhalten.\n"
    messages = [f.message for f in run(text, "x.letter.md", "channel/letter")]
    assert any("no date" in m for m in messages)
    assert any("no subject" in m for m in messages)


def test_english_letter_with_date_and_reference_line() -> None:
    text = "12 March 2026\n\nRe: Your account 1234\n\nDear Ms Smith,\n\nThank you.\n"
    assert run(text, "x.letter.md", "channel/letter") == []


def test_address_block_too_long() -> None:
    address = "Anna Schmidt\nc/o Firma\nAbteilung X\nZimmer 3\nHaus B\nLindenweg 5\n12345 Ort\n"
    text = GOOD_LETTER.replace("Anna Schmidt\nLindenweg 5\n12345 Musterstadt\n", address)
    [finding] = run(text, "x.letter.md", "channel/letter")
    assert "7 lines" in finding.message and finding.line == 3


def test_untypeable_url_on_paper() -> None:
    text = GOOD_LETTER.replace(
        "energie.de/kuendigung", "https://kunden.energie.de/portal/login?session=8f3a9c2e"
    )
    [finding] = run(text, "x.letter.md", "channel/letter")
    assert "query string" in finding.message


@pytest.mark.parametrize("front", ['subject: "Ihre Kündigung"\ndate: "1. Januar 2026"\n'])
def test_front_matter_date_and_subject_count(front: str) -> None:
    text = f"---\n{front}---\nSehr geehrte Frau Schmidt,\n\nwir haben Ihre Kündigung erhalten.\n"
    assert run(text, "x.letter.md", "channel/letter") == []


# --- channel/push-sensitive --------------------------------------------------------------------


def test_push_with_last_name_and_address_points_at_the_placeholders() -> None:
    text = (
        "samples:\n  - {first_name: Anna, last_name: Schmidt, street: Lindenweg 5}\n"
        'title: "{{ first_name }} {{ last_name }}"\n'
        'body: "Ihr Paket liegt vor {{ street }}"\n'
    )
    findings = run(text, "x.push.yaml", "channel/push-sensitive")
    assert [(f.line, f.column, f.part) for f in findings] == [(3, 26, "title"), (4, 28, "body")]
    assert "full name" in findings[0].message and "address" in findings[1].message


def test_balance_reported_by_sensitive_data_is_not_reported_twice() -> None:
    text = (
        "samples:\n  - {balance: '-1.234,56 €'}\n"
        'title: "Konto"\nbody: "Ihr Kontostand: {{ balance }}"\n'
    )
    result = lint_text(
        text,
        "x.push.yaml",
        options=LintOptions(select=["channel/push-sensitive", "personalisation/sensitive-data"]),
    )
    rules = [f.rule for f in result.findings]
    assert (
        rules.count("channel/push-sensitive") + rules.count("personalisation/sensitive-data") == 1
    )


def test_first_name_and_product_owner_names_pass() -> None:
    text = 'title: "Hallo {{ first_name }}"\nbody: "{{ shop.name }} hat Ihr Paket versandt."\n'
    assert run(text, "x.push.yaml", "channel/push-sensitive") == []


def test_customer_name_counts_as_full_name() -> None:
    text = 'title: "Hallo {{ customer.name }}"\nbody: "Ihr Paket ist da."\n'
    assert run(text, "x.push.yaml", "channel/push-sensitive")
