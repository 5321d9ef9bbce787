"""Syllable counts for German and English words, without dictionaries or downloads.

German: each vowel group is one nucleus per vowel, except the diphthongs and long vowels
(ei, ie, au, eu, äu, ai, ay, ey, aa, ee, oo, ou), which are one. Hiatus rules split groups that
look like diphthongs but are spoken as two syllables: the prefixes be-/ge- before a vowel
(be-enden, ge-eignet), -eum (Mu-se-um), -een (I-de-en), -ien (Fe-ri-en), -lie (Fa-mi-li-e),
-ient (Pa-ti-ent), -iell. Hyphenated words count their parts (E-Mail-Adresse = 1 + 1 + 3).
English: vowel groups with the usual silent-e, -es and -ed rules plus hiatus patterns (-ia-,
-io-, -ying, -eing, -ism). Words the rules get wrong are listed in
``rules/<lang>/syllable-exceptions.yaml``; in German an exception also counts as the last part of
a compound (Kunden|service). Acronyms without vowels are spelled out (SMS = 3).
"""

from __future__ import annotations

import re
from functools import lru_cache

from msglint.text.lexicon import load_lexicon, normalise_language

_DE_VOWELS = frozenset("aeiouäöüy")
_DE_PAIRS = frozenset({"ei", "ie", "au", "eu", "äu", "ai", "ay", "ey", "aa", "ee", "oo", "ou"})
_DE_HIATUS = (
    (re.compile(r"^(be|ge)(?=[aäoöüe]|ur)"), r"\1|"),  # be-enden, ge-öffnet, be-urteilen
    (re.compile(r"gee(?=.)"), "ge|e"),  # un-ge-eig-net
    (re.compile(r"([eä])um(s?)$"), r"\1|um\2"),  # Mu-se-um, Ju-bi-lä-um
    (re.compile(r"ee(ns?)$"), r"e|e\1"),  # I-de-en, Al-le-en
    (re.compile(r"ien(s?)$"), r"i|en\1"),  # Me-di-en, Fe-ri-en
    (re.compile(r"([lrtmn])ien(?![aeiouäöüy])"), r"\1i|en"),  # Fa-mi-li-en-na-me
    (re.compile(r"lie$"), "li|e"),  # Fa-mi-li-e, Fo-li-e
    (re.compile(r"([^d])ient"), r"\1i|ent"),  # Pa-ti-ent (but: dient)
    (re.compile(r"iell"), "i|ell"),  # of-fi-zi-ell
)
_EN_GROUPS = re.compile(r"[aeiouy]+")
_EN_EXTRA = re.compile(
    r"(?<![tcsgx])ia|(?<![tcsgx])io(?!n)|(?<![tcxgs])iou|[yeou]ing|yi|eate$|[^aeiou]ea$|ism$"
    r"|(?<![tc])ien[ct]|i[ea]st$|(?<=.{3})ier$|uous|iet|(?<!g)ua|[^aeiou]eo(?![un])|iu"
)
# Any of the hiatus patterns: most words have none, and then no substitution changes them.
_DE_ANY_HIATUS = re.compile("|".join(pattern.pattern for pattern, _ in _DE_HIATUS))
# A nucleus: a diphthong or long vowel (tried first), else one vowel.
_DE_NUCLEUS = re.compile("|".join(sorted(_DE_PAIRS)) + "|[" + "".join(sorted(_DE_VOWELS)) + "]")
_NON_LETTER = re.compile(r"[^a-zäöüß]")
_EN_NON_LETTER = re.compile(r"[^a-z]")
_PARTS = re.compile(r"[-/–]")
_EN_SILENT_SUFFIX = re.compile(r"[aeiouy][bcdfgklmnprstvz]e(ly|ment|ful|less|ness|ty)$")


def count_syllables(word: str, language: str) -> int:
    """Syllables in a word (0 for tokens without letters)."""
    if normalise_language(language) == "en":
        return _english(word)
    return _german(word)


