"""Readability formulas and msglint's readability score, from msglint's own counts.

Classic formulas (computed from :mod:`msglint.text.segment` and :mod:`msglint.text.syllables`,
so they work offline and agree with the rest of msglint):

- German: Flesch after Amstad ``180 - ASL - 58.5 * ASW``; Wiener Sachtextformel 1-4
  (Bamberger & Vanecek); LIX ``ASL + 100 * long / words``;
  gSMOG ``sqrt(30 * poly / sentences) - 2``.
- English: Flesch Reading Ease ``206.835 - 1.015 * ASL - 84.6 * ASW``; Flesch-Kincaid grade
  ``0.39 * ASL + 11.8 * ASW - 15.59``; SMOG ``1.043 * sqrt(30 * poly / sentences) + 3.1291``;
  LIX.

(ASL: words per sentence; ASW: syllables per word; long: words with more than six letters;
poly: words with three or more syllables.)

``score`` (0-100, higher is easier) is msglint's main score. Flesch weighs syllables per word
almost as much as sentence length and ranks single sentences poorly against human ratings;
the length of a sentence in characters is the strongest single predictor, and it is
logarithmic (going from 10 to 20 words hurts more than from 40 to 50). So::

    difficulty = ln(chars per sentence + 20)
               + 0.15 * (letters per word - prior)      # long, rare, technical words
               + 1.2  * (share of words >= 13 letters)  # long compounds
    score      = clamp(100 - 36 * (difficulty - 3.55), 0, 100)

(prior: 5.6 letters in German, 4.6 in English.) Word-level shares are shrunk towards a typical
value with six pseudo-words, and the ``+ 20`` damps the logarithm, so that a one-word edit of an
SMS moves the score by a few points, not by twenty. Length stays the dominant term (about twice
the spread of the word terms), because on human ratings length is the most reliable signal.
Placeholders, URLs and e-mail addresses count as one average word each (they are
read as a unit, and their raw length says nothing about the message). See
``docs/readability.md`` for the evaluation behind the weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

from msglint.text.lexicon import normalise_language
from msglint.text.segment import Sentence, Token, content_tokens, split_sentences
from msglint.text.syllables import count_syllables

# Stand-ins for tokens that are read as a unit: letters, syllables.
_UNIT_LETTERS = 6
_UNIT_SYLLABLES = 2
_LONG_WORD = 6  # LIX and the Wiener Sachtextformel: more than six letters
_COMPOUND = 13  # letters from which a word is a long compound (German) or jargon
# Typical letters per word in plain customer text; word shares shrink towards these.
_PRIOR_LETTERS = {"de": 5.6, "en": 4.6}
_PRIOR_COMPOUND = {"de": 0.03, "en": 0.005}
_PSEUDO_WORDS = 6.0
# Score weights; see the module docstring and docs/readability.md.
_LENGTH_DAMPING = 20.0
_W_LETTERS = 0.15
_W_COMPOUND = 1.2
_EASIEST = 3.55  # difficulty that scores 100 (about "Vielen Dank.")
_SCALE = 36.0  # points per unit of difficulty (ln: x2.7 characters per sentence)


class TextCounts(NamedTuple):
    """What readability formulas need, counted once."""

    sentences: int
    words: int
    syllables: int
    letters: int
    characters: int  # characters of all sentences, units (URLs, placeholders) normalised
    long_words: int  # more than six letters
    polysyllables: int  # three or more syllables
    monosyllables: int
    compounds: int  # thirteen letters or more


@lru_cache(maxsize=65536)
def _word_shape(text: str, kind: str, language: str) -> tuple[int, int, int, int, int, int, int]:
    """What a content token adds to the counts: letters, syllables, long word, compound,
    polysyllable, monosyllable (0 or 1 each), and characters to add to its sentence's length
    (units count as :data:`_UNIT_LETTERS` characters)."""
    if kind == "word":
        letters = sum(1 for c in text if c.isalpha())
        syllables = max(1, count_syllables(text, language)) if letters else 1
    elif kind == "number":
        digits = sum(1 for c in text if c.isdigit())
        # "5" is one spoken word, "1.234,56" several; cap what a number can cost.
        letters, syllables = min(digits, 8), min(4, 1 + digits // 2)
    else:
        letters, syllables = _UNIT_LETTERS, _UNIT_SYLLABLES
    adjust = _UNIT_LETTERS - len(text) if kind in ("url", "email", "placeholder") else 0
    return (
        letters,
        syllables,
        letters > _LONG_WORD,
        letters >= _COMPOUND,
        syllables >= 3,
        syllables == 1,
        adjust,
    )


_text_of = itemgetter(0)  # Token.text
_kind_of = itemgetter(3)  # Token.kind


def count_text(sentences: Sequence[Sentence], language: str) -> TextCounts:
    """Counts over already split sentences."""
    n_sentences = chars = 0
    words: list[Token] = []
    extend = words.extend
    for sentence in sentences:
        # The content tokens (all but punctuation and symbols) are the sentence's words, which
        # the sentence keeps for the rules that read them too.
        sentence_words = sentence.words
        if sentence_words:
            n_sentences += 1
            chars += sentence.end - sentence.start
            extend(sentence_words)
    return _totals(n_sentences, chars, words, normalise_language(language))


def _totals(n_sentences: int, chars: int, words: Sequence[Token], lang: str) -> TextCounts:
    if not words:
        return TextCounts(0, 0, 0, 0, 0, 0, 0, 0, 0)
    # One pass over all words, column sums in C: per-sentence sums cost more than the words.
    # A sentence's characters need no per-sentence floor: its tokens do not overlap, and a
    # unit's adjustment only shortens it to six characters, so a sentence with a word keeps
    # at least one character.
    shapes = map(_word_shape, map(_text_of, words), map(_kind_of, words), repeat(lang))
    letters, syllables, long_words, compounds, poly, mono, adjust = map(
        sum, zip(*shapes, strict=True)
    )
    return TextCounts(
        n_sentences,
        len(words),
        syllables,
        letters,
        chars + adjust,
        long_words,
        poly,
        mono,
        compounds,
    )


def difficulty(counts: TextCounts, language: str) -> float:
    """msglint's difficulty (natural-log scale); 0 for empty text."""
    if not counts.words:
        return 0.0
    lang = normalise_language(language)
    per_sentence = counts.characters / counts.sentences
    k = _PSEUDO_WORDS
    letters = (counts.letters + k * _PRIOR_LETTERS[lang]) / (counts.words + k)
    compounds = (counts.compounds + k * _PRIOR_COMPOUND[lang]) / (counts.words + k)
    return (
        math.log(per_sentence + _LENGTH_DAMPING)
        + _W_LETTERS * (letters - _PRIOR_LETTERS[lang])
        + _W_COMPOUND * compounds
    )


