"""Regular expressions compiled on first use.

Most runs reach only a few rules, channels and languages; compiling every pattern at import
would cost a pre-commit run tens of milliseconds for patterns it never uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function that returns ``re.compile(pattern, flags)``, compiled on its first call."""

    @cache
    def compiled() -> re.Pattern[str]:
        return re.compile(pattern, flags)

    return compiled
