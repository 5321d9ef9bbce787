"""``readability/``: score, long sentences, long words, nominal style; and ``tone/passive``.

All rules read what the customer reads: the subject, preheader, title, header, body and
footer (not the e-mail's text alternative, which repeats the body). Sentences and words that
come only from a placeholder's sample value are not the template's wording and are skipped.
The analysis is in :mod:`msglint.text` (pure functions); the word lists are data in
``rules/<lang>/``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.config import Config
from msglint.mapping import MappedText
from msglint.memo import per_template
from msglint.model import Finding, Message, Part
from msglint.rules.registry import RuleContext, RuleDoc, iter_parts, rule
from msglint.scores import threshold
from msglint.text.compounds import allowed_long_words, suggest_split
from msglint.text.lexicon import normalise_language
from msglint.text.nominal import NominalMatch, nominal_matches
from msglint.text.passive import PassiveMatch, passive_matches
from msglint.text.readability import count_text, score_from_counts
from msglint.text.segment import Sentence, split_sentences

READABLE_PARTS = ("subject", "preheader", "title", "header", "body", "footer")
_SHORT = 8  # words; a shorter "sentence" is a heading, label or greeting
_CHANNEL_NAMES = {"email": "e-mail", "sms": "SMS", "push": "push", "letter": "letter"}


# --- shared --------------------------------------------------------------------------------


def readable_parts(message: Message) -> Iterator[Part]:
    """The parts the customer reads as text, in message order."""
    for part in iter_parts(message, READABLE_PARTS):
        if part.text.strip():
            yield part


def wording(message: Message, part: Part) -> str:
    """``part.text`` with each placeholder value masked as one token of the same length.

    Rendered without samples, ``{{ order.deepLinkCode }}`` reads "deepLinkCode"; with samples,
    "Max Mustermann". Neither is the template's wording: masked as ``{{xxxxxxxxxx}}`` (or
    ``0`` for one or two characters) it counts as one word, never as a long word, a noun or a
    verb. Offsets stay those of ``part.text``.
    """
    # Several rules read the wording of the same parts: made once per message and part.
    made: dict[int, tuple[Part, str]] = message.channel_data.setdefault("wording", {})
    hit = made.get(id(part))
    if hit is not None and hit[0] is part:
        return hit[1]
    result = _wording(message, part)
    made[id(part)] = (part, result)
    return result


def _wording(message: Message, part: Part) -> str:
    text = part.text
    source = message.template.text
    pieces = []
    for chunk in part.mapped.chunks:
        piece = text[chunk.start : chunk.end]
        if not chunk.literal and _is_value(piece, source[chunk.src_start : chunk.src_end]):
            n = len(piece)
            piece = "0" * n if n < 3 else "{x}" if n == 3 else "{{" + "x" * (n - 4) + "}}"
        pieces.append(piece)
    return "".join(pieces)


def _is_value(piece: str, source: str) -> bool:
    # Other generated chunks: entities ("&auml;"), collapsed white space, and included
    # blocks (long or multi-line), which are prose of their own.
    return (
        len(piece) <= 120
        and "\n" not in piece
        and bool(piece.strip())
        and not source.startswith("&")
    )


@per_template(maxsize=256)
def sentences_of(text: str, language: str) -> tuple[Sentence, ...]:
    """Sentences of a part's wording; cached because several rules walk the same parts.

    A line that ends with a placeholder, URL or e-mail address ends its sentence when the next
    line starts with a capital ("…abrufen: {{ url }}⏎Sollten Sie …"); the splitter would
    take a long line without final punctuation for a soft-wrapped one.
    """
    result: list[Sentence] = []
    for sentence in split_sentences(text, language):
        if text.find("\n", sentence.start, sentence.end) == -1:
            result.append(sentence)  # no line break inside: nothing to split
            continue
        tokens = sentence.tokens
        start = 0
        for i in range(1, len(tokens)):
            prev, tok = tokens[i - 1], tokens[i]
            if (
                prev.kind in ("placeholder", "url", "email")
                and tok.kind == "word"
                and tok.text[:1].isupper()
                and "\n" in text[prev.end : tok.start]
            ):
                result.append(Sentence(tokens[start].start, prev.end, tokens[start:i]))
                start = i
        rest = tokens[start:]
        result.append(Sentence(rest[0].start, sentence.end, rest) if start else sentence)
    return tuple(result)


def _from_template(mapped: MappedText, start: int, end: int) -> bool:
    # Text that only comes from a placeholder's sample value is not the template's wording.
    return any(c.literal and c.start < end and start < c.end for c in mapped.chunks)


def _channel_name(channel: str) -> str:
    return _CHANNEL_NAMES.get(channel, channel)


def _per_channel(ctx: RuleContext, channel: str) -> Any:
    """A per-channel option value: the channel's key, else ``default``."""
    value = ctx.option(channel)
    return ctx.option("default") if value is None else value


