"""Clarity rules: does the customer know what to do, by when and how — and only that?

Word lists (action verbs, deadline words, contact phrases, "nothing to do" phrases, footer link
words) live in ``rules/<lang>/clarity.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from msglint.lazy import longest_first
from msglint.model import Finding, Message, Part, Severity
from msglint.rules.personalisation import placeholders
from msglint.rules.registry import RuleContext, RuleDoc, iter_parts, rule
from msglint.text.lexicon import normalise_language, word_list
from msglint.text.segment import split_sentences

# Parts that carry the message (the plain-text alternative repeats the body).
_CONTENT_PARTS = ("subject", "preheader", "title", "header", "body", "footer", "buttons")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w/])(?:\+\d{1,3}[ /-]?|\(?0\d{1,5}\)?[ /-]?)\d[\d /-]{4,}\d(?!\w)")
_TIME_VARIABLE = re.compile(
    r"date|datum|deadline|frist|due|expir|until|bis|termin|time|zeit|valid|gueltig|gültig|ablauf",
    re.IGNORECASE,
)
_LINK_VARIABLE = re.compile(r"(?:url|link|href|uri)s?$", re.IGNORECASE)
_BUTTON_CLASS = re.compile(r"""class\s*=\s*["'][^"']*\b(?:button|btn|cta)""", re.IGNORECASE)


class _PhraseList:
    """A ``_Lists`` attribute: the pattern of one phrase list, compiled when first read."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, lists: _Lists, owner: type | None = None) -> re.Pattern[str] | None:
        pattern = _phrases(lists.words(self.key))
        lists.__dict__[self.name] = pattern  # later reads find it without this descriptor
        return pattern


class _Lists:
    """A language's clarity word lists. The phrase patterns are compiled on first use: a run
    that never asks for a call to action (most files) compiles only what too-many-ctas reads."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.action_verbs = self._set("action_verbs")
        self.not_imperative = self._set("not_imperative_verbs")
        self.request_words = self._set("request_words")

    def words(self, key: str) -> tuple[str, ...]:
        return word_list(self.language, "clarity", key)

    def _set(self, key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in self.words(key))

    # Each pattern from its word list (rules/<lang>/clarity.yaml), compiled on first use.
    request_phrases = _PhraseList("request_phrases")
    soft = _PhraseList("soft_requests")
    help_offers = _PhraseList("help_offers")
    conditional = _PhraseList("conditional_words")
    deadline = _PhraseList("deadline_words")
    how = _PhraseList("how_phrases")
    no_action = _PhraseList("no_action_phrases")
    non_cta = _PhraseList("non_cta_links")

    @cached_property
    def date(self) -> re.Pattern[str]:
        months = "|".join(re.escape(m) for m in self.words("months")) or "(?!)"
        units = "|".join(re.escape(u) for u in self.words("duration_units")) or "(?!)"
        return re.compile(
            r"\b\d{1,2}\.\s?\d{1,2}\.(?:\d{2,4})?"  # 31.12.2026, 31.12.
            r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"  # ISO, US
            rf"|\b\d{{1,2}}(?:\.|st|nd|rd|th)?\s+(?:of\s+)?(?:{months})\b"  # 3. Oktober, 3rd of May
            rf"|\b(?:{months})\s+\d{{1,2}}\b"  # May 3
            r"|\b\d{1,2}:\d{2}\b"  # 14:30
            rf"|\b\d+\s*(?:{units})(?!\w)",  # 24 Stunden, 3 pm
            re.IGNORECASE,
        )


def _phrases(words: Iterable[str]) -> re.Pattern[str] | None:
    # "…" in a phrase stands for up to four words ("läuft … ab").
    alternatives = [
        r"(?:\s+\S+){0,4}?\s+".join(
            r"\s+".join(re.escape(p) for p in piece.split()) for piece in w.split("…")
        )
        for w in longest_first(set(words))
        if w.strip()
    ]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=4)
def _lists(language: str) -> _Lists:
    return _Lists(normalise_language(language))


# --- sentences ---------------------------------------------------------------------------------


