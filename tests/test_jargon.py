from __future__ import annotations

from pathlib import Path

import pytest

from msglint.mapping import Chunk, MappedText
from msglint.model import Finding, Message, Part, Severity, TemplateFile, TemplateMeta
from msglint.packs import PackResources
from msglint.rules.registry import RuleContext, check_rules, get_info


def message(text: str, language: str = "de", mapped: MappedText | None = None) -> Message:
    tf = TemplateFile(
        path=Path("x.email.txt"),
        display_path="x",
        text=text,
        body_start=0,
        meta=TemplateMeta(channel="email", language=language),
        sources={},
    )
    part = Part("body", mapped or MappedText.identity(text, 0))
    return Message(
        template=tf,
        channel="email",
        language=language,
        category=None,
        parts={"body": part},
        variants=[],
    )


def run(
    rule_id: str,
    text: str,
    language: str = "de",
    options: dict[str, object] | None = None,
    severity: Severity | None = None,
    mapped: MappedText | None = None,
) -> list[Finding]:
    info = get_info(rule_id)
    assert info is not None
    check = next(r.check for r in check_rules() if r.info.id == rule_id)
    ctx = RuleContext(info, dict(options or {}), severity or info.severity, None)
    return list(check(message(text, language, mapped), ctx))


def flagged(findings: list[Finding], text: str) -> list[str]:
    return [text[f.start : f.end] for f in findings]


# jargon/officialese


def test_officialese_flags_amtsdeutsch_with_replacement_and_reason() -> None:
    text = "Zwecks Prüfung bitten wir um Zusendung der Unterlagen."
    findings = run("jargon/officialese", text)
    assert flagged(findings, text) == ["Zwecks", "Zusendung"]
    first = findings[0]
    assert first.message.startswith('Officialese "Zwecks": use "für" or "um … zu".')
    assert "Amtsdeutsch" in first.message
    assert (first.line, first.column) == (1, 1)
    assert first.severity is Severity.WARNING


def test_officialese_matches_inflected_forms_and_phrases_across_line_breaks() -> None:
    text = "Die unverzügliche Zahlung.\nHiermit teilen wir\nIhnen mit, dass alles gut ist."
    findings = run("jargon/officialese", text)
    assert flagged(findings, text) == ["unverzügliche", "Hiermit teilen wir\nIhnen mit"]
    assert findings[1].line == 2 and findings[1].end_line == 3
    assert 'Officialese "Hiermit teilen wir Ihnen mit"' in findings[1].message


def test_officialese_plain_german_is_not_flagged() -> None:
    text = (
        "Danke für Ihre Bestellung. Wir schicken Ihnen das Paket morgen. Fragen? Schreiben Sie uns."
    )
    assert run("jargon/officialese", text) == []


def test_fix_only_for_entries_marked_fix_and_exact_form() -> None:
    text = "Nunmehr ist alles erledigt. Zwecks Klärung rufen wir an."
    findings = run("jargon/officialese", text)
    nunmehr, zwecks = findings
    assert nunmehr.fix is not None
    assert nunmehr.fix.edits[0].replacement == "Nun"  # capitalisation follows the text
    assert (nunmehr.fix.edits[0].start, nunmehr.fix.edits[0].end) == (0, 7)
    assert zwecks.fix is None  # fix: false in the pack (several alternatives)


def test_no_fix_for_inflected_forms() -> None:
    findings = run("jargon/anglicism", "Bitte prüfen Sie Ihre Vouchers und den Voucher.")
    assert [f.fix is not None for f in findings] == [False, True]


def test_no_fix_when_text_is_not_literal_source() -> None:
    # "&uuml;" in the source decoded to "ü": the word is reported, but not fixed in place.
    text = "Nunmehr gültig."
    mapped = MappedText(
        text, [Chunk(0, 3, 0, 3, True), Chunk(3, 4, 3, 9, False), Chunk(4, len(text), 9, 20, True)]
    )
    (finding,) = run("jargon/officialese", text, mapped=mapped)
    assert finding.fix is None
    assert (finding.start, finding.end) == (0, 12)


def test_words_only_from_placeholder_values_are_not_reported() -> None:
    text = "Hallo Zwecks Meier, danke."
    # "Zwecks Meier" is a sample value (generated chunk), the rest is template text.
    mapped = MappedText(
        text,
        [Chunk(0, 6, 0, 6, True), Chunk(6, 18, 6, 20, False), Chunk(18, len(text), 20, 28, True)],
    )
    assert run("jargon/officialese", text, mapped=mapped) == []


