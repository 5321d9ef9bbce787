"""Sensitive data in customer text: IBANs, card numbers, passwords, balances, health terms.

A pure function over text so that several rules can share it: ``personalisation/sensitive-data``
reports what it finds, and channel rules (``channel/push-sensitive``) skip those ranges so the
same words are not reported twice. Word lists live in ``rules/<lang>/personalisation.yaml`` and
the health term packs (``kind: terms``, rule ``personalisation/sensitive-data``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from msglint.lazy import first_char_set, lazy_pattern, longest_first
from msglint.text.lexicon import normalise_language, word_list

if TYPE_CHECKING:
    from msglint.packs import TermMatcher

KINDS = ("iban", "card", "password", "balance", "health")
HEALTH_RULE = "personalisation/sensitive-data"

# Both start with a character class, the word boundary or the lookbehind checked after it:
# ``re`` then skips ahead to the candidate characters in C instead of trying every position.
_IBAN = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_CARD = re.compile(r"[2-6](?<![\d+.,/-][2-6])\d{3}(?:[ -]?\d){9,15}(?![\d,])(?!\.\d)")
_CARD_GROUPED = re.compile(r"\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}|\d{4}([ -])\d{6}\2\d{5}")


_amount = lazy_pattern(
    r"(?:[€$£]\s?-?\d[\d.,' ]*\d|[€$£]\s?\d"
    r"|-?\d[\d.,']*\s?(?:€|EUR\b|Euro\b|USD\b|\$|£|GBP\b|CHF\b))"
)


_MASK = re.compile(r"^[*•●x×X#.…_-]+$")
_VALUE_END = ".,;:!?)\"'“”„«»"


class SensitiveMatch(NamedTuple):
    """``text[start:end]`` shows sensitive data of ``kind`` (one of :data:`KINDS`)."""

    start: int
    end: int
    kind: str


class _Lists:
    """The compiled word lists of one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        words = self._words

        self.password = _word_regex(words("password_words"))
        self.one_time_prefixes = tuple(p.lower() for p in words("one_time_prefixes"))
        self.password_states = frozenset(w.lower() for w in words("password_states"))
        self.account = _word_regex(words("account_words"))

    def _words(self, key: str) -> tuple[str, ...]:
        return word_list(self.language, "personalisation", key)

    @cached_property
    def card(self) -> re.Pattern[str] | None:
        # Read only next to a card-like number: most texts never need it compiled.
        return _word_regex(self._words("card_words"))


def _word_regex(words: Sequence[str]) -> re.Pattern[str] | None:
    """One regex for a word list; all-caps entries (PIN, PUK) match case-sensitively."""
    if not words:
        return None
    start = first_char_set(words)
    alternatives = []
    for word in longest_first(set(words)):
        pieces = [re.escape(w) for w in word.split()]
        if start:
            # The first character is already taken: the phrase looks back at it.
            first = word.split()[0]
            pieces[0] = f"(?<={re.escape(first[0])})" + re.escape(first[1:])
        body = r"\s+".join(pieces)
        alternatives.append(body if word.isupper() else f"(?i:{body})")
    if not start:
        return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
    return re.compile(start + r"(?<![\w-](?s:.))(?:" + "|".join(alternatives) + r")(?![\w-])")


@lru_cache(maxsize=8)
def _lists(language: str) -> _Lists:
    return _Lists(language)