class _Sentence(NamedTuple):
    part: Part
    start: int
    end: int
    text: str
    words: tuple[str, ...]  # lower-cased word tokens


def _sentences(message: Message) -> list[_Sentence]:
    out = []
    for part in iter_parts(message, _CONTENT_PARTS):
        text = part.text
        if not text.strip():
            continue
        for s in split_sentences(text, message.language):
            words = tuple(t.text.lower() for t in s.tokens if t.kind == "word")
            out.append(_Sentence(part, s.start, s.end, text[s.start : s.end], words))
    return out


def _is_imperative(sentence: _Sentence, lists: _Lists, language: str) -> bool:
    """Starts with a verb that asks the reader to act ("Bestätigen Sie …", "Click …")."""
    if not sentence.words or sentence.text.rstrip().endswith("?"):
        return False
    first = sentence.words[0]
    second = sentence.words[1] if len(sentence.words) > 1 else ""
    if first in lists.not_imperative:
        return False
    if normalise_language(language) == "de":
        polite = second == "sie" and re.search(r"(?:en|ern|eln)$", first) is not None
        # "Klicken Sie …" or a du-form from the list ("Klicke …"); "Klicken" alone is a noun.
        if polite:
            return True
        return first in lists.action_verbs and not re.search(r"en$", first)
    return first in lists.action_verbs


def _has_request_word(sentence: _Sentence, lists: _Lists) -> bool:
    if any(w in lists.request_words for w in sentence.words):
        return True
    return lists.request_phrases is not None and bool(lists.request_phrases.search(sentence.text))


def _is_conditional(sentence: _Sentence, lists: _Lists, previous: _Sentence | None) -> bool:
    """An offer, not a request: "Falls Sie Fragen haben, …", "If you didn't …", or after a
    question ("Fragen? Rufen Sie uns an.")."""
    if previous is not None and previous.text.rstrip().endswith("?"):
        return True
    if lists.conditional is None:
        return False
    head = " ".join(sentence.text.split()[:4])
    return lists.conditional.match(head) is not None or bool(
        re.search(r",\s*(?:falls|wenn|sofern|if|unless|in case)\b", sentence.text, re.I)
    )


def _requests(message: Message, lists: _Lists) -> Iterator[tuple[_Sentence, bool]]:
    """Sentences that ask the customer to act, with True if the request is a real one (not
    soft wording, not a conditional help offer)."""
    previous: _Sentence | None = None
    for sentence in _sentences(message):
        asks = _is_imperative(sentence, lists, message.language) or _has_request_word(
            sentence, lists
        )
        if asks and not (lists.no_action and lists.no_action.search(sentence.text)):
            soft = lists.soft is not None and lists.soft.search(sentence.text) is not None
            offer = lists.help_offers is not None and bool(lists.help_offers.search(sentence.text))
            real = not soft and not offer and not _is_conditional(sentence, lists, previous)
            yield sentence, real
        previous = sentence


# --- what / when / how -------------------------------------------------------------------------


def _printed_variables(message: Message) -> list[str]:
    return sorted({p for tag in placeholders(message) for p in tag.paths})


def _says_when(message: Message, lists: _Lists) -> bool:
    for part in iter_parts(message, _CONTENT_PARTS):
        text = part.text
        if lists.date.search(text) or (lists.deadline is not None and lists.deadline.search(text)):
            return True
    return any(_TIME_VARIABLE.search(v.split(".")[-1]) for v in _printed_variables(message))


def _says_how(message: Message, lists: _Lists) -> bool:
    if message.channel_data.get("links") or message.channel_data.get("buttons"):
        return True
    for part in iter_parts(message, _CONTENT_PARTS):
        text = part.text
        if _URL.search(text) or _EMAIL.search(text) or _PHONE.search(text):
            return True
        if lists.how is not None and lists.how.search(text):
            return True
    return any(_LINK_VARIABLE.search(v.split(".")[-1]) for v in _printed_variables(message))


def _body(message: Message) -> Part | None:
    for name in ("body", "title", "subject"):
        if name in message.parts:
            return message.parts[name]
    return next(iter(message.parts.values()), None)