def score_from_counts(counts: TextCounts, language: str) -> float:
    """msglint's readability score, 0-100, higher is easier (100 for empty text)."""
    if not counts.words:
        return 100.0
    raw = 100.0 - _SCALE * (difficulty(counts, language) - _EASIEST)
    return round(min(100.0, max(0.0, raw)), 1)


def _formulas(c: TextCounts, language: str) -> dict[str, float]:
    asl = c.words / c.sentences
    asw = c.syllables / c.words
    share_long = 100.0 * c.long_words / c.words
    lix = asl + share_long
    smog_base = math.sqrt(30.0 * c.polysyllables / c.sentences)
    if language == "en":
        return {
            "flesch_reading_ease": 206.835 - 1.015 * asl - 84.6 * asw,
            "flesch_kincaid_grade": 0.39 * asl + 11.8 * asw - 15.59,
            "smog": 1.043 * smog_base + 3.1291,
            "lix": lix,
        }
    ms = 100.0 * c.polysyllables / c.words
    es = 100.0 * c.monosyllables / c.words
    return {
        "flesch_amstad": 180.0 - asl - 58.5 * asw,
        "wiener_sachtextformel_1": 0.1935 * ms
        + 0.1672 * asl
        + 0.1297 * share_long
        - 0.0327 * es
        - 0.875,
        "wiener_sachtextformel_2": 0.2007 * ms + 0.1682 * asl + 0.1373 * share_long - 2.779,
        "wiener_sachtextformel_3": 0.2963 * ms + 0.1905 * asl - 1.1144,
        "wiener_sachtextformel_4": 0.2744 * ms + 0.2656 * asl - 1.693,
        "lix": lix,
        "gsmog": smog_base - 2.0,
    }


def readability(text: str, language: str) -> dict[str, float | int]:
    """Readability metrics of a text: ``score`` (0-100, higher is easier), the classic formulas
    for the language, and the counts they come from.

    Formulas are omitted for text without words (``score`` is then 100).
    """
    lang = normalise_language(language)
    # count_text of the sentences, without each sentence's words: every sentence has a word
    # and every word of the text is in exactly one sentence.
    sentences = split_sentences(text, lang)
    counts = _totals(
        len(sentences),
        sum(s.end - s.start for s in sentences),
        content_tokens(text, lang),
        lang,
    )
    result: dict[str, float | int] = {
        "score": score_from_counts(counts, lang),
        "words": counts.words,
        "sentences": counts.sentences,
        "syllables": counts.syllables,
        "long_words": counts.long_words,
        "polysyllables": counts.polysyllables,
        "characters_per_sentence": round(counts.characters / counts.sentences, 1)
        if counts.sentences
        else 0.0,
    }
    if counts.words:
        result.update({k: round(v, 2) for k, v in _formulas(counts, lang).items()})
    return result
