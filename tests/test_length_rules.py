from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from msglint.channels.metrics import channel_metrics
from msglint.mapping import Chunk, MappedText
from msglint.model import Finding, Message, Part, Severity, TemplateFile, TemplateMeta, Variant
from msglint.rules import length
from msglint.rules.registry import RuleContext, get_info


def make_message(
    channel: str,
    parts: dict[str, str],
    samples: list[dict[str, str]] | None = None,
    channel_data: dict[str, Any] | None = None,
    placeholders: dict[str, tuple[int, int]] | None = None,
) -> Message:
    """A message whose parts are literal copies of a file of ``name: text`` lines.

    ``samples`` give further variants (part name → text), mapped as generated text over the
    part's source. ``placeholders`` mark (start, end) of a part as generated (not literal).
    """
    file_text = ""
    sources: dict[str, MappedText] = {}
    primary: dict[str, Part] = {}
    for name, text in parts.items():
        file_text += f"{name}: "
        offset = len(file_text)
        file_text += text + "\n"
        mapped = MappedText.identity(text, offset)
        if placeholders and name in placeholders:
            start, end = placeholders[name]
            mapped = MappedText(
                text,
                [
                    Chunk(0, start, offset, offset + start, True),
                    Chunk(start, end, offset + start, offset + end, False),
                    Chunk(end, len(text), offset + end, offset + len(text), True),
                ],
            )
        sources[name] = MappedText.identity(text, offset)
        primary[name] = Part(name, mapped)
    template = TemplateFile(
        path=Path(f"t.{channel}"),
        display_path=f"t.{channel}",
        text=file_text,
        body_start=0,
        meta=TemplateMeta(channel=channel),
        sources=sources,
    )
    variants = [Variant("sample 1", primary)]
    for index, sample in enumerate(samples or [], start=2):
        variant_parts = dict(primary)
        for name, text in sample.items():
            src = sources[name].chunks[0]
            chunk = Chunk(0, len(text), src.src_start, src.src_end, False)
            variant_parts[name] = Part(name, MappedText(text, [chunk]))
        variants.append(Variant(f"sample {index}", variant_parts))
    return Message(
        template=template,
        channel=channel,
        language="de",
        category=None,
        parts=primary,
        variants=variants,
        channel_data=channel_data or {},
    )


def run(rule_id: str, message: Message, **options: Any) -> list[Finding]:
    info = get_info(rule_id)
    assert info is not None, rule_id
    check = {
        "length/sms-segments": length.check_sms_segments,
        "length/sms-encoding": length.check_sms_encoding,
        "length/push-title": length.check_push_title,
        "length/push-body": length.check_push_body,
        "length/push-payload": length.check_push_payload,
        "length/whatsapp": length.check_whatsapp,
        "length/social": length.check_social,
    }[rule_id]
    return list(check(message, RuleContext(info, options, info.severity, None)))


RULE_IDS = [
    "length/sms-segments",
    "length/sms-encoding",
    "length/push-title",
    "length/push-body",
    "length/push-payload",
    "length/whatsapp",
    "length/social",
]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_length_rule_is_registered_with_full_documentation(rule_id: str) -> None:
    info = get_info(rule_id)
    assert info is not None
    doc = info.doc
    assert all([doc.what, doc.why, doc.bad, doc.good, doc.fix])
    assert set(doc.options) == set(info.options)
    assert info.channels


def test_defaults_come_from_the_limits_pack() -> None:
    assert get_info("length/sms-segments").options == {"max": 3}  # type: ignore[union-attr]
    assert get_info("length/social").options == {"max": 280}  # type: ignore[union-attr]
    assert get_info("length/push-payload").options == {"max_bytes": 4096}  # type: ignore[union-attr]


# --- length/sms-segments -------------------------------------------------------------------


def test_sms_of_exactly_three_segments_passes() -> None:
    assert run("length/sms-segments", make_message("sms", {"body": "a" * 459})) == []


def test_sms_of_four_segments_is_reported_from_the_first_character_over_the_limit() -> None:
    message = make_message("sms", {"body": "a" * 460})
    [finding] = run("length/sms-segments", message)
    assert finding.severity == Severity.WARNING
    assert "4 segments" in finding.message
    assert "GSM-7, 460 units" in finding.message
    assert "the limit is 3" in finding.message
    assert "shorten by about 1 character" in finding.message
    assert finding.part == "body"
    assert (finding.line, finding.column) == (1, len("body: ") + 459 + 1)


