"""Which msglint rule a LanguageTool match belongs to, and channel-specific filtering."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from msglint.grammar.client import LtMatch

SPELLING, GRAMMAR, STYLE = "spelling/languagetool", "grammar/languagetool", "grammar/style"
_SPELLING_CATEGORIES = frozenset({"TYPOS"})
_STYLE_CATEGORIES = frozenset(
    {
        "STYLE",
        "TYPOGRAPHY",
        "REDUNDANCY",
        "COLLOQUIALISMS",
        "PLAIN_ENGLISH",
        "WIKIPEDIA",
        "GENDER_NEUTRALITY",
        "REGIONALISMS",
        "REPETITIONS_STYLE",
        "EMPFOHLENE_RECHTSCHREIBUNG",
    }
)
_STYLE_ISSUES = frozenset({"style", "typographical", "register", "locale-violation", "whitespace"})


def rule_for(match: LtMatch) -> str:
    """``spelling/languagetool``, ``grammar/style`` or ``grammar/languagetool``."""
    if match.issue_type == "misspelling" or match.category_id in _SPELLING_CATEGORIES:
        return SPELLING
    if match.category_id in _STYLE_CATEGORIES or match.issue_type in _STYLE_ISSUES:
        return STYLE
    return GRAMMAR


def _gsm(text: str) -> bool:
    from msglint.channels.sms import is_gsm7

    return is_gsm7(text)


def channel_replacements(match: LtMatch, channel: str, original: str) -> tuple[str, ...] | None:
    """The replacements worth offering on this channel; None: drop the match.

    In SMS a replacement that brings in characters outside the GSM alphabet (typographic quotes,
    ellipsis, dashes) would switch the message to UCS-2 and cut its length in half.
    """
    if channel != "sms" or not _gsm(original):
        return match.replacements
    kept = tuple(r for r in match.replacements if _gsm(r))
    if match.replacements and not kept and rule_for(match) == STYLE:
        return None  # only typographic "improvements": wrong advice for SMS
    return kept


def describe(match: LtMatch, replacements: tuple[str, ...]) -> str:
    """The finding's message: LanguageTool's text, its rule id and up to three suggestions."""
    text = match.message.strip() or match.short_message or match.rule_description
    suggestion = ""
    if replacements:
        shown = ", ".join(f'"{r}"' for r in replacements[:3])
        suggestion = f" Suggestion: {shown}."
    return f"{text}{suggestion} [LanguageTool {match.rule_id}]"
