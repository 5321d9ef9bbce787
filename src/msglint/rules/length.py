"""``length/``: channel limits: SMS segments and encoding, push, WhatsApp and social lengths.

Length rules judge the worst variant (the longest sample, or placeholders at their
``max_length``) and name it, because the customer with the longest name is the one whose
message is cut off.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from msglint.channels.emoji import visible_length, visible_overflow
from msglint.channels.limits import default_limit
from msglint.channels.metrics import (
    button_count,
    main_part,
    part_text,
    push_payload,
    social_length,
    url_button_count,
    variant_label,
    variants_of,
    worst_sms,
    worst_variant,
)
from msglint.channels.sms import (
    GSM_REPLACEMENTS,
    analyse_sms,
    capacity,
    overflow_offset,
    replace_for_gsm,
)
from msglint.channels.social import overflow_offset as social_overflow_offset
from msglint.model import Finding, Message, Part, Severity
from msglint.rules.registry import RuleContext, RuleDoc, rule

_LIMITS_NOTE = "Default from rules/channels/limits.yaml"


def describe_char(char: str) -> str:
    """``„ U+201E DOUBLE LOW-9 QUOTATION MARK``; invisible characters without the glyph."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    label = f"{code} {name}".strip()
    if unicodedata.category(char)[0] in "ZC":  # spaces and controls would print as nothing
        return label
    return f"{char} {label}"


def _int_option(ctx: RuleContext, name: str, channel: str, limit: str) -> int:
    value = ctx.option(name)
    return int(value) if value is not None else default_limit(channel, limit)


def _tail(ctx: RuleContext, message: Message, part: Part, start: int | None, text: str) -> Finding:
    """A finding from ``start`` (the first character over the limit) to the part's end."""
    if start is None or start >= len(part.text):
        return ctx.at_part(message, part, text)
    return ctx.at(message, part, start, len(part.text), text)


# --- SMS -----------------------------------------------------------------------------------


