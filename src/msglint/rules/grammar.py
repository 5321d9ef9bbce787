"""Grammar and style from LanguageTool (``grammar/languagetool``, ``grammar/style``).

The matches come from :mod:`msglint.grammar.service`: each part as the customer reads it, mapped
back to the template; matches on placeholder values are already dropped. Spelling matches go to
``spelling/languagetool`` (``msglint.rules.spelling``).
"""

from __future__ import annotations

from collections.abc import Iterator

from msglint.grammar.classify import channel_replacements, describe, rule_for
from msglint.grammar.runtime import grammar_service
from msglint.model import Finding, Message
from msglint.rules.registry import RuleContext, RuleDoc, rule

_DISABLED_DOC = "LanguageTool rule ids never reported by this rule (e.g. DE_CASE)"


def languagetool_findings(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    """Findings of the LanguageTool matches that belong to ``ctx``'s rule."""
    matches = grammar_service(ctx.resources).matches(message)
    if not matches:
        return  # always so without a LanguageTool server
    disabled = {str(r) for r in ctx.option("disabled_rules") or ()}
    for pm in matches:
        match = pm.match
        if rule_for(match) != ctx.info.id or match.rule_id in disabled:
            continue
        part = message.parts[pm.part]
        original = part.text[pm.start : pm.end]
        replacements = channel_replacements(match, message.channel, original)
        if replacements is None:
            continue
        fix = None
        if ctx.info.fixable and len(replacements) == 1 and replacements[0] != original:
            fix = (f'Replace "{original}" with "{replacements[0]}"', replacements[0])
        yield ctx.at(message, part, pm.start, pm.end, describe(match, replacements), fix=fix)


_SETUP = (
    " Needs a LanguageTool server: `languagetool: {url: http://localhost:8081}` in the config, "
    "MSGLINT_LANGUAGETOOL_URL, or a LanguageTool installed by language-tool-python; without one "
    "the check is skipped with one line on stderr."
)


@rule(
    "grammar/languagetool",
    severity="warning",
    summary="Grammar mistakes found by LanguageTool (agreement, case, punctuation, words)",
    doc=RuleDoc(
        what=(
            "Sends each message part, as the customer reads it, to LanguageTool and reports its "
            "grammar matches (agreement, case, punctuation, confused words) at the template "
            "line and column, with LanguageTool's rule id in the message." + _SETUP
        ),
        why="Grammar mistakes in a bank's or shop's message look careless and cost trust.",
        bad="Wir haben Ihre Bestellung erhalten und werden sie so schnell wie möglich versendet.",
        good="Wir haben Ihre Bestellung erhalten und versenden sie so schnell wie möglich.",
        fix=(
            "Rephrase the sentence. Ignore a LanguageTool rule with `languagetool: "
            "{disabled_rules: [RULE_ID]}` or this rule's `disabled_rules` option."
        ),
        options={"disabled_rules": _DISABLED_DOC},
    ),
    options={"disabled_rules": []},
    fixable=True,
)
def check_grammar(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    yield from languagetool_findings(message, ctx)


@rule(
    "grammar/style",
    severity="info",
    summary="Style and typography hints from LanguageTool (redundancy, quotes, dashes, spaces)",
    doc=RuleDoc(
        what=(
            "LanguageTool's style, typography, redundancy and colloquialism matches. In SMS, "
            "suggestions that would bring in characters outside the GSM alphabet (typographic "
            "quotes, ellipsis, dashes) are dropped: they would switch the SMS to UCS-2 and halve "
            "its length." + _SETUP
        ),
        why="Small inconsistencies add up to a sloppy impression; typography matters in e-mail.",
        bad='Bitte "bestätigen" Sie Ihre E-Mail Adresse ...',
        good="Bitte „bestätigen“ Sie Ihre E-Mail-Adresse …",
        fix="Apply the suggestion, or disable the LanguageTool rule id in the config.",
        options={"disabled_rules": _DISABLED_DOC},
    ),
    options={"disabled_rules": []},
    fixable=True,
)
def check_style(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    yield from languagetool_findings(message, ctx)
