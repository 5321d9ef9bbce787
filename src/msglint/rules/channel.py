"""``channel/``: content that does not fit the channel it is sent on.

Markup in SMS, push and WhatsApp; links that do not work (or look like phishing) in SMS and
push; emoji in letters and formal messages; what Meta rejects in WhatsApp templates; the
parts a letter needs on paper; personal data on a push lock screen. Lengths and segment counts
are the ``length/`` rules'; word lists are the ``channel-fit`` packs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

from msglint.channels.emoji import emoji_spans
from msglint.channels.social import url_spans
from msglint.lazy import lazy_pattern
from msglint.mapping import MappedText
from msglint.model import Finding, Message, Part
from msglint.rules.channel_words import (
    LanguageWords,
    language_words,
    neutral_words,
    placeholder_key,
)
from msglint.rules.registry import RuleContext, RuleDoc, iter_parts, rule

# --- channel/markup ------------------------------------------------------------------------

_HTML = re.compile(
    r"</?(?:a|b|i|u|s|p|br|hr|div|span|strong|em|img|ul|ol|li|h[1-6]|table|tr|td|font|small|"
    r"sup|sub|center|blockquote)\b[^<>]*>|&(?:nbsp|amp|lt|gt|quot|euro|shy|auml|ouml|uuml|szlig);",
    re.IGNORECASE,
)
_MD_BOLD = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*|__(?=\S)([^_\n]+?)(?<=\S)__")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_MD_HEADING = re.compile(r"(?m)^#{1,6}[ \t]+\S")


# WhatsApp's own formatting: *bold*, _italic_, ~strike~, ```mono```.
_wa_format = lazy_pattern(r"```[^`]+```|(?<![\w*_~])([*_~])(?=\S)[^\n*_~]*?(?<=\S)\1(?![\w*_~])")


def _markup_findings(
    message: Message, part: Part, ctx: RuleContext, channel: str
) -> Iterator[Finding]:
    text = part.text
    name = part.name.split("[")[0]
    where = {"sms": "an SMS", "push": "a push notification", "whatsapp": "WhatsApp"}[channel]
    for match in _HTML.finditer(text):
        yield ctx.at(
            message,
            part,
            match.start(),
            match.end(),
            f"HTML '{match.group()}' in {where}: it is shown as typed, not formatted",
        )
    for match in _MD_BOLD.finditer(text):
        inner = match.group(1) or match.group(2) or ""
        if channel == "whatsapp" and name != "header":
            advice, replacement = "WhatsApp bolds with single asterisks: *text*", f"*{inner}*"
        else:
            advice, replacement = "the asterisks are shown as typed", inner
        yield ctx.at(
            message,
            part,
            match.start(),
            match.end(),
            f"Markdown bold '{match.group()}' in {where}: {advice}",
            fix=(f"write {replacement!r}", replacement),
        )
    for match in _MD_LINK.finditer(text):
        yield ctx.at(
            message,
            part,
            match.start(),
            match.end(),
            f"Markdown link in {where}: the brackets are shown as typed; write the text and "
            "then the plain URL",
        )
    for match in _MD_HEADING.finditer(text):
        yield ctx.at(
            message,
            part,
            match.start(),
            match.end() - 1,
            f"Markdown heading in {where}: the '#' is shown as typed",
        )
    if channel == "whatsapp" and name == "header":
        for match in _wa_format().finditer(text):
            if _MD_BOLD.fullmatch(match.group()):
                continue  # already reported as Markdown
            yield ctx.at(
                message,
                part,
                match.start(),
                match.end(),
                f"formatting '{match.group()}' in a WhatsApp header: Meta allows none there "
                "(the template is rejected or the marks are shown)",
            )


@rule(
    "channel/markup",
    severity="warning",
    summary="HTML or Markdown in SMS, push or WhatsApp texts; formatting in a WhatsApp header",
    doc=RuleDoc(
        what=(
            "Finds HTML tags and entities (`<b>`, `<br>`, `&nbsp;`) and Markdown (`**bold**`, "
            "`[text](url)`, `# heading`) in SMS, push and WhatsApp texts, and any formatting "
            "in a WhatsApp header. WhatsApp's own `*bold*`, `_italic_`, `~strike~` are fine "
            "in body and footer."
        ),
        why=(
            "These channels show plain text: the customer sees `<b>Ihr Termin</b>` or "
            "`**today**` literally, which looks broken and untrustworthy. Meta rejects "
            "templates whose header has formatting."
        ),
        bad=(
            "SMS: Ihr Termin ist <b>morgen</b>.<br>Absagen: https://praxis.de/a\n"
            "WhatsApp: Your order is **ready** - [track it](https://shop.example/t)"
        ),
        good=(
            "SMS: Ihr Termin ist morgen. Absagen: https://praxis.de/a\n"
            "WhatsApp: Your order is *ready* - track it: https://shop.example/t"
        ),
        fix=(
            "Write plain text; in WhatsApp use *bold* and _italic_ (not in the header); "
            "msglint check --fix turns **bold** into WhatsApp's *bold*."
        ),
    ),
    channels=("sms", "push", "whatsapp"),
    fixable=True,
)
def check_markup(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    for part in message.parts.values():
        yield from _markup_findings(message, part, ctx, message.channel)


# --- channel/link --------------------------------------------------------------------------


def _host(url: str) -> str:
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url, flags=re.IGNORECASE)
    return re.split(r"[/?#:]", rest, maxsplit=1)[0].casefold()


def _is_shortener(host: str) -> bool:
    shorteners = neutral_words().url_shorteners
    return host in shorteners or host.removeprefix("www.") in shorteners


def _urls(part: Part) -> Iterator[tuple[int, int, str]]:
    for start, end in url_spans(part.text):
        yield start, end, part.text[start:end]


@rule(
    "channel/link",
    severity="warning",
    summary="SMS links without https, too long or via public shorteners; links in push text",
    doc=RuleDoc(
        what=(
            "In SMS: `http://` links, URLs longer than `max_url_chars`, and public URL "
            "shorteners (bit.ly, tinyurl.com, ... - rules/channels/channel-fit.yaml). In "
            "WhatsApp: public shorteners in the text and in URL buttons. In push: any URL in "
            "the title or body."
        ),
        why=(
            "An SMS link is the customer's only way on: http:// gets warnings, a 90-character "
            "tracking URL eats half an SMS, and shortened links hide the sender - carriers "
            "filter them and customers are rightly taught not to tap them. Push texts are not "
            "clickable: tapping opens the app, so a URL in the text is dead weight."
        ),
        bad=(
            "SMS: Ihr Paket: http://bit.ly/3xYz\n"
            "Push: Your order shipped! Track it at https://shop.example/t/123"
        ),
        good=(
            "SMS: Ihr Paket: https://paket.de/s/3xYz\n"
            "Push: Your order shipped - tap to track it  (deep link in the payload)"
        ),
        fix=(
            "Use https links on your own short domain; in push, open the page through the "
            "notification's deep link instead of writing the URL."
        ),
        options={"max_url_chars": "Longest SMS URL before it is reported (default 40)."},
    ),
    options={"max_url_chars": 40},
    channels=("sms", "push", "whatsapp"),
)
def check_link(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    max_chars = int(ctx.option("max_url_chars"))
    for part in message.parts.values():
        for start, end, url in _urls(part):
            host = _host(url)
            if message.channel == "push":
                yield ctx.at(
                    message,
                    part,
                    start,
                    end,
                    "URL in a push notification: it cannot be tapped; open the page with a deep "
                    "link in the notification payload",
                )
                continue
            if _is_shortener(host):
                yield ctx.at(
                    message,
                    part,
                    start,
                    end,
                    f"public URL shortener {host}: hides the sender, is filtered by carriers "
                    "and looks like phishing; use a short link on your own domain",
                )
                continue
            if message.channel != "sms":
                continue
            if url.casefold().startswith("http://") and part.mapped.has_literal(start, start + 7):
                yield ctx.at(
                    message,
                    part,
                    start,
                    start + 7,
                    "http:// link in an SMS: use https://",
                )
            if len(url) > max_chars:
                yield ctx.at(
                    message,
                    part,
                    start,
                    end,
                    f"URL of {len(url)} characters takes a large share of the SMS; use a "
                    f"short link on your own domain (at most {max_chars})",
                )
    if message.channel == "whatsapp":
        yield from _button_shorteners(message, ctx)


def _button_shorteners(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    buttons = message.channel_data.get("buttons")
    for index, button in enumerate(buttons if isinstance(buttons, list) else []):
        url = str(button.get("url") or "") if isinstance(button, dict) else ""
        host = _host(url) if url else ""
        if host and _is_shortener(host):
            yield ctx.at_part(
                message,
                f"buttons[{index}]",
                f"URL button uses the public shortener {host}: Meta and customers distrust "
                "hidden link targets; use your own domain",
            )


# --- channel/emoji -------------------------------------------------------------------------


def _formal_settings(ctx: RuleContext) -> tuple[frozenset[str], re.Pattern[str] | None]:
    """The formal categories, and a pattern that finds any of the formal journey words."""
    categories = frozenset(str(c).lower() for c in ctx.option("formal_categories") or [])
    journeys = {str(j).lower() for j in ctx.option("formal_journeys") or []} - {""}
    words = "|".join(re.escape(j) for j in sorted(journeys))
    return categories, re.compile(words) if words else None


def _is_formal(message: Message, ctx: RuleContext) -> bool:
    if message.channel == "letter":
        return True
    categories, journeys = ctx.memo("formal", _formal_settings)
    if (message.category or "").lower() in categories:
        return True
    stage = f"{message.meta.journey or ''} {message.meta.trigger or ''}".lower()
    return journeys is not None and journeys.search(stage) is not None


@rule(
    "channel/emoji",
    severity="warning",
    summary="Emoji in a letter or in a formal message (dunning, termination, legal)",
    doc=RuleDoc(
        what=(
            "Finds emoji in letters, and in messages of the categories in "
            "`formal_categories` or whose `journey`/`trigger` contains one of "
            "`formal_journeys` (dunning, termination, ...). Emoji in SMS are the "
            "length/sms-encoding rule's (they force UCS-2)."
        ),
        why=(
            "On paper emoji print as boxes or black-and-white glyphs, and many letter "
            "systems cannot render them at all. In a reminder, a termination or a legal "
            "notice a smiley reads as not taking the customer's situation seriously."
        ),
        bad="Ihre Kündigung ist eingegangen 👍\nFinal reminder: payment overdue ⚠️",
        good="Ihre Kündigung ist eingegangen.\nFinal reminder: your payment is overdue.",
        fix="Remove the emoji and say it in words.",
        options={
            "formal_categories": "Categories treated as formal (default: none).",
            "formal_journeys": (
                "Words in `journey`/`trigger` that make a message formal (default: dunning, "
                "collection, termination, cancellation, legal, complaint, mahnung, kuendigung)."
            ),
        },
    ),
    options={
        "formal_categories": [],
        "formal_journeys": [
            "dunning",
            "collection",
            "termination",
            "cancellation",
            "legal",
            "complaint",
            "mahnung",
            "kuendigung",
            "kündigung",
        ],
    },
    channels=("letter", "email", "push", "whatsapp", "social"),
)
def check_emoji(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    if not _is_formal(message, ctx):
        return
    where = "a letter" if message.channel == "letter" else "a formal message"
    for part in message.parts.values():
        if part.name == "text":
            continue  # the e-mail's text alternative has no positions in this file
        for start, end in emoji_spans(part.text):
            yield ctx.at(
                message,
                part,
                start,
                end,
                f"emoji '{part.text[start:end]}' in {where}: say it in words",
                fix=("remove the emoji", ""),
            )


# --- channel/whatsapp-template -------------------------------------------------------------

_VARIABLE = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def _source_finding(
    message: Message,
    ctx: RuleContext,
    source: MappedText,
    start: int,
    end: int,
    text: str,
    part: str,
) -> Finding:
    file_start, file_end = source.source_range(start, end)
    return ctx.at_offset(message, file_start, file_end, text, part)


@rule(
    "channel/whatsapp-template",
    severity="error",
    summary="WhatsApp template that Meta rejects: variable at the start/end, adjacent variables",
    doc=RuleDoc(
        what=(
            "Checks the template source of a WhatsApp message: a body that starts or ends "
            "with a variable, two variables with nothing but spaces between them, more than "
            "one variable in the header, and a URL button whose variable is not at the end "
            "of the URL. Button counts (10 buttons, 2 URL buttons) are length/whatsapp's."
        ),
        why=(
            "Meta reviews every template and rejects these forms (they make it impossible to "
            "see what the customer will read); a rejected template means the message is not "
            "sent at all."
        ),
        bad='body: "{{ first_name }} {{ last_name }}, your order {{ order }}"',
        good='body: "Hello {{ first_name }}, your order {{ order }} has shipped."',
        fix=(
            "Start and end the body with fixed text, separate variables with words, and put "
            "the variable of a URL button at the end of its URL."
        ),
    ),
    channels=("whatsapp",),
)
def check_whatsapp_template(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    sources = message.template.sources
    body = sources.get("body")
    if body is not None:
        text = body.text
        variables = list(_VARIABLE.finditer(text))
        if variables:
            first, last = variables[0], variables[-1]
            if not text[: first.start()].strip():
                yield _source_finding(
                    message, ctx, body, first.start(), first.end(),
                    "the body starts with a variable: Meta rejects such templates; start with "
                    "fixed text",
                    "body",
                )  # fmt: skip
            if not text[last.end() :].strip():
                yield _source_finding(
                    message, ctx, body, last.start(), last.end(),
                    "the body ends with a variable: Meta rejects such templates; end with "
                    "fixed text (at least a full stop)",
                    "body",
                )  # fmt: skip
            for left, right in pairwise(variables):
                if not text[left.end() : right.start()].strip():
                    yield _source_finding(
                        message, ctx, body, left.start(), right.end(),
                        "adjacent variables: Meta rejects templates with variables next to "
                        "each other; put words between them",
                        "body",
                    )  # fmt: skip
    header = sources.get("header")
    if header is not None:
        found = list(_VARIABLE.finditer(header.text))
        if len(found) > 1:
            yield _source_finding(
                message, ctx, header, found[1].start(), found[-1].end(),
                "the header has more than one variable: Meta allows one",
                "header",
            )  # fmt: skip
    buttons = message.channel_data.get("buttons")
    for index, button in enumerate(buttons if isinstance(buttons, list) else []):
        url = str(button.get("url") or "") if isinstance(button, dict) else ""
        found = list(_VARIABLE.finditer(url))
        if found and (len(found) > 1 or url[found[-1].end() :].strip()):
            yield ctx.at_part(
                message,
                f"buttons[{index}]",
                f"URL button {url!r}: Meta allows one variable, at the very end of the URL",
            )


# --- channel/letter ------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
)
_DATE_PLACEHOLDER = re.compile(r"date|datum|today|heute|\bnow\b", re.IGNORECASE)


# Letter classes and layouts that print date and subject themselves.
_layout_date = lazy_pattern(
    r"\\today|\\date\b|\\setkomavar\{date\}|^\s*-?\s*date\s*[:=]", re.MULTILINE | re.IGNORECASE
)


_LAYOUT_SUBJECT = re.compile(
    r"\\setkomavar\{subject\}|\\subject\b|\\betreff\b|^\s*-?\s*(?:subject|betreff)\s*[:=]",
    re.MULTILINE | re.IGNORECASE,
)


_emphasis_line = lazy_pattern(r"^\s*(?:\*\*.+\*\*|__.+__|#{1,6}\s+\S.*)\s*$")


_postal_line = lazy_pattern(
    r"^\s*(?:D-|A-|CH-)?\d{4,5}\s+\S"  # DE/AT/CH: "12345 Ort" at the start of a line
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\s*$"  # UK postcode at the end of a line
    r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\s*$"  # US "City, ST 12345"
)


# LaTeX letter classes (KOMA scrlttr2, letter, dinbrief) print the date themselves.
_letter_class = lazy_pattern(
    r"\\documentclass(?:\[[^\]]*\])?\{(?:scrlttr2|letter|dinbrief)\}|\\setkomavar|\\KOMAoptions"
    r"|\\LoadLetterOption"
)


_CATALOGUE_SUFFIXES = frozenset({".po", ".pot", ".yml", ".yaml", ".json", ".xliff", ".xlf"})


def _blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the paragraphs (runs of non-empty lines) of ``text``."""
    blocks: list[tuple[int, int]] = []
    for match in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text):
        end = match.end() - 1 if match.group().endswith("\n") else match.end()
        blocks.append((match.start(), end))
    return blocks


