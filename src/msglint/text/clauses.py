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


def clauses(sentence: Sentence, conjunctions: frozenset[str]) -> Iterator[tuple[Token, ...]]:
    """The content tokens (words, numbers, placeholders, …) of each clause, in order."""
    current: list[Token] = []
    for tok in sentence.tokens:
        if tok.kind in WORD_KINDS:
            if tok.kind == "word" and tok.text.lower() in conjunctions and current:
                yield tuple(current)
                current = []
            current.append(tok)
        elif tok.kind == "punct" and (tok.text in _BOUNDARIES or tok.text[0] in _FINAL):
            if current:
                yield tuple(current)
            current = []
    if current:
        yield tuple(current)
