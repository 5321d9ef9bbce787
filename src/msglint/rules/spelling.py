"""Spelling: LanguageTool's spelling matches, an offline Hunspell check, rejected words.

All three respect the house vocabulary (``vocabulary:`` in the config, see
:mod:`msglint.grammar.vocabulary`): accepted words are never reported, rejected words always are.
Only template text is checked: placeholder values, template tags, URLs, e-mail addresses, codes,
numbers and acronyms are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import filterfalse

from msglint.grammar.classify import SPELLING, channel_replacements, describe, rule_for
from msglint.grammar.hunspell import Dictionary, is_correct, run_words
from msglint.grammar.runtime import dictionary, grammar_service, vocabulary
from msglint.lazy import lazy_pattern
from msglint.model import Finding, Message
from msglint.rules.registry import RuleContext, RuleDoc, iter_parts, rule

_VOCAB_HINT = "add it to the house vocabulary (vocabulary.{lang}.accept) if it is right"


# Words for spelling/rejected-word: letters and digits with inner hyphens or apostrophes.
_token = lazy_pattern(r"[^\W_](?:[\w'’-]*[^\W_])?")


def _accepted_span(message: Message, text: str, ctx: RuleContext) -> bool:
    vocab = vocabulary(ctx.resources)
    words = [w.strip(".,;:!?\"'()") for w in text.split()]
    return bool(words) and all(vocab.accepts(message.language, w) for w in words if w)


@rule(
    "spelling/languagetool",
    severity="warning",
    summary="Spelling mistakes found by LanguageTool (skips accepted house vocabulary)",
    doc=RuleDoc(
        what=(
            "LanguageTool's spelling matches (category TYPOS, issue type misspelling) in each "
            "part as the customer reads it. Words in the house vocabulary's accept list are "
            "never reported; placeholder values are never checked. Needs a LanguageTool server "
            "(see grammar/languagetool)."
        ),
        why="A typo in a customer message looks careless and makes phishing harder to spot.",
        bad="Ihre Bestelung ist unterwegs.",
        good="Ihre Bestellung ist unterwegs.",
        fix=(
            "Correct the word; add brand and product names to vocabulary.<language>.accept; "
            "ignore a LanguageTool rule with languagetool.disabled_rules."
        ),
        options={"disabled_rules": "LanguageTool rule ids never reported by this rule"},
    ),
    options={"disabled_rules": []},
)
def check_languagetool_spelling(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    disabled = {str(r) for r in ctx.option("disabled_rules") or ()}
    for pm in grammar_service(ctx.resources).matches(message):
        if rule_for(pm.match) != SPELLING or pm.match.rule_id in disabled:
            continue
        part = message.parts[pm.part]
        original = part.text[pm.start : pm.end]
        if _accepted_span(message, original, ctx):
            continue
        replacements = channel_replacements(pm.match, message.channel, original) or ()
        yield ctx.at(message, part, pm.start, pm.end, describe(pm.match, replacements))


def _languagetool_spans(message: Message, ctx: RuleContext) -> set[tuple[str, int]]:
    """Starts of words LanguageTool already reported as misspelt (no double reports)."""
    known = grammar_service(ctx.resources).cached_matches(message) or []
    return {(pm.part, pm.start) for pm in known if rule_for(pm.match) == SPELLING}


@rule(
    "spelling/offline",
    severity="warning",
    summary="Words not in the Hunspell dictionary (offline; German compounds understood)",
    doc=RuleDoc(
        what=(
            "Checks every word of the template text against the Hunspell dictionary of the "
            "message's language (Debian/Ubuntu: hunspell-de-de, hunspell-en-us), with Hunspell's "
            "compound rules and, for German, words joined from known words with the usual "
            "linking letters (Drittanbieterkonto, Verifizierungscode). Skips placeholder values, "
            "template tags, URLs, e-mail addresses, words with digits, ALL-CAPS acronyms and "
            "brand-style capitals (PayPal); English words are accepted in German text by "
            "default (anglicisms are jargon/anglicisms' job). Accepted house vocabulary is never "
            "reported; words LanguageTool already reported are not reported twice. Without a "
            "dictionary the check is skipped with one line on stderr."
        ),
        why="A typo in a customer message looks careless; this check needs no server.",
        bad="Ihre Bestelung ist unterwegs.",
        good="Ihre Bestellung ist unterwegs.",
        fix="Correct the word, or add it to vocabulary.<language>.accept.",
        options={
            "also_accept": "per language, dictionaries whose words are accepted too",
            "compounds": "languages whose words may be joined from known words (Fugen-s too)",
            "suggestions": (
                "add up to three dictionary suggestions (slow: about 0.1 s per unknown German word)"
            ),
        },
    ),
    options={
        "also_accept": {"de": ["en"], "en": ["en_GB"]},
        "compounds": ["de"],
        "suggestions": False,
    },
)
def check_offline_spelling(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    language = message.language
    main = dictionary(ctx.resources, language)
    if main is None:
        return
    also = (ctx.option("also_accept") or {}).get(language) or []
    others_loaded: list[Dictionary] | None = None

    def others() -> list[Dictionary]:
        # Loaded only when a word is unknown: a dictionary costs ~0.1 s (pre-commit latency).
        nonlocal others_loaded
        if others_loaded is None:
            others_loaded = [
                d for lang in also if (d := dictionary(ctx.resources, str(lang))) is not None
            ]
        return others_loaded

    lists = vocabulary(ctx.resources).get(language)
    accept, reject = lists.accept, lists.reject
    reported = _languagetool_spans(message, ctx)
    suggest = bool(ctx.option("suggestions"))
    compounds = language in (ctx.option("compounds") or ())
    # Verdicts per word for the whole run (the same words recur in every template).
    verdicts = getattr(ctx.resources, "shared", None)
    cache_key = ("spelling-verdicts", language, compounds, tuple(also), id(accept))
    known: dict[tuple[str, bool], bool] = (
        verdicts.setdefault(cache_key, {}) if isinstance(verdicts, dict) else {}
    )
    listed = bool(accept.entries or reject.entries)  # most runs have no house vocabulary
    # Runs of non-space characters whose words are all known to be correct (or that have none):
    # such a run is never reported wherever it stands, and most runs recur in every template.
    clean: set[str] = (
        verdicts.setdefault((*cache_key, "runs"), set()) if isinstance(verdicts, dict) else set()
    )
    for part in iter_parts(message):
        chunks = part.mapped.chunks
        if not chunks:
            continue  # no template text at all
        last = len(chunks) - 1
        at = 0  # words and chunks both come in text order: walk them together
        chunk = chunks[0]
        name = part.name
        text = part.text
        # word_spans, run by run (str.split: Unicode white space). Only the runs not known to
        # be clean are read (set lookups at C speed); each is found from the end of the
        # previous one, as a whole run: an earlier whole run with the same text would not
        # be clean either, so it would have been the previous one.
        dirty = list(filterfalse(clean.__contains__, text.split()))
        if not dirty:
            continue
        find = text.find
        size = len(text)
        base = 0
        for raw in dirty:
            base = find(raw, base)
            while (base and not text[base - 1].isspace()) or (
                base + len(raw) < size and not text[base + len(raw)].isspace()
            ):
                base = find(raw, base + 1)
            found = run_words(raw)
            all_correct = True
            for s, e, word, dotted in found:
                start = base + s
                end = base + e
                key = (word, dotted)
                correct = known.get(key)
                if correct:
                    continue  # nothing below reports a known word
                all_correct = False
                while at < last and chunk.end <= start:
                    at += 1
                    chunk = chunks[at]
                if not (chunk.literal and chunk.start <= start and end <= chunk.end):
                    continue  # placeholder values and generated text are not the template's words
                if reported and (name, start) in reported:
                    continue
                if listed and (word in accept or word in reject):
                    continue  # rejected words are spelling/rejected-word's
                if correct is None:

                    def accepted(part: str) -> bool:
                        # Parts of a hyphenated compound may be house words or English
                        # ("Premium-Smart-Home-Pakete").
                        return part in accept or any(d.spell(part) for d in others())

                    correct = is_correct(
                        main, word, dotted=dotted, compounds=compounds, accepted=accepted
                    ) or any(is_correct(d, word, dotted=dotted) for d in others())
                    known[key] = correct
                if correct:
                    continue
                hint = _VOCAB_HINT.format(lang=language)
                proposals = main.suggest(word)[:3] if suggest else []
                shown = (
                    f" Did you mean {', '.join(repr(p) for p in proposals)}?" if proposals else ""
                )
                yield ctx.at(
                    message,
                    part,
                    start,
                    end,
                    f'Unknown word "{word}" (not in the {language} dictionary).{shown} '
                    f"If it is right, {hint.split(' if ')[0]}.",
                )
            if all_correct:
                clean.add(raw)
            base += len(raw)


@rule(
    "spelling/rejected-word",
    severity="warning",
    summary="Words the house vocabulary rejects (vocabulary.<language>.reject)",
    doc=RuleDoc(
        what=(
            "Reports every word of the template text that matches an entry of the house "
            "vocabulary's reject list for the message's language (one word or regular "
            "expression per line, like Vale's reject.txt). Runs without LanguageTool and "
            "without dictionaries."
        ),
        why=(
            "House style: spellings the brand does not use (Email for E-Mail, eMail), retired "
            "product names, words legal has ruled out."
        ),
        bad="Bitte bestätigen Sie Ihre Email-Adresse.",
        good="Bitte bestätigen Sie Ihre E-Mail-Adresse.",
        fix="Use the house spelling; the reject list's comments usually say which.",
    ),
)
def check_rejected_words(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    vocab = vocabulary(ctx.resources)
    if not vocab.get(message.language).reject.entries:
        return
    for part in iter_parts(message):
        for m in _token().finditer(part.text):
            word = m.group()
            if not vocab.rejects(message.language, word):
                continue
            if not part.mapped.is_literal(m.start(), m.end()):
                continue
            yield ctx.at(
                message,
                part,
                m.start(),
                m.end(),
                f'"{word}" is on the house vocabulary\'s reject list '
                f"(vocabulary.{message.language}.reject)",
            )