@rule(
    "clarity/call-to-action",
    severity="warning",
    summary="requires_action: the message must say what to do, by when and how",
    doc=RuleDoc(
        what=(
            "For templates whose front matter (or config) says `requires_action: true`: "
            "checks that the message says WHAT the customer has to do (an imperative such as "
            "'Bestätigen Sie …'/'Confirm …', a 'bitte …'/'please …' request, or a CTA button), "
            "BY WHEN (a date, a time, a date placeholder, or deadline words: 'bis', "
            "'spätestens', 'innerhalb von', 'by', 'before', 'within') and HOW (a link, button, "
            "phone number, e-mail address, or a place such as 'in der App'/'in your account'); "
            "each missing element is one finding. For `requires_action: false`: the message "
            "should say that nothing needs doing (info) and must not read like a request "
            "(warning per request sentence). Conditional help offers ('Falls Sie Fragen haben, "
            "rufen Sie uns an', 'If you didn't request this, contact us') are fine. Word lists: "
            "rules/de/clarity.yaml, rules/en/clarity.yaml."
        ),
        why=(
            "Customers skim. If the action, the deadline or the way to do it is missing, they "
            "call the hotline, miss the deadline or do nothing. If a purely informative message "
            "sounds like a request, they worry and act for nothing."
        ),
        bad=(
            "de (requires_action: true): Ihr Ausweis läuft ab.\n"
            "en (requires_action: false): Please check your new tariff."
        ),
        good=(
            "de: Bitte laden Sie bis zum 30.06. ein Foto Ihres neuen Ausweises in der App "
            "hoch: https://bsp.de/ausweis\n"
            "en: Your new tariff starts on 1 May. You don't need to do anything."
        ),
        fix=(
            "requires_action: true — one sentence with the action, the deadline and the way "
            "('Bitte bestätigen Sie bis 30.06. Ihre Adresse: [Button]'). requires_action: false "
            "— say 'Sie müssen nichts tun.' / 'You don't need to do anything.' and turn requests "
            "into information."
        ),
        options={"no_action_statement": "for requires_action: false, ask for the statement"},
    ),
    options={"no_action_statement": True},
)
def check_call_to_action(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    requires = message.meta.requires_action
    if requires is None:
        return
    lists = _lists(message.language)
    body = _body(message)
    if body is None:
        return
    requests = list(_requests(message, lists))
    if requires:
        yield from _missing_elements(message, ctx, lists, body, requests)
        return
    for sentence, real in requests:
        if real:
            shown = " ".join(sentence.text.split())
            if len(shown) > 60:
                shown = shown[:57] + "…"
            yield ctx.at(
                message,
                sentence.part,
                sentence.start,
                sentence.end,
                f'"{shown}" reads like a request, but the template says requires_action: false. '
                "Rephrase it as information, or set requires_action: true.",
            )
    if ctx.option("no_action_statement") and not _says_no_action(message, lists):
        example = (
            '"Sie müssen nichts tun."'
            if normalise_language(message.language) == "de"
            else '"You don\'t need to do anything."'
        )
        yield ctx.at_part(
            message,
            body,
            "requires_action is false: tell the customer that nothing needs doing "
            f"(e.g. {example}) so they do not worry or call.",
            severity=_info(ctx),
        )


def _info(ctx: RuleContext) -> Severity:
    return ctx.severity if ctx.severity != ctx.info.severity else Severity.INFO


def _says_no_action(message: Message, lists: _Lists) -> bool:
    if lists.no_action is None:
        return True
    return any(lists.no_action.search(p.text) for p in iter_parts(message, _CONTENT_PARTS))


def _missing_elements(
    message: Message,
    ctx: RuleContext,
    lists: _Lists,
    body: Part,
    requests: Sequence[tuple[_Sentence, bool]],
) -> Iterator[Finding]:
    german = normalise_language(message.language) == "de"
    has_what = any(real for _, real in requests) or bool(_action_links(message, lists))
    if message.channel_data.get("buttons"):
        has_what = True
    if not has_what:
        example = '"Bitte bestätigen Sie …"' if german else '"Please confirm …"'
        yield ctx.at_part(
            message,
            body,
            "requires_action is true, but the message does not say what the customer has to "
            f"do: add a clear request ({example}) or a button with the action.",
        )
    if not _says_when(message, lists):
        example = '"bis zum 30.06."' if german else '"by 30 June"'
        yield ctx.at_part(
            message,
            body,
            "requires_action is true, but the message does not say by when: add a date or "
            f"deadline ({example}), or say that there is no deadline.",
        )
    if not _says_how(message, lists):
        yield ctx.at_part(
            message,
            body,
            "requires_action is true, but the message does not say how: add a link, a button, "
            "a phone number or where to do it (in the app, in the customer account).",
        )


# --- clarity/too-many-ctas ---------------------------------------------------------------------


class _Cta(NamedTuple):
    key: str  # normalised target
    label: str
    start: int  # file offsets
    end: int
    part: str | None


_HOMEPAGE = re.compile(r"https?://[^/]+/?")


def _normalise_href(href: str) -> str:
    href = href.strip().lower()
    # What comes before the first "?" or "#" (str.split instead of a regular expression).
    href = href.split("?", 1)[0].split("#", 1)[0]
    return href.rstrip("/")


def _action_links(message: Message, lists: _Lists) -> list[_Cta]:
    """E-mail links that ask for an action (buttons or action text), footer links excluded."""
    links: Sequence[Any] = message.channel_data.get("links") or ()
    source = message.template.text
    ctas: list[_Cta] = []
    for link in links:
        href = str(link.href or "").strip()
        label = " ".join(link.text.text.split())
        if not href or href.startswith(("#", "mailto:", "tel:", "sms:")):
            continue
        if lists.non_cta is not None and (
            lists.non_cta.search(label) or lists.non_cta.search(href.replace("-", " "))
        ):
            continue
        if link.has_image and not label:
            continue  # a logo or banner image
        if _URL.fullmatch(label):
            continue  # "or copy this link": the same target as the button, as text
        if _HOMEPAGE.fullmatch(href):
            continue  # the homepage (logo, footer), not an action
        opening = source[link.start : source.find(">", link.start, link.end) + 1 or link.end]
        button = link.tag in ("mj-button",) or _BUTTON_CLASS.search(opening) is not None
        first = label.split()[0].lower().strip(".,:!→»›") if label else ""
        acts = first in lists.action_verbs or first in lists.request_words
        if button or acts:
            ctas.append(_Cta(_normalise_href(href), label, link.start, link.end, "body"))
    return ctas


def _text_ctas(message: Message, lists: _Lists) -> list[_Cta]:
    """Links in plain-text messages: URLs, link placeholders and URL buttons.

    In plain-text e-mails only links introduced by an action ("Confirm your address:
    https://…") count; footer, help and homepage links do not.
    """
    labelled = message.channel == "email"
    ctas: list[_Cta] = []
    for part in iter_parts(message, _CONTENT_PARTS):
        text = part.text
        found: list[tuple[int, int, str, str]] = []
        # Most parts have no URL: a substring test spares the case-insensitive search.
        lowered = text.lower()
        if "http" in lowered or "www." in lowered:
            for m in _URL.finditer(text):
                url = m.group().rstrip(".,;:!?")
                found.append((m.start(), m.start() + len(url), _normalise_href(url), url))
        for c in part.mapped.chunks:
            if c.literal or (found and any(s <= c.start < e for s, e, _, _ in found)):
                continue
            tag = message.template.text[c.src_start : c.src_end]
            paths = _TAG_PATH.findall(tag)
            if paths and _LINK_VARIABLE.search(paths[0].split(".")[-1]):
                found.append((c.start, c.end, paths[0], tag))
        for start, end, key, label in found:
            if labelled and not _acts_on_line(text, start, end, lists):
                continue
            src_start, src_end = part.mapped.source_range(start, end)
            ctas.append(_Cta(key, label, src_start, src_end, part.name))
    for button in message.channel_data.get("buttons") or ():
        if isinstance(button, dict) and (button.get("url") or button.get("type") == "URL"):
            label = str(button.get("text") or button.get("url"))
            ctas.append(_Cta(str(button.get("url") or label), label, 0, 0, "buttons"))
    return ctas


_TAG_PATH = re.compile(r"^\s*(?:\{\{\{?|\(\()-?\s*\.?([A-Za-z_][\w.]*)\s*-?(?:\}\}|\)\)|\|)")


def _acts_on_line(text: str, start: int, end: int, lists: _Lists) -> bool:
    """True if the line of a link in a plain-text e-mail asks for an action."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    if lists.non_cta is not None and lists.non_cta.search(line):
        return False
    label = text[line_start:start].strip(" \t([:-–→»")
    words = re.findall(r"[^\W\d_]+", label.lower())
    return bool(words) and (words[0] in lists.action_verbs or words[0] in lists.request_words)


def _distinct(ctas: Iterable[_Cta]) -> list[_Cta]:
    seen: set[str] = set()
    out = []
    for cta in sorted(ctas, key=lambda c: c.start):
        if cta.key not in seen:
            seen.add(cta.key)
            out.append(cta)
    return out


@rule(
    "clarity/too-many-ctas",
    severity="warning",
    summary="More calls to action than the channel can carry",
    doc=RuleDoc(
        what=(
            "Counts the distinct calls to action: in e-mails, links that are buttons or start "
            "with an action verb ('Jetzt bestätigen', 'Confirm', 'Pay now') — footer, legal, "
            "unsubscribe, help, logo and copy-this-link links do not count; in SMS, push and "
            "WhatsApp, the distinct URLs, link placeholders and URL buttons. Reports when there "
            "are more than the channel's maximum (e-mail 3, marketing e-mail 5, SMS 1, push 1, "
            "WhatsApp 2)."
        ),
        why=(
            "Every extra request competes with the one that matters: with several buttons, "
            "customers hesitate, pick the wrong one or none. On a phone, one link is all a "
            "short message can carry."
        ),
        bad=(
            "de (SMS): Rechnung: https://bsp.de/r Tarif: https://bsp.de/t App: https://bsp.de/a\n"
            "en (e-mail): [Confirm] [Upgrade] [Invite friends] [Rate us]"
        ),
        good=(
            "de (SMS): Ihre Rechnung ist da: https://bsp.de/r\n"
            "en (e-mail): one [Confirm your address] button; other links in the footer."
        ),
        fix=(
            "Keep one primary action per message (and at most a secondary one); move the rest "
            "to the customer account or a later message."
        ),
        options={
            "max": "maximum calls to action per channel (mapping channel -> number)",
            "max_marketing_email": "maximum for e-mails with category: marketing",
        },
    ),
    options={
        "max": {"email": 3, "sms": 1, "push": 1, "whatsapp": 2, "letter": 2, "social": 2},
        "max_marketing_email": 5,
    },
)
def check_too_many_ctas(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    limits = dict(ctx.info.options["max"])
    limits.update(ctx.option("max") or {})
    limit = limits.get(message.channel)
    if message.channel == "email" and message.category == "marketing":
        limit = ctx.option("max_marketing_email")
    if limit is None:
        return
    lists = _lists(message.language)
    if message.channel == "email" and message.channel_data.get("links") is not None:
        ctas = _distinct(_action_links(message, lists))
    else:
        ctas = _distinct(_text_ctas(message, lists))
    if len(ctas) <= int(limit):
        return
    extra = ctas[int(limit)]
    labels = ", ".join(f'"{c.label[:30]}"' for c in ctas[:6]) + (" …" if len(ctas) > 6 else "")
    text = (
        f"{len(ctas)} calls to action ({labels}); a {message.channel} message should have at "
        f"most {limit}. Keep one primary action and move the rest elsewhere."
    )
    if extra.end <= 0:
        yield ctx.at_line(message, 1, text, part=extra.part)
        return
    lines = message.template.lines
    line, col = lines.position(extra.start)
    end_line, end_col = lines.position(max(extra.start, extra.end))
    yield Finding(
        rule=ctx.info.id,
        severity=ctx.severity,
        message=text,
        line=line,
        column=col,
        end_line=end_line,
        end_column=end_col,
        part=extra.part,
        start=extra.start,
        end=extra.end,
    )
