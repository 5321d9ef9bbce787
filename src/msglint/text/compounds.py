"""German compound splitting: where a long word can take hyphens.

``suggest_split("Rufnummernmitnahmeformular")`` → ``"Rufnummern-Mitnahme-Formular"``.

A word is covered by known parts (``rules/de/compounds.yaml``), each optionally followed by a
linking element (-s-, -es-, -n-, -en-, …), with the fewest parts; at most one stretch, at the
start, may be unknown, and it must not end inside a letter group that one syllable keeps
together (sch, ch, ck, ei, ie, au, …). (pyphen's German patterns would be the finer test, but
loading them takes half a second, more than a whole pre-commit run may.) The parts are then
grouped so that every group has at most ``max_group`` letters with as few hyphens as
possible: long compounds get the hyphen between their main constituents first
("Versicherungs-Bestätigung", not "Ver-sicherungs-Bestätigung").
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations, pairwise

from msglint.text.lexicon import load_lexicon

_MIN_PART = 3  # shorter "parts" (an, ab, in) match almost anywhere
_UNKNOWN_COST = 3  # an unknown stretch costs as much as three known parts


@lru_cache(maxsize=1)
def _parts() -> tuple[frozenset[str], tuple[str, ...], int]:
    data = load_lexicon("de", "compounds")
    parts = frozenset(str(p).lower() for p in data.get("parts") or () if len(str(p)) >= _MIN_PART)
    elements = {str(e).lower() for e in data.get("linking_elements") or ()}
    linking = tuple(sorted(elements, key=lambda e: (len(e), e)))  # shortest first, fixed order
    longest = max((len(p) for p in parts), default=0)
    return parts, linking, longest


@lru_cache(maxsize=1)
def allowed_long_words() -> frozenset[str]:
    """Long words customers know (``allow`` in ``rules/de/compounds.yaml``), lower case."""
    return frozenset(str(w).lower() for w in load_lexicon("de", "compounds").get("allow") or ())


# Letter pairs that one syllable keeps together: a joint never falls inside them.
_UNBREAKABLE = ("ch", "ck", "ph", "qu", "ie", "ei", "ai", "au", "eu", "äu", "th", "sch")


def _can_break(word: str, at: int) -> bool:
    """True if a compound joint may fall before ``word[at]`` (not inside "sch", "ei", …)."""
    return not any(
        word.startswith(pair, at - k) for pair in _UNBREAKABLE for k in range(1, len(pair))
    )


@lru_cache(maxsize=4096)
def split_compound(word: str) -> tuple[str, ...] | None:
    """The word cut into known parts (with their linking elements), or None if it cannot be.

    >>> split_compound("Rufnummernmitnahmeformular")
    ('Rufnummern', 'mitnahme', 'formular')
    """
    parts, linking, longest = _parts()
    lower = word.lower()
    n = len(lower)
    if n < 2 * _MIN_PART or not lower.isalpha():
        return None
    inf = float("inf")
    # best[i]: (cost, unknown stretches used, cut points) for lower[:i]
    best: list[tuple[float, int, tuple[int, ...]]] = [(inf, 0, ())] * (n + 1)
    best[0] = (0.0, 0, ())
    for i in range(n):
        cost, unknown, cuts = best[i]
        if cost == inf:
            continue
        for j in range(min(n, i + longest), i + _MIN_PART - 1, -1):
            if lower[i:j] not in parts:
                continue
            ends = [j] + [j + len(e) for e in linking if lower.startswith(e, j)]
            for end in ends:
                if end <= n and cost + 1 < best[end][0]:
                    best[end] = (cost + 1, unknown, (*cuts, end))
        if unknown == 0 and i == 0:
            # One unknown modifier at the start, cut where a syllable may end.
            for j in range(_MIN_PART, n - _MIN_PART + 1):
                if cost + _UNKNOWN_COST < best[j][0] and _can_break(lower, j):
                    best[j] = (cost + _UNKNOWN_COST, 1, (*cuts, j))
    cost, unknown, cuts = best[n]
    if cost == inf or len(cuts) < 2 or cost - _UNKNOWN_COST * unknown < 1:
        return None
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(word[start:cut])
        start = cut
    return tuple(pieces)


def _groups(pieces: tuple[str, ...], max_group: int) -> tuple[str, ...]:
    """Join adjacent pieces so that groups have at most ``max_group`` letters, fewest hyphens."""
    gaps = range(1, len(pieces))
    for k in range(1, len(pieces)):
        options = []
        for chosen in combinations(gaps, k):
            bounds = (0, *chosen, len(pieces))
            groups = tuple("".join(pieces[a:b]) for a, b in pairwise(bounds))
            longest = max(len(g) for g in groups)
            if longest <= max_group:
                options.append((longest, groups))
        if options:
            return min(options)[1]
    return pieces


def suggest_split(word: str, max_group: int = 14) -> str | None:
    """A hyphenated spelling of a long German noun compound, or None if no split is known."""
    if not word[:1].isupper():
        return None  # adjectives and verbs are not written with hyphens
    pieces = split_compound(word)
    if pieces is None:
        return None
    groups = _groups(pieces, max_group)
    if len(groups) < 2:
        return None
    return "-".join(g[:1].upper() + g[1:] for g in groups)


def compound_head(word: str) -> str | None:
    """The last part of a compound ("Abschlagszahlung" → "zahlung"), None if not splittable."""
    pieces = split_compound(word)
    return pieces[-1].lower() if pieces else None
