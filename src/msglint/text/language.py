"""German or English? Decided by function words, the most frequent words of each language.

Function words (articles, pronouns, prepositions, auxiliaries) make up a third to a half of any
running text and hardly overlap between German and English, so counting them is enough for
customer messages. The lists are ``rules/<lang>/function-words.yaml``. Placeholders, URLs and
e-mail addresses are ignored; umlauts and ß count as German evidence.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


@lru_cache(maxsize=1)
def _function_words() -> tuple[frozenset[str], frozenset[str]]:
    de = frozenset(w.lower() for w in word_list("de", "function-words", "function_words"))
    en = frozenset(w.lower() for w in word_list("en", "function-words", "function_words"))
    return de, en


def detect_language(text: str) -> str | None:
    """``"de"`` or ``"en"`` for the language of ``text``; None when there is too little text
    or the evidence is mixed."""
    # The first few thousand characters decide it; long e-mails need not be read to the end.
    text = text[:4000]
    not_text = _NOT_TEXT_OR_EMAIL if "@" in text else _NOT_TEXT
    words = list(map(str.lower, _WORD.findall(not_text.sub(" ", text).replace("’", "'"))))
    if len(words) < MIN_WORDS:
        return None
    de_words, en_words = _function_words()
    de = float(sum(map(de_words.__contains__, words)))
    en = float(sum(map(en_words.__contains__, words)))
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