@lru_cache(maxsize=1)
def _german_exceptions() -> dict[str, int]:
    raw = load_lexicon("de", "syllable-exceptions").get("syllables") or {}
    return {str(k).lower(): int(v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def _english_exceptions() -> dict[str, int]:
    raw = load_lexicon("en", "syllable-exceptions").get("syllables") or {}
    return {str(k).lower(): int(v) for k, v in raw.items()}


def _spelled_acronym(part: str) -> int | None:
    # "SMS", "PDF": no vowel, so spoken letter by letter.
    if len(part) < 2 or (part[-1].isalpha() and not part[-1].isupper()):
        return None  # the common case, decided without looking at every letter
    letters = [c for c in part if c.isalpha()]
    if (
        1 < len(letters) <= 5
        and all(c.isupper() for c in letters)
        and not any(c.lower() in "aeiouäöü" for c in letters)
    ):
        return len(letters)
    return None


@lru_cache(maxsize=65536)
def _german(word: str) -> int:
    total = 0
    for part in _PARTS.split(word):
        spelled = _spelled_acronym(part)
        if spelled is not None:
            total += spelled
            continue
        letters = _NON_LETTER.sub("", part.lower())
        if letters:
            total += _german_part(letters)
    return total


def _german_part(letters: str) -> int:
    exceptions = _german_exceptions()
    if letters in exceptions:
        return exceptions[letters]
    # A compound with an exception as a part: "kunden|service", "service|zeiten".
    # Parts of five letters or more only: "deal" must not count in "ideal".
    for i in range(2, len(letters) - 4):
        tail = letters[i:]
        if tail in exceptions:
            return _german_nuclei(letters[:i]) + exceptions[tail]
    for i in range(len(letters) - 3, 4, -1):
        head = letters[:i]
        if head in exceptions:
            return exceptions[head] + _german_nuclei(letters[i:])
    return _german_nuclei(letters)


def _german_nuclei(letters: str) -> int:
    w = letters.replace("qu", "qv")  # the u of "qu" is a consonant
    if w.startswith("y") and len(w) > 1 and w[1] in _DE_VOWELS:
        w = "j" + w[1:]  # Yoga
    if _DE_ANY_HIATUS.search(w):
        for pattern, replacement in _DE_HIATUS:
            w = pattern.sub(replacement, w)
    return max(len(_DE_NUCLEUS.findall(w)), 1)


@lru_cache(maxsize=65536)
def _english(word: str) -> int:
    total = 0
    for part in _PARTS.split(word):
        spelled = _spelled_acronym(part)
        if spelled is not None:
            total += spelled
            continue
        letters = _EN_NON_LETTER.sub("", part.lower().replace("'s", "").replace("’s", ""))
        if letters:
            total += _english_part(letters)
    return total


def _english_part(w: str) -> int:
    exceptions = _english_exceptions()
    if w in exceptions:
        return exceptions[w]
    # Inflected forms of an exception: "recipes", "created".
    for suffix, extra in (("s", 0), ("es", 0), ("d", 0), ("ed", 0), ("ly", 1), ("ing", 1)):
        if not w.endswith(suffix):
            continue
        stem = w[: -len(suffix)]
        if stem in exceptions:
            added = extra
            if suffix in ("d", "ed") and w[-3] in "td":
                added = 1  # creat-ed
            return exceptions[stem] + added
    if len(w) <= 3:
        return 1
    w = w.replace("qu", "qw")
    count = len(_EN_GROUPS.findall(w))
    if w[0] == "y" and len(w) > 1 and w[1] in "aeiou":
        pass  # "you", "yes": the y joins the vowel group, already one nucleus
    count += len(_EN_EXTRA.findall(w))
    count -= _english_silent(w)
    return max(count, 1)


def _english_silent(w: str) -> int:
    """Silent vowels at the end: make, makes, loved, lovely, statement."""
    consonant = "bcdfghjklmnpqrstvwxz"
    if w.endswith("e") and w[-2] in consonant:
        # -le/-re after a consonant is a syllable: ta-ble, cen-tre.
        if w[-2] in "lr" and w[-3] in consonant and w[-3] != w[-2]:
            return 0
        return 1 if len(_EN_GROUPS.findall(w)) > 1 else 0
    if w.endswith("es") and w[-3] in consonant:
        if w[-4:-2] in ("ch", "sh", "ce", "ge") or w[-3] in "sxzcg":
            return 0
        if w[-3] in "lr" and w[-4] in consonant and w[-4] != w[-3]:
            return 0  # ta-bles
        return 1
    if w.endswith("ed") and w[-3] in consonant and w[-3] not in "td":
        if w[-3] == "l" and w[-4] in consonant and w[-4] != "l":
            return 0  # han-dled
        return 1
    m = _EN_SILENT_SUFFIX.search(w)
    return 1 if m else 0
