"""Tokens and sentences of German and English customer text.

One compiled regular expression per language scans the text into tokens; the order of its
alternatives encodes the priorities: list markers at line start, template placeholders, e-mail
addresses, URLs (also bare domains such as ``meinebank.de``), abbreviations from
``rules/<lang>/abbreviations.yaml`` (their periods stay inside the token), numbers (dates,
amounts, times, ``1st``), words, punctuation, any other symbol. German ordinals (``3. Oktober``,
``der 2. Versuch``) are then merged into one number token.

Sentences end at ``.``, ``!``, ``?`` and ``…`` followed by white space (closing quotes and
brackets stay with the sentence) unless a lower-case word follows; at blank lines; before list
items; after each list item; and after short lines without final punctuation (headings, button
labels, ``Ihre Vorteile:``). Long lines that end mid-sentence are treated as soft-wrapped.
All offsets are offsets into the text given.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, itemgetter
from typing import Any, NamedTuple, overload

from msglint.memo import per_template
from msglint.text.lexicon import normalise_language, word_list

# Token kinds that carry content (count as words for readability and length rules).
WORD_KINDS = frozenset({"word", "number", "placeholder", "url", "email"})

_TERMINALS = frozenset(".!?…")
_CLOSERS = frozenset({'"', "“", "”", "‘", "’", "'", "»", "«", "›", "‹", ")", "]", "}"})
# Without final punctuation, a line this short is a heading or label; a longer one is wrapped.
_SHORT_LINE = 60
_SPACE = r"[ \t\u00a0\u202f]"

_PLACEHOLDER = (
    r"\{\{.*?\}\}|\{%.*?%\}|\{\#.*?\#\}|\(\([^()\n]*\)\)|%[A-Za-z_][A-Za-z0-9_.]*%"
    r"|\$\{[^}\n]*\}|\[\[[^\]\n]*\]\]|\*\|[A-Z0-9_]+\|\*|\{[A-Za-z_][\w.]*\}"
)
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
_URL_END = r"[^\s<>\"'„“”.,;:!?)\]}]"
_URL = (
    rf"(?:https?://|www\.)[^\s<>\"'„“”]*{_URL_END}"
    r"|(?<![\w@.-])[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*"
    r"\.(?i:de|com|net|org|eu|at|ch|info|io|shop|app|biz|online)(?![\w-])"
    rf"(?:/[^\s<>\"']*{_URL_END})?"
)
_ORDINAL = r"\d+(?:st|nd|rd|th)\b"
_NUMBER = r"\d+(?:[.,:]\d+)*(?:,[-–]{1,2})?"
_DIGIT_WORD = r"\d+(?:-[^\W\d_]\w*)+|\d+[^\W\d_]\w*"
_WORD = r"[^\W\d_]\w*(?:['’][^\W\d_]+)*(?:-\w+(?:['’][^\W\d_]+)*)*(?:-(?=\s))?"
_PUNCT = r"\.{2,}|[.!?…]+|[,;:()\[\]{}\"„“”‚‘’'«»‹›–—-]"
_MARKER = r"(?<![^\n])[ \t]*(?P<marker>[-–•*▪►✓·]|\d{1,2}[.)]|[a-z]\))(?=[ \t])"
# Fast path for the common case: a plain word that cannot start an e-mail address, URL,
# abbreviation, hyphenated compound or list marker (everything else takes the full path).
# Possessive: a shorter run of letters is followed by a letter, which the look-ahead rejects
# too, so backing off letter by letter after a failed look-ahead would only waste steps.
_PLAIN_WORD = r"(?P<plain>[^\W\d_]++(?![\w'’@./)-]|:/))"
# Only a list marker can start at white space (at a line start): rejecting other white space
# first spares the search trying every alternative at each space between tokens.
_TOKEN_START = r"(?:(?=\S)|(?<![^\n]))"
_ORDINAL_NUMBER = re.compile(r"\d{1,3}|\d{1,2}\.\d{1,2}")
_kind_of = itemgetter(3)  # Token.kind
_start_of = itemgetter(1)  # Token.start
_minus_one = (-1).__add__
# Tokens that end no sentence unless a line break or list marker follows them.
_INLINE_KINDS = frozenset({"number", "placeholder", "url", "email"})
_INNER_PUNCT = frozenset(",;:([{„‚–—-") - _TERMINALS - _CLOSERS
# Punctuation that is a token of its own after a plain word at the end of a run.
_AFTER_WORD = frozenset(",;:!?")
# Pattern groups whose tokens may end a sentence whatever follows (and punctuation that is not
# inner): list markers, symbols (closing emoji), abbreviations (they end with a period).
_MARKED_GROUPS = frozenset({"marker", "symbol", "abbr"})


class Token(NamedTuple):
    """A token: ``text == source[start:end]``.

    ``kind`` is one of word, number, url, email, placeholder, punct, symbol.
    """

    text: str
    start: int
    end: int
    kind: str


class _SentenceFields(NamedTuple):
    start: int
    end: int
    tokens: tuple[Token, ...]


class _Words:
    """``Sentence.words``: computed on first use and kept in the sentence's instance dict."""

    # functools.cached_property does the same, but takes a lock on every first use (Python
    # 3.11): there are thousands of sentences, each read by several rules.
    @overload
    def __get__(self, sentence: None, owner: type | None = None) -> _Words: ...

    @overload
    def __get__(self, sentence: Sentence, owner: type | None = None) -> tuple[Token, ...]: ...

    def __get__(
        self, sentence: Sentence | None, owner: type | None = None
    ) -> tuple[Token, ...] | _Words:
        if sentence is None:
            return self  # looked up on the class
        tokens = sentence.tokens
        words = tuple(compress(tokens, map(WORD_KINDS.__contains__, map(_kind_of, tokens))))
        sentence.__dict__["words"] = words
        return words


