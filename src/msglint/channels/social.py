"""Post length on X/Twitter: twitter-text configuration v3 weighting.

Every code point weighs 200 except the ranges below (Latin, Greek, Cyrillic, ..., general
punctuation), which weigh 100; the limit is 280 at scale 100. A URL counts 23 whatever its
length (t.co shortening) and an emoji sequence counts 2, however many code points it has.
Source: github.com/twitter/twitter-text, config/v3.json.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from msglint.channels.emoji import emoji_spans

SCALE = 100
DEFAULT_WEIGHT = 200
LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
TRANSFORMED_URL_LENGTH = 23
MAX_WEIGHTED_LENGTH = 280

_URL_END = r"[^\s<>\"'.,;:!?)\]}]"  # trailing punctuation is not part of a URL
URL = re.compile(
    r"(?<![\w@./-])(?:"
    rf"(?i:https?)://[^\s<>\"]*{_URL_END}"
    # A bare domain: a lowercase top-level domain keeps "Danke.Bitte" (missing space) out.
    r"|(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[a-z]{2,24}(?![\w@-])"
    rf"(?:[/?#](?:[^\s<>\"]*{_URL_END})?)?"
    r")"
)


def code_point_weight(char: str) -> int:
    """A code point's weight at scale 100 (100 or 200)."""
    cp = ord(char)
    for start, end in LIGHT_RANGES:
        if start <= cp <= end:
            return SCALE
    return DEFAULT_WEIGHT


def url_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every URL, with or without scheme, in ``text``."""
    for match in URL.finditer(text):
        yield match.start(), match.end()


def weighted_spans(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, weight at scale 100) for each counted unit of ``text``, in order.

    Units are URLs, emoji sequences and single code points. ``text`` is taken as it is (callers
    that need twitter-text's exact count normalise to NFC first, see :func:`weighted_length`).
    """
    specials: dict[int, tuple[int, int]] = {}
    for start, end in url_spans(text):
        specials[start] = (end, TRANSFORMED_URL_LENGTH * SCALE)
    taken = sorted(specials.items())
    for start, end in emoji_spans(text):
        if not any(s <= start < e for s, (e, _) in taken):
            specials[start] = (end, DEFAULT_WEIGHT)
    pos = 0
    while pos < len(text):
        special = specials.get(pos)
        if special is not None:
            end, weight = special
            yield pos, end, weight
            pos = end
            continue
        yield pos, pos + 1, code_point_weight(text[pos])
        pos += 1


def weighted_length(text: str) -> int:
    """Length of ``text`` as X/Twitter counts it (the limit is 280)."""
    normalized = unicodedata.normalize("NFC", text)
    return sum(weight for _, _, weight in weighted_spans(normalized)) // SCALE


def overflow_offset(text: str, limit: int = MAX_WEIGHTED_LENGTH) -> int | None:
    """Offset of the first unit that no longer fits into ``limit``, or None if all fit."""
    total = 0
    for start, _, weight in weighted_spans(text):
        total += weight
        if total > limit * SCALE:
            return start
    return None
