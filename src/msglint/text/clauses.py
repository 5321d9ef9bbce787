"""Clauses of a sentence: the stretch in which a verb group and its nouns are looked for.

A clause ends at a comma, semicolon, colon, bracket or dash, and before a coordinating
conjunction ("und", "and", …): "Ihr Paket wurde verpackt und geht morgen raus" has two. This is
much coarser than a parse, but German verb groups close their clause ("…, sobald der Betrag
erstattet wurde"), so the end of such a stretch is where participles and verb particles stand.
"""

from __future__ import annotations

from collections.abc import Iterator

from msglint.text.segment import WORD_KINDS, Sentence, Token

_BOUNDARIES = frozenset({",", ";", ":", "(", ")", "[", "]", "–", "—", "-", '"', "„", "“", "”"})
_FINAL = frozenset(".!?…")

# A clause's content tokens and their texts in lower case.
Clause = tuple[tuple[Token, ...], tuple[str, ...]]


def clauses(sentence: Sentence, conjunctions: frozenset[str]) -> Iterator[tuple[Token, ...]]:
    """The content tokens (words, numbers, placeholders, …) of each clause, in order."""
    for tokens, _ in lowered_clauses(sentence, conjunctions):
        yield tokens


def lowered_clauses(sentence: Sentence, conjunctions: frozenset[str]) -> tuple[Clause, ...]:
    """Each clause's content tokens with their texts in lower case, in order."""
    # Passive voice and nominal style read the clauses of the same sentences: split once per
    # sentence and list of conjunctions (kept on the sentence, which the rules share).
    memo: dict[frozenset[str], tuple[Clause, ...]] = sentence.__dict__.setdefault("_clauses", {})
    found = memo.get(conjunctions)
    if found is None:
        found = memo[conjunctions] = _split(sentence, conjunctions)
    return found


def _split(sentence: Sentence, conjunctions: frozenset[str]) -> tuple[Clause, ...]:
    found: list[Clause] = []
    current: list[Token] = []
    lowered: list[str] = []
    for tok in sentence.tokens:
        text, _, _, kind = tok
        if kind in WORD_KINDS:
            low = text.lower()
            if kind == "word" and low in conjunctions and current:
                found.append((tuple(current), tuple(lowered)))
                current = []
                lowered = []
            current.append(tok)
            lowered.append(low)
        elif current and kind == "punct" and (text in _BOUNDARIES or text[0] in _FINAL):
            found.append((tuple(current), tuple(lowered)))
            current = []
            lowered = []
    if current:
        found.append((tuple(current), tuple(lowered)))
    return tuple(found)
