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
