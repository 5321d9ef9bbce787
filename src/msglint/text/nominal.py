"""Nominal style: an action packed into a noun, with an empty verb to carry it.

German (Funktionsverbgefüge): a verbal noun (-ung, -heit, -keit, -ion, -tät, -nis, -nahme) and
an empty verb (erfolgen, durchführen, vornehmen, tätigen, …; separable verbs also split: "Wir
führen die Prüfung durch") in one clause, at most ten words apart; and fixed phrases ("zur
Durchführung bringen", "in Kenntnis setzen"). Everyday nouns (Rechnung, Bestellung, Sendung)
never count: "Ihre Bestellung ist erfolgt" is how people talk.

English: a light verb whose object is a verbal noun (-tion, -sion, -ment, -ance, -ence, -al):
"make a payment", "carry out an investigation", "provide assistance"; and the passive turn
"an investigation was carried out". The noun must end its phrase ("payment details" is a
thing, not an action).

Only the pair is reported, never a noun alone. Lists: ``rules/<lang>/nominal-style.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import compress, count
from typing import Any, NamedTuple

from msglint.text.clauses import lowered_clauses
from msglint.text.compounds import compound_head
from msglint.text.lexicon import load_lexicon, normalise_language
from msglint.text.segment import Sentence, Token

_MAX_DISTANCE = 10  # words between the noun and the verb
_GERMAN_BREAKS = frozenset({"und", "oder", "aber", "sondern", "denn", "doch", "sowie"})
_ENGLISH_BREAKS = frozenset({"and", "or", "but"})
_ENGLISH_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_ENGLISH_AUX = _ENGLISH_BE | frozenset(
    {"will", "would", "can", "could", "must", "should", "may", "might", "has", "have", "had"}
    | {"not", "also", "already", "now", "then"}
)
_ENGLISH_PASSIVE_LIGHT = frozenset(
    {"made", "conducted", "performed", "undertaken", "effected", "carried"}
)


class NominalMatch(NamedTuple):
    """A noun and its empty verb: ``start``..``end`` covers both."""

    start: int
    end: int
    noun: str
    verb: str
    suggestion: str | None  # the verb to use instead, if known


class _Phrase(NamedTuple):
    nouns: frozenset[str]
    verbs: frozenset[str]
    prep: str
    suggestion: str


class _GermanLists(NamedTuple):
    suffixes: tuple[str, ...]
    stop_nouns: frozenset[str]
    forms: frozenset[str]
    separable: tuple[tuple[frozenset[str], str], ...]  # (stem forms, particle)
    phrases: tuple[_Phrase, ...]
    phrase_nouns: frozenset[str]  # the nouns of all phrases
    verbs: dict[str, str]


class _EnglishLists(NamedTuple):
    suffixes: tuple[str, ...]
    light: dict[str, frozenset[str]]  # first word -> second words ("" for one-word verbs)
    determiners: frozenset[str]
    stop_nouns: frozenset[str]
    verbs: dict[str, str]
    followers: frozenset[str]


def _lower_set(values: Any) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values or ())


@lru_cache(maxsize=1)
def _german() -> _GermanLists:
    d = load_lexicon("de", "nominal-style")
    forms: set[str] = set()
    separable = []
    for entry in d.get("empty_verbs") or ():
        forms |= {str(f).lower() for f in entry.get("forms") or () if " " not in str(f)}
        if entry.get("particle"):
            separable.append((_lower_set(entry.get("stems")), str(entry["particle"]).lower()))
    phrases = tuple(
        _Phrase(
            _lower_set(p.get("noun")),
            _lower_set(p.get("verbs")),
            str(p.get("prep") or "").lower(),
            str(p.get("verb") or ""),
        )
        for p in d.get("phrases") or ()
    )
    return _GermanLists(
        suffixes=tuple(str(s) for s in d.get("noun_suffixes") or ()),
        stop_nouns=_lower_set(d.get("stop_nouns")),
        forms=frozenset(forms),
        separable=tuple(separable),
        phrases=phrases,
        phrase_nouns=frozenset().union(*(p.nouns for p in phrases)),
        verbs={str(k).lower(): str(v) for k, v in (d.get("verbs") or {}).items()},
    )


@lru_cache(maxsize=1)
def _english() -> _EnglishLists:
    d = load_lexicon("en", "nominal-style")
    light: dict[str, set[str]] = {}
    for verb in d.get("light_verbs") or ():
        first, _, second = str(verb).lower().partition(" ")
        light.setdefault(first, set()).add(second)
    return _EnglishLists(
        suffixes=tuple(str(s) for s in d.get("noun_suffixes") or ()),
        light={k: frozenset(v) for k, v in light.items()},
        determiners=_lower_set(d.get("determiners")),
        stop_nouns=_lower_set(d.get("stop_nouns")),
        verbs={str(k).lower(): str(v) for k, v in (d.get("verbs") or {}).items()},
        followers=_lower_set(d.get("followers")),
    )


@lru_cache(maxsize=16384)
def _german_verbal_noun(word: str) -> bool:
    lists = _german()
    lower = word.lower()
    if len(word) < 6 or not word[:1].isupper() or not lower.endswith(lists.suffixes):
        return False
    if lower in lists.stop_nouns:
        return False
    # Compounds of everyday nouns: "Kundenbestellung", "Kaufoption".
    head = compound_head(word)
    return head is None or head not in lists.stop_nouns


def german_verb_for(noun: str) -> str | None:
    """The verb behind a German verbal noun ("Zahlung" → "zahlen"), None if unknown."""
    lists = _german()
    lower = noun.lower()
    for candidate in (lower, compound_head(noun) if len(lower) > 12 else None):
        if candidate is None:
            continue
        if candidate in lists.verbs:
            return lists.verbs[candidate]
        for suffix in ("ungen", "ung"):
            if candidate.endswith(suffix) and len(candidate) - len(suffix) >= 3:
                stem = candidate[: -len(suffix)]
                return stem + ("n" if stem.endswith(("er", "el")) else "en")
    return None


def _german_clause(
    clause: Sequence[Token], lowered: Sequence[str], lists: _GermanLists
) -> NominalMatch | None:
    # Most clauses hold none of the phrases' nouns: one test in C instead of a loop per phrase.
    for phrase in () if lists.phrase_nouns.isdisjoint(lowered) else lists.phrases:
        for k, word in enumerate(lowered):
            if word not in phrase.nouns or (
                phrase.prep and (k == 0 or lowered[k - 1] != phrase.prep)
            ):
                continue
            for v, verb in enumerate(lowered):
                if v != k and verb in phrase.verbs:
                    first = min(k - (1 if phrase.prep else 0), v)
                    return NominalMatch(
                        clause[first].start,
                        clause[max(k, v)].end,
                        clause[k].text,
                        clause[v].text,
                        phrase.suggestion,
                    )
    # Most clauses have no empty verb: a set test, and the positions picked at C speed.
    forms = lists.forms
    verbs = (
        [] if forms.isdisjoint(lowered) else [*compress(count(), map(forms.__contains__, lowered))]
    )
    for stems, particle in lists.separable:
        if lowered[-1] == particle:
            verbs += [v for v, w in enumerate(lowered[:-1]) if w in stems]
    if not verbs:
        return None
    for k, tok in enumerate(clause):
        if tok.kind != "word" or not _german_verbal_noun(tok.text):
            continue
        near = [v for v in verbs if abs(v - k) <= _MAX_DISTANCE]
        if not near:
            continue
        v = min(near, key=lambda v: abs(v - k))
        # A separable stem ("führen … durch") reaches to its particle at the clause end.
        end = len(clause) - 1 if lowered[v] not in lists.forms else max(k, v)
        return NominalMatch(
            clause[min(k, v)].start,
            clause[end].end,
            tok.text,
            clause[v].text,
            german_verb_for(tok.text),
        )
    return None


def _english_noun(word: str, lists: _EnglishLists) -> bool:
    return (
        len(word) >= 6
        and word.isalpha()
        and word.endswith(lists.suffixes)
        and word not in lists.stop_nouns
        and not (word.endswith("s") and word[:-1] in lists.stop_nouns)  # plurals
    )


def _english_clause(
    clause: Sequence[Token], lowered: Sequence[str], lists: _EnglishLists
) -> NominalMatch | None:
    n = len(lowered)
    # Most clauses have no light verb (nor a passive one, below): skip the walk.
    for i, word in enumerate(() if lists.light.keys().isdisjoint(lowered) else lowered):
        seconds = lists.light.get(word)
        if seconds is None:
            continue
        j = i + 1
        if "" not in seconds:
            if j >= n or lowered[j] not in seconds:
                continue
            j += 1
        skipped = 0
        while j < n and lowered[j] in lists.determiners and skipped < 3:
            j += 1
            skipped += 1
        if j >= n or not _english_noun(lowered[j], lists):
            continue
        if j + 1 < n and lowered[j + 1] not in lists.followers:
            continue  # "payment details": the noun only modifies the next word
        return NominalMatch(
            clause[i].start,
            clause[j].end,
            clause[j].text,
            " ".join(t.text for t in clause[i : i + (1 if "" in seconds else 2)]),
            lists.verbs.get(lowered[j]),
        )
    # "An investigation was carried out", "the payment will be made".
    for p, word in enumerate(() if _ENGLISH_PASSIVE_LIGHT.isdisjoint(lowered) else lowered):
        if word not in _ENGLISH_PASSIVE_LIGHT or p == 0 or lowered[p - 1] not in _ENGLISH_BE:
            continue
        if word == "carried" and (p + 1 >= n or lowered[p + 1] != "out"):
            continue
        for k in range(max(0, p - 5), p - 1):
            if _english_noun(lowered[k], lists) and all(
                w in _ENGLISH_AUX for w in lowered[k + 1 : p]
            ):
                end = p + 1 if word == "carried" else p
                return NominalMatch(
                    clause[k].start,
                    clause[end].end,
                    clause[k].text,
                    " ".join(t.text for t in clause[p : end + 1]),
                    lists.verbs.get(lowered[k]),
                )
    return None


def nominal_matches(sentence: Sentence, language: str) -> list[NominalMatch]:
    """Noun + empty verb pairs in a sentence (at most one per clause)."""
    found: list[NominalMatch] = []
    if normalise_language(language) == "de":
        german = _german()
        for clause, lowered in lowered_clauses(sentence, _GERMAN_BREAKS):
            match = _german_clause(clause, lowered, german)
            if match is not None:
                found.append(match)
    else:
        english = _english()
        for clause, lowered in lowered_clauses(sentence, _ENGLISH_BREAKS):
            match = _english_clause(clause, lowered, english)
            if match is not None:
                found.append(match)
    return found
