"""Jargon rules: officialese, anglicisms, industry jargon and wordy English.

Each rule is generic: it reports matches of the term packs (``rules/de``, ``rules/en``, user
packs) whose ``rule:`` names it, in the message's language. The words live in the packs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from msglint.mapping import MappedText
from msglint.model import Finding, Message
from msglint.packs import PackResources, TermMatch, TermMatcher, shipped_resources
from msglint.rules.registry import RuleContext, RuleDoc, iter_parts, rule

_ALLOW_DOC = "terms never reported (the pack's term or the exact text, case-insensitive)"


def pack_resources(ctx: RuleContext) -> PackResources:
    """The run's packs; the shipped packs when a rule runs outside the pipeline (tests)."""
    res: Any = ctx.resources
    if isinstance(res, PackResources):
        return res
    for attr in ("packs", "term_packs"):
        inner = getattr(res, attr, None)
        if isinstance(inner, PackResources):
            return inner
    return shipped_resources()


def _touches_template_text(mapped: MappedText, start: int, end: int) -> bool:
    # Words that only come from a placeholder's sample value are not the template's wording.
    return mapped.has_literal(start, end)


def _quote_alternatives(alternatives: list[str]) -> str:
    quoted = [f'"{a}"' for a in alternatives]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _match_case(replacement: str, form: str) -> str | None:
    """The replacement with the matched text's capitalisation (None: cannot tell, no fix)."""
    if form.isupper() and len(form) > 1:
        return None
    if form[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def report_matches(
    message: Message,
    ctx: RuleContext,
    matcher: TermMatcher,
    label: str,
    no_replacement: str,
) -> Iterator[Finding]:
    """Findings for every pack match in the message's parts."""
    allow = {str(a).lower() for a in ctx.option("allow") or ()}
    customised = ctx.severity != ctx.info.severity  # config severity beats pack severity
    for part in iter_parts(message):
        text = part.text
        if not text:
            continue
        for match in matcher.find(text, message.language):
            entry = match.entry
            shown = " ".join(text[match.start : match.end].split())
            if entry.key.lower() in allow or shown.lower() in allow:
                continue
            if not _touches_template_text(part.mapped, match.start, match.end):
                continue
            yield _finding(message, ctx, part, match, shown, label, no_replacement, customised)


def _finding(
    message: Message,
    ctx: RuleContext,
    part: Any,
    match: TermMatch,
    shown: str,
    label: str,
    no_replacement: str,
    customised: bool,
) -> Finding:
    entry, pack = match.entry, match.pack
    context = f" ({pack.industry})" if pack.industry and label == "Industry jargon" else ""
    form = " ".join(match.form.split())
    expanded = shown.lower() != form.lower()  # a compound word around the pack's term
    inside = f' (contains "{form}")' if expanded else ""
    alternatives = entry.alternatives
    advice = f"use {_quote_alternatives(alternatives)}" if alternatives else no_replacement
    text = f'{label}{context} "{shown}"{inside}: {advice}. {entry.reason}'.rstrip()
    fix = None
    drop_in = entry.drop_in
    if drop_in is not None and match.exact and not expanded:
        replacement = _match_case(drop_in, form)
        if replacement is not None:
            fix = (f'Replace "{shown}" with "{replacement}"', replacement)
    severity = None if customised else (entry.severity or pack.severity)
    return ctx.at(message, part, match.start, match.end, text, fix=fix, severity=severity)


@rule(
    "jargon/officialese",
    severity="warning",
    summary="Officialese (Amtsdeutsch) and stiff bureaucratic phrases",
    doc=RuleDoc(
        what=(
            "Finds officialese from the term packs whose rule is jargon/officialese (shipped: "
            "rules/de/officialese.yaml): prepositions such as 'zwecks', 'seitens', "
            "'bezüglich', noun chains such as 'Inanspruchnahme', 'Zurverfügungstellung', and "
            "set phrases such as 'hiermit teilen wir Ihnen mit'. Inflected forms and phrases "
            "across line breaks are found too."
        ),
        why=(
            "Amtsdeutsch makes a message sound like a letter from an authority: distant, "
            "hard to read and easy to misunderstand. Customers read plain words faster and "
            "trust them more."
        ),
        bad=(
            "Bezugnehmend auf Ihr Schreiben teilen wir Ihnen hiermit mit, dass die "
            "Zurverfügungstellung des Geräts seitens unseres Partners erfolgt."
        ),
        good="Danke für Ihre Nachricht. Unser Partner stellt Ihnen das Gerät bereit.",
        fix=(
            "Use the suggested replacement, or rewrite the sentence with a verb instead of a "
            "noun. Entries marked 'fix: true' in the pack are replaced by --fix; add your own "
            "entries or disable shipped ones in a pack (docs/packs.md)."
        ),
        options={"allow": _ALLOW_DOC},
    ),
    options={"allow": []},
    fixable=True,
)
def check_officialese(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    matcher = pack_resources(ctx).term_matcher("jargon/officialese", message.language)
    yield from report_matches(message, ctx, matcher, "Officialese", "rewrite it in plain words")


@rule(
    "jargon/anglicism",
    severity="info",
    summary="Anglicisms with a common German alternative",
    doc=RuleDoc(
        what=(
            "Finds English words in German messages that have a common German word "
            "(rules/de/anglicisms.yaml): 'Deadline', 'Feedback', 'Account', 'Tool', "
            "'Update' … Established loanwords such as 'E-Mail', 'online', 'Newsletter', "
            "'Internet' or 'App' are not in the pack. Parts of hyphenated or closed compounds "
            "('Account-Manager', 'Accountmanager') are not reported."
        ),
        why=(
            "Not every customer reads English with ease, and mixed language feels careless or "
            "trendy. The German word is usually just as short."
        ),
        bad="Bitte geben Sie uns bis zur Deadline Feedback zu Ihrem Account.",
        good="Bitte sagen Sie uns bis zum 15. März, wie Ihnen Ihr Kundenkonto gefällt.",
        fix="Use the German alternative, or keep the word if your customers use it themselves.",
        options={"allow": _ALLOW_DOC},
    ),
    options={"allow": []},
    fixable=True,
)
def check_anglicism(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    matcher = pack_resources(ctx).term_matcher("jargon/anglicism", message.language)
    yield from report_matches(message, ctx, matcher, "Anglicism", "use a German word")


@rule(
    "jargon/term",
    severity="info",
    summary="Industry jargon customers may not know (telecom, energy, banking, …)",
    doc=RuleDoc(
        what=(
            "Finds industry jargon from the term packs whose rule is jargon/term "
            "(rules/de/jargon-*.yaml, rules/en/jargon-*.yaml): telecom ('Portierung', "
            "'Drosselung'), energy ('Abschlagszahlung', 'Netzentgelt'), banking ('Valuta', "
            "'Wertstellung'), insurance ('Obliegenheit', 'Selbstbeteiligung'), e-commerce "
            "('Retoure', 'Fulfillment'). Some entries also match inside compounds "
            "('Rufnummernportierung')."
        ),
        why=(
            "Words that are everyday language inside the company are often unknown to "
            "customers. A customer who does not understand a word calls the hotline or "
            "ignores the message."
        ),
        bad=(
            "Die Portierung Ihrer Rufnummer erfolgt zum Vertragsende. / Your porting request "
            "was rejected."
        ),
        good=(
            "Wir nehmen Ihre Rufnummer zum Vertragsende mit zu uns. / We could not move your "
            "number to us."
        ),
        fix=(
            "Use the everyday word, or explain the term once ('Abschlag – der Betrag, den Sie "
            "jeden Monat zahlen'). Terms that must stay (legal wording) can be allowed with "
            "the 'allow' option."
        ),
        options={
            "industries": "industry packs to use, e.g. [telecom, energy]; default: all",
            "allow": _ALLOW_DOC,
        },
    ),
    options={"industries": None, "allow": []},
    fixable=True,
)
def check_term(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    industries = ctx.option("industries")
    wanted = None if industries in (None, "all") else [str(i) for i in industries]
    matcher = pack_resources(ctx).term_matcher("jargon/term", message.language, wanted)
    yield from report_matches(
        message, ctx, matcher, "Industry jargon", "explain it or use an everyday word"
    )


@rule(
    "jargon/plain-english",
    severity="warning",
    summary="Wordy or complex English words and phrases with a plain alternative",
    doc=RuleDoc(
        what=(
            "Finds wordy phrases and complex words in English messages "
            "(rules/en/plain-english.yaml): 'in order to', 'prior to', 'utilize', "
            "'commence', 'in the event that', 'at this point in time' …"
        ),
        why=(
            "Plain words are read faster and understood by more people, including readers "
            "whose first language is not English."
        ),
        bad="Prior to utilizing your account, please verify your address in order to commence.",
        good="Before you use your account, please confirm your address to get started.",
        fix=(
            "Use the suggested word. Entries marked 'fix: true' in the pack are replaced by --fix."
        ),
        options={"allow": _ALLOW_DOC},
    ),
    options={"allow": []},
    fixable=True,
)
def check_plain_english(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    matcher = pack_resources(ctx).term_matcher("jargon/plain-english", message.language)
    yield from report_matches(message, ctx, matcher, "Wordy", "cut it or say it plainly")