def _has_date(text: str, words: LanguageWords) -> bool:
    if _NUMERIC_DATE.search(text):
        return True
    months = "|".join(re.escape(m) for m in words.months)
    named = re.compile(
        rf"\b\d{{1,2}}\.?\s+(?:{months})\s+\d{{4}}\b|\b(?:{months})\s+\d{{1,2}},?\s+\d{{4}}\b",
        re.IGNORECASE,
    )
    return named.search(text) is not None


def _placeholder_sources(message: Message, mapped: MappedText, start: int, end: int) -> str:
    """The template source of the placeholders in ``mapped.text[start:end]``."""
    text = message.template.text
    return " ".join(
        text[c.src_start : c.src_end]
        for c in mapped.chunks
        if not c.literal and c.end > start and c.start < end
    )


@rule(
    "channel/letter",
    severity="warning",
    summary="Letter without date or subject line, odd address block, URLs nobody can type",
    doc=RuleDoc(
        what=(
            "Checks a letter's text: a date and a subject line before the salutation (or "
            "front-matter/letter-class fields that print them), the recipient's address block "
            "(the paragraph with the postcode line) between `min_address_lines` and "
            "`max_address_lines` lines, and URLs a reader must type from paper: longer than "
            "`max_url_chars`, or with query strings, tokens or percent escapes."
        ),
        why=(
            "A letter without date cannot be referred to or used as proof of a deadline; "
            "without a subject line the customer must read the whole letter to learn what it "
            "is about. Window envelopes show 3-6 address lines (DIN 5008: 6 at most). On "
            "paper nobody can click: a 70-character tracking URL will be mistyped."
        ),
        bad=(
            "Sehr geehrte Frau Schmidt,\nbitte melden Sie sich an unter "
            "https://kunden.example.de/portal/login?session=8f3a9c2e&ref=brief"
        ),
        good=(
            "Berlin, 24. November 2026\n\n**Ihr Zugang zum Kundenportal**\n\nSehr geehrte "
            "Frau Schmidt,\nbitte melden Sie sich an unter kunden.example.de/login"
        ),
        fix=(
            "Add the date and a subject line above the salutation, keep the address to 3-6 "
            "lines, and print short, readable URLs (or a QR code) instead of tracking links."
        ),
        options={
            "min_address_lines": "Fewest lines of the address block (default 3).",
            "max_address_lines": "Most lines of the address block (default 6).",
            "max_url_chars": "Longest URL a reader can type without scheme (default 30).",
        },
    ),
    options={"min_address_lines": 3, "max_address_lines": 6, "max_url_chars": 30},
    channels=("letter",),
)
def check_letter(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    part = message.parts.get("body")
    if part is None or message.template.path.suffix.lower() in _CATALOGUE_SUFFIXES:
        return  # message catalogues linted as text are not letters
    text = part.text
    words = language_words(message.language or "de")
    blocks = _blocks(text)
    salutation = next(
        (
            i
            for i, (s, e) in enumerate(blocks)
            if text[s:e].lstrip().casefold().startswith(words.salutations)
        ),
        None,
    )
    source = message.template.text
    front = message.template.front_matter
    header_end = blocks[salutation][0] if salutation is not None else len(text)
    header = text[:header_end]
    layout_date = "date" in front or bool(_layout_date().search(source))
    letter_class = bool(_letter_class().search(source))
    if salutation is None:
        yield from _paper_url_findings(message, part, ctx)
        return  # no salutation: not a letter text whose header msglint can tell apart
    if not (layout_date or letter_class or _has_date(header, words)):
        placeholders = _placeholder_sources(message, part.mapped, 0, header_end)
        if not _DATE_PLACEHOLDER.search(placeholders):
            yield ctx.at_part(
                message,
                part,
                "the letter has no date above the salutation: the customer cannot refer to "
                "it or see when a deadline started",
            )
    has_subject = bool(message.meta.subject) or "subject" in front or _LAYOUT_SUBJECT.search(source)
    if not has_subject:
        before = [text[s:e] for s, e in blocks[:salutation]]
        lines = [line for block in before for line in block.splitlines()]
        marked = any(
            line.strip().casefold().startswith(words.subject_markers)
            or _emphasis_line().match(line)
            for line in lines
        )
        last = before[-1] if before else ""
        plain_subject = (
            bool(last)
            and "\n" not in last.strip()
            and not _has_date(last, words)
            and not _postal_line().search(last)
        )
        if not (marked or plain_subject):
            yield ctx.at(
                message,
                part,
                blocks[salutation][0],
                blocks[salutation][1],
                "no subject line above the salutation: tell the customer in one line what the "
                "letter is about",
            )
    yield from _address_findings(message, part, ctx, blocks, header_end)
    yield from _paper_url_findings(message, part, ctx)


def _address_findings(
    message: Message,
    part: Part,
    ctx: RuleContext,
    blocks: list[tuple[int, int]],
    header_end: int,
) -> Iterator[Finding]:
    text = part.text
    low, high = int(ctx.option("min_address_lines")), int(ctx.option("max_address_lines"))
    data = message.channel_data
    real_values = bool(data.get("samples_given")) and not data.get("fallback")
    for start, end in blocks:
        if start >= header_end:
            break
        lines = text[start:end].splitlines()
        if not any(_postal_line().search(line) for line in lines[1:]):
            continue  # the address block ends with the postcode line; a one-line sender isn't
        generated = any(
            not c.literal and c.end > start and c.start < end for c in part.mapped.chunks
        )
        if len(lines) < low and generated and not real_values:
            continue  # an {{ address }} placeholder may stand for several lines
        if not low <= len(lines) <= high:
            yield ctx.at(
                message,
                part,
                start,
                end,
                f"address block of {len(lines)} lines: window envelopes show {low}-{high} "
                "lines (DIN 5008)",
            )
        return


# A session id or token: a run of 8+ letters and digits with at least two of each.
_url_token = lazy_pattern(r"(?=(?:[a-z]*\d){2})(?=(?:\d*[a-z]){2})[a-z0-9]{8,}", re.IGNORECASE)


_LATEX = re.compile(r"\\documentclass|\\begin\{")


def _unreadable(url: str, max_chars: int) -> str | None:
    bare = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url, flags=re.IGNORECASE).removeprefix("www.")
    if any(c in bare for c in "?=&%#"):
        return "has a query string or escapes"
    path = bare.split("/", 1)[1] if "/" in bare else ""
    if any(_url_token().fullmatch(piece) for piece in re.split(r"[/._-]", path)):
        return "contains a token"
    if len(bare) > max_chars:
        return f"has {len(bare)} characters"
    return None


