"""``tone/``: how a message sounds to the customer.

Register (Sie and du mixed), shouting, blame, pressure, negativity, canned phrases, no-reply
notices and overall sentiment. What is reported lives in the term packs ``rules/<lang>/tone-*.yaml``
(``rule: tone/...``); the evidence for or against a finding (pronouns, acronyms, contact hints,
alternatives) lives in ``rules/<lang>/tone.yaml`` and the sentiment lexicons in
``rules/<lang>/sentiment.yaml``. ``tone/passive`` is in ``readability.py``.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache
from itertools import compress, filterfalse
from typing import Any, NamedTuple

from msglint.lazy import first_char_set, longest_first
from msglint.mapping import MappedText
from msglint.model import Finding, Message, Part
from msglint.packs import TermMatch
from msglint.rules.jargon import pack_resources, report_matches
from msglint.rules.registry import RuleContext, RuleDoc, iter_parts, rule
from msglint.text.lexicon import load_lexicon, normalise_language
from msglint.text.segment import Sentence, Token, split_sentences, tokenize

# Parts the customer reads as the message (the e-mail's text alternative repeats the body).
_READABLE = ("subject", "preheader", "title", "header", "body", "footer")
_ALLOW_DOC = "phrases never reported (the pack's phrase or the exact text, case-insensitive)"


# --- shared helpers ------------------------------------------------------------------------


def _tone_lexicon(language: str) -> dict[str, Any]:
    return load_lexicon(normalise_language(language), "tone")


@lru_cache(maxsize=256)  # asked per message and rule: the lexicons never change in a run
def _lexicon_words(language: str, *keys: str) -> tuple[str, ...]:
    node: Any = _tone_lexicon(language)
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return tuple(str(w) for w in node or ())


@lru_cache(maxsize=64)
def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive regex for a word list; phrases match across any white space."""
    return _phrase_pattern(phrases, r"[\w-]", r"[\w-]*\w") if phrases else None


def _phrase_pattern(phrases: Collection[str], not_after: str, not_before: str) -> re.Pattern[str]:
    """Case-insensitive alternatives (longest first; a phrase's words across any white space),
    not right after a match of ``not_after`` nor right before one of ``not_before``."""
    bodies = {r"\s+".join(map(re.escape, p.split())): p.split() for p in phrases}
    start = first_char_set(phrases)
    if not start:
        alternatives = "|".join(longest_first(bodies))
        return re.compile(f"(?<!{not_after})(?:{alternatives})(?!{not_before})", re.IGNORECASE)
    # Starting with a case-sensitive set, each phrase looking back at its first letter
    # case-insensitively, lets re skip to the positions where a phrase can start (a
    # case-insensitive alternation is otherwise entered at every position of the text).
    alternatives = "|".join(_looking_back(bodies[b]) for b in longest_first(bodies))
    return re.compile(f"{start}(?<!{not_after}(?s:.))(?i:{alternatives})(?!{not_before})")


def _looking_back(words: list[str]) -> str:
    """A phrase's pattern whose first character is already taken: it looks back at it."""
    first = words[0]
    rest = [re.escape(first[1:]), *map(re.escape, words[1:])]
    return f"(?<={re.escape(first[0])})" + r"\s+".join(rest)


@lru_cache(maxsize=256)
def _lexicon_regex(language: str, *keys: str) -> re.Pattern[str] | None:
    return _phrase_regex(_lexicon_words(language, *keys))


def _from_template(mapped: MappedText, start: int, end: int) -> bool:
    # Words that only come from a placeholder's sample value are not the template's wording.
    return any(c.literal and c.start < end and start < c.end for c in mapped.chunks)


def _readable_parts(message: Message) -> list[Part]:
    parts = [p for p in iter_parts(message, _READABLE) if p.text.strip()]
    return parts or [p for p in iter_parts(message) if p.text.strip()]


_CATALOGUE_SUFFIXES = (".po", ".pot", ".yml", ".yaml", ".json", ".properties", ".xlf", ".xliff")


def _is_catalogue(message: Message) -> bool:
    """A message catalogue linted as raw text (.po, translation YAML): many short strings,
    not one message, so message-level measures (density, sentiment) do not apply."""
    suffix = message.template.path.suffix.lower()
    return suffix in (".po", ".pot") or (
        message.meta.syntax == "raw" and suffix in _CATALOGUE_SUFFIXES
    )


def _comment_lines(message: Message, text: str) -> list[tuple[int, int]]:
    """Comment lines of a catalogue ("# Copyright YEAR …"), which customers never read."""
    if not _is_catalogue(message):
        return []
    return [(m.start(), m.end()) for m in re.finditer(r"(?m)^[ \t]*#.*$", text)]


def _counted(counter: Counter[str], limit: int = 4) -> str:
    items = [f'"{w}" ×{n}' if n > 1 else f'"{w}"' for w, n in counter.most_common(limit)]
    return ", ".join(items)


# --- tone/formality-mix --------------------------------------------------------------------

# Tokens before which a capital letter does not show the polite form (sentence-like starts).
_STARTERS = frozenset({":", '"', "„", "“", "«", "»", "(", "–", "—", "-", "'", "‚"})


class _Address(NamedTuple):
    part: Part
    token: Token
    formal: bool