class Sentence(_SentenceFields):
    """A sentence (or heading, list item, line): ``source[start:end]`` and its tokens."""

    # Sentences are cached and several rules ask each for its words: the subclass (unlike a
    # named tuple) has an instance dict, so ``words`` is computed once per sentence.
    # Tokens that carry content: words, numbers, placeholders, URLs, e-mail addresses.
    words = _Words()


class _Language(NamedTuple):
    pattern: re.Pattern[str]
    sentence_final: frozenset[str]  # abbreviations without spaces, e.g. "usw."
    function_words: frozenset[str]  # lower case
    months: frozenset[str]
    ordinals: bool  # "3. Oktober": a period after a day or rank is part of the number
    nouns_capitalised: bool


def _abbreviation_trie(entries: list[tuple[str, bool]]) -> dict[str, Any]:
    """Parts of the abbreviations as a trie over exact spellings (lower-case first letters
    also capitalised); key ``""`` marks an end: True when only a number may follow."""
    root: dict[str, Any] = {}
    for entry, before_number in entries:
        nodes = [root]
        for part in (p.strip() for p in entry.split(".")):
            if not part:
                continue
            firsts = dict.fromkeys(part[0] + part[0].upper() if part[0].islower() else part[0])
            nodes = [node.setdefault(c + part[1:], {}) for node in nodes for c in firsts]
        for node in nodes:
            node[""] = node.get("", True) and before_number
    return root


def _trie_pattern(node: dict[str, Any]) -> str:
    # At one position at most one spelling of a part can match (each is a whole run of
    # letters before a period), and the longer continuation is tried before the end: so
    # the longest listed abbreviation wins, as in a longest-first alternation of all
    # entries - which has far more branches and compiles in twice the time (per process).
    groups: dict[tuple[str, str], list[str]] = {}
    for key, child in node.items():
        if not key:
            continue
        tails = []
        if any(child):
            tails.append(f"{_SPACE}?(?:{_trie_pattern(child)})")
        if "" in child:
            tails.append(r"(?=\s*\d)" if child[""] else "")
        tail = tails[0] if len(tails) == 1 else "(?:" + "|".join(tails) + ")"
        groups.setdefault((key[1:], tail), []).append(key[0])
    alternatives = []
    for (rest, tail), firsts in sorted(groups.items()):
        first = "".join(sorted(firsts))
        first = re.escape(first) if len(first) == 1 else f"[{re.escape(first)}]"
        alternatives.append(first + re.escape(rest) + r"\." + tail)
    return "|".join(alternatives)


