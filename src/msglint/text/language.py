"""German or English? Decided by function words, the most frequent words of each language.

Function words (articles, pronouns, prepositions, auxiliaries) make up a third to a half of any
running text and hardly overlap between German and English, so counting them is enough for
customer messages. The lists are ``rules/<lang>/function-words.yaml``. Placeholders, URLs and
e-mail addresses are ignored; umlauts and ß count as German evidence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat

from msglint.text.lexicon import word_list

# Possessive: a shorter run of letters can never be followed by an apostrophe, so the
# search need not back off letter by letter at the end of every word.
_WORD = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)?+")
_NOT_TEXT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\(\([^)]*\)\)|https?://\S+|www\.\S+")
# E-mail addresses too: "\S+@\S+" is tried at every character of every word, so it is only
# used on text that has an "@".
_NOT_TEXT_OR_EMAIL = re.compile(_NOT_TEXT.pattern + r"|\S+@\S+")
_GERMAN_LETTERS = frozenset("äöüß")
# What lower-cases to one of them: without these the per-word umlaut pass is skipped.
_GERMAN_LETTERS_ANY_CASE = re.compile("[äöüßÄÖÜẞ]")
MIN_WORDS = 4  # fewer words than this say too little
MIN_HITS = 2  # function words needed before deciding
MARGIN = 1.5  # the winner needs this many times the other's evidence


# Hits in German count 1, in English 1 << 32 (a text has far fewer words than 2**32), so
# one pass sums both.
_EN_SHIFT = 32
_DE_HITS = (1 << _EN_SHIFT) - 1


@lru_cache(maxsize=1)
def _function_words() -> dict[str, int]:
    de = {w.lower() for w in word_list("de", "function-words", "function_words")}
    en = {w.lower() for w in word_list("en", "function-words", "function_words")}
    return {w: (w in de) + ((w in en) << _EN_SHIFT) for w in de | en}


def detect_language(text: str) -> str | None:
    """``"de"`` or ``"en"`` for the language of ``text``; None when there is too little text
    or the evidence is mixed."""
    # The first few thousand characters decide it; long e-mails need not be read to the end.
    text = text[:4000]
    not_text = _NOT_TEXT_OR_EMAIL if "@" in text else _NOT_TEXT
    plain = not_text.sub(" ", text).replace("’", "'")
    # Lower-casing the whole text gives the same words as lower-casing each word, except with
    # "İ" (two code points, the second no letter) or "Σ" (final or inner sigma, by its
    # neighbours): every other character lower-cases to one character of the same class,
    # which tests/test_language.py checks over all of Unicode. Text without characters
    # beyond Latin-1 answers "in" at once.
    if "İ" in plain or "Σ" in plain:
        words = list(map(str.lower, _WORD.findall(plain)))
    else:
        words = _WORD.findall(plain.lower())
    if len(words) < MIN_WORDS:
        return None
    hits = sum(map(_function_words().get, words, repeat(0)))
    de = float(hits & _DE_HITS)
    en = float(hits >> _EN_SHIFT)
    # Umlauts are strong evidence: English text has almost none.
    if _GERMAN_LETTERS_ANY_CASE.search(text):
        de += (len(words) - sum(map(_GERMAN_LETTERS.isdisjoint, words))) * 0.5
    if max(de, en) < MIN_HITS:
        return None
    if de >= MARGIN * en and de > en:
        return "de"
    if en >= MARGIN * de and en > de:
        return "en"
    return None