def _paper_url_findings(message: Message, part: Part, ctx: RuleContext) -> Iterator[Finding]:
    max_chars = int(ctx.option("max_url_chars"))
    latex = bool(_LATEX.search(message.template.text))
    for start, end, url in _urls(part):
        line_start = part.text.rfind("\n", 0, start) + 1
        if latex and part.text[line_start:start].lstrip().startswith("%"):
            continue  # a LaTeX comment is not printed
        reason = _unreadable(url, max_chars)
        if reason is not None:
            yield ctx.at(
                message,
                part,
                start,
                end,
                f"a reader on paper must type this URL and it {reason}: print a short, "
                "readable address (e.g. shop.de/kuendigung) or a QR code",
            )


# --- channel/push-sensitive ----------------------------------------------------------------

_PLACEHOLDER_OPEN = re.compile(r"\{\{|\{%|\(\(|\$\{|\[\[")
_PLACEHOLDER_NAME = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*")


def _sensitive_kind(source: str) -> str | None:
    """The kind of personal data a placeholder's source (``{{ customer.last_name }}``) shows."""
    words = neutral_words()
    inner = source.strip().strip("{}%()$[]# -").strip()
    match = _PLACEHOLDER_NAME.search(inner)
    if match is None:
        return None
    segments = [placeholder_key(s) for s in match.group().split(".")]
    for index, segment in enumerate(segments):
        kind = words.push_sensitive.get(segment)
        if kind is not None:
            return kind
        if segment in words.names_with_owner and index > 0 and segments[index - 1] in words.owners:
            return "full name"
    return None


