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
from functools import lru_cache
from itertools import compress, pairwise
from operator import itemgetter
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
# Tokens that end no sentence unless a line break or list marker follows them.
_INLINE_KINDS = frozenset({"number", "placeholder", "url", "email"})
_INNER_PUNCT = frozenset(",;:([{„‚–—-") - _TERMINALS - _CLOSERS
# Punctuation that is a token of its own after a plain word at the end of a run.
_AFTER_WORD = frozenset(",;:!?")


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


def _scan(text: str, lang: _Language) -> list[Token]:
    """Tokens including list markers (kind ``marker``)."""
    tokens: list[Token] = []
    append = tokens.append
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
            if run[-1] in _AFTER_WORD and run[:-1].isalpha():
                append(_new_tuple(Token, (run[:-1], start, end - 1, "word")))
                append(_new_tuple(Token, (run[-1], end - 1, end, "punct")))
                pos = start = end
                continue
        while pos < end:
            m = search(text, pos)
            if m is None:
                break
            group = m.lastgroup or "symbol"
            if group == "marker":
                append(Token(m.group("marker"), m.start("marker"), m.end(), "marker"))
            else:
                # tuple.__new__ is what Token() does, without a Python-level call per token.
                append(_new_tuple(Token, (m.group(), m.start(), m.end(), kinds.get(group, group))))
            pos = m.end()
        start = end
    return _merge_ordinals(text, tokens, lang) if lang.ordinals else tokens


def _merge_ordinals(text: str, tokens: list[Token], lang: _Language) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if (
            tok.kind == "number"
            and i + 2 < n
            and tokens[i + 1].text == "."
            and tokens[i + 1].start == tok.end
            and _ORDINAL_NUMBER.fullmatch(tok.text)
            and _is_ordinal_context(text, tokens[i + 1], tokens[i + 2], lang)
        ):
            out.append(Token(tok.text + ".", tok.start, tokens[i + 1].end, "number"))
            i += 2
            continue
        out.append(tok)
        i += 1
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
        for t in _scan_cached(text, language)
    )


@per_template(maxsize=16)
def _scan_cached(text: str, language: str) -> tuple[Token, ...]:
    # The metrics split a message's text into sentences and tone/ tokenizes the same text:
    # scan it once (a few recent texts suffice, they are read one message at a time).
    return tuple(_scan(text, _language(language)))


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
    tokens = _scan_cached(text, language)
    sentences: list[Sentence] = []
    cur: list[Token] = []
    list_item = False

    def flush() -> None:
        nonlocal cur, list_item
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
        cur = []

    append = cur.append
    find = text.find
    for tok, nxt in pairwise(tokens):
        # Fields by position: the loop runs once per token of every text.
        word, _, end, kind = tok
        if kind == "marker":
            flush()
            append = cur.append
            list_item = True
            continue
        append(tok)
        if (
            (word[-1] != "." if kind == "word" else kind in _INLINE_KINDS or word in _INNER_PUNCT)
            and nxt[3] != "marker"
            and find("\n", end, nxt[1]) == -1
        ):
            # The common case: a word, number or comma inside a line (_ends_sentence says no
            # to a token that is neither final punctuation nor a closer nor an abbreviation).
            continue
        if _ends_sentence(text, cur, nxt, lang, list_item=list_item):
            flush()
            append = cur.append
    if tokens:
        if tokens[-1].kind == "marker":
            flush()
            list_item = True
        else:
            cur.append(tokens[-1])
    flush()
    return sentences
