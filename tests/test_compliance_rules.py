from __future__ import annotations

import datetime as dt

from compliance_helpers import OPTOUT_V2, OPTOUT_V3, PACK_YAML, Res, make_message, make_set
from msglint.model import Finding, Message, Severity
from msglint.rules.compliance import validate_suppression
from msglint.rules.registry import RuleContext, get_info

UNSUB = "Newsletter abbestellen: https://example.com/u"


def findings(message: Message, rule_id: str, cset: object | None = None) -> list[Finding]:
    from msglint.rules import registry

    registry.load_all()
    info = get_info(rule_id)
    assert info is not None
    check = registry._REGISTRY[rule_id].check
    ctx = RuleContext(info, {}, info.severity, Res(cset or make_set()))  # type: ignore[arg-type]
    return list(check(message, ctx))


def all_findings(message: Message, cset: object | None = None) -> dict[str, list[Finding]]:
    ids = [
        "missing-block", "altered-block", "outdated-block", "expired-block",
        "not-yet-valid-block", "conditional-block", "misplaced-block", "forbidden-claim",
    ]  # fmt: skip
    found = {f"compliance/{i}": findings(message, f"compliance/{i}", cset) for i in ids}
    return {k: v for k, v in found.items() if v}


def test_rewrapped_approved_text_is_ok() -> None:
    wrapped = OPTOUT_V3.replace(" für ", "\nfür ").replace(", ohne", ",\n  ohne")
    message = make_message(f"Hallo,\n\nneue Angebote.\n\n{UNSUB}\n{wrapped}\n")
    assert all_findings(message) == {}


def test_missing_block_is_reported() -> None:
    message = make_message(f"Hallo,\n\nneue Angebote.\n{UNSUB}\n")
    [f] = all_findings(message)["compliance/missing-block"]
    assert "optout-werbung-de" in f.message and f.line == 1


def test_one_word_changed_is_altered_and_names_the_word() -> None:
    text = f"Hallo,\n{UNSUB}\n" + OPTOUT_V3.replace("jederzeit", "nicht")
    result = all_findings(make_message(text))
    assert list(result) == ["compliance/altered-block"]
    [f] = result["compliance/altered-block"]
    assert "'jederzeit' changed to 'nicht'" in f.message
    assert f.line == 3


def test_block_via_include_is_ok() -> None:
    message = make_message(
        f"Hallo,\n{UNSUB}\n[footer]\n", channel_data={"includes": ["./legal/optout.de.j2"]}
    )
    assert all_findings(message) == {}


def test_block_inside_if_is_conditional() -> None:
    text = f"Hallo,\n{UNSUB}\n{{% if consent %}}\n{OPTOUT_V3}\n{{% endif %}}\n"
    start = text.index("{% if")
    end = text.index("{% endif %}") + len("{% endif %}")
    message = make_message(text, channel_data={"conditional_ranges": [(start, end)]})
    result = all_findings(message)
    assert list(result) == ["compliance/conditional-block"]
    assert result["compliance/conditional-block"][0].line == 4


def test_block_in_an_unrendered_if_branch_is_conditional_not_missing() -> None:
    source = f"Hallo,\n{UNSUB}\n{{% if consent %}}\n{OPTOUT_V3}\n{{% endif %}}\n"
    start, end = source.index("{% if"), len(source)
    message = make_message(source, channel_data={"conditional_ranges": [(start, end)]})
    # The rendered body lacks the block (consent was false), the source has it.
    rendered = f"Hallo,\n{UNSUB}\n"
    message.parts["body"].content = type(message.parts["body"].content).identity(rendered, 0)
    result = all_findings(message)
    assert list(result) == ["compliance/conditional-block"]
    assert "line 4" in result["compliance/conditional-block"][0].message


def test_block_missing_in_another_sample_is_conditional() -> None:
    text = f"Hallo,\n{UNSUB}\n{OPTOUT_V3}\n"
    message = make_message(text, variants=[text, f"Hallo,\n{UNSUB}\n"])
    [f] = all_findings(message)["compliance/conditional-block"]
    assert "sample 2" in f.message