def iban_is_valid(candidate: str) -> bool:
    """True for an IBAN with a correct ISO 13616 (mod 97) check sum."""
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def luhn_is_valid(digits: str) -> bool:
    """True if a digit string passes the Luhn check (payment card numbers)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def find_sensitive_data(
    text: str,
    language: str,
    *,
    kinds: Collection[str] = KINDS,
    placeholder_ranges: Iterable[tuple[int, int]] = (),
    health: TermMatcher | None = None,
) -> list[SensitiveMatch]:
    """Ranges of ``text`` that show sensitive data, in text order.

    ``placeholder_ranges`` are ranges filled from template variables: a password word followed
    by a placeholder ("Ihr Passwort: {{ pw }}") shows a password whatever the sample says
    (read only when a password word is followed by a value, perhaps more than once).
    ``health`` is the matcher for health terms (default: the shipped packs). One-time codes
    ("Ihr Code ist 123456") are not sensitive: they are what SMS and push are for.
    """
    lang = normalise_language(language)
    lists = _lists(lang)
    found: list[SensitiveMatch] = []
    if "iban" in kinds:
        found += [
            SensitiveMatch(m.start(), m.end(), "iban")
            for m in _IBAN.finditer(text)
            if iban_is_valid(m.group())
        ]
    if "card" in kinds:
        found += _cards(text, lists)
    if "password" in kinds:
        found += _passwords(text, lists, placeholder_ranges)
    if "balance" in kinds:
        found += _balances(text, lists)
    if "health" in kinds:
        if health is None:
            from msglint.packs import shipped_resources

            health = shipped_resources().term_matcher(HEALTH_RULE, lang)
        found += [SensitiveMatch(m.start, m.end, "health") for m in health.find(text, lang)]
    found.sort()
    return _without_overlaps(found)


def _cards(text: str, lists: _Lists) -> list[SensitiveMatch]:
    out = []
    for m in _CARD.finditer(text):
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        if not 13 <= len(digits) <= 19 or not luhn_is_valid(digits):
            continue
        # Unformatted digit runs are often order or tracking numbers: need a card word nearby.
        grouped = _CARD_GROUPED.fullmatch(raw) is not None
        before = text[max(0, m.start() - 60) : m.start()]
        if grouped or (lists.card is not None and lists.card.search(before)):
            out.append(SensitiveMatch(m.start(), m.end(), "card"))
    return out


def _passwords(
    text: str, lists: _Lists, placeholder_ranges: Iterable[tuple[int, int]]
) -> list[SensitiveMatch]:
    if lists.password is None:
        return []
    out = []
    for m in lists.password.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()].lower().rstrip()
        if before.endswith(lists.one_time_prefixes):
            continue
        value = _password_value(text, m.end(), lists)
        if value is None:
            continue
        start, end = value
        shown = text[start:end]
        if "://" in shown or shown.startswith("www."):
            continue  # a link to set the password, not the password
        from_placeholder = any(s < end and start < e for s, e in placeholder_ranges)
        if from_placeholder or _looks_secret(shown):
            out.append(SensitiveMatch(m.start(), end, "password"))
    return out


# "Passwort: X" / "Passwort = X" directly, or up to three words before a verb ("Ihr neues
# Passwort für das Portal lautet X"); "reset your password at: <link>" is not a value.
_password_value_pattern = lazy_pattern(
    r"(?:(?:[ \t]+[\w-]+){0,3}?[ \t]+(?:lautet|ist|is|are|sind|was|war)(?:[ \t]*:)?|[ \t]*[:=])"
    r"[ \t]*[„\"'“]?([^\s„\"'“<]+)",
    re.IGNORECASE,
)


def _password_value(text: str, pos: int, lists: _Lists) -> tuple[int, int] | None:
    """The value after "Passwort lautet" / "password:" (None: a statement, not a value)."""
    m = _password_value_pattern().match(text, pos)
    if m is None:
        return None
    start, stop = m.span(1)
    while stop > start and text[stop - 1] in _VALUE_END:
        stop -= 1
    shown = text[start:stop]
    if not shown or shown.lower() in lists.password_states or _MASK.match(shown):
        return None
    return start, stop


def _looks_secret(value: str) -> bool:
    """A value that looks like a password rather than a word: digits, symbols, mixed case."""
    if any(ch.isdigit() for ch in value):
        return True
    if any(not ch.isalnum() for ch in value):
        return True
    inner = value[1:]
    return any(ch.isupper() for ch in inner) and any(ch.islower() for ch in inner)


def _balances(text: str, lists: _Lists) -> list[SensitiveMatch]:
    if lists.account is None:
        return []
    out = []
    for m in lists.account.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        after = _amount().search(text, m.end(), min(line_end, m.end() + 80))
        if after is not None:
            out.append(SensitiveMatch(m.start(), after.end(), "balance"))
            continue
        window = max(line_start, m.start() - 50)
        before = list(_amount().finditer(text, window, m.start()))
        if before:
            out.append(SensitiveMatch(before[-1].start(), m.end(), "balance"))
    return out


def _without_overlaps(matches: list[SensitiveMatch]) -> list[SensitiveMatch]:
    out: list[SensitiveMatch] = []
    for match in matches:
        if out and match.start < out[-1].end:
            continue
        out.append(match)
    return out