@rule(
    "length/sms-segments",
    severity="warning",
    summary="SMS needs more segments than allowed",
    doc=RuleDoc(
        what=(
            "Counts the segments an SMS needs with its worst sample: GSM-7 fits 160 characters "
            "in one SMS and 153 per segment of a long SMS (€ [ ] { } ^ ~ | \\ count twice); "
            "one character outside the GSM alphabet switches to UCS-2 with 70 and 67."
        ),
        why=(
            "Every segment is billed, and long SMS arrive in pieces or out of order on some "
            "phones. A reminder that takes four segments costs four times as much and is "
            "harder to read on a small screen."
        ),
        bad=(
            "Sehr geehrte Kundin, sehr geehrter Kunde, wir möchten Sie hiermit darüber "
            "informieren, dass ... (480 characters, 4 segments)"
        ),
        good="Ihr Paket kommt morgen zwischen 10 und 12 Uhr. Verschieben: https://x.de/p/123",
        fix=(
            "Shorten the text to what the customer needs now and link to the rest; replace "
            "typographic characters that force UCS-2 (see length/sms-encoding)."
        ),
        options={"max": f"Maximum segments. {_LIMITS_NOTE} (sms.max_segments, 3)."},
    ),
    options={"max": default_limit("sms", "max_segments")},
    channels=("sms",),
)
def check_sms_segments(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    max_segments = _int_option(ctx, "max", "sms", "max_segments")
    variant, analysis = worst_sms(message)
    part = main_part(variant)
    if part is None or analysis.segments <= max_segments:
        return
    room = capacity(analysis.encoding, max_segments)
    over = analysis.units - room
    text = (
        f"SMS needs {analysis.segments} segments{variant_label(message, variant)} "
        f"({analysis.encoding}, {analysis.units} units); the limit is {max_segments}: "
        f"shorten by about {over} {'character' if over == 1 else 'characters'}"
    )
    if analysis.encoding == "UCS-2":
        replaced = analyse_sms(replace_for_gsm(part.text))
        if replaced.encoding == "GSM-7":
            text += (
                f", or replace the typographic characters that force UCS-2 "
                f"({replaced.segments} segments as GSM-7)"
            )
    yield _tail(ctx, message, part, overflow_offset(part.text, max_segments), text)


@rule(
    "length/sms-encoding",
    severity="warning",
    summary="Characters that switch an SMS to UCS-2 and have a GSM-7 replacement",
    doc=RuleDoc(
        what=(
            "Finds characters outside the GSM 03.38 alphabet (typographic quotes „ “ ” ‚ ‘ ’, "
            "dashes – —, …, non-breaking and thin spaces, soft hyphens) that switch the whole "
            "SMS to UCS-2, when replacing them would make the SMS GSM-7 again. If other "
            "characters (emoji, Cyrillic, ...) need UCS-2 anyway, reports one info instead."
        ),
        why=(
            "UCS-2 halves the room per SMS (70 instead of 160 characters), so one curly quote "
            "copied from a word processor can double the cost of every message sent."
        ),
        bad="Ihr Code: 4711 – gültig bis „morgen“…",
        good='Ihr Code: 4711 - gültig bis "morgen"...',
        fix=(
            "Replace each character with its GSM equivalent (msglint check --fix does this "
            "for literal template text); the table is rules/channels/gsm-replacements.yaml."
        ),
    ),
    channels=("sms",),
    fixable=True,
)
def check_sms_encoding(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    for part in message.parts.values():
        yield from _encoding_findings(message, part, ctx)


def _encoding_findings(message: Message, part: Part, ctx: RuleContext) -> Iterator[Finding]:
    analysis = analyse_sms(part.text)
    if analysis.encoding == "GSM-7":
        return
    table = GSM_REPLACEMENTS
    stubborn = [(i, c) for i, c in analysis.chars_forcing_ucs2 if c not in table]
    if stubborn:
        yield _stubborn_finding(message, part, ctx, stubborn)
        return
    after = analyse_sms(replace_for_gsm(part.text))
    count = len(analysis.chars_forcing_ucs2)
    if after.segments != analysis.segments:
        gain = (
            f"with all {count} replaced the SMS is GSM-7: {after.segments} instead of "
            f"{analysis.segments} {'segment' if analysis.segments == 1 else 'segments'}"
        )
    else:
        replaced = f"with all {count} replaced, " if count > 1 else ""
        gain = f"{replaced}GSM-7 allows 160 instead of 70 characters per SMS"
    for offset, char in analysis.chars_forcing_ucs2:
        replacement = table[char]
        if replacement:
            advice = f"use {replacement!r} instead"
            description = f"replace {describe_char(char)} with {replacement!r}"
        else:
            advice = "remove it"
            description = f"remove {describe_char(char)}"
        text = f"{describe_char(char)} switches this SMS to UCS-2; {advice} ({gain})"
        yield ctx.at(message, part, offset, offset + 1, text, fix=(description, replacement))


def _stubborn_finding(
    message: Message, part: Part, ctx: RuleContext, stubborn: list[tuple[int, str]]
) -> Finding:
    distinct = list(dict.fromkeys(c for _, c in stubborn))
    shown = ", ".join(describe_char(c) for c in distinct[:5])
    more = f" and {len(distinct) - 5} more" if len(distinct) > 5 else ""
    offset = stubborn[0][0]
    text = (
        f"This SMS is sent as UCS-2 (70 characters per SMS, 67 per segment) because of "
        f"{shown}{more}; replacing typographic characters would not make it GSM-7"
    )
    return ctx.at(message, part, offset, offset + 1, text, severity=Severity.INFO)


# --- Push ----------------------------------------------------------------------------------


def _visible_check(
    message: Message, ctx: RuleContext, name: str, limit_name: str, what: str
) -> Iterator[Finding]:
    limit = _int_option(ctx, "max", "push", limit_name)
    variant, chars = worst_variant(message, lambda v: visible_length(part_text(v, name)))
    part = variant.parts.get(name)
    if part is None or chars <= limit:
        return
    text = (
        f"Push {what} has {chars} visible characters{variant_label(message, variant)}; "
        f"lock screens cut it off after about {limit}: put the key information first "
        f"and shorten by {chars - limit}"
    )
    yield _tail(ctx, message, part, visible_overflow(part.text, limit), text)


@rule(
    "length/push-title",
    severity="warning",
    summary="Push title longer than a lock screen shows",
    doc=RuleDoc(
        what="Counts the visible characters of a push title (an emoji counts one).",
        why=(
            "iOS and Android show one line of title on the lock screen; the rest is cut off "
            "with an ellipsis, often exactly where the important word is."
        ),
        bad="title: Wichtige Information zu Ihrer Bestellung 123456789 vom 12.03.",
        good="title: Bestellung 123456789 verschickt",
        fix="Put the news into the first words; move details into the body.",
        options={"max": f"Maximum visible characters. {_LIMITS_NOTE} (push.title_chars, 50)."},
    ),
    options={"max": default_limit("push", "title_chars")},
    channels=("push",),
)
def check_push_title(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    yield from _visible_check(message, ctx, "title", "title_chars", "title")


@rule(
    "length/push-body",
    severity="warning",
    summary="Push body longer than a lock screen shows",
    doc=RuleDoc(
        what="Counts the visible characters of a push body (an emoji counts one).",
        why=(
            "The lock screen shows a few lines of the body; customers who do not open the "
            "notification never see the rest, such as the deadline or the action."
        ),
        bad=(
            "body: Wir möchten Sie darüber informieren, dass Ihre Bestellung aufgrund von "
            "Verzögerungen bei unserem Logistikpartner leider erst ... (220 characters)"
        ),
        good="body: Ihre Bestellung kommt 2 Tage später, am Freitag. Details in der App.",
        fix="Say what happened and what the customer must do in the first sentence.",
        options={"max": f"Maximum visible characters. {_LIMITS_NOTE} (push.body_chars, 150)."},
    ),
    options={"max": default_limit("push", "body_chars")},
    channels=("push",),
)
def check_push_body(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    yield from _visible_check(message, ctx, "body", "body_chars", "body")


@rule(
    "length/push-payload",
    severity="error",
    summary="Push payload larger than APNs/FCM accept",
    doc=RuleDoc(
        what=(
            "Estimates the bytes of the smallest APNs payload carrying the title and body "
            '({"aps":{"alert":{"title":…,"body":…}}}, UTF-8 JSON).'
        ),
        why=(
            "APNs and FCM reject notifications above 4096 bytes: the customer gets nothing. "
            "Umlauts take 2 bytes and emoji 4, and real payloads add more fields."
        ),
        bad="body: (a 4,000 character text pasted from the e-mail version)",
        good="body: Ihre Rechnung für März ist da. Tippen Sie, um sie anzusehen.",
        fix="Send a short notification and show the long text in the app.",
        options={"max_bytes": f"Maximum payload bytes. {_LIMITS_NOTE} (push.payload_bytes)."},
    ),
    options={"max_bytes": default_limit("push", "payload_bytes")},
    channels=("push",),
)
def check_push_payload(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    limit = _int_option(ctx, "max_bytes", "push", "payload_bytes")
    variant, size = worst_variant(message, push_payload)
    if size <= limit:
        return
    part = variant.parts.get("body") or variant.parts.get("title")
    text = (
        f"Push payload is at least {size} bytes{variant_label(message, variant)}; "
        f"APNs and FCM reject more than {limit}: shorten the body"
    )
    if part is None:
        yield ctx.at_line(message, 1, text)
        return
    yield ctx.at_part(message, part, text)


# --- WhatsApp ------------------------------------------------------------------------------


_WHATSAPP_TEXT_PARTS = (
    ("header", "header_chars"),
    ("body", "body_chars"),
    ("footer", "footer_chars"),
)


@rule(
    "length/whatsapp",
    severity="error",
    summary="WhatsApp template over Meta's limits",
    doc=RuleDoc(
        what=(
            "Checks a WhatsApp template against Meta's limits: header 60, body 1024, footer "
            "60 characters, button labels 25 characters, at most 10 buttons and 2 URL "
            "buttons. Lengths use the worst sample."
        ),
        why=(
            "Meta rejects templates over these limits, and a message sent with a too-long "
            "placeholder value fails: the customer receives nothing."
        ),
        bad="buttons: [{text: Jetzt Ihre Sendungsverfolgung öffnen, type: url, url: ...}]",
        good="buttons: [{text: Sendung verfolgen, type: url, url: ...}]",
        fix="Shorten the part; move details into the body or behind the link.",
        options={
            "header": f"Header characters. {_LIMITS_NOTE} (whatsapp.header_chars, 60).",
            "body": f"Body characters. {_LIMITS_NOTE} (whatsapp.body_chars, 1024).",
            "footer": f"Footer characters. {_LIMITS_NOTE} (whatsapp.footer_chars, 60).",
            "button": f"Button label characters. {_LIMITS_NOTE} (whatsapp.button_chars, 25).",
            "max_buttons": f"Buttons. {_LIMITS_NOTE} (whatsapp.max_buttons, 10).",
            "max_url_buttons": f"URL buttons. {_LIMITS_NOTE} (whatsapp.max_url_buttons, 2).",
        },
    ),
    options={
        "header": default_limit("whatsapp", "header_chars"),
        "body": default_limit("whatsapp", "body_chars"),
        "footer": default_limit("whatsapp", "footer_chars"),
        "button": default_limit("whatsapp", "button_chars"),
        "max_buttons": default_limit("whatsapp", "max_buttons"),
        "max_url_buttons": default_limit("whatsapp", "max_url_buttons"),
    },
    channels=("whatsapp",),
)
def check_whatsapp(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    for name, limit_name in _WHATSAPP_TEXT_PARTS:
        limit = _int_option(ctx, name, "whatsapp", limit_name)
        yield from _chars_check(message, ctx, name, limit, f"WhatsApp {name}")
    button_limit = _int_option(ctx, "button", "whatsapp", "button_chars")
    button_names = sorted(
        {n for v in variants_of(message) for n in v.parts if n.startswith("buttons[")},
        key=_button_index,
    )
    for name in button_names:
        label = f"WhatsApp button {_button_index(name) + 1} label"
        yield from _chars_check(message, ctx, name, button_limit, label)
    yield from _button_counts(message, ctx)


def _button_index(name: str) -> int:
    inside = name[len("buttons[") :].split("]", 1)[0]
    return int(inside) if inside.isdigit() else 0


def _chars_check(
    message: Message, ctx: RuleContext, name: str, limit: int, what: str
) -> Iterator[Finding]:
    variant, chars = worst_variant(message, lambda v: len(part_text(v, name)))
    part = variant.parts.get(name)
    if part is None or chars <= limit:
        return
    text = (
        f"{what} has {chars} characters{variant_label(message, variant)}; "
        f"Meta allows {limit}: shorten by {chars - limit}"
    )
    yield _tail(ctx, message, part, limit, text)


def _button_counts(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    max_buttons = _int_option(ctx, "max_buttons", "whatsapp", "max_buttons")
    max_url = _int_option(ctx, "max_url_buttons", "whatsapp", "max_url_buttons")
    _, count = worst_variant(message, lambda v: button_count(message, v))
    anchor = _button_anchor(message)
    if count > max_buttons:
        yield _at_anchor(
            message,
            ctx,
            anchor,
            f"WhatsApp template has {count} buttons; Meta allows {max_buttons}",
        )
    urls = url_button_count(message)
    if urls > max_url:
        yield _at_anchor(
            message, ctx, anchor, f"WhatsApp template has {urls} URL buttons; Meta allows {max_url}"
        )


def _button_anchor(message: Message) -> Part | None:
    names = sorted((n for n in message.parts if n.startswith("buttons[")), key=_button_index)
    return message.parts[names[0]] if names else None


def _at_anchor(message: Message, ctx: RuleContext, part: Part | None, text: str) -> Finding:
    if part is None:
        return ctx.at_line(message, 1, text, part="buttons")
    return ctx.at_part(message, part, text)


# --- Social --------------------------------------------------------------------------------


@rule(
    "length/social",
    severity="error",
    summary="Post longer than X/Twitter allows (280 weighted)",
    doc=RuleDoc(
        what=(
            "Counts a post as X/Twitter does (twitter-text v3): most Latin, Greek and Cyrillic "
            "characters count 1, CJK characters and emoji 2, every URL 23."
        ),
        why="Posts over 280 cannot be published; scheduled posts fail silently.",
        bad="(a 300-character announcement with two long tracking links)",
        good="Neue Öffnungszeiten ab 1. April: Mo-Fr 8-20 Uhr. Alle Filialen: https://x.de/f",
        fix="Shorten the text; every link counts 23 however long it is.",
        options={"max": f"Maximum weighted length. {_LIMITS_NOTE} (social.weighted_length)."},
    ),
    options={"max": default_limit("social", "weighted_length")},
    channels=("social",),
)
def check_social(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    limit = _int_option(ctx, "max", "social", "weighted_length")
    variant, length = worst_variant(message, social_length)
    part = main_part(variant)
    if part is None or length <= limit:
        return
    text = (
        f"Post has a weighted length of {length}{variant_label(message, variant)}; "
        f"X/Twitter allows {limit}: shorten by {length - limit}"
    )
    yield _tail(ctx, message, part, social_overflow_offset(part.text, limit), text)
