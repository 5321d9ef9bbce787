"""Emoji sequences and visible length (pure functions, standard library only).

An approximation of Unicode's emoji sequences (UTS #51) without the full emoji data: a
pictographic character with optional presentation selector and skin tone, joined by ZWJ into
families and professions; flags (regional indicator pairs and tag sequences) and keycaps.
Text-style symbols (©, ™, ↔, ...) count as emoji only with the emoji presentation selector.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from msglint.lazy import lazy_pattern

_PICTOGRAPHIC = (
    "\U0001f000-\U0001f1e5\U0001f200-\U0001f3fa\U0001f400-\U0001faff"
    "\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff"
)
_TEXT_DEFAULT = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21ff\u24c2\u25a0-\u25ff"
    "\u2934\u2935\u3030\u303d\u3297\u3299"
)
_MODIFIER = "[\U0001f3fb-\U0001f3ff]"
_ELEMENT = (
    f"(?:[{_PICTOGRAPHIC}][\ufe0e\ufe0f]?{_MODIFIER}?"
    f"|[{_TEXT_DEFAULT}]\ufe0f{_MODIFIER}?"
    f"|{_MODIFIER})"
)
_TAGS = "[\U000e0020-\U000e007e]+\U000e007f"


_emoji_sequence = lazy_pattern(
    "[\U0001f1e6-\U0001f1ff]{2}"  # flag: two regional indicators
    "|[0-9#*]\ufe0f?\u20e3"  # keycap
    f"|{_ELEMENT}(?:{_TAGS})?(?:\u200d{_ELEMENT})*"
)


# Characters that take no room of their own: joiners, selectors, soft hyphen, BOM.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff") | frozenset(
    chr(c) for c in range(0xFE00, 0xFE10)
)


def emoji_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every emoji sequence in ``text``."""
    for match in _emoji_sequence().finditer(text):
        yield match.start(), match.end()


def visible_units(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each character the reader sees; an emoji sequence is one."""
    pos = 0
    for start, end in [*emoji_spans(text), (len(text), len(text))]:
        for i in range(pos, start):
            if _is_visible(text[i]):
                yield i, i + 1
        if end > start:
            yield start, end
        pos = end


def visible_length(text: str) -> int:
    """Characters the reader sees: an emoji sequence counts 1, combining marks and joiners 0."""
    return sum(1 for _ in visible_units(text))


def visible_overflow(text: str, limit: int) -> int | None:
    """Offset of the first visible character beyond ``limit``, or None if the text fits."""
    for index, (start, _) in enumerate(visible_units(text)):
        if index == limit:
            return start
    return None


def _is_visible(char: str) -> bool:
    return (
        char not in _INVISIBLE
        and not unicodedata.combining(char)
        and unicodedata.category(char) != "Me"
    )