@lru_cache(maxsize=4)
def _language(language: str) -> _Language:
    lang = normalise_language(language)
    plain = set(word_list(lang, "abbreviations", "abbreviations"))
    numbered = set(word_list(lang, "abbreviations", "before_number"))
    entries = [(a, False) for a in plain] + [(a, True) for a in numbered - plain]
    abbreviations = _trie_pattern(_abbreviation_trie(entries))
    # The look-ahead rejects most positions before trying every abbreviation.
    abbr = rf"(?<![\w.])(?=[^\W\d_]{{1,7}}\.)(?:{abbreviations})" if abbreviations else "(?!)"
    suffixes = "|".join(
        re.escape(s.rstrip(".")) for s in word_list(lang, "abbreviations", "suffixes")
    )
    if suffixes:
        # Compounds with an abbreviated last part: "Hauptstr. 5".
        abbr += rf"|(?<![\w.])[^\W\d_]+(?:{suffixes})\."
    pattern = re.compile(
        f"{_TOKEN_START}"
        f"(?:{_PLAIN_WORD}|{_MARKER}|(?P<placeholder>{_PLACEHOLDER})|(?P<email>{_EMAIL})|(?P<url>{_URL})"
        f"|(?P<abbr>{abbr})|(?P<ordinal>{_ORDINAL})|(?P<dword>{_DIGIT_WORD})|(?P<number>{_NUMBER})"
        f"|(?P<word>{_WORD})|(?P<punct>{_PUNCT})|(?P<symbol>\\S))"
    )
    return _Language(
        pattern=pattern,
        sentence_final=frozenset(
            a.replace(" ", "") for a in word_list(lang, "abbreviations", "sentence_final")
        ),
        function_words=frozenset(
            w.lower() for w in word_list(lang, "function-words", "function_words")
        ),
        months=frozenset(word_list(lang, "abbreviations", "months")),
        ordinals=lang == "de",
        nouns_capitalised=lang == "de",
    )


_KIND = {"plain": "word", "abbr": "word", "dword": "word", "ordinal": "number"}
_new_tuple = tuple.__new__


def _scan_marked(text: str, lang: _Language) -> tuple[list[Token], list[int]]:
    """Tokens including list markers (kind ``marker``), and the ascending positions of the
    tokens that may end a sentence whatever follows them: markers, symbols, abbreviations and
    punctuation other than :data:`_INNER_PUNCT` (see :func:`_split_sentences`)."""
    tokens: list[Token] = []
    marks: list[int] = []
    append = tokens.append
    mark = marks.append
    kinds = _KIND
    search = lang.pattern.search
    find = text.find
    pos = 0  # end of the last token
    start = 0
    # Most runs of non-space characters are a word, perhaps with a comma or colon: the
    # pattern's first alternative (a plain word) would take the letters whole, and a separate
    # punctuation mark can be nothing else. Those runs skip the pattern, which costs a search
    # per token; the rest is scanned by it (a token may span white space: "z. B.", "{{ a }}").
    for run in text.split():
        start = find(run, start)
        end = start + len(run)
        if start >= pos:
            if run.isalpha():
                append(_new_tuple(Token, (run, start, end, "word")))
                pos = start = end
                continue
            last = run[-1]
            if last in _AFTER_WORD and run[:-1].isalpha():
                append(_new_tuple(Token, (run[:-1], start, end - 1, "word")))
                if last in _TERMINALS:
                    mark(len(tokens))
                append(_new_tuple(Token, (last, end - 1, end, "punct")))
                pos = start = end
                continue
        while pos < end:
            m = search(text, pos)
            if m is None:
                break
            group = m.lastgroup or "symbol"
            if group == "marker":
                mark(len(tokens))
                append(Token(m.group("marker"), m.start("marker"), m.end(), "marker"))
            else:
                word = m.group()
                if group in _MARKED_GROUPS or (group == "punct" and word not in _INNER_PUNCT):
                    mark(len(tokens))
                # tuple.__new__ is what Token() does, without a Python-level call per token.
                append(_new_tuple(Token, (word, m.start(), m.end(), kinds.get(group, group))))
            pos = m.end()
        start = end
    if lang.ordinals:
        # An ordinal's period is a marked token of its own (punctuation, not inner).
        dots = _ordinal_dots(text, tokens, lang, marks)
        if dots:
            return _merge_dots(tokens, dots), _without_dots(marks, dots)
    return tokens, marks