def _config(ctx: RuleContext) -> Config | None:
    config = getattr(ctx.resources, "__dict__", {}).get("config")
    return config if isinstance(config, Config) else None


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1].rstrip()}…"'


_CHANNEL_OPTION_DOC = (
    "one key per channel (email, sms, push, whatsapp, social, letter) and 'default' for the rest"
)


# --- readability/score ---------------------------------------------------------------------

_SCORE_DEFAULTS: dict[str, Any] = {
    "email": 50,
    "sms": 60,
    "push": 60,
    "whatsapp": 55,
    "social": 55,
    "letter": 45,
    "default": 50,
    "min_words": 8,
}


@rule(
    "readability/score",
    severity="warning",
    summary="Readability score below the channel's threshold",
    doc=RuleDoc(
        what=(
            "Compares msglint's readability score (metrics.readability.score, 0-100, higher "
            "is easier; docs/readability.md) of the subject, preheader and body with a "
            "threshold per channel: e-mail 50, SMS and push 60, WhatsApp and social 55, "
            "letter 45. The score is driven by sentence length in characters, then by long "
            "words and long compounds. Messages under 8 words are not judged."
        ),
        why=(
            "Customers skim. A message with long sentences and long words is read slowly, "
            "understood late or not at all, and leads to calls to the hotline. Short channels "
            "(SMS, push) are read in passing and need the plainest text."
        ),
        bad=(
            "de: Wir möchten Sie darüber informieren, dass aufgrund der Anpassung der "
            "Netzentgelte und der gesetzlichen Umlagen eine Erhöhung Ihres monatlichen "
            "Abschlagsbetrags zum nächstmöglichen Abrechnungszeitpunkt erforderlich wird. / "
            "en: We would like to inform you that, owing to the adjustment of network charges "
            "and statutory levies, an increase of your monthly instalment will become "
            "necessary at the next possible billing date."
        ),
        good=(
            "de: Ihr Abschlag steigt ab 1. März auf 62 €. Der Grund: Die Netzentgelte sind "
            "gestiegen. / en: From 1 March your monthly payment goes up to £62. The reason: "
            "network charges have gone up."
        ),
        fix=(
            "Split long sentences (one idea per sentence), replace long compounds and "
            "officialese with everyday words, and put the most important fact first."
        ),
        options={
            "email, sms, push, whatsapp, social, letter, default": (
                "minimum score per channel. The config's `scores:` section sets the same "
                "thresholds for all rules (`scores: {sms: {readability: 65}}`); an option "
                "given here wins over it."
            ),
            "min_words": "messages with fewer words are not judged (default 8)",
        },
    ),
    options=_SCORE_DEFAULTS,
)
def check_score(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    minimum = _score_threshold(ctx, message.channel)
    metrics = message.metrics.get("readability")
    if isinstance(metrics, Mapping) and float(metrics.get("score", 100.0)) >= minimum:
        return  # the common case: no need to look closer
    # Judge the template's wording, in prose sentences: sample values (order numbers,
    # translation keys) count as one placeholder word each, tables and code not at all.
    language = normalise_language(message.language)
    prose = [
        sentence
        for part in readable_parts(message)
        for sentence in sentences_of(wording(message, part), language)
        if len(sentence.words) <= _SHORT or _is_prose(sentence)  # short lines: headings
    ]
    counts = count_text(prose, language)
    score = score_from_counts(counts, language)
    if counts.words < int(ctx.option("min_words") or 0) or score >= minimum:
        return
    part = next(iter(iter_parts(message, ("body",))), None) or next(readable_parts(message), None)
    if part is None:
        return
    text = (
        f"Readability score {round(score)} is below {round(minimum)} for "
        f"{_channel_name(message.channel)}: sentences average "
        f"{counts.words / counts.sentences:.0f} words ({counts.characters / counts.sentences:.0f} "
        "characters); shorten sentences and use everyday words"
    )
    yield ctx.at_part(message, part, text)


def _score_threshold(ctx: RuleContext, channel: str) -> float:
    # An explicit rule option wins over the config's `scores:` section, which wins over defaults.
    if channel in ctx.options:
        return float(ctx.options[channel])
    configured = threshold(_config(ctx), channel, "readability")
    return configured if configured is not None else float(_per_channel(ctx, channel))


# --- readability/long-sentence -------------------------------------------------------------

_SENTENCE_DEFAULTS: dict[str, Any] = {
    "email": 25,
    "sms": 25,
    "push": 20,
    "whatsapp": 25,
    "social": 25,
    "letter": 30,
    "default": 25,
}
_SPLIT_AFTER = frozenset({",", ";"})


@rule(
    "readability/long-sentence",
    severity="warning",
    summary="Sentence with more words than the channel allows",
    doc=RuleDoc(
        what=(
            "Counts the words of every sentence the customer reads (list items, headings and "
            "button-like lines are sentences of their own; a placeholder, URL or number is "
            "one word). Reports sentences longer than 25 words (push 20, letter 30) and "
            "suggests where a sentence could be split."
        ),
        why=(
            "Readers keep about a dozen words in working memory. Beyond 20-25 words they "
            "have to re-read, and in German the verb often comes only at the end."
        ),
        bad=(
            "de: Wir möchten Sie darüber informieren, dass Ihr Paket aufgrund eines hohen "
            "Sendungsaufkommens in unserem Verteilzentrum leider erst am Donnerstag und nicht "
            "wie ursprünglich angekündigt am Dienstag bei Ihnen eintreffen wird. / en: We "
            "would like to let you know that due to a high volume of parcels at our sorting "
            "centre your parcel will unfortunately arrive on Thursday rather than on Tuesday "
            "as originally announced."
        ),
        good=(
            "de: Ihr Paket kommt erst am Donnerstag, nicht am Dienstag. Der Grund: In unserem "
            "Verteilzentrum ist gerade sehr viel los. / en: Your parcel will arrive on "
            "Thursday, not on Tuesday. Our sorting centre is very busy right now."
        ),
        fix="Split the sentence: one idea per sentence, the most important one first.",
        options={
            "email, sms, push, whatsapp, social, letter, default": (
                f"maximum words per sentence ({_CHANNEL_OPTION_DOC})"
            )
        },
    ),
    options=_SENTENCE_DEFAULTS,
)
def check_long_sentence(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    limit = int(_per_channel(ctx, message.channel))
    language = normalise_language(message.language)
    for part in readable_parts(message):
        for sentence in sentences_of(wording(message, part), language):
            words = sentence.words
            if len(words) <= limit or not _from_template(part.mapped, sentence.start, sentence.end):
                continue
            if not _is_prose(sentence):
                continue
            hint = _split_hint(sentence, part.text)
            yield ctx.at(
                message,
                part,
                sentence.start,
                sentence.end,
                f"Sentence has {len(words)} words (more than {limit} for "
                f"{_channel_name(message.channel)}): split it{hint}",
            )


def _is_prose(sentence: Sentence) -> bool:
    """False for tables, address blocks and code that the splitter took for one sentence."""
    words = sentence.words
    data = sum(1 for t in words if t.kind != "word")
    marks = sum(1 for t in sentence.tokens if t.kind in ("punct", "symbol")) - 1
    lower = sum(1 for t in words if t.kind == "word" and t.text[:1].islower())
    return data <= 0.3 * len(words) and marks <= 0.5 * len(words) and lower >= 0.3 * len(words)


def _split_hint(sentence: Sentence, text: str) -> str:
    """Where to split: the comma or semicolon nearest the middle, with six words on each side."""
    tokens = sentence.tokens
    positions = [i for i, t in enumerate(tokens) if t.kind in ("word", "number", "placeholder")]
    breaks = []
    for i, tok in enumerate(tokens):
        if tok.kind == "punct" and tok.text in _SPLIT_AFTER and i > 0:
            before = sum(1 for p in positions if p < i)
            if before >= 6 and len(positions) - before >= 6:
                breaks.append((abs(2 * before - len(positions)), i))
    if not breaks:
        return ""
    best = min(breaks)[1]
    word = tokens[best - 1]
    return f' (e.g. after "{text[word.start : word.end]}{tokens[best].text}")'


# --- readability/long-word -----------------------------------------------------------------


@rule(
    "readability/long-word",
    severity="info",
    summary="Very long (compound) words; suggests a hyphenated split",
    doc=RuleDoc(
        what=(
            "Finds words with more than 20 letters (each part of a hyphenated word counts on "
            "its own). For German noun compounds it suggests a hyphenated spelling at the "
            "compound's main joints, from a list of common word parts and linking elements "
            "(-s-, -es-, -n-) checked against pyphen's hyphenation points: "
            "'Rufnummernmitnahmeformular' → 'Rufnummern-Mitnahme-Formular'. Nothing is "
            "changed automatically: whether to hyphenate or rephrase is the writer's call. "
            "Technical identifiers (CamelCase, digits) are skipped."
        ),
        why=(
            "Long compounds are read letter by letter: the eye needs several stops and the "
            "reader has to work out where the parts begin. Hyphens or a short phrase show "
            "the structure at a glance."
        ),
        bad=(
            "de: Bitte senden Sie uns das Rufnummernmitnahmeformular zurück. / en: This is "
            "an incomprehensibilities test (English words this long are rare)."
        ),
        good=(
            "de: Bitte senden Sie uns das Formular zur Mitnahme Ihrer Rufnummer zurück. "
            "(or: das Rufnummern-Mitnahme-Formular) / en: Please use short, everyday words."
        ),
        fix=(
            "Rephrase with a preposition ('Formular für die Mitnahme Ihrer Rufnummer'), or "
            "hyphenate at the suggested joints. Words your customers know can be allowed."
        ),
        options={
            "max_letters": "letters a word may have (default 20)",
            "allow": "words never reported (also `allow` in rules/de/compounds.yaml)",
        },
    ),
    options={"max_letters": 20, "allow": []},
)
def check_long_word(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    limit = int(ctx.option("max_letters"))
    allow = {str(a).lower() for a in ctx.option("allow") or ()} | allowed_long_words()
    language = normalise_language(message.language)
    for part in readable_parts(message):
        seen: set[str] = set()
        for sentence in sentences_of(wording(message, part), language):
            for tok in sentence.tokens:
                if tok.kind != "word" or len(tok.text) <= limit:
                    continue
                offset = tok.start
                for piece in tok.text.split("-"):
                    start, offset = offset, offset + len(piece) + 1
                    if len(piece) <= limit or piece in seen or not _plain_word(piece):
                        continue
                    if piece.lower() in allow:
                        continue
                    if not _from_template(part.mapped, start, start + len(piece)):
                        continue
                    seen.add(piece)
                    yield ctx.at(
                        message, part, start, start + len(piece), _long_word(piece, language)
                    )


def _plain_word(word: str) -> bool:
    # CamelCase and words with digits are identifiers, not prose.
    return word.isalpha() and not any(c.isupper() for c in word[1:])


def _long_word(word: str, language: str) -> str:
    text = f'Long word "{word}" ({len(word)} letters)'
    split = suggest_split(word) if language == "de" else None
    if split:
        return f'{text}: rephrase it, or write "{split}"'
    return f"{text}: rephrase it with shorter words"


# --- readability/nominal-style -------------------------------------------------------------


@rule(
    "readability/nominal-style",
    severity="info",
    summary="Actions hidden in nouns with empty verbs ('Die Zahlung erfolgt', 'make a payment')",
    doc=RuleDoc(
        what=(
            "German: a verbal noun (-ung, -heit, -keit, -ion, -tät, -nis, -nahme) and an "
            "empty verb (erfolgen, durchführen, vornehmen, tätigen, bewirken, veranlassen, "
            "stattfinden) in one clause, and set phrases such as 'zur Durchführung bringen', "
            "'in Kenntnis setzen', 'zur Auszahlung kommen', 'in Rechnung stellen'. Everyday "
            "nouns (Rechnung, Bestellung, Sendung, Information …) alone never count. English: "
            "a light verb (make, carry out, conduct, perform, provide, give, take) with a "
            "verbal noun ('make a payment', 'carry out an investigation', 'provide "
            "assistance') and its passive ('an investigation was carried out'). Phrases that "
            "jargon/officialese or jargon/plain-english already report are left to them."
        ),
        why=(
            "The verb carries the action. 'Die Zahlung erfolgt per Lastschrift' hides who "
            "pays and what happens; 'Wir buchen den Betrag ab' says it. Nominal style makes "
            "text longer, more abstract and more official."
        ),
        bad=(
            "de: Die Abbuchung des Betrags erfolgt zum Monatsende. Wir führen eine Prüfung "
            "Ihres Antrags durch. / en: We will carry out an investigation and make a "
            "decision within five days."
        ),
        good=(
            "de: Wir buchen den Betrag zum Monatsende ab. Wir prüfen Ihren Antrag. / en: We "
            "will investigate and decide within five days."
        ),
        fix="Use the verb behind the noun (the finding suggests it) and say who acts.",
        options={},
    ),
    options={},
)
def check_nominal_style(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    language = normalise_language(message.language)
    for part in readable_parts(message):
        text = part.text
        covered: list[tuple[int, int]] | None = None
        for sentence in sentences_of(wording(message, part), language):
            for match in nominal_matches(sentence, language):
                if not _from_template(part.mapped, match.start, match.end):
                    continue
                if covered is None:
                    covered = _jargon_spans(ctx, text, language)
                if any(s < match.end and match.start < e for s, e in covered):
                    continue
                yield ctx.at(message, part, match.start, match.end, _nominal(match, text))


def _nominal(match: NominalMatch, text: str) -> str:
    shown = _quote(text[match.start : match.end])
    if match.suggestion:
        return f'Nominal style {shown}: use the verb ("{match.suggestion}") and say who acts'
    return f"Nominal style {shown}: use a verb instead of the noun and say who acts"


def _jargon_spans(ctx: RuleContext, text: str, language: str) -> list[tuple[int, int]]:
    """Spans the jargon packs report (nominal phrases such as 'Zahlung leisten' are there)."""
    from msglint.rules.jargon import pack_resources

    rule_id = "jargon/officialese" if language == "de" else "jargon/plain-english"
    try:
        matcher = pack_resources(ctx).term_matcher(rule_id, language)
    except Exception:  # no packs (a bare rule context): nothing to defer to
        return []
    return [(m.start, m.end) for m in matcher.find(text, language)]


# --- tone/passive --------------------------------------------------------------------------


@rule(
    "tone/passive",
    severity="info",
    summary="Passive voice in many sentences, or in requests ('Sie werden gebeten')",
    doc=RuleDoc(
        what=(
            "Finds passive verb groups: German Vorgangspassiv (a form of 'werden' and a past "
            "participle closing the clause: 'wird … zugestellt', 'wurde versendet', 'kann … "
            "erstattet werden'); English 'be' + past participle ('has been shipped', 'will "
            "be charged'). A single passive is often the natural choice ('Ihr Paket wurde "
            "versendet'), so sentences are reported only when passives pile up: at least "
            "3 passive sentences and at least a third of the message's sentences. Requests "
            "and impersonal passives ('Sie werden gebeten', 'Es wird darauf hingewiesen', "
            "'You are requested to') are reported always."
        ),
        why=(
            "Passive hides who acts: 'Ihr Antrag wird geprüft' – by whom, and until when? "
            "Many passives make a message sound like an authority. Requests in the passive "
            "sound like orders from nobody."
        ),
        bad=(
            "de: Ihr Antrag wurde geprüft. Der Betrag wird erstattet. Sie werden gebeten, "
            "das Formular zu unterschreiben. / en: Your request has been reviewed. The "
            "amount will be refunded. You are requested to sign the form."
        ),
        good=(
            "de: Wir haben Ihren Antrag geprüft und erstatten Ihnen den Betrag. Bitte "
            "unterschreiben Sie das Formular. / en: We have reviewed your request and will "
            "refund the amount. Please sign the form."
        ),
        fix=(
            "Name who acts ('wir', 'unser Team', 'Sie') and use the active voice; turn "
            "passive requests into 'Bitte …' / 'Please …'."
        ),
        options={
            "min_sentences": "passive sentences a message needs before they are reported (3)",
            "min_share": "share of passive sentences from which they are reported (0.33)",
        },
    ),
    options={"min_sentences": 3, "min_share": 0.33},
)
def check_passive(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    language = normalise_language(message.language)
    found: list[tuple[Part, PassiveMatch]] = []
    passive_sentences = total = 0
    for part in readable_parts(message):
        for sentence in sentences_of(wording(message, part), language):
            if len(sentence.words) < 3:
                continue  # headings and labels are not prose
            total += 1
            matches = [
                m
                for m in passive_matches(sentence, language)
                if _from_template(part.mapped, m.start, m.end)
            ]
            if matches:
                passive_sentences += 1
                found.extend((part, m) for m in matches)
    if not found:
        return
    dense = passive_sentences >= int(ctx.option("min_sentences")) and (
        passive_sentences / max(total, 1) >= float(ctx.option("min_share"))
    )
    share = f"{passive_sentences} of {total} sentences are passive"
    for part, match in found:
        shown = _quote(part.text[match.start : match.end])
        if match.always:
            ask = "Bitte …" if language == "de" else "Please …"
            text = f'Passive request {shown}: say who acts, or ask directly ("{ask}")'
        elif dense:
            text = f"Passive voice {shown} ({share}): say who acts and use the active voice"
        else:
            continue
        yield ctx.at(message, part, match.start, match.end, text)
