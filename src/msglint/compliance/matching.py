"""Finding approved texts (and forbidden claims) in message text. Pure functions.

Approved texts are compared word for word after normalisation (whitespace, line breaks, HTML
markup and entities, soft hyphens, no-break spaces, typographic quotes and dashes). To stay fast
on large template sets, candidates are found first through anchor words (a set lookup per
block), and only the few windows dense in anchor words are aligned token by token.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence, Set
from difflib import SequenceMatcher
from operator import itemgetter
from typing import Any, NamedTuple

from msglint.lazy import lazy_pattern

# Tags that break words apart in the rendered text (others, like <b>, do not).
_BLOCK_TAGS = frozenset(
    (
        "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "tbody", "thead", "h1",
        "h2", "h3", "h4", "h5", "h6", "hr", "section", "article", "header", "footer", "blockquote",
        "pre", "center", "dd", "dt", "dl", "mj-text", "mj-section", "mj-column", "mj-button",
    )
)  # fmt: skip
_TRANSLATE = {
    "\u00ad": "",  # soft hyphen
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u201e": '"',
    "\u201c": '"',
    "\u201d": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2033": '"',
    "\u201a": "'",
    "\u2018": "'",
    "\u2019": "'",
    "\u201b": "'",
    "\u2039": "'",
    "\u203a": "'",
    "\u2032": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
}
_SPECIAL = "".join(_TRANSLATE)


# Our own fixed patterns, applied to user text: stdlib ``re`` is fine here (no user regex).
_markup = lazy_pattern(
    # One scan finds markup, entities, whitespace and characters to translate. The first
    # character is matched alone and each branch checks it by look-behind: a pattern that starts
    # with a character class lets the regex engine skip plain text fast.
    rf"[<&\s{_SPECIAL}]"
    r"(?:(?<=<)(?:!--.*?-->|(?P<tag>/?[A-Za-z][A-Za-z0-9-]*)\b[^<>]{0,2000}>|![^<>]{0,2000}>)"
    r"|(?<=&)(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
    # Whitespace that is not a single plain space; single spaces stay inside plain stretches.
    rf"|(?<=\s)\s+|(?<=[^\S ])|(?<=[{_SPECIAL}]))",
    re.DOTALL,
)


_WORD_OR_SYMBOL = r"\w+(?:['-]\w+)*|[^\w\s]"


_token = lazy_pattern(
    r"\{\{[^{}]{0,200}\}\}"  # a placeholder left in the text
    r"|https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]"
    r"|www\.[^\s<>\"']*[^\s<>\"'.,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|" + _WORD_OR_SYMBOL
)


# Text without these holds no placeholder, link or e-mail address: the last two alternatives
# give the same tokens, without trying (and backtracking out of) the others at every word.
_UNIT_MARKS = ("{{", "http", "www.", "@")
_PLAIN_TOKEN = re.compile(_WORD_OR_SYMBOL)
_PLACEHOLDER = re.compile(r"\{\{[^{}]{0,200}\}\}")
WILDCARD = "\x00placeholder"
_MIN_ANCHOR_LENGTH = 3
_MAX_DIFF_ITEMS = 3


class Normalised(NamedTuple):
    """Normalised text and where its characters came from, as runs of the source.

    Run ``k`` starts at ``text[run_starts[k]]``. A copied run (``run_ends[k] < 0``) maps
    character by character from ``source[run_sources[k]]`` on; a replaced run (an entity, a
    translated character) maps every character to ``source[run_sources[k]:run_ends[k]]``.
    Runs, not one offset per character: most of a text is copied in a few long runs.
    """

    text: str
    run_starts: list[int]
    run_sources: list[int]
    run_ends: list[int]

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        """The source range of ``text[start:end]``."""
        if not self.text:
            return 0, 0
        start = min(start, len(self.text) - 1)
        end = max(start + 1, min(end, len(self.text)))
        runs = self.run_starts
        k = bisect_right(runs, start) - 1
        src_end = self.run_ends[k]
        src_start = self.run_sources[k] + start - runs[k] if src_end < 0 else self.run_sources[k]
        last = end - 1
        if k + 1 < len(runs) and runs[k + 1] <= last:
            k = bisect_right(runs, last, k) - 1
            src_end = self.run_ends[k]
        if src_end < 0:
            src_end = self.run_sources[k] + last - runs[k] + 1
        return src_start, src_end


def normalise(text: str) -> Normalised:
    """Collapse whitespace, strip markup, decode entities, unify quotes, dashes and spaces."""
    out: list[str] = []
    run_starts: list[int] = []
    run_sources: list[int] = []
    run_ends: list[int] = []
    length = 0  # of the text in ``out``
    space_at: int | None = None  # a pending space (source offset), emitted before the next char

    def flush_space(at: int) -> None:
        nonlocal space_at, length
        if out:
            out.append(" ")
            run_starts.append(length)
            run_sources.append(at)
            run_ends.append(-1)
            length += 1
        space_at = None

    def emit(chars: str, src_start: int, src_end: int) -> None:
        nonlocal space_at, length
        for ch in chars:
            mapped = _TRANSLATE.get(ch, ch)
            if mapped == "":
                continue
            if mapped.isspace():
                if space_at is None:
                    space_at = src_start
                continue
            if space_at is not None:
                flush_space(space_at)
            out.append(mapped)
            run_starts.append(length)
            run_sources.append(src_start)
            run_ends.append(src_end)
            length += len(mapped)

    def emit_stretch(start: int, end: int) -> None:
        nonlocal space_at, length
        # Plain words and single spaces (the scan stops at everything else), copied in one go.
        if start >= end:
            return
        if text[start] == " ":
            if space_at is None:
                space_at = start
            start += 1
        trailing = text[end - 1] == " " and end > start
        if trailing:
            end -= 1
        if end > start:
            if space_at is not None:
                flush_space(space_at)
            out.append(text[start:end])
            run_starts.append(length)
            run_sources.append(start)
            run_ends.append(-1)
            length += end - start
        if trailing and space_at is None:
            space_at = end

    pos = 0
    for m in _markup().finditer(text):
        emit_stretch(pos, m.start())
        pos = m.end()
        token = m.group()
        if token[0] == "&":
            emit(html.unescape(token), m.start(), m.end())
        elif token[0] == "<":
            tag = (m.group("tag") or "").lstrip("/").lower()
            if tag in _BLOCK_TAGS and space_at is None:
                space_at = m.start()
        elif token in _TRANSLATE:
            emit(token, m.start(), m.end())
        elif space_at is None:  # whitespace
            space_at = m.start()
    emit_stretch(pos, len(text))
    return Normalised("".join(out), run_starts, run_sources, run_ends)


def _lower(text: str) -> str:
    """Lower case that keeps every character's offset (``İ`` would otherwise grow)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class Token(NamedTuple):
    """A word or symbol of the normalised text (a tuple: texts have thousands of them)."""

    text: str
    start: int  # offsets in the normalised text
    end: int


