"""Passive voice in German and English sentences (pure functions over tokens).

German Vorgangspassiv: a form of "werden" in the clause and a past participle at the clause's
end, optionally followed by "werden"/"worden" and a modal or "sein" ("Ihr Paket wird morgen
zugestellt", "…, sobald der Betrag erstattet wurde", "Das kann nicht geändert werden"). The
participle position is what tells "Wir werden Sie informieren" (future: infinitive) from
"Sie werden informiert" (passive). Participles are recognised by form: ge-…-t/-en (also after
a separable particle: "abgebucht", "zurückgegeben"), inseparable prefix + -t ("bestätigt"),
-iert, and a list of strong participles without "ge" ("überwiesen", "verschoben").

English: a form of "be" (adverbs such as "not", "already" may come between) followed by a
past participle (-ed or an irregular form from the list). Adjectival participles ("is
located", "are interested") are excluded by a list.

The word lists are data: ``rules/<lang>/passive.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from msglint.lazy import longest_first
from msglint.text.clauses import lowered_clauses
from msglint.text.lexicon import load_lexicon, normalise_language
from msglint.text.segment import Sentence, Token

_ENGLISH_BREAKS = frozenset({"and", "or", "but"})


class PassiveMatch(NamedTuple):
    """A passive verb group: from its first to its last verb token."""

    start: int  # offset of the first verb token (auxiliary or participle)
    end: int  # end offset of the last verb token
    participle: str
    always: bool  # a request to the reader or an impersonal passive: worth reporting always


class _GermanLists(NamedTuple):
    werden: frozenset[str]
    tail: frozenset[str]
    breaks: frozenset[str]
    particles: tuple[str, ...]
    prefixes: tuple[str, ...]
    ge_infinitives: frozenset[str]
    strong: frozenset[str]
    not_participles: frozenset[str]
    always: frozenset[str]


class _EnglishLists(NamedTuple):
    be: frozenset[str]
    adverbs: frozenset[str]
    irregular: frozenset[str]
    not_participles: frozenset[str]
    always: frozenset[str]


def _words(data: dict[str, object], key: str) -> frozenset[str]:
    values = data.get(key) or ()
    assert isinstance(values, list | tuple)
    return frozenset(str(v).lower().replace("’", "'") for v in values)


@lru_cache(maxsize=1)
def _german() -> _GermanLists:
    d = load_lexicon("de", "passive")
    return _GermanLists(
        werden=_words(d, "werden"),
        tail=_words(d, "clause_tail"),
        breaks=_words(d, "clause_breaks"),
        particles=tuple(longest_first(_words(d, "separable_particles"))),
        prefixes=tuple(longest_first(_words(d, "inseparable_prefixes"))),
        ge_infinitives=_words(d, "ge_infinitives"),
        strong=_words(d, "strong_participles"),
        not_participles=_words(d, "not_participles"),
        always=_words(d, "always"),
    )


@lru_cache(maxsize=1)
def _english() -> _EnglishLists:
    d = load_lexicon("en", "passive")
    return _EnglishLists(
        be=_words(d, "be"),
        adverbs=_words(d, "adverbs"),
        irregular=_words(d, "irregular"),
        not_participles=_words(d, "not_participles"),
        always=_words(d, "always"),
    )


def _ge_participle(word: str, lists: _GermanLists) -> bool:
    if len(word) < 6 or not word.startswith("ge"):
        return False
    if word.endswith("t"):
        return True
    return word.endswith("en") and word not in lists.ge_infinitives


@lru_cache(maxsize=16384)
def is_german_participle(word: str) -> bool:
    """True if a lower-case German word has the form of a past participle."""
    lists = _german()
    if word in lists.not_participles or not word.isalpha():
        return False
    if word in lists.strong or (word.endswith("iert") and len(word) > 6):
        return True
    if _ge_participle(word, lists):
        return True
    for prefix in lists.prefixes:
        if word.startswith(prefix) and word.endswith("t") and len(word) >= len(prefix) + 4:
            return not word[len(prefix) :].startswith("ge")  # "begeistert" is not be+geistert
    for particle in lists.particles:
        if word.startswith(particle) and len(word) - len(particle) >= 5:
            rest = word[len(particle) :]
            if rest in lists.strong or _ge_participle(rest, lists):
                return True
    return False


def _german_clause(
    clause: Sequence[Token], lowered: Sequence[str], lists: _GermanLists
) -> PassiveMatch | None:
    if lists.werden.isdisjoint(lowered):
        return None
    end = len(clause)
    while end > 0 and (lowered[end - 1] in lists.werden or lowered[end - 1] in lists.tail):
        end -= 1
    if end == 0:
        return None
    tail = lowered[end:]
    # "wird … bearbeitet sein" (Zustandspassiv, or an adjective: "werden begeistert sein").
    if tail and tail[0] in ("sein", "haben", "hat") and "worden" not in tail:
        return None
    participle = clause[end - 1]
    if participle.kind != "word" or not participle.text[:1].islower():
        return None
    if not is_german_participle(lowered[end - 1]):
        return None
    first_aux = next(i for i, w in enumerate(lowered) if w in lists.werden)
    start = min(first_aux, end - 1)
    last = clause[-1] if tail else participle
    between = clause[first_aux + 1 : end - 1]
    # Impersonal: "Es wird darauf hingewiesen" (no subject after "es"; in "Es wurde ein neuer
    # Schlüssel hinzugefügt" the noun is the subject).
    impersonal = lowered[0] == "es" and not any(t.text[:1].isupper() for t in between)
    request = clause[0].text == "Sie" and lowered[end - 1] in lists.always
    always = first_aux == 1 and (impersonal or request)
    return PassiveMatch(clause[start].start, last.end, participle.text, always)


def _english_clause(
    clause: Sequence[Token], lowered: Sequence[str], lists: _EnglishLists
) -> PassiveMatch | None:
    if "’" in "".join(lowered):
        lowered = [w.replace("’", "'") for w in lowered]
    if lists.be.isdisjoint(lowered):
        return None
    for i, word in enumerate(lowered):
        if word not in lists.be:
            continue
        j = i + 1
        while j < len(lowered) and (lowered[j] in lists.adverbs or lowered[j] in lists.be):
            j += 1
        if j >= len(lowered) or clause[j].kind != "word":
            continue
        candidate = lowered[j]
        if candidate in lists.not_participles:
            continue
        regular = candidate.endswith("ed") and len(candidate) >= 5 and candidate.isalpha()
        if regular or candidate in lists.irregular:
            # A request to the reader: "You are requested to", "Kindly be advised".
            addressed = i == 0 or lowered[i - 1] in ("you", "please", "kindly")
            always = candidate in lists.always and addressed
            return PassiveMatch(clause[i].start, clause[j].end, clause[j].text, always)
    return None


def passive_matches(sentence: Sentence, language: str) -> list[PassiveMatch]:
    """The passive verb groups of a sentence (at most one per clause)."""
    lang = normalise_language(language)
    found: list[PassiveMatch] = []
    if lang == "de":
        german = _german()
        for clause, lowered in lowered_clauses(sentence, german.breaks):
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