def _ordinal_dots(
    text: str, tokens: list[Token], lang: _Language, candidates: Iterable[int]
) -> list[int]:
    """Positions of the periods that belong to the number before them ("3. Oktober")."""
    dots: list[int] = []
    n = len(tokens)
    for i in candidates:
        dot = tokens[i]
        if dot[0] != "." or not 0 < i < n - 1:
            continue
        tok = tokens[i - 1]
        if (
            tok.kind == "number"
            and dot.start == tok.end
            and _ORDINAL_NUMBER.fullmatch(tok.text)
            and _is_ordinal_context(text, dot, tokens[i + 1], lang)
        ):
            dots.append(i)
    return dots


def _merge_dots(tokens: list[Token], dots: list[int]) -> list[Token]:
    out: list[Token] = []
    done = 0
    for i in dots:
        out += tokens[done : i - 1]
        tok = tokens[i - 1]
        out.append(Token(tok.text + ".", tok.start, tokens[i].end, "number"))
        done = i + 1
    out += tokens[done:]
    return out


def _without_dots(marks: list[int], dots: list[int]) -> list[int]:
    # Each merged period leaves the marks and shifts the later ones one position back.
    removed = set(dots)
    out: list[int] = []
    shift = 0
    for i in marks:
        if i in removed:
            shift += 1
        else:
            out.append(i - shift)
    return out


def _is_ordinal_context(text: str, dot: Token, nxt: Token, lang: _Language) -> bool:
    if nxt.start == dot.end or text.find("\n", dot.end, nxt.start) != -1:
        return False
    if nxt.kind != "word":
        return False
    if nxt.text in lang.months or nxt.text[0].islower():
        return True
    # "am 15. Danach ..." ends a sentence; "der 2. Versuch" does not.
    return nxt.text.lower() not in lang.function_words


def tokenize(text: str, language: str) -> list[Token]:
    """Split ``text`` into tokens (list markers come out as ``punct``)."""
    return list(_tokenize_cached(text, language))


@per_template(maxsize=512)
def _tokenize_cached(text: str, language: str) -> tuple[Token, ...]:
    return tuple(
        Token(t.text, t.start, t.end, "punct") if t.kind == "marker" else t
        for t in _scan_cached(text, language)[0]
    )


@per_template(maxsize=16)
def _scan_cached(text: str, language: str) -> tuple[tuple[Token, ...], list[int]]:
    # The metrics split a message's text into sentences and tone/ tokenizes the same text:
    # scan it once (a few recent texts suffice, they are read one message at a time).
    tokens, marks = _scan_marked(text, _language(language))
    return tuple(tokens), marks


def content_tokens(text: str, language: str) -> list[Token]:
    """The tokens of ``text`` that carry content (:data:`WORD_KINDS`), in order."""
    tokens = _scan_cached(text, language)[0]
    return list(compress(tokens, map(WORD_KINDS.__contains__, map(_kind_of, tokens))))


def _starts_lower(tok: Token) -> bool:
    return tok.kind == "word" and tok.text[0].islower()


def _terminal(cur: list[Token]) -> Token | None:
    """The sentence-final punctuation ending ``cur`` (closing quotes and emoji may follow)."""
    for tok in reversed(cur):
        if tok.kind == "symbol" or (tok.kind == "punct" and tok.text in _CLOSERS):
            continue
        if tok.kind == "punct" and tok.text[0] in _TERMINALS:
            return tok
        return None
    return None