@lru_cache(maxsize=4)
def _formality_sets(language: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    formal = frozenset(_lexicon_words(language, "formality", "formal"))
    informal = frozenset(w.lower() for w in _lexicon_words(language, "formality", "informal"))
    verbs = frozenset(w.lower() for w in _lexicon_words(language, "formality", "plural_verbs"))
    return formal, informal, verbs


@lru_cache(maxsize=1)
def _informal_hint() -> re.Pattern[str]:
    """A quick pre-check: any word that may be an informal pronoun."""
    _, informal, _ = _formality_sets("de")
    return _phrase_pattern(informal | {"ihr"}, r"\w", r"\w")


def _address_forms(part: Part, language: str) -> Iterator[_Address]:
    """Pronouns of address in ``part``: formal (Sie) and informal (du, ihr-plural) evidence."""
    formal, informal, plural_verbs = _formality_sets(language)
    for sentence in split_sentences(part.text, language):
        words = [t for t in sentence.tokens if t.kind == "word"]
        previous: Token | None = None
        for i, tok in enumerate(sentence.tokens):
            if tok.kind != "word":
                previous = tok
                continue
            text = tok.text
            lower = text.lower()
            if lower == "ihr":
                # "Habt ihr …", "ihr könnt": you-plural; otherwise "ihr" is her/their or Ihr.
                w = words.index(tok)
                around = {x.text.lower() for x in words[max(0, w - 1) : w + 2] if x is not tok}
                if around & plural_verbs:
                    yield _Address(part, tok, formal=False)
                    previous = tok
                    continue
            if lower in informal:
                yield _Address(part, tok, formal=False)
            elif text in formal:
                at_start = i == 0 or (previous is not None and previous.text in _STARTERS)
                if not at_start:  # "Sie"/"Ihr" first in a sentence may be "they"/"her"
                    yield _Address(part, tok, formal=True)
            previous = tok


@rule(
    "tone/formality-mix",
    severity="warning",
    summary='German messages that address the customer with both "Sie" and "du"',
    doc=RuleDoc(
        what=(
            "Collects the pronouns of address in a German message (all parts together): "
            "polite 'Sie', 'Ihnen', 'Ihr', 'Ihre' … written with a capital letter inside a "
            "sentence, and informal 'du', 'dich', 'dir', 'dein', 'euch', 'euer' and 'ihr' next "
            "to a you-plural verb ('habt ihr'). 'Sie'/'Ihr' at the start of a sentence can mean "
            "'they'/'her' and does not count; lower-case 'sie' (they) never counts. When both "
            "forms occur, each word of the less frequent form is reported with the matching "
            "word of the other form. With the 'address' option every word of the other form "
            "is reported, even without a mix."
        ),
        why=(
            "Switching between 'Sie' and 'du' sounds careless and confuses the relationship: "
            "the customer cannot tell whether the company is being friendly or formal. It "
            "usually happens when text blocks from different templates are combined."
        ),
        bad=(
            "Vielen Dank für Ihre Bestellung! Hier kannst du deine Sendung verfolgen. / "
            "(English has no formal 'you'; the rule only checks German.)"
        ),
        good="Vielen Dank für Ihre Bestellung! Hier können Sie Ihre Sendung verfolgen.",
        fix=(
            "Choose one form of address for the whole message (and the brand) and adjust the "
            "verbs too ('du kannst' → 'Sie können'). Set the 'address' option to enforce the "
            "house style."
        ),
        options={
            "address": "the house style: 'sie' or 'du' reports every word of the other form; "
            "unset: report the minority form when both occur"
        },
    ),
    options={"address": None},
)
def check_formality_mix(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    if not message.language.lower().startswith("de"):
        return
    house = str(ctx.option("address") or "").strip().lower()
    parts = _readable_parts(message)
    informal_hint = _informal_hint()
    if not house and not any(informal_hint.search(p.text) for p in parts):
        return  # the common case: no informal pronoun at all, so no mix
    found = [
        a
        for part in parts
        for a in _address_forms(part, "de")
        if _from_template(a.part.mapped, a.token.start, a.token.end)
    ]
    formal = [a for a in found if a.formal]
    informal = [a for a in found if not a.formal]
    if house in ("sie", "formal"):
        report, keep = informal, formal
    elif house in ("du", "informal"):
        report, keep = formal, informal
    else:
        if not formal or not informal:
            return
        # The less frequent form is the slip; on a tie the form used first sets the tone.
        if len(formal) != len(informal):
            report, keep = (formal, informal) if len(formal) < len(informal) else (informal, formal)
        else:
            first_formal = formal[0].token.start <= informal[0].token.start
            report, keep = (informal, formal) if first_formal else (formal, informal)
    counterparts: dict[str, Any] = _tone_lexicon("de").get("formality_counterparts") or {}
    kept = Counter(a.token.text for a in keep)
    for address in report:
        word = address.token.text
        style, other = ("Sie", "du") if address.formal else ("du", "Sie")
        suggestion = counterparts.get(word) or counterparts.get(word.lower())
        advice = f'use "{suggestion}"' if suggestion else f'use the "{other}" form'
        if house:
            context = f"the house style is \"{other}\" (option 'address')"
        else:
            context = f'the rest of the message says "{other}" ({_counted(kept, 3)})'
        text = (
            f'Mixed form of address: "{word}" is the {style} form, but {context}. '
            f"{advice[0].upper()}{advice[1:]} and adjust the verb."
        )
        yield ctx.at(message, address.part, address.token.start, address.token.end, text)


# --- tone/shouting -------------------------------------------------------------------------

# Candidates: words that start with two capitals, or one capital letter alone ("A", "I"). The
# capital comes first and the look-behind after it, so that ``re`` skips to capitals at C speed.
_CAPS_WORD = re.compile(r"[A-ZÄÖÜ](?<![\w'’][A-ZÄÖÜ])(?:[A-ZÄÖÜ][\w'’-]*(?<![-'’]))?(?![\w'’])")
_VOWELS = frozenset("AEIOUYÄÖÜÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛ")
_REPEATED_MARKS = re.compile(r"(?<![!?])[!?]{2,}(?![!?])")
_CAPS_GAP = re.compile(r"[ \t\u00a0,:;&/+–-]*")


@lru_cache(maxsize=1)
def _shipped_acronyms() -> frozenset[str]:
    words = _lexicon_words("de", "shouting", "allow") + _lexicon_words("en", "shouting", "allow")
    return frozenset(w.upper() for w in words)


@lru_cache(maxsize=32)
def _allowed_caps(extra: tuple[str, ...]) -> frozenset[str]:
    # One set per 'allow' option, not one per message: it also keys _is_shouted's cache.
    return _shipped_acronyms() | {a.upper() for a in extra}


@lru_cache(maxsize=8192)
def _is_shouted(word: str, min_length: int, allow: frozenset[str]) -> bool:
    """An all-caps word that is not an acronym, brand or product code."""
    if any(c.isdigit() for c in word) or not word.isupper():
        return False
    for piece in re.split(r"[-'’.]", word):
        letters = sum(c.isalpha() for c in piece)
        if letters < min_length or piece.upper() in allow:
            continue
        if not any(c in _VOWELS for c in piece.upper()):
            continue  # no vowel: an acronym (HTML, PKW)
        return True
    return False


def _glued(text: str, start: int, end: int) -> bool:
    """A word glued to code-like neighbours ("openid(ENTER)profile", "{{NAME}}", "KEY=1")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if after in "@%" or before in "@%$":
        return True  # an e-mail address or a placeholder (INFO@…, %NAME%)
    return (
        (before in "([{<`_=/\\@#$%*" and after in ")]}>`_=/\\*")
        or before.isalnum()
        or after.isalnum()
    )


def _caps_runs(
    text: str, words: Sequence[Token], min_length: int, allow: frozenset[str]
) -> Iterator[tuple[int, int]]:
    """Ranges of adjacent all-caps words with at least one shouted word in them.

    "ZAHLEN SIE JETZT" is one finding: short words and acronyms between shouted words belong
    to the same run, but a run of acronyms alone ("IBAN BIC") is not shouting.
    """
    group: list[Token] = []
    shouted = False
    for tok in words:
        if _glued(text, tok.start, tok.end) or any(c.isdigit() for c in tok.text):
            continue
        if not tok.text.isupper():
            continue
        if group and not _CAPS_GAP.fullmatch(text, group[-1].end, tok.start):
            if shouted:
                yield group[0].start, group[-1].end
            group, shouted = [], False
        group.append(tok)
        shouted = shouted or _is_shouted(tok.text, min_length, allow)
    if group and shouted:
        yield group[0].start, group[-1].end


@rule(
    "tone/shouting",
    severity="warning",
    summary="All-caps words and repeated exclamation or question marks",
    doc=RuleDoc(
        what=(
            "Finds words written in capitals ('WICHTIG', 'JETZT ZUGREIFEN', 'FREE') — one "
            "finding per run of capitalised words — and runs of '!!', '!!!', '?!', '!?'. "
            "Acronyms and brands (IBAN, SEPA, PDF, SMS, FAQ, AGB, DSGVO, STOP …, listed in "
            "rules/<lang>/tone.yaml), words without a vowel (HTML, PKW), words shorter than "
            "'min_length' and product codes with digits are not reported."
        ),
        why=(
            "Capitals read as shouting, are harder to read (word shapes disappear) and "
            "trigger spam filters. Repeated '!!!' sounds pushy or panicked."
        ),
        bad="WICHTIG: Ihre Zahlung ist ÜBERFÄLLIG!!! / LAST CHANCE to save 50%!!",
        good="Wichtig: Ihre Zahlung ist seit dem 3. März offen. / Last chance to save 50%.",
        fix=(
            "Write in normal case and use bold text, a heading or a button for emphasis; use "
            "at most one '!'. --fix replaces repeated marks with a single one."
        ),
        options={
            "min_length": "shortest all-caps word to report (letters; default 4)",
            "allow": "more all-caps words that are not shouting (brands, product names)",
        },
    ),
    options={"min_length": 4, "allow": []},
    fixable=True,
)
def check_shouting(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    min_length = int(ctx.option("min_length") or 4)
    allow = _allowed_caps(tuple(str(a) for a in ctx.option("allow") or ()))
    for part in iter_parts(message):
        text = part.text
        if not text.strip():
            continue
        tokens = [Token(m.group(), m.start(), m.end(), "word") for m in _CAPS_WORD.finditer(text)]
        comments: list[tuple[int, int]] | None = None  # looked for only when needed
        for start, end in _caps_runs(text, tokens, min_length, allow):
            if not _from_template(part.mapped, start, end):
                continue
            if comments is None:
                comments = _comment_lines(message, text)
            if any(c_start <= start < c_end for c_start, c_end in comments):
                continue
            shown = " ".join(text[start:end].split())
            yield ctx.at(
                message,
                part,
                start,
                end,
                f'All capitals "{shown}" reads as shouting: write it in normal case and use '
                "bold text or a heading for emphasis.",
            )
        if "!!" not in text and "!?" not in text and "?!" not in text:
            continue  # every run of marks with a "!" in it contains one of these
        for m in _REPEATED_MARKS.finditer(text):
            marks = m.group()
            if "!" not in marks or not _from_template(part.mapped, m.start(), m.end()):
                continue
            single = "?" if "?" in marks else "!"
            yield ctx.at(
                message,
                part,
                m.start(),
                m.end(),
                f'"{marks}" reads as shouting or panic: use a single "{single}".',
                fix=(f'Replace "{marks}" with "{single}"', single),
            )


# --- tone/blame, tone/pressure, tone/canned-phrase ----------------------------------------


@rule(
    "tone/blame",
    severity="warning",
    summary="Phrases that blame the customer",
    doc=RuleDoc(
        what=(
            "Finds phrases from the term packs whose rule is tone/blame "
            "(rules/de/tone-blame.yaml, rules/en/tone-blame.yaml): 'Sie haben versäumt', "
            "'Sie haben vergessen', 'Ihr Versäumnis', 'trotz mehrfacher Aufforderung', "
            "'you failed to', 'due to your failure', 'you neglected to', 'as we have told you'."
        ),
        why=(
            "Reproaches make customers defensive, even when they are right: a customer who "
            "feels accused calls the hotline or pays later, not sooner. The facts and the next "
            "step do the job without the blame."
        ),
        bad=(
            "Sie haben es versäumt, die Rechnung zu bezahlen. / You failed to provide a valid "
            "address."
        ),
        good=(
            "Wir haben Ihre Zahlung noch nicht erhalten. Bitte überweisen Sie den Betrag bis "
            "zum 15. März. / We couldn't deliver your parcel: the address doesn't match. "
            "Please check it here: …"
        ),
        fix=(
            "Describe the situation and what the customer can do now, without saying whose "
            "fault it is."
        ),
        options={"allow": _ALLOW_DOC},
    ),
    options={"allow": []},
)
def check_blame(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    matcher = pack_resources(ctx).term_matcher("tone/blame", message.language)
    yield from report_matches(
        message, ctx, matcher, "Blames the customer", "describe the facts and the next step"
    )


@rule(
    "tone/pressure",
    severity="warning",
    summary="False urgency and pressure (outside marketing)",
    doc=RuleDoc(
        what=(
            "Finds pressure and false urgency from the term packs whose rule is tone/pressure "
            "(rules/de/tone-pressure.yaml, rules/en/tone-pressure.yaml): 'letzte Chance', "
            "'nur noch heute', 'Handeln Sie jetzt', 'zahlen Sie sofort', 'sehen wir uns "
            "gezwungen', 'act now', 'last chance', 'don't miss out', 'respond immediately'. "
            "A plain 'sofort'/'immediately' ('Sie können sofort loslegen') is not reported. "
            "Messages with category 'marketing' are skipped by default: urgency is part of the "
            "genre there, and false claims are a matter for compliance packs; set "
            "'marketing: true' to check them too."
        ),
        why=(
            "In a service or transactional message, pressure feels like a threat or a trick "
            "and costs trust; customers who feel rushed complain or ignore the message. A "
            "clear date says the same thing calmly."
        ),
        bad=(
            "Letzte Chance! Zahlen Sie sofort, sonst sehen wir uns gezwungen, … / Act now – "
            "this is your last chance to keep your account."
        ),
        good=(
            "Bitte zahlen Sie bis zum 15. März. Danach müssen wir … / Please confirm your "
            "details by 15 March to keep your account."
        ),
        fix="Give the real deadline and the reason, and say what happens next.",
        options={
            "marketing": "also check messages with category 'marketing' (default false)",
            "allow": _ALLOW_DOC,
        },
    ),
    options={"marketing": False, "allow": []},
)
def check_pressure(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    if (message.category or "").lower() == "marketing" and not ctx.option("marketing"):
        return
    matcher = pack_resources(ctx).term_matcher("tone/pressure", message.language)
    yield from report_matches(message, ctx, matcher, "Pressure", "give a calm, concrete deadline")


@rule(
    "tone/canned-phrase",
    severity="info",
    summary="Stock phrases that make a message feel like a mass mailing",
    doc=RuleDoc(
        what=(
            "Finds stock phrases from the term packs whose rule is tone/canned-phrase "
            "(rules/de/tone-canned.yaml, rules/en/tone-canned.yaml): 'Für Rückfragen stehen "
            "wir Ihnen gerne zur Verfügung', 'Wir hoffen, Ihnen hiermit weitergeholfen zu "
            "haben', 'zögern Sie nicht', 'Wir bitten um Ihr Verständnis', 'Please do not "
            "hesitate to contact us', 'We apologize for any inconvenience', 'We hope this "
            "email finds you well'. (These phrases are not also reported as "
            "jargon/officialese or jargon/plain-english.)"
        ),
        why=(
            "Customers have read these formulas a thousand times and skip them; they make a "
            "personal message sound like a form letter. A concrete offer of help is shorter "
            "and warmer."
        ),
        bad=(
            "Für Rückfragen stehen wir Ihnen gerne zur Verfügung. / We apologize for any "
            "inconvenience."
        ),
        good=(
            "Fragen? Rufen Sie uns an: 030 123 456 (Mo–Fr 8–18 Uhr). / Sorry your parcel is "
            "late – it will arrive on Friday."
        ),
        fix="Cut the phrase or replace it with something concrete (who, how, when).",
        options={"allow": _ALLOW_DOC},
    ),
    options={"allow": []},
)
def check_canned_phrase(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    matcher = pack_resources(ctx).term_matcher("tone/canned-phrase", message.language)
    yield from report_matches(message, ctx, matcher, "Stock phrase", "cut it or say it concretely")


# --- tone/no-reply -------------------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\w.,])(?:\+|00)\d{1,3}[\s/().-]*\d[\d\s/().-]{5,}\d"
    r"|(?<![\w.,])0\d{2,5}(?:[ /-]|\s?\(\d\)\s?)?\d[\d -]{3,12}\d(?![\w.,]\d)"
    r"|(?<![\w.,])1[- .]?\(?[2-9]\d{2}\)?[- .]?\d{3}[- .]?\d{4}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)+/\S+", re.IGNORECASE)
_NO_REPLY_ADDRESS = re.compile(r"no[-_.]?reply|do[-_.]?not[-_.]?reply|nicht[-_.]?antworten", re.I)


def _offers_contact(message: Message, texts: Sequence[str]) -> bool:
    """True if the message names a way to reach a person (link, phone, address, hint)."""
    language = message.language
    hints = _lexicon_regex(language, "no_reply", "contact")
    url_hints = [u.lower() for u in _lexicon_words(language, "no_reply", "url")]
    for text in texts:
        if hints is not None and hints.search(text):
            return True
        if _PHONE.search(text):
            return True
        if any(not _NO_REPLY_ADDRESS.search(m.group()) for m in _EMAIL.finditer(text)):
            return True
        for url in _URL.findall(text):
            if any(u in url.lower() for u in url_hints):
                return True
    link_words = _lexicon_regex(language, "no_reply", "link_text")
    for link in message.channel_data.get("links") or ():
        href = str(getattr(link, "href", "") or "").lower()
        if href.startswith("mailto:") and _NO_REPLY_ADDRESS.search(href):
            continue
        if any(u in href for u in url_hints):
            return True
        label = getattr(link, "text", None)
        label_text = label.text if isinstance(label, MappedText) else str(label or "")
        if link_words is not None and link_words.search(label_text):
            return True
    return False


@rule(
    "tone/no-reply",
    severity="warning",
    summary='"Do not reply" notices without another way to reach a person',
    doc=RuleDoc(
        what=(
            "Finds notices that replies are not read ('Bitte antworten Sie nicht auf diese "
            "E-Mail', 'Dieses Postfach wird nicht überwacht', 'do not reply to this email', "
            "'this mailbox is not monitored') and no-reply sender addresses shown in the text "
            "(noreply@…), from the packs rules/<lang>/tone-no-reply.yaml. They are reported "
            "only when the message offers no other way to reach a person anywhere: a link to a "
            "contact, help or support page (or whose text says 'Kontakt', 'contact', 'Hilfe', "
            "'help'), a phone number, an e-mail address that takes replies, or a named channel "
            "such as 'Kundenservice', 'Kontaktformular', 'Hilfe-Center', 'contact form', 'help "
            "centre', 'live chat' (rules/<lang>/tone.yaml, no_reply). A bare 'kontaktieren Sie "
            "uns' / 'contact us' without a link, number or address does not count."
        ),
        why=(
            "A customer with a question who is told not to reply, and not told where to "
            "write instead, is stuck: they call the hotline, complain in public or give up."
        ),
        bad=(
            "Dies ist eine automatische Nachricht. Bitte antworten Sie nicht auf diese "
            "E-Mail. / Please do not reply to this email."
        ),
        good=(
            "Bitte antworten Sie nicht auf diese E-Mail. Fragen? Schreiben Sie uns über "
            "https://example.de/kontakt. / Please do not reply to this email. Questions? "
            "Visit our help centre: https://example.com/help"
        ),
        fix=(
            "Add a contact link, phone number or contact form next to the notice — or better, "
            "send from an address that people read."
        ),
        options={"allow": _ALLOW_DOC},
    ),
    options={"allow": []},
)
def check_no_reply(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    matcher = pack_resources(ctx).term_matcher("tone/no-reply", message.language)
    allow = {str(a).lower() for a in ctx.option("allow") or ()}
    notices: list[tuple[Part, TermMatch]] = []
    for part in iter_parts(message):
        for match in matcher.find(part.text, message.language):
            shown = " ".join(part.text[match.start : match.end].split())
            if match.entry.key.lower() in allow or shown.lower() in allow:
                continue
            if _from_template(part.mapped, match.start, match.end):
                notices.append((part, match))
    if not notices:
        return
    if _offers_contact(message, [p.text for p in iter_parts(message)]):
        return
    for part, match in notices:
        shown = " ".join(part.text[match.start : match.end].split())
        alternatives = match.entry.alternatives
        example = f' (e.g. "{alternatives[0]}")' if alternatives else ""
        text = (
            f'"{shown}" tells the customer not to reply, but the message offers no other way '
            f"to reach a person: add a contact link, phone number or contact form{example}."
        )
        yield ctx.at(message, part, match.start, match.end, text)


# --- tone/negativity -----------------------------------------------------------------------


@lru_cache(maxsize=4)
def _verb_first_imperative(language: str) -> re.Pattern[str]:
    if normalise_language(language) == "de":
        # "Prüfen Sie …", "Ruf uns an": verb first, then the address.
        return re.compile(r"^\W*[A-ZÄÖÜ][a-zäöüß]+(?:en|e|t)?\s+(?:Sie|du|ihr)\b")
    return re.compile(r"(?!)")


def _has_way_forward(sentence: str, language: str, *, same: bool, after: int = 0) -> bool:
    """True if a sentence offers an alternative or next step.

    In the refusal's own sentence a marker only counts after its last negation and after a
    clause break ("…nicht ändern, Sie können sie aber stornieren").
    """
    alternatives = _lexicon_regex(language, "negativity", "alternatives")
    if same:
        tail = sentence[after:]
        cut = re.search(r"[,;:–—]|\b(?:aber|jedoch|but|however)\b", tail)
        if cut is None or alternatives is None:
            return False
        return alternatives.search(tail, cut.start()) is not None
    if alternatives is not None and alternatives.search(sentence):
        return True
    if re.search(r"https?://|www\.|\w\.(?:de|com|net|org)\b", sentence):
        return True
    if _PHONE.search(sentence):
        return True
    first = re.match(r"\W*([^\W\d_]+)", sentence)
    steps = {w.lower() for w in _lexicon_words(language, "negativity", "next_steps")}
    if first is not None and first.group(1).lower() in steps:
        return True
    return _verb_first_imperative(language).search(sentence) is not None


def _refusals(
    part: Part, language: str, matches: Sequence[TermMatch], sentences: Sequence[Sentence]
) -> Iterator[tuple[int, int, str]]:
    """Regret + negation sentences ("Leider können wir … nicht …") without a way forward."""
    regret = _lexicon_regex(language, "negativity", "regret")
    if regret is None:
        return
    text = part.text
    for i, sentence in enumerate(sentences):
        body = text[sentence.start : sentence.end]
        marker = regret.search(body)
        if marker is None:
            continue
        m_start, m_end = sentence.start + marker.start(), sentence.start + marker.end()
        negations = [
            m
            for m in matches
            if sentence.start <= m.start < sentence.end and not (m_start <= m.start < m_end)
        ]
        if not negations:
            continue
        last = max(m.end for m in negations) - sentence.start
        if _has_way_forward(body, language, same=True, after=last):
            continue
        if i + 1 < len(sentences):
            nxt = sentences[i + 1]
            if _has_way_forward(text[nxt.start : nxt.end], language, same=False):
                continue
        yield m_start, m_end, " ".join(body.split())


@rule(
    "tone/negativity",
    severity="info",
    summary='Many negations, and "leider" refusals without an alternative',
    doc=RuleDoc(
        what=(
            "Counts negations and refusals from the packs rules/<lang>/tone-negativity.yaml "
            "('nicht', 'kein', 'leider', 'nicht möglich', 'abgelehnt', 'not', 'cannot', "
            "'unfortunately', 'unable', 'declined') in the subject and body and reports the "
            "message when there are at least 'min_count' of them and more than "
            "'max_per_sentence' per sentence. It also reports each refusal introduced by "
            "'leider', 'bedauerlicherweise', 'unfortunately', 'sorry' … that offers no way "
            "forward: no 'stattdessen', 'alternativ', 'Sie können', 'bitte', 'instead', 'you "
            "can', 'please', link, phone number or instruction ('Prüfen Sie …') after it in "
            "the same sentence or in the next one."
        ),
        why=(
            "Customers remember what they cannot do. A message full of 'nicht' and 'kein' "
            "feels like a rejection even when the news is neutral, and a refusal without an "
            "alternative leaves the customer stuck."
        ),
        bad=(
            "Leider können wir Ihre Bestellung nicht ändern. / Unfortunately, we cannot "
            "change your order."
        ),
        good=(
            "Ihre Bestellung ist schon unterwegs. Sie können sie nach Erhalt kostenlos "
            "zurückschicken. / Your order has already shipped – you can return it for free "
            "once it arrives."
        ),
        fix=(
            "Say what is possible rather than what is not; after 'leider' always offer an "
            "alternative or the next step."
        ),
        options={
            "min_count": "fewest negations for the density finding (default 5)",
            "max_per_sentence": "negations per sentence above which the message is reported "
            "(default 0.5)",
            "refusals": "report 'leider' refusals without an alternative (default true)",
        },
    ),
    options={"min_count": 5, "max_per_sentence": 0.5, "refusals": True},
)
def check_negativity(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    if _is_catalogue(message):
        return
    language = message.language
    matcher = pack_resources(ctx).term_matcher("tone/negativity", language)
    per_part: list[tuple[Part, list[TermMatch]]] = []
    regret = _lexicon_regex(language, "negativity", "regret")
    for part in _readable_parts(message):
        matches = [
            m
            for m in matcher.find(part.text, language)
            if _from_template(part.mapped, m.start, m.end)
        ]
        per_part.append((part, matches))
        # Splitting sentences is the expensive step: only where a refusal is possible.
        if not matches or regret is None or not regret.search(part.text):
            continue
        sentences = split_sentences(part.text, language)
        if not ctx.option("refusals", True):
            continue
        for start, end, sentence in _refusals(part, language, matches, sentences):
            shown = part.text[start:end]
            yield ctx.at(
                message,
                part,
                start,
                end,
                f'Refusal without an alternative: "{_shorten(sentence)}". After "{shown}", '
                "say what the customer can do instead or what happens next.",
            )
    total = sum(len(m) for _, m in per_part)
    min_count = int(ctx.option("min_count", 5))
    limit = float(ctx.option("max_per_sentence", 0.5))
    if total < min_count:
        return
    sentence_count = message.metrics.get("sentences")
    if not isinstance(sentence_count, int) or sentence_count <= 0:
        sentence_count = sum(len(split_sentences(p.text, language)) for p, _ in per_part)
    if total <= limit * max(sentence_count, 1):
        return
    words: Counter[str] = Counter()
    for part, matches in per_part:
        words.update(" ".join(part.text[m.start : m.end].lower().split()) for m in matches)
    part, matches = max(per_part, key=lambda pm: len(pm[1]))
    first = matches[0]
    text = (
        f"Negative wording: {total} negations or refusals in {sentence_count} "
        f"{'sentence' if sentence_count == 1 else 'sentences'} ({_counted(words)}). Say "
        "what the customer can do rather than what they cannot."
    )
    yield ctx.at(message, part, first.start, first.end, text)


def _shorten(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


# --- tone/sentiment ------------------------------------------------------------------------

# VADER's constants: a negated word keeps 74 % of its weight with the opposite sign; a booster
# adds 0.293; the sum is normalised with alpha 15 to the range -1 … +1.
_NEGATION_SCALAR = -0.74
_BOOST = 0.293
_ALPHA = 15.0
_WINDOW = 3


class Sentiment(NamedTuple):
    """A text's overall sentiment: ``score`` from -1 (very negative) to +1 (very positive)."""

    score: float
    negative: tuple[tuple[str, int, int], ...]  # (word, start, end) pulling the score down


class _Lexicon:
    """A YAML sentiment lexicon with simple inflection handling (gut/gute/guten)."""

    def __init__(self, language: str) -> None:
        data = load_lexicon(language, "sentiment")
        self.words = {str(k).lower(): float(v) for k, v in (data.get("words") or {}).items()}
        self.negators = frozenset(str(w).lower() for w in data.get("negators") or ())
        self.boosters = frozenset(str(w).lower() for w in data.get("boosters") or ())
        self.cache: dict[str, float] = {}

    def valence(self, word: str) -> float:
        cached = self.cache.get(word)
        if cached is None:
            cached = self.cache[word] = self._lookup(word)
        return cached

    def _lookup(self, word: str) -> float:
        if word in self.words:
            return self.words[word]
        for suffix in ("en", "em", "er", "es", "st", "e", "n", "s", "t"):
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 3:
                for candidate in (stem, stem + "en", stem + "e"):
                    if candidate in self.words:
                        return self.words[candidate]
        return 0.0


@lru_cache(maxsize=4)
def _lexicon(language: str) -> _Lexicon:
    return _Lexicon(language)


def lexicon_sentiment(text: str, language: str) -> Sentiment:
    """Sentiment from msglint's own lexicon (rules/<lang>/sentiment.yaml), VADER-style."""
    lang = normalise_language(language)
    lexicon = _lexicon(lang)
    words = [t for t in tokenize(text, lang) if t.kind == "word"]
    lowered = [w.text.lower() for w in words]
    total = 0.0
    negative: list[tuple[str, int, int]] = []
    cache = lexicon.cache
    for word in set(lowered).difference(cache):  # words not seen before (few after a while)
        lexicon.valence(word)
    # Most words carry no valence: the loop visits only those that do (picked at C speed).
    valences = list(map(cache.__getitem__, lowered))
    for i in compress(range(len(valences)), valences):
        valence = valences[i]
        before = lowered[max(0, i - _WINDOW) : i]
        if before and before[-1] in lexicon.boosters:
            valence += _BOOST if valence > 0 else -_BOOST
        if any(b in lexicon.negators for b in before):
            valence *= _NEGATION_SCALAR
        total += valence
        if valence <= -1.0:
            negative.append((words[i].text, words[i].start, words[i].end))
    score = total / math.sqrt(total * total + _ALPHA) if total else 0.0
    return Sentiment(score, tuple(negative))


_VADER_FORMAT = 1  # bump when what is cached of the analyzer changes
_VADER_FILES = ("vaderSentiment.py", "vader_lexicon.txt", "emoji_utf8_lexicon.txt")


@lru_cache(maxsize=1)
def _vader() -> Any:
    try:
        from vaderSentiment import vaderSentiment as vader
    except ImportError:  # optional dependency: fall back to the shipped English lexicon
        return None
    from msglint.cachedir import cache_file, load_pickle, store_pickle

    # Building the analyzer parses its 7,500-word lexicon (~20 ms a process, a twentieth of a
    # pre-commit run); its state is cached, keyed by the package's files.
    folder = os.path.dirname(vader.__file__ or "")
    try:
        files = [os.stat(os.path.join(folder, name)) for name in _VADER_FILES]
        key = cache_file(
            "vader", _VADER_FORMAT, folder, *((f.st_size, f.st_mtime_ns) for f in files)
        )
    except OSError:
        key = None
    state = load_pickle(key)
    if isinstance(state, dict) and all(name in state for name in ("lexicon", "emojis")):
        analyzer = vader.SentimentIntensityAnalyzer.__new__(vader.SentimentIntensityAnalyzer)
        analyzer.__dict__.update(state)
        return analyzer
    analyzer = vader.SentimentIntensityAnalyzer()
    store_pickle(key, dict(analyzer.__dict__))
    return analyzer


_SENTIMENT_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@lru_cache(maxsize=1)
def _vader_negative_words() -> frozenset[str]:
    """The words VADER scores -1 or lower (lower-case, as in its lexicon)."""
    return frozenset(w for w, v in _vader().lexicon.items() if v <= -1.0)


def text_sentiment(text: str, language: str, *, only_negative: bool = False) -> Sentiment:
    """The sentiment of ``text``: VADER for English when installed, else the YAML lexicon."""
    lang = normalise_language(language)
    analyzer = _vader() if lang == "en" and language.lower().startswith("en") else None
    if analyzer is None:
        return lexicon_sentiment(text, lang)
    negative_words = _vader_negative_words()
    # Set operations on the distinct words; where the negative words are is only looked up for
    # a text that VADER scores (msglint's lexicon rules out most texts first).
    # Only which words occur matters here: runs of letters are words as they are (C filters),
    # the pattern reads the rest (it has no look-around and never spans white space).
    runs = text.split()
    written = [
        *filter(str.isalpha, runs),
        *_SENTIMENT_WORD.findall(" ".join(filterfalse(str.isalpha, runs))),
    ]
    lowered = set(map(str.lower, written))
    negates = not _lexicon("en").negators.isdisjoint(lowered) or (  # rules/en/sentiment.yaml
        "n't" in text and any("n't" in w for w in written)
    )
    pulls_down = not negative_words.isdisjoint(lowered)
    if only_negative and (
        (not pulls_down and not negates) or lexicon_sentiment(text, lang).score > -0.1
    ):
        # VADER is slow (most of the rule's time): it only confirms texts that have negative
        # words and that msglint's own lexicon already finds negative.
        return Sentiment(0.0, ())
    negative: tuple[tuple[str, int, int], ...] = ()
    if pulls_down:
        negative = tuple(
            (m.group(), m.start(), m.end())
            for m in _SENTIMENT_WORD.finditer(text)
            if m.group().lower() in negative_words
        )
    score = float(analyzer.polarity_scores(text)["compound"])
    return Sentiment(score, negative)


@rule(
    "tone/sentiment",
    severity="info",
    summary="Service and transactional messages whose overall tone is strongly negative",
    doc=RuleDoc(
        what=(
            "Scores the overall sentiment of the subject and body from -1 (very negative) to "
            "+1 (very positive): English with VADER (the vaderSentiment package, when "
            "installed), German — and English without VADER — with msglint's lexicon "
            "(rules/<lang>/sentiment.yaml: a few hundred words with weights, negation "
            "'nicht gut' / 'kein Problem' and boosters 'sehr'). Reports the message when the "
            "score is below 'threshold', naming the words that pull it down. Marketing "
            "messages are skipped. The score is kept in metrics['tone']['sentiment']."
        ),
        why=(
            "Even bad news (a failed payment, a delay) can be told in a way that helps: a "
            "message that is negative from start to end makes the customer feel scolded or "
            "alarmed, and they remember the brand that way."
        ),
        bad=(
            "Leider ist Ihre Zahlung fehlgeschlagen. Ihr Konto wurde gesperrt. Es fallen "
            "Mahngebühren an. / Unfortunately your payment failed. Your account is suspended "
            "and a penalty fee applies."
        ),
        good=(
            "Ihre Zahlung hat nicht geklappt – das lässt sich schnell lösen: Bitte prüfen Sie "
            "Ihre Kartendaten. / Your payment didn't go through – it's quick to fix: please "
            "check your card details."
        ),
        fix=(
            "Keep the facts, but add what the customer can do, thank them or explain how you "
            "help; replace loaded words (gesperrt, Mahnung, penalty) where possible."
        ),
        options={
            "threshold": "report when the score is below this (default -0.5)",
            "min_words": "shortest message (words) to score (default 5)",
        },
    ),
    options={"threshold": -0.5, "min_words": 5},
)
def check_sentiment(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    if (message.category or "").lower() == "marketing" or _is_catalogue(message):
        return
    parts = _readable_parts(message)
    if not parts:
        return
    separator = "\n\n"
    text = separator.join(p.text for p in parts)
    min_words = int(ctx.option("min_words", 5))
    if len(text.split(None, min_words)) < min_words:  # the words up to min_words suffice
        return
    threshold = float(ctx.option("threshold", -0.5))
    sentiment = text_sentiment(text, message.language, only_negative=threshold < 0)
    tone = message.metrics.setdefault("tone", {})
    if isinstance(tone, dict) and (sentiment.score or sentiment.negative):
        tone["sentiment"] = round(sentiment.score, 3)
    if sentiment.score >= threshold:
        return
    # Map the joined text's offsets back to a part for the location.
    offsets: list[tuple[int, Part]] = []
    position = 0
    for part in parts:
        offsets.append((position, part))
        position += len(part.text) + len(separator)
    words: Counter[str] = Counter(w for w, _, _ in sentiment.negative)
    listed = f": {_counted(words, 5)}" if words else ""
    text_message = (
        f"The message sounds strongly negative (sentiment {sentiment.score:+.2f} on a scale "
        f"from -1 to +1){listed}. Add what the customer can do next, or soften loaded words."
    )
    if sentiment.negative:
        _, start, end = sentiment.negative[0]
        base, part = max((o for o in offsets if o[0] <= start), key=lambda o: o[0])
        yield ctx.at(message, part, start - base, end - base, text_message)
    else:
        yield ctx.at_part(message, parts[0], text_message)