def tokenise(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _token().finditer(text)]


def _is_anchor(word: str) -> bool:
    return len(word) >= _MIN_ANCHOR_LENGTH and word[0].isalnum() and not word.startswith("http")


def _shingles(tokens: Sequence[str]) -> list[tuple[str, int]]:
    """Word bigrams ("können der") with the token index of their first word.

    Bigrams are far more selective than single words, so windows dense in a block's bigrams
    are almost always the block. Placeholders and punctuation break or are skipped.
    """
    if WILDCARD not in tokens and not any(tok.startswith("{{") for tok in tokens):
        # No placeholders to break the chain (the usual rendered text): comprehension speed.
        kept = [(tok.lower(), i) for i, tok in enumerate(tokens) if tok[0].isalnum()]
        return [(a[0] + " " + b[0], a[1]) for a, b in itertools.pairwise(kept)]
    found: list[tuple[str, int]] = []
    prev: tuple[str, int] | None = None
    for i, tok in enumerate(tokens):
        if tok == WILDCARD or tok.startswith("{{"):
            prev = None
            continue
        if not tok[0].isalnum():
            continue
        word = tok.lower()
        if prev is not None:
            found.append((prev[0] + " " + word, prev[1]))
        prev = (word, i)
    return found


def _text_bigrams(words: list[str]) -> tuple[list[str], list[int]] | None:
    """What ``_shingles`` finds in placeholder-free text, as keys and indexes, without a
    Python step per token; None if the words hold a line break (they never do after
    normalising).

    Lower-casing the joined words equals lower-casing each: the only context rule of
    ``str.lower`` (a final sigma) does not see past a line break.
    """
    lowered = "\n".join(words).lower().split("\n")
    if len(lowered) != len(words):
        return None
    kept = list(itertools.compress(range(len(words)), map(str.isalnum, map(_FIRST_CHAR, words))))
    kept_words = map(lowered.__getitem__, kept)
    return list(map(" ".join, itertools.pairwise(kept_words))), kept[:-1]