def test_older_version_is_outdated() -> None:
    result = all_findings(make_message(f"Hallo,\n{UNSUB}\n{OPTOUT_V2}\n"))
    assert list(result) == ["compliance/outdated-block"]
    [f] = result["compliance/outdated-block"]
    assert "version 2; the current approved version is 3" in f.message


def test_expired_block() -> None:
    cset = make_set(today=dt.date(2027, 6, 1))
    result = all_findings(make_message(f"Hallo,\n{UNSUB}\n{OPTOUT_V3}\n"), cset)
    assert list(result) == ["compliance/expired-block"]
    assert "expired on 2027-03-01" in result["compliance/expired-block"][0].message


def test_not_yet_valid_block() -> None:
    cset = make_set(today=dt.date(2026, 1, 1))
    result = all_findings(make_message(f"Hallo,\n{UNSUB}\n{OPTOUT_V3}\n"), cset)
    assert list(result) == ["compliance/not-yet-valid-block"]


def test_previous_version_is_fine_while_the_new_one_is_not_yet_valid() -> None:
    cset = make_set(today=dt.date(2026, 1, 1))
    assert all_findings(make_message(f"Hallo,\n{UNSUB}\n{OPTOUT_V2}\n"), cset) == {}


def test_html_markup_inside_the_block_is_ok() -> None:
    html = (
        OPTOUT_V3.replace("jederzeit", "<strong>jederzeit</strong>")
        .replace("Übermittlungskosten", "&Uuml;bermittlungs&shy;kosten")
        .replace(", ohne", ",<br>\n ohne")
    )
    message = make_message(f"<p>Hallo,</p><p>{UNSUB}</p>\n<p style='x'>{html}</p>")
    assert all_findings(message) == {}


def test_block_not_at_the_end_is_misplaced() -> None:
    filler = " ".join(["Unsere Angebote sind großartig."] * 20)
    message = make_message(f"Hallo,\n{UNSUB}\n{OPTOUT_V3}\n\n{filler}\n")
    [f] = all_findings(message)["compliance/misplaced-block"]
    assert "must come at the end" in f.message


def test_when_conditions_limit_requirements() -> None:
    assert all_findings(make_message("Ihre Rechnung.", category="transactional")) == {}
    # optout-werbung-de is required for German only; abmelden-de for every language.
    [f] = all_findings(make_message("Our offers.", language="en"))["compliance/missing-block"]
    assert "abmelden-de" in f.message
    assert all_findings(make_message("Dein Code: 1234", channel="sms", category="service")) == {}


def test_forbidden_phrase_and_regex() -> None:
    text = f"Hallo,\n{UNSUB}\n{OPTOUT_V3}\nRisikofrei anlegen mit garantierter Rendite!"
    claims = all_findings(make_message(text))["compliance/forbidden-claim"]
    assert [c.message.split(":")[0] for c in claims] == [
        "Forbidden claim 'Risikofrei'",
        "Forbidden claim 'garantierter Rendite'",
    ]
    assert all(c.line == 4 for c in claims)


def test_forbidden_claim_inside_an_approved_block_is_not_reported() -> None:
    yaml = PACK_YAML.replace("phrase: risikofrei", "phrase: Werbung")
    text = f"Hallo,\n{UNSUB}\n{OPTOUT_V3}\n"
    assert "compliance/forbidden-claim" not in all_findings(make_message(text), make_set(yaml))


def test_pack_severity_applies_unless_configured() -> None:
    yaml = PACK_YAML.replace("placement: end\n", "placement: end\n    severity: warning\n", 1)
    [f] = findings(make_message(f"Hallo,\n{UNSUB}\n"), "compliance/missing-block", make_set(yaml))
    assert f.severity == Severity.WARNING


def test_compliance_suppression_needs_a_reason() -> None:
    assert validate_suppression("compliance/missing-block", None) is not None
    assert validate_suppression("compliance/", "  ") is not None
    assert validate_suppression("*", None) is not None
    assert validate_suppression("compliance/altered-block", "approved by legal, LEGAL-12") is None
    assert validate_suppression("tone/shouting", None) is None