def _ends_sentence(
    text: str, cur: list[Token], nxt: Token, lang: _Language, *, list_item: bool
) -> bool:
    tok = cur[-1]
    if nxt.kind == "marker":
        return True
    newlines = text.count("\n", tok.end, nxt.start)
    if newlines >= 2:
        return True
    terminal = _terminal(cur)
    if terminal is not None:
        if nxt.start == tok.end:
            return False  # "Ende.Neu", or a closing quote still to come
        if newlines:
            return True
        if nxt.kind == "symbol":
            return False  # "Danke! 😊": the emoji belongs to this sentence
        if _starts_lower(nxt):
            return False  # an unknown abbreviation, "..." or a quotation inside a sentence
        if terminal.text[0] in ".…":
            before = cur[-2] if len(cur) >= 2 and cur[-1] is terminal else None
            if before is not None and before.kind == "word" and len(before.text) == 1:
                return not before.text.isupper()  # an initial: "Max M. Muster"
        return True
    if tok.kind == "word" and tok.text.endswith(".") and newlines == 0:
        # "..., Hemden usw. Bitte ..." - an enumeration closed the sentence.
        if (
            tok.text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
            not in lang.sentence_final
            or nxt.kind != "word"
            or not nxt.text[0].isupper()
            or nxt.start == tok.end
        ):
            return False
        # German capitalises nouns ("usw. Kunden"): only a function word starts a sentence.
        return not lang.nouns_capitalised or nxt.text.lower() in lang.function_words
    if not newlines:
        return False
    # A line break without final punctuation.
    if _starts_lower(nxt):
        return False
    if list_item:
        return True
    if tok.text == ":":
        return True
    if tok.kind == "punct" and tok.text in ",;–-(":
        return False
    line_start = text.rfind("\n", 0, tok.end) + 1
    return tok.end - line_start <= _SHORT_LINE


def split_sentences(text: str, language: str) -> list[Sentence]:
    """Split ``text`` into sentences; headings, list items and short lines are sentences too."""
    return list(_split_cached(text, language))


@per_template(maxsize=512)
def _split_cached(text: str, language: str) -> tuple[Sentence, ...]:
    # Metrics and several rule families split the same part text: once per template.
    return tuple(_split_sentences(text, language))


def _split_sentences(text: str, language: str) -> list[Sentence]:
    lang = _language(language)
    tokens, marks = _scan_cached(text, language)
    sentences: list[Sentence] = []
    cur: list[Token] = []
    list_item = False

    def flush() -> None:
        nonlocal list_item
        list_item = False
        if not cur:
            return
        if not WORD_KINDS.isdisjoint(map(_kind_of, cur)):
            # tuple.__new__, as for tokens: Sentence() is a Python-level call per sentence.
            sentences.append(_new_tuple(Sentence, (cur[0].start, cur[-1].end, tuple(cur))))
        elif sentences:
            # Trailing emoji or a separator line: part of the sentence before it.
            prev = sentences[-1]
            sentences[-1] = _new_tuple(
                Sentence, (prev.start, cur[-1].end, prev.tokens + tuple(cur))
            )
        else:
            return  # carried into the next sentence
        cur.clear()

    last = len(tokens) - 1
    # Only a marked token or one before a line break can end a sentence (or be a list
    # marker); the tokens between two of those only join the sentence, taken in slices.
    # Tokens hold no line break, so the last token starting before a line break is the one
    # the break follows.
    starts = list(map(_start_of, tokens))
    breaks = map(bisect_right, repeat(starts), _line_breaks(text))
    extend = cur.extend
    find = text.find
    done = 0  # tokens before this one are in ``cur`` or behind it
    for i in sorted(set(marks).union(map(_minus_one, breaks))):
        if i >= last:
            break
        if i < 0:
            continue
        if done < i:
            extend(tokens[done:i])
        done = i + 1
        tok = tokens[i]
        nxt = tokens[done]
        word, _, end, kind = tok
        if kind == "marker":
            flush()
            list_item = True
            continue
        cur.append(tok)
        if (
            (word[-1] != "." if kind == "word" else kind in _INLINE_KINDS or word in _INNER_PUNCT)
            and nxt[3] != "marker"
            and find("\n", end, nxt[1]) == -1
        ):
            # A token before a line break that neither is final punctuation nor ends a line.
            continue
        if _ends_sentence(text, cur, nxt, lang, list_item=list_item):
            flush()
    if tokens:
        if done < last:
            extend(tokens[done:last])
        if tokens[last].kind == "marker":
            flush()
            list_item = True
        else:
            cur.append(tokens[last])
    flush()
    return sentences


def _line_breaks(text: str) -> Iterator[int]:
    """Positions of the line breaks in ``text``, ascending."""
    # Line k ends where the lengths of lines 0..k and k line breaks before it end.
    return map(add, accumulate(map(len, text.split("\n")[:-1])), count())