_FIRST_CHAR = itemgetter(0)


class TextIndex:
    """A searchable text: normalised, tokenised, with an index of word bigrams.

    ``anchors``, if given, limits the bigram index to these keys (those of the blocks to be
    searched for). The single-word index (for very short blocks) and the lower-cased text (for
    phrases) are built on first use.
    """

    __slots__ = (
        "_lower", "_offsets", "_spans", "_tokens", "_words", "norm", "positions", "source",
        "words_text",
    )  # fmt: skip

    def __init__(self, source: str, anchors: Set[str] | None = None) -> None:
        self.source = source
        self.norm = normalise(source)
        text = self.norm.text
        # Token texts only; token objects with offsets are made when a block is aligned (most
        # blocks are rejected by the bigram filter first).
        plain = not any(mark in text for mark in _UNIT_MARKS)
        self.words_text: list[str] = (_PLAIN_TOKEN if plain else _token()).findall(text)
        found = _text_bigrams(self.words_text) if "{{" not in text else None
        if found is None:
            shingles = _shingles(self.words_text)
            found = [key for key, _ in shingles], [i for _, i in shingles]
        keys, firsts = found
        pairs: Iterable[tuple[str, int]] = zip(keys, firsts, strict=True)
        if anchors is not None:
            pairs = itertools.compress(pairs, map(anchors.__contains__, keys))
        self.positions: dict[str, list[int]] = {}
        for key, i in pairs:
            self.positions.setdefault(key, []).append(i)
        self._tokens: list[Token] | None = None
        self._offsets: tuple[list[int], list[int]] | None = None
        self._spans: list[tuple[int, int]] | None = None
        self._words: dict[str, list[int]] | None = None
        self._lower: str | None = None

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = tokenise(self.norm.text)
        return self._tokens

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = _lower(self.norm.text)
        return self._lower

    @property
    def words(self) -> dict[str, list[int]]:
        """Token positions of single anchor words."""
        if self._words is None:
            self._words = {}
            for i, text in enumerate(self.words_text):
                word = text.lower()
                if _is_anchor(word):
                    self._words.setdefault(word, []).append(i)
        return self._words

    def source_span(self, first_token: int, last_token: int) -> tuple[int, int]:
        """Source offsets of tokens ``first_token..last_token`` (inclusive)."""
        if self._offsets is None and self._spans is None:
            self._find_offsets()
        if self._offsets is not None:
            lengths, chunks = self._offsets
            start = lengths[first_token] + bisect_right(chunks, lengths[first_token])
            end = lengths[last_token] + bisect_right(chunks, lengths[last_token])
            end += len(self.words_text[last_token])
        else:
            assert self._spans is not None
            start = self._spans[first_token][0]
            end = self._spans[last_token][1]
        return self.norm.source_range(start, end)

    def _find_offsets(self) -> None:
        # Normalised text is tokens with single spaces or nothing between them, and only a
        # placeholder holds a space. A token then starts at the length of the tokens before it
        # plus one per space-separated chunk before its own: found from running totals, not by
        # tokenising again.
        text = self.norm.text
        lengths = list(itertools.accumulate(map(len, self.words_text), initial=0))
        chunks = list(itertools.accumulate(map(len, text.split(" "))))
        if "{{" not in text and lengths[-1] + len(chunks) - 1 == len(text):
            self._offsets = lengths, chunks
        else:
            self._spans = [m.span() for m in _token().finditer(text)]


class ApprovedText:
    """An approved text prepared for searching: tokens (placeholders as wildcards), anchors."""

    __slots__ = (
        "anchor_count", "anchors", "bigrams", "lead", "text", "tokens", "trail", "wildcards",
    )  # fmt: skip

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = [
            WILDCARD if _PLACEHOLDER.fullmatch(t.text) else t.text
            for t in tokenise(normalise(text).text)
        ]
        self.tokens: tuple[str, ...] = tuple(tokens)
        self.wildcards = tokens.count(WILDCARD)
        shingles = _shingles(tokens)
        # Blocks of two or three words have too few bigrams: single words anchor them.
        self.bigrams = len(shingles) >= 3
        if self.bigrams:
            anchored = shingles
        else:
            anchored = [
                (t.lower(), i)
                for i, t in enumerate(tokens)
                if t != WILDCARD and _is_anchor(t.lower())
            ]
        self.anchors = frozenset(key for key, _ in anchored)
        self.anchor_count = len(anchored)
        positions = [i for _, i in anchored]
        # Tokens before the first and after the last anchor: the window must reach that far.
        self.lead = positions[0] if positions else 0
        self.trail = len(tokens) - 1 - positions[-1] if positions else 0

    def anchor_share(self, min_similarity: float) -> float:
        """The share of anchors a window needs to be worth aligning."""
        if self.bigrams:
            # A changed word breaks two bigrams.
            return max(0.2, 1 - 2.2 * (1 - min_similarity)) * 0.9
        return min_similarity * 0.6