def test_sms_segments_option_max_overrides_the_default() -> None:
    message = make_message("sms", {"body": "a" * 161})
    assert run("length/sms-segments", message) == []
    [finding] = run("length/sms-segments", message, max=1)
    assert "2 segments" in finding.message
    assert "the limit is 1" in finding.message


def test_sms_segments_reports_the_worst_sample_by_name() -> None:
    message = make_message("sms", {"body": "Hallo Max"}, samples=[{"body": "a" * 500}])
    [finding] = run("length/sms-segments", message)
    assert "with sample 2" in finding.message
    assert "4 segments" in finding.message


def test_sms_segments_suggests_gsm_replacements_when_they_help() -> None:
    message = make_message("sms", {"body": "„" + "a" * 200 + "“"})
    [finding] = run("length/sms-segments", message, max=2)
    assert "UCS-2" in finding.message
    assert "2 segments as GSM-7" in finding.message


# --- length/sms-encoding -------------------------------------------------------------------


def test_german_quotes_are_reported_one_by_one_with_fix() -> None:
    message = make_message("sms", {"body": "Ihr Code „4711“ ist gültig."})
    findings = run("length/sms-encoding", message)
    assert len(findings) == 2
    first, second = findings
    assert "„ U+201E DOUBLE LOW-9 QUOTATION MARK" in first.message
    assert "“ U+201C LEFT DOUBLE QUOTATION MARK" in second.message
    assert "UCS-2" in first.message
    assert first.fix is not None
    assert first.fix.description == "replace „ U+201E DOUBLE LOW-9 QUOTATION MARK with '\"'"
    [edit] = first.fix.edits
    assert message.template.text[edit.start : edit.end] == "„"
    assert edit.replacement == '"'


def test_fix_of_all_findings_restores_gsm7() -> None:
    message = make_message("sms", {"body": "Heute – „sofort“… bitte\u00a0zahlen"})
    findings = run("length/sms-encoding", message)
    text = message.template.text
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        assert finding.fix is not None
        for edit in finding.fix.edits:
            text = text[: edit.start] + edit.replacement + text[edit.end :]
    assert text == 'body: Heute - "sofort"... bitte zahlen\n'


def test_soft_hyphen_fix_removes_it() -> None:
    message = make_message("sms", {"body": "Ver\u00adsand"})
    [finding] = run("length/sms-encoding", message)
    assert "U+00AD SOFT HYPHEN" in finding.message
    assert finding.fix is not None
    assert finding.fix.edits[0].replacement == ""
    assert finding.fix.description.startswith("remove")


def test_pure_gsm_sms_has_no_encoding_finding() -> None:
    message = make_message("sms", {"body": "Grüße aus Köln: 5 € für {Kaffee} & [Kuchen]"})
    assert run("length/sms-encoding", message) == []


def test_emoji_forcing_ucs2_anyway_gives_one_info_instead_of_a_storm() -> None:
    message = make_message("sms", {"body": "„Danke“ – 😀 und Привет"})
    [finding] = run("length/sms-encoding", message)
    assert finding.severity == Severity.INFO
    assert "U+1F600 GRINNING FACE" in finding.message
    assert "CYRILLIC" in finding.message
    assert finding.fix is None


def test_no_fix_inside_placeholder_values() -> None:
    text = "Hallo „Max“"
    message = make_message("sms", {"body": text}, placeholders={"body": (6, 11)})
    findings = run("length/sms-encoding", message)
    assert len(findings) == 2
    assert all(f.fix is None for f in findings)


# --- push ----------------------------------------------------------------------------------


def test_push_title_of_50_visible_characters_passes_and_51_warns() -> None:
    assert run("length/push-title", make_message("push", {"title": "a" * 50})) == []
    [finding] = run("length/push-title", make_message("push", {"title": "a" * 51}))
    assert finding.severity == Severity.WARNING
    assert "51 visible characters" in finding.message
    assert finding.column == len("title: ") + 50 + 1


def test_push_title_counts_an_emoji_sequence_once() -> None:
    assert run("length/push-title", make_message("push", {"title": "a" * 49 + "👨‍👩‍👧"})) == []


def test_push_body_uses_option_max() -> None:
    message = make_message("push", {"title": "Hi", "body": "b" * 120})
    assert run("length/push-body", message) == []
    [finding] = run("length/push-body", message, max=100)
    assert "Push body has 120 visible characters" in finding.message


