"""Regular expressions compiled on first use.

Most runs reach only a few rules, channels and languages; compiling every pattern at import
would cost a pre-commit run tens of milliseconds for patterns it never uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function that returns ``re.compile(pattern, flags)``, compiled on its first call."""

    @cache
    def compiled() -> re.Pattern[str]:
        return re.compile(pattern, flags)

    return compiled


def longest_first(alternatives: Iterable[str]) -> list[str]:
    """Alternatives for one regex, longest first so that the longest one matches.

    Equal lengths are ordered by text, not left in set order (which changes with every
    process's string hashing): the pattern is then the same in every run, and so are its
    matches and its entry in the compiled-pattern cache (``msglint.recache``).
    """
    return sorted(alternatives, key=lambda a: (len(a), a), reverse=True)


def first_chars(phrases: Iterable[str]) -> str:
    """A lookahead for the first characters of ``phrases`` (case-insensitive), to put in front
    of their alternation: ``re`` tries every alternative at every position otherwise, and most
    positions fail on the first character. Empty when a phrase could match empty text."""
    firsts = set()
    for phrase in phrases:
        if not phrase.split():
            return ""
        firsts.add(phrase.split()[0][0])
    return "(?=(?i:[" + "".join(re.escape(c) for c in sorted(firsts)) + "]))" if firsts else ""


def first_char_set(phrases: Iterable[str]) -> str:
    """A case-sensitive character set to start a pattern for ``phrases`` with, each phrase
    then looking back at its first character (``(?<=w)ir``); empty as for :func:`first_chars`.

    re skips ahead to a position where a pattern's first character set matches, but not for a
    case-insensitive set or a look-ahead, where it tries each position. The set holds the ASCII
    characters matching a first character case-insensitively, and all non-ASCII ones: the
    phrases decide those, so re's case folding ("ſ" is "s", the Kelvin sign "K") is kept.
    """
    firsts = first_chars(phrases)
    if not firsts:
        return ""
    ascii_firsts = re.compile(firsts + ".", re.DOTALL)
    chars = "".join(c for c in map(chr, range(128)) if ascii_firsts.match(c))
    return "[" + re.escape(chars) + r"\x80-\U0010ffff]"