def _spans_of(found: Iterable[Any]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for item in found:
        start = getattr(item, "start", None)
        end = getattr(item, "end", None)
        if start is None and isinstance(item, tuple) and len(item) >= 2:
            start, end = item[0], item[1]
        if isinstance(start, int) and isinstance(end, int):
            spans.append((start, end))
    return spans


def _reported_as_sensitive(part: Part, language: str, ctx: RuleContext) -> list[tuple[int, int]]:
    """Spans personalisation/sensitive-data reports in this text."""
    from msglint.rules.jargon import pack_resources
    from msglint.text.sensitive import find_sensitive_data

    # Nearly what personalisation/sensitive-data passes ("Ihr Passwort: {{ pw }}" is a
    # password whatever the sample says), with the run's health terms (the project's packs
    # too); that rule also leaves out link variables and honours its `kinds` option.
    values = [(c.start, c.end) for c in part.mapped.chunks if not c.literal]
    try:
        health = pack_resources(ctx).term_matcher("personalisation/sensitive-data", language)
        found = find_sensitive_data(part.text, language, placeholder_ranges=values, health=health)
        return _spans_of(found)
    except Exception:  # the other rule reports its own problems; do not fail this one
        return []


@rule(
    "channel/push-sensitive",
    severity="warning",
    summary="Push title or body that shows personal data on the lock screen",
    doc=RuleDoc(
        what=(
            "Finds placeholders in a push title or body whose names show personal data on "
            "the lock screen: full names (`last_name`, `customer.name`), postal addresses, "
            "order contents, account balances and debts, health information, passwords and "
            "PINs, account and identity numbers, birth dates (the names are in "
            "rules/channels/channel-fit.yaml). A first name alone is fine. Values written "
            "into the text (an IBAN, a card number) are personalisation/sensitive-data's; "
            "spans that rule reports are not reported again."
        ),
        why=(
            "Push notifications appear on the lock screen, on smartwatches and in screen "
            "sharing, where colleagues, family or strangers read along. Whether a customer's "
            "balance, diagnosis or order of medication is visible there should be their "
            "choice, made inside the app."
        ),
        bad=(
            'title: "{{ first_name }} {{ last_name }}, Ihr Kontostand: {{ balance }}"\n'
            'body: "Your order of {{ product_name }} ships to {{ street }} today"'
        ),
        good=(
            'title: "Neuer Kontoauszug verfügbar"\n'
            'body: "Your order ships today - open the app for details"'
        ),
        fix="Say that something happened and show the details in the app after unlocking.",
    ),
    channels=("push",),
)
def check_push_sensitive(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    source = message.template.text
    for part in iter_parts(message, ("title", "body")):
        taken = _reported_as_sensitive(part, message.language, ctx)
        seen: set[tuple[int, int]] = set()
        for chunk in part.mapped.chunks:
            if chunk.literal or (chunk.src_start, chunk.src_end) in seen:
                continue
            seen.add((chunk.src_start, chunk.src_end))
            placeholder = source[chunk.src_start : chunk.src_end]
            if not _PLACEHOLDER_OPEN.search(placeholder):
                continue  # generated by YAML folding or entities, not by a placeholder
            kind = _sensitive_kind(placeholder)
            if kind is None:
                continue
            if any(s < chunk.end and chunk.start < e for s, e in taken):
                continue
            yield ctx.at(
                message,
                part,
                chunk.start,
                chunk.end,
                f"{' '.join(placeholder.split())} shows the customer's {kind} on the lock "
                "screen, where others can read it: say what happened and show details in the app",
            )