def test_push_payload_above_4096_bytes_is_an_error() -> None:
    small = make_message("push", {"title": "Hi", "body": "b" * 3000})
    assert run("length/push-payload", small) == []
    # Umlauts take two bytes in UTF-8.
    big = make_message("push", {"title": "Hi", "body": "ä" * 2100})
    [finding] = run("length/push-payload", big)
    assert finding.severity == Severity.ERROR
    assert "4096" in finding.message


# --- WhatsApp ------------------------------------------------------------------------------


def test_whatsapp_parts_within_limits_pass() -> None:
    message = make_message(
        "whatsapp",
        {"header": "h" * 60, "body": "b" * 1024, "footer": "f" * 60, "buttons[0]": "x" * 25},
    )
    assert run("length/whatsapp", message) == []


def test_whatsapp_header_body_footer_and_button_over_limit() -> None:
    message = make_message(
        "whatsapp",
        {"header": "h" * 61, "body": "b" * 1025, "footer": "f" * 61, "buttons[0]": "x" * 26},
    )
    findings = run("length/whatsapp", message)
    messages = [f.message for f in findings]
    assert [f.part for f in findings] == ["header", "body", "footer", "buttons[0]"]
    assert "WhatsApp header has 61 characters; Meta allows 60: shorten by 1" in messages[0]
    assert "button 1 label has 26 characters" in messages[3]
    assert all(f.severity == Severity.ERROR for f in findings)


def test_whatsapp_counts_buttons_and_url_buttons_from_channel_data() -> None:
    buttons = [{"text": f"B{i}", "type": "quick_reply"} for i in range(8)]
    buttons += [{"text": f"Link {i}", "type": "URL", "url": "https://x.de"} for i in range(3)]
    message = make_message("whatsapp", {"body": "Hallo"}, channel_data={"buttons": buttons})
    messages = [f.message for f in run("length/whatsapp", message)]
    assert "WhatsApp template has 11 buttons; Meta allows 10" in messages
    assert "WhatsApp template has 3 URL buttons; Meta allows 2" in messages


def test_whatsapp_body_reports_the_longest_sample() -> None:
    message = make_message("whatsapp", {"body": "Hallo"}, samples=[{"body": "b" * 1100}])
    [finding] = run("length/whatsapp", message)
    assert "with sample 2" in finding.message


# --- social --------------------------------------------------------------------------------


def test_post_of_280_passes_and_281_is_an_error() -> None:
    assert run("length/social", make_message("social", {"body": "a" * 280})) == []
    [finding] = run("length/social", make_message("social", {"body": "a" * 281}))
    assert finding.severity == Severity.ERROR
    assert "weighted length of 281" in finding.message
    assert finding.column == len("body: ") + 280 + 1


def test_post_counts_urls_as_23() -> None:
    body = "a" * 256 + " https://example.com/" + "x" * 100  # 256 + 1 + 23 = 280
    assert run("length/social", make_message("social", {"body": body})) == []
    [finding] = run("length/social", make_message("social", {"body": "a" + body}))
    assert "weighted length of 281" in finding.message


# --- metrics -------------------------------------------------------------------------------


def test_channel_metrics_per_channel() -> None:
    sms = make_message("sms", {"body": "Hallo"}, samples=[{"body": "„" + "a" * 80}])
    assert channel_metrics(sms) == {"sms": {"encoding": "UCS-2", "units": 81, "segments": 2}}
    social = make_message("social", {"body": "日本"})
    assert channel_metrics(social) == {"social": {"weighted_length": 4}}
    push = make_message("push", {"title": "Hi", "body": "Ä"})
    payload = '{"aps":{"alert":{"title":"Hi","body":"Ä"}}}'.encode()
    assert channel_metrics(push) == {
        "push": {"title_chars": 2, "body_chars": 1, "payload_bytes": len(payload)}
    }
    whatsapp = make_message("whatsapp", {"header": "H", "body": "Body", "buttons[0]": "OK"})
    assert channel_metrics(whatsapp) == {
        "whatsapp": {
            "header_chars": 1,
            "body_chars": 4,
            "footer_chars": 0,
            "buttons": 1,
            "url_buttons": 0,
        }
    }
    email = make_message("email", {"subject": "Hi", "body": "Text"})
    assert channel_metrics(email) == {}