def test_configured_severity_wins_over_pack_severity() -> None:
    text = "Wir haben Ihre Anschrift."  # entry severity: info
    (finding,) = run("jargon/officialese", text)
    assert finding.severity is Severity.INFO
    (finding,) = run("jargon/officialese", text, severity=Severity.ERROR)
    assert finding.severity is Severity.ERROR


def test_allow_option() -> None:
    assert run("jargon/officialese", "zwecks Klärung", options={"allow": ["Zwecks"]}) == []


# jargon/anglicism


def test_anglicisms_flagged_but_established_loanwords_are_not() -> None:
    text = "Bitte geben Sie uns bis zur Deadline Feedback zu Ihrem Account."
    assert flagged(run("jargon/anglicism", text), text) == ["Deadline", "Feedback", "Account"]
    ok = "Unser Newsletter kommt per E-Mail; online im Shop oder in der App finden Sie den Link."
    assert run("jargon/anglicism", ok) == []


def test_anglicism_parts_of_compounds_are_not_flagged() -> None:
    text = "Ihr Accountmanager, der Account-Manager und das E-Mail-Update-Team."
    assert run("jargon/anglicism", text) == []


def test_anglicism_plural_and_denglish_verbs() -> None:
    text = "Die Updates sind da. Bitte loggen Sie sich ein und checken Sie die Deadlines."
    assert flagged(run("jargon/anglicism", text), text) == [
        "Updates",
        "loggen Sie sich ein",
        "checken",
        "Deadlines",
    ]


def test_german_rules_do_not_run_on_english_messages() -> None:
    assert run("jargon/anglicism", "Update your account before the deadline.", "en") == []


# jargon/term


def test_industry_jargon_including_compounds() -> None:
    text = "Die Rufnummernportierung und die Wertstellung erfolgen morgen."
    findings = run("jargon/term", text)
    assert flagged(findings, text) == ["Rufnummernportierung", "Wertstellung"]
    assert findings[0].message.startswith(
        'Industry jargon (telecom) "Rufnummernportierung" (contains "portierung")'
    )
    assert findings[0].fix is None


def test_industries_option_limits_packs() -> None:
    text = "Die Portierung und die Wertstellung."
    only_banking = run("jargon/term", text, options={"industries": ["banking"]})
    assert flagged(only_banking, text) == ["Wertstellung"]


def test_term_does_not_flag_everyday_shop_words() -> None:
    text = "Ihre Sendungsverfolgung: Das Paket ist in der Packstation. Der Warenkorb ist leer."
    assert run("jargon/term", text) == []


def test_english_industry_jargon() -> None:
    text = "Your porting request failed and your speed is throttled."
    assert flagged(run("jargon/term", text, "en"), text) == ["porting request", "throttled"]


# jargon/plain-english


def test_plain_english_wordy_phrases_and_words() -> None:
    text = "Prior to utilizing your account, please verify it in order to\ncommence."
    findings = run("jargon/plain-english", text, "en")
    assert flagged(findings, text) == ["Prior to", "utilizing", "in order to", "commence"]
    prior = findings[0]
    assert prior.fix is not None and prior.fix.edits[0].replacement == "Before"
    assert findings[2].fix is not None and findings[2].fix.edits[0].replacement == "to"


def test_plain_english_leaves_plain_text_alone() -> None:
    text = "Before you use your account, please confirm your address to get started."
    assert run("jargon/plain-english", text, "en") == []


def test_plain_english_ignores_german_messages() -> None:
    assert run("jargon/plain-english", "in order to", "de") == []


def test_rules_accept_pack_resources_from_the_pipeline() -> None:
    info = get_info("jargon/officialese")
    assert info is not None
    check = next(r.check for r in check_rules() if r.info.id == info.id)
    ctx = RuleContext(info, {}, info.severity, PackResources([]))
    assert list(check(message("zwecks"), ctx)) == []


@pytest.mark.parametrize(
    "rule_id", ["jargon/officialese", "jargon/anglicism", "jargon/term", "jargon/plain-english"]
)
def test_rules_are_documented(rule_id: str) -> None:
    info = get_info(rule_id)
    assert info is not None and info.doc.bad and info.doc.good and info.fixable