class TextMatch(NamedTuple):
    """An approved text found in a searched text."""

    start: int  # offsets in the searched (source) text
    end: int
    similarity: float  # 1.0 for an exact match
    exact: bool
    changes: tuple[str, ...]  # a short word diff: "'jederzeit' changed to 'nicht'"


def find_approved(
    index: TextIndex,
    approved: ApprovedText,
    *,
    min_similarity: float = 0.75,
    max_matches: int = 5,
) -> list[TextMatch]:
    """Occurrences of ``approved`` in ``index`` with at least ``min_similarity``, by position."""
    if not approved.tokens:
        return []
    if not approved.anchors:
        return _find_anchorless(index, approved)
    share = approved.anchor_share(min_similarity)
    positions = index.positions if approved.bigrams else index.words
    present = len(positions.keys() & approved.anchors)
    # Cheap rejection: most blocks share few bigrams with most messages.
    if present < share * len(approved.anchors):
        return []
    hits = sorted(p for a in approved.anchors for p in positions.get(a, ()))
    width = len(approved.tokens) + 8 + 4 * approved.wildcards
    need = max(1, math.ceil(approved.anchor_count * share))
    matches: list[TextMatch] = []
    taken: list[tuple[int, int]] = []
    for first, last in _dense_windows(hits, width, need, max_matches * 2):
        lo = max(0, first - approved.lead - 3)
        hi = min(len(index.words_text), last + approved.trail + 4)
        if any(lo < t_hi and t_lo < hi for t_lo, t_hi in taken):
            continue
        found = _align(index, approved, lo, hi)
        if found is None or found[0].similarity < min_similarity:
            continue
        matches.append(found[0])
        taken.append(found[1])
        if len(matches) >= max_matches:
            break
    return sorted(matches, key=lambda m: m.start)


def _dense_windows(hits: Sequence[int], width: int, need: int, limit: int) -> list[tuple[int, int]]:
    """Non-overlapping token windows with the most anchor hits (at least ``need``)."""
    candidates: list[tuple[int, int, int]] = []
    j = 0
    for i, start in enumerate(hits):
        j = max(j, i)
        while j + 1 < len(hits) and hits[j + 1] < start + width:
            j += 1
        count = j - i + 1
        if count >= need:
            candidates.append((count, hits[i], hits[j]))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    chosen: list[tuple[int, int]] = []
    for _, first, last in candidates:
        if any(first <= c_last and c_first <= last for c_first, c_last in chosen):
            continue
        chosen.append((first, last))
        if len(chosen) >= limit:
            break
    return chosen


def _find_anchorless(index: TextIndex, approved: ApprovedText) -> list[TextMatch]:
    """Blocks of short words or placeholders only: exact token runs."""
    n = len(approved.tokens)
    found: list[TextMatch] = []
    words = index.words_text
    for i in range(len(words) - n + 1):
        if all(a in (WILDCARD, w) for a, w in zip(approved.tokens, words[i : i + n], strict=True)):
            start, end = index.source_span(i, i + n - 1)
            found.append(TextMatch(start, end, 1.0, True, ()))
    return found


_Op = tuple[str, int, int, int, int]


def _align(
    index: TextIndex, approved: ApprovedText, lo: int, hi: int
) -> tuple[TextMatch, tuple[int, int]] | None:
    """Align the approved tokens with ``index.tokens[lo:hi]``; trims unrelated context."""
    region = index.words_text[lo:hi]
    ops: list[_Op] = list(
        SequenceMatcher(None, approved.tokens, region, autojunk=False).get_opcodes()
    )
    # Text before the first and after the last aligned token is context, not the block.
    while ops and ops[0][0] == "insert":
        ops.pop(0)
    while ops and ops[-1][0] == "insert":
        ops.pop()
    if not ops or all(op[0] == "delete" for op in ops):
        return None
    ops = [_trim_edge(op, i == 0, i == len(ops) - 1) for i, op in enumerate(ops)]
    first = next(op[3] for op in ops if op[4] > op[3] or op[0] == "equal")
    last = max(op[4] for op in ops) - 1
    matched = 0
    text_len = 0
    changes: list[str] = []
    for tag, a0, a1, b0, b1 in ops:
        a = list(approved.tokens[a0:a1])
        b = region[b0:b1]
        if tag == "equal":
            matched += len(a)
            text_len += len(b)
            continue
        if WILDCARD in a:
            absorbed, rest = _absorb_wildcards(a, b)
            matched += absorbed
            text_len += absorbed
            changes.extend(rest)
            text_len += sum(1 for c in rest if not c.startswith("missing"))
            continue
        text_len += len(b)
        changes.append(_describe(a, b))
    similarity = 2 * matched / (len(approved.tokens) + max(text_len, 1))
    start, end = index.source_span(lo + first, lo + max(first, last))
    match = TextMatch(start, end, min(1.0, similarity), not changes, tuple(changes))
    return match, (lo + first, lo + max(first, last) + 1)


def _trim_edge(
    op: tuple[str, int, int, int, int], is_first: bool, is_last: bool
) -> tuple[str, int, int, int, int]:
    """A replacement at the block's edge keeps only as many text tokens as it replaces."""
    tag, a0, a1, b0, b1 = op
    if tag != "replace":
        return op
    keep = a1 - a0
    if is_first and b1 - b0 > keep:
        b0 = b1 - keep
    if is_last and b1 - b0 > keep:
        b1 = b0 + keep
    return tag, a0, a1, b0, b1


def _absorb_wildcards(a: list[str], b: list[str]) -> tuple[int, list[str]]:
    """Placeholders match any text at their place; report only the other tokens' changes."""
    literal = [t for t in a if t != WILDCARD]
    wildcards = len(a) - len(literal)
    if not literal:
        return wildcards, []
    ops = SequenceMatcher(None, literal, b, autojunk=False).get_opcodes()
    unmatched = [(tag, literal[a0:a1]) for tag, a0, a1, _, _ in ops if tag in ("replace", "delete")]
    if not unmatched:
        return len(a), []
    equal = sum(a1 - a0 for tag, a0, a1, _, _ in ops if tag == "equal")
    missing = [t for _, toks in unmatched for t in toks]
    return wildcards + equal, [f"missing: '{_join(missing)}'"]


def _describe(a: Sequence[str], b: Sequence[str]) -> str:
    if not b:
        return f"missing: '{_join(a)}'"
    if not a:
        return f"added: '{_join(b)}'"
    return f"'{_join(a)}' changed to '{_join(b)}'"


def _join(tokens: Sequence[str], limit: int = 50) -> str:
    text = " ".join("{{…}}" if t == WILDCARD else t for t in tokens)
    text = re.sub(r" ([.,;:!?)\]])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summarise_changes(changes: Sequence[str]) -> str:
    """``a; b; c and 2 more changes`` for a finding message."""
    shown = "; ".join(changes[:_MAX_DIFF_ITEMS])
    more = len(changes) - _MAX_DIFF_ITEMS
    return f"{shown} and {more} more change{'s' if more > 1 else ''}" if more > 0 else shown


# ---------------------------------------------------------------------------------------------
# Forbidden claims


def find_phrase(
    index: TextIndex, phrase: str, *, case_sensitive: bool = False
) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``phrase`` (normalised the same way) as source spans."""
    needle = normalise(phrase).text
    if not needle:
        return []
    haystack = index.norm.text
    if not case_sensitive:
        needle, haystack = _lower(needle), index.lower
    spans: list[tuple[int, int]] = []
    pos = haystack.find(needle)
    while pos != -1:
        end = pos + len(needle)
        before_ok = pos == 0 or not (haystack[pos - 1].isalnum() and needle[0].isalnum())
        after_ok = end == len(haystack) or not (haystack[end].isalnum() and needle[-1].isalnum())
        if before_ok and after_ok:
            spans.append(index.norm.source_range(pos, end))
        pos = haystack.find(needle, pos + 1)
    return spans


def find_pattern(index: TextIndex, pattern: Any) -> list[tuple[int, int]]:
    """Matches of a compiled re2 pattern in the normalised text, as source spans.

    re2 runs in linear time, so a user's pattern cannot hang the linter.
    """
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(index.norm.text):
        if m.end() > m.start():
            spans.append(index.norm.source_range(m.start(), m.end()))
    return spans
