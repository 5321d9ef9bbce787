"""Term and phrase packs: YAML word lists that parameterise the ``jargon/`` rules.

A pack (``kind: terms``) names the rule that reports its matches and lists entries (a single
``term`` or a multi-word ``phrase``) with a replacement and a reason. Packs come from the
shipped ``rules/`` folder, installed Python packages (entry-point group ``msglint.packs``) and
the config's ``packs:``; later packs extend or override earlier ones. See ``docs/packs.md``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, compress, count
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from msglint.model import Severity
from msglint.yamlsource import YamlError, item_line, key_line, load_yaml_file, yaml_files

if TYPE_CHECKING:
    from msglint.config import Config

ENTRY_POINT_GROUP = "msglint.packs"
PACK_KIND = "terms"
ALTERNATIVE_SEPARATOR = " | "

_PACK_KEYS = {"kind", "id", "language", "rule", "severity", "industry", "description", "entries"}
_ENTRY_KEYS = {
    "term",
    "phrase",
    "forms",
    "replacement",
    "reason",
    "fix",
    "case",
    "compound",
    "inflect",
    "exclude",
    "severity",
    "disabled",
}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_RULE_RE = re.compile(r"^[a-z0-9-]+/[a-z0-9-]+$")


class TermEntry(NamedTuple):
    """One term or phrase of a pack."""

    key: str  # the term or phrase as written in the pack
    phrase: bool
    forms: tuple[str, ...]  # every surface form matched (including ``key``)
    replacement: str | None
    reason: str
    fix: bool = False
    case: bool = False
    compound: bool = False
    exclude: frozenset[str] = frozenset()  # whole words (lower-case) never reported
    severity: Severity | None = None
    disabled: bool = False
    path: str = ""
    line: int | None = None

    @property
    def alternatives(self) -> list[str]:
        """The suggested replacements (``replacement`` split at `` | ``)."""
        if not self.replacement:
            return []
        return [
            a.strip() for a in self.replacement.split(ALTERNATIVE_SEPARATOR.strip()) if a.strip()
        ]

    @property
    def drop_in(self) -> str | None:
        """The replacement if it may be applied as an automatic fix, else None."""
        alts = self.alternatives
        if not self.fix or len(alts) != 1 or "…" in alts[0] or "..." in alts[0]:
            return None
        return alts[0]

    def merge_key(self) -> str:
        return _normalize(self.key, self.case)


class TermPack(NamedTuple):
    """A validated ``kind: terms`` pack."""

    id: str
    language: str
    rule: str
    entries: tuple[TermEntry, ...]
    path: str
    severity: Severity | None = None
    industry: str | None = None
    description: str | None = None


class TermMatch(NamedTuple):
    """``text[start:end]`` matched ``entry`` of ``pack``."""

    start: int
    end: int
    entry: TermEntry
    pack: TermPack
    form: str  # the matched text itself (for compounds: only the pack's term inside the word)

    @property
    def exact(self) -> bool:
        """True if the matched text is the entry's own term or phrase (not an inflection)."""
        return _normalize(self.form, False) == _normalize(self.entry.key, False)


# ---------------------------------------------------------------------------------------------
# Loading and validation


def _normalize(text: str, case: bool) -> str:
    text = " ".join(text.split())
    return text if case else text.lower()


class _Validator:
    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, line: int | None, message: str) -> YamlError:
        return YamlError(self.path, line, message)

    def string(self, node: Any, key: str, *, required: bool = False) -> str | None:
        if key not in node:
            if required:
                raise self.error(_line(node), f"missing required key '{key}'")
            return None
        value = node[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(key_line(node, key), f"'{key}' must be a non-empty string")
        return str(value).strip()

    def boolean(self, node: Any, key: str) -> bool:
        if key not in node:
            return False
        value = node[key]
        if not isinstance(value, bool):
            raise self.error(key_line(node, key), f"'{key}' must be true or false")
        return value

    def string_list(self, node: Any, key: str) -> list[str]:
        if key not in node:
            return []
        value = node[key]
        if not isinstance(value, list):
            raise self.error(key_line(node, key), f"'{key}' must be a list of strings")
        out: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(item_line(value, i), f"'{key}' items must be non-empty strings")
            out.append(str(item).strip())
        return out

    def severity(self, node: Any, key: str = "severity") -> Severity | None:
        text = self.string(node, key)
        if text is None:
            return None
        try:
            return Severity.parse(text)
        except ValueError as exc:
            raise self.error(key_line(node, key), str(exc)) from None

    def unknown_keys(self, node: Any, allowed: set[str], what: str) -> None:
        for key in node:
            if str(key) not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.error(key_line(node, key), f"unknown key '{key}' in {what} ({known})")


def _line(node: Any) -> int | None:
    try:
        return int(node.lc.line) + 1
    except Exception:
        return None


def read_pack_kind(path: Path) -> tuple[Any, str | None]:
    """Parse a YAML file and return (document, its ``kind``) — None if it has no kind."""
    doc = load_yaml_file(path)
    if isinstance(doc, dict) and isinstance(doc.get("kind"), str):
        return doc, str(doc["kind"])
    return doc, None


def parse_term_pack(doc: Any, path: Path) -> TermPack:
    """Validate a parsed ``kind: terms`` document; raises :class:`YamlError` with the line."""
    v = _Validator(path)
    if not isinstance(doc, dict):
        raise v.error(1, "a term pack must be a mapping")
    v.unknown_keys(doc, _PACK_KEYS, "term pack")
    pack_id = v.string(doc, "id", required=True) or ""
    if not _ID_RE.match(pack_id):
        raise v.error(
            key_line(doc, "id"), f"pack id {pack_id!r}: use lower-case letters, digits, -"
        )
    language = (v.string(doc, "language", required=True) or "").lower()
    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise v.error(key_line(doc, "language"), f"language {language!r}: use a code like de, en")
    rule_id = v.string(doc, "rule", required=True) or ""
    if not _RULE_RE.match(rule_id):
        raise v.error(key_line(doc, "rule"), f"rule {rule_id!r}: expected family/name")
    severity = v.severity(doc)
    industry = v.string(doc, "industry")
    description = v.string(doc, "description")
    if "entries" not in doc:
        raise v.error(_line(doc), "missing required key 'entries'")
    raw_entries = doc["entries"]
    if not isinstance(raw_entries, list):
        raise v.error(key_line(doc, "entries"), "'entries' must be a list")
    entries: list[TermEntry] = []
    seen: dict[str, int | None] = {}
    form_owner: dict[str, TermEntry] = {}
    for index, node in enumerate(raw_entries):
        line = item_line(raw_entries, index)
        entry = _parse_entry(v, node, line, language)
        key = entry.merge_key()
        if key in seen:
            raise v.error(line, f"duplicate entry {entry.key!r} (first on line {seen[key]})")
        seen[key] = line
        for form in entry.forms:
            other = form_owner.setdefault(_normalize(form, entry.case), entry)
            if other is not entry:
                raise v.error(
                    entry.line,
                    f"form {form!r} of {entry.key!r} is also a form of {other.key!r} "
                    f"(line {other.line}); list explicit 'forms'",
                )
        entries.append(entry)
    return TermPack(
        id=pack_id,
        language=language,
        rule=rule_id,
        entries=tuple(entries),
        path=str(path),
        severity=severity,
        industry=industry,
        description=description,
    )


def _parse_entry(v: _Validator, node: Any, line: int | None, language: str) -> TermEntry:
    if not isinstance(node, dict):
        raise v.error(line, "each entry must be a mapping with 'term' or 'phrase'")
    v.unknown_keys(node, _ENTRY_KEYS, "entry")
    line = _line(node) or line
    term = v.string(node, "term")
    phrase = v.string(node, "phrase")
    if term is None and phrase is None:
        raise v.error(line, "entry needs 'term' (one word) or 'phrase' (several words)")
    if term is not None and phrase is not None:
        raise v.error(line, "entry has both 'term' and 'phrase'; use one")
    key = term if term is not None else phrase
    assert key is not None
    if term is not None and len(term.split()) > 1:
        raise v.error(key_line(node, "term"), f"term {term!r} has several words; use 'phrase'")
    disabled = v.boolean(node, "disabled")
    reason = v.string(node, "reason", required=not disabled) or ""
    replacement = v.string(node, "replacement")
    fix = v.boolean(node, "fix")
    case = v.boolean(node, "case")
    compound = v.boolean(node, "compound")
    inflect = v.boolean(node, "inflect") if "inflect" in node else None
    explicit = v.string_list(node, "forms")
    exclude = frozenset(w.lower() for w in v.string_list(node, "exclude"))
    severity = v.severity(node)
    if fix and not replacement:
        raise v.error(key_line(node, "fix"), "'fix: true' needs a 'replacement'")
    if explicit:
        forms = [key, *explicit]
    elif phrase is not None or inflect is False:
        forms = [key]
    else:
        forms = [key, *inflected_forms(key, language)]
    unique: dict[str, str] = {}
    for form in forms:
        unique.setdefault(_normalize(form, case), form)
    return TermEntry(
        key=key,
        phrase=phrase is not None,
        forms=tuple(unique.values()),
        replacement=replacement,
        reason=reason,
        fix=fix,
        case=case,
        compound=compound,
        exclude=exclude,
        severity=severity,
        disabled=disabled,
        path=str(v.path),
        line=line,
    )


_GERMAN_EN_SUFFIXES = ("ung", "heit", "keit", "schaft", "ion", "tät", "nis", "ent", "ant")
_GERMAN_ADJECTIVE_ENDINGS = (
    "lich",
    "ig",
    "isch",
    "bar",
    "sam",
    "haft",
    "los",
    "gemäß",
    "mäßig",
    "end",
    "t",
    "iv",
    "al",
)


def inflected_forms(word: str, language: str) -> list[str]:
    """Regular inflections of a single word, generated when a pack gives no ``forms``.

    Deliberately simple: German nouns get plural/genitive endings chosen by their ending,
    German lower-case words (adjectives, adverbs) the adjective endings, English words plural,
    -ed and -ing. Irregular words belong in explicit ``forms``.
    """
    if " " in word or not word[-1:].isalpha():
        return []
    lower = word.lower()
    if language == "de":
        if word[0].isupper():
            if lower.endswith(("nis",)):
                return [word + "se", word + "ses", word + "sen"]
            if lower.endswith(_GERMAN_EN_SUFFIXES):
                return [word + "en"]
            if lower.endswith("e"):
                return [word + "n", word + "s"]
            if lower.endswith(("el", "er", "en")):
                return [word + "n", word + "s"]
            return [word + "s", word + "es", word + "e", word + "en"]
        # Only adjectives and participles inflect; prepositions and adverbs (zwecks, ferner)
        # must not ("fernere" is a comparative of "fern").
        if not lower.endswith(_GERMAN_ADJECTIVE_ENDINGS):
            return []
        return [word + "e", word + "en", word + "er", word + "es", word + "em"]
    if language == "en":
        forms: list[str] = []
        if lower.endswith(("s", "x", "z", "ch", "sh")):
            forms += [word + "es", word + "ed", word + "ing"]
        elif lower.endswith("e"):
            forms += [word + "s", word + "d", word[:-1] + "ing"]
        elif lower.endswith("y") and len(word) > 2 and lower[-2] not in "aeiou":
            forms += [word[:-1] + "ies", word[:-1] + "ied", word + "ing"]
        else:
            forms += [word + "s", word + "ed", word + "ing"]
        return forms
    return []


def load_term_packs(paths: Sequence[Path]) -> list[TermPack]:
    """Load every ``kind: terms`` YAML file under ``paths`` (files or folders), in order.

    Files with another ``kind`` (compliance packs, abbreviation lists, …) or none are skipped.
    Raises :class:`YamlError` (file and line) for an invalid pack.
    """
    packs: list[TermPack] = []
    for file in _yaml_files(paths):
        doc, kind = read_pack_kind(file)
        if kind != PACK_KIND:
            continue
        packs.append(parse_term_pack(doc, file))
    return packs


def _yaml_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in yaml_files(paths):
        if not path.is_file():
            raise YamlError(path, None, "rule pack file or folder not found")
        yield path


def merge_packs(packs: Sequence[TermPack]) -> list[TermPack]:
    """Apply overrides: a later pack with the same id replaces the earlier one; a later entry
    for the same rule, language and term replaces (or, with ``disabled: true``, removes) it."""
    by_id: dict[str, TermPack] = {}
    for pack in packs:
        by_id.pop(pack.id, None)  # re-insert so that the replacement keeps its load order
        by_id[pack.id] = pack
    ordered = list(by_id.values())
    # Walk from the last pack back: the first (latest) pack to claim a key keeps it.
    claimed: set[tuple[str, str, str]] = set()
    result: list[TermPack] = []
    for pack in reversed(ordered):
        kept: list[TermEntry] = []
        for entry in pack.entries:
            key = (pack.rule, pack.language, entry.merge_key())
            if key in claimed:
                continue
            claimed.add(key)
            if not entry.disabled:
                kept.append(entry)
        result.append(_replace_entries(pack, kept))
    result.reverse()
    return result


def _replace_entries(pack: TermPack, entries: list[TermEntry]) -> TermPack:
    return TermPack(
        id=pack.id,
        language=pack.language,
        rule=pack.rule,
        entries=tuple(entries),
        path=pack.path,
        severity=pack.severity,
        industry=pack.industry,
        description=pack.description,
    )


def shipped_pack_dirs() -> list[Path]:
    from msglint.resources import shipped_rules_dir

    base = shipped_rules_dir()
    return [d for d in (base / "de", base / "en") if d.is_dir()]


def entry_point_pack_paths() -> list[Path]:
    """Paths from installed packages: each ``msglint.packs`` entry point loads to a path, a
    list of paths, or a callable returning either."""
    from msglint.resources import entry_point_paths

    return entry_point_paths(ENTRY_POINT_GROUP)


def pack_sources(config: Config | None) -> list[Path]:
    """Where term packs come from, lowest precedence first: shipped ``rules/de`` and
    ``rules/en``, installed packages (entry points), then the config's ``packs:``."""
    sources = shipped_pack_dirs() + entry_point_pack_paths()
    if config is not None:
        for path in config.packs:
            sources.append(path if path.is_absolute() else config.root / path)
    return sources


# ---------------------------------------------------------------------------------------------
# Matching


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation factored as a trie (much faster than a flat ``a|b|c`` in ``re``).

    A space in a form matches any run of whitespace (phrases across line breaks). Longer
    continuations are tried first, so the longest form wins at a position.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = []
        for ch in sorted((c for c in node if c), key=lambda c: (c == " ", c)):
            atom = r"\s+" if ch == " " else re.escape(ch)
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            # Greedy optional: prefer the longer form, fall back to the shorter one.
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return emit(trie)


class TermMatcher:
    """Finds the entries of a set of packs in text: compiled once per language."""

    def __init__(
        self, packs: Sequence[TermPack], first_words: dict[str, _FirstWords] | None = None
    ) -> None:
        self.packs = tuple(packs)
        self._compiled: dict[str, _Compiled | None] = {}
        # Shared with the run's other matchers (PackResources), so one pass per text finds
        # where any of them may match.
        self._first_words = {} if first_words is None else first_words

    def find(self, text: str, language: str) -> list[TermMatch]:
        """Non-overlapping matches in ``text`` for packs of ``language``, in text order."""
        lang = _base_language(language)
        if lang not in self._compiled:
            index = self._first_words.get(lang)
            if index is None:
                index = self._first_words[lang] = _FirstWords()
            packs = [p for p in self.packs if p.language == lang]
            self._compiled[lang] = _Compiled.build(packs, index)
        compiled = self._compiled[lang]
        return compiled.find(text) if compiled is not None else []


@lru_cache(maxsize=64)
def _base_language(language: str) -> str:
    return re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower()


# A word token: letters/digits, hyphenated compounds as one token ("Account-Manager").
_TOKEN = re.compile(r"[\w\u00ad]+(?:-[\w\u00ad]+)*")
# The same, captured: re.split gives the text between the tokens and the tokens themselves.
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")


class _Form(NamedTuple):
    tokens: tuple[str, ...]  # word tokens (lower-cased unless case-sensitive)
    text: str  # the normalised form, compared with the matched text to confirm punctuation
    tail: str  # punctuation after the last word ("bzgl." -> ".")
    case: bool
    entry: TermEntry
    pack: TermPack

    @property
    def order(self) -> tuple[int, int]:
        return (-len(self.tokens), -len(self.text))  # longest form first


class _Tokens(NamedTuple):
    """Word tokens of a text, shared by every pack matcher on the same part."""

    words: list[str]  # as written
    starts: list[int]
    ends: list[int]
    lowered: list[str]
    folded: set[str]  # the lower-cased words
    written: set[str]  # the words as written (case-sensitive forms are few and rarely found)
    # _FirstWords.serial -> (its matcher count then, the start indices per matcher slot)
    starts_by_index: dict[int, tuple[int, dict[int, list[int]]]]


@lru_cache(maxsize=64)
def _tokens(text: str) -> _Tokens:
    # One re.split and running sums of the piece lengths (C loops) instead of a match object
    # and a tuple per token: the pieces alternate text between tokens and tokens.
    pieces = _TOKEN_SPLIT.split(text)
    offsets = list(accumulate(map(len, pieces)))
    words = pieces[1::2]
    lowered = list(map(str.lower, words))
    return _Tokens(words, offsets[0:-1:2], offsets[1::2], lowered, set(lowered), set(words), {})


class _FirstWords:
    """Where the forms of each matcher compiled for one language may start.

    Every term rule has its own matcher, and they all read the same part texts: one pass per
    text finds the start positions for all of them (at C speed where the text has none),
    instead of a key-set intersection and a scan of the text per matcher.
    """

    _serials = count()

    def __init__(self) -> None:
        self.serial = next(self._serials)
        self.slots = 0  # matchers registered; their start positions are keyed by slot
        # Folded first word -> (slot, the second words its phrases need, or None: a one-word
        # form, every occurrence is worth trying). Most occurrences of "sie" start no phrase.
        self.folded: dict[str, list[tuple[int, frozenset[str] | None]]] = {}
        self.exact: dict[str, list[int]] = {}  # case-sensitive first word -> slots

    def add(self, compiled: _Compiled) -> int:
        slot = self.slots
        self.slots += 1
        for word, seconds in compiled.seconds.items():
            self.folded.setdefault(word, []).append((slot, seconds))
        for word in compiled.by_first_exact:
            self.exact.setdefault(word, []).append(slot)
        return slot

    def starts(self, words: _Tokens) -> dict[int, list[int]]:
        """Slot -> the token indices (ascending) where one of its forms may start."""
        cached = words.starts_by_index.get(self.serial)
        if cached is not None and cached[0] == self.slots:
            return cached[1]
        per: dict[int, list[int]] = {}
        folded = self.folded
        hits = folded.keys() & words.folded
        if hits:
            lowered = words.lowered
            last = len(lowered) - 1
            # The positions of the hits, picked at C speed (most words start nothing).
            for i in compress(range(len(lowered)), map(hits.__contains__, lowered)):
                for slot, seconds in folded[lowered[i]]:
                    if seconds is None or (i < last and lowered[i + 1] in seconds):
                        indices = per.get(slot)
                        if indices is None:
                            per[slot] = [i]
                        else:
                            indices.append(i)
        exact = (self.exact.keys() & words.written) if self.exact else ()
        if exact:
            written = words.words
            extra: dict[int, list[int]] = {}
            for i in compress(range(len(written)), map(exact.__contains__, written)):
                for slot in self.exact[written[i]]:
                    extra.setdefault(slot, []).append(i)
            for slot, indices in extra.items():
                per[slot] = sorted({*per.get(slot, ()), *indices})
        words.starts_by_index[self.serial] = (self.slots, per)
        return per


class _Compiled:
    """The matcher for one language.

    Whole-word forms are looked up token by token in dictionaries (no big regex to compile at
    start-up: pre-commit latency matters); only forms that match inside longer words
    (``compound: true``) use a regex, and those are few.
    """

    first_words: _FirstWords  # set by build(), with this matcher's slot there
    slot: int

    def __init__(self, packs: Sequence[TermPack]) -> None:
        self.by_first: dict[str, list[_Form]] = {}  # folded first token -> forms
        self.by_first_exact: dict[str, list[_Form]] = {}  # case-sensitive first token
        inner: dict[str, tuple[TermEntry, TermPack]] = {}
        inner_exact: dict[str, tuple[TermEntry, TermPack]] = {}
        seen: set[tuple[bool, str]] = set()
        for pack in packs:
            for entry in pack.entries:
                if entry.disabled:
                    continue
                case = entry.case
                for form in entry.forms:
                    norm = " ".join(form.split()) if case else " ".join(form.split()).lower()
                    if entry.compound:
                        (inner_exact if case else inner).setdefault(norm, (entry, pack))
                        continue
                    if (case, norm) in seen:
                        continue
                    seen.add((case, norm))
                    if norm.isalpha():  # most forms: one plain word (letters are word characters)
                        compiled = _Form((norm,), norm, "", case, entry, pack)
                    elif norm.replace(" ", "").isalpha():  # words of letters (letters are \w)
                        compiled = _Form(tuple(norm.split(" ")), norm, "", case, entry, pack)
                    else:
                        tokens = tuple(_TOKEN.findall(norm))
                        if not tokens:
                            continue
                        last = norm.rfind(tokens[-1]) + len(tokens[-1])
                        compiled = _Form(tokens, norm, norm[last:], case, entry, pack)
                    table = self.by_first_exact if case else self.by_first
                    table.setdefault(compiled.tokens[0], []).append(compiled)
        for table in (self.by_first, self.by_first_exact):
            for forms in table.values():
                if len(forms) > 1:
                    forms.sort(key=lambda f: f.order)
        # Common first words ("bitte", "sie", "please") start many phrases: folded forms are
        # also indexed by their first two words, so a position tries only the forms that fit.
        self.by_pair: dict[tuple[str, str], list[_Form]] = {}
        self.singles: dict[str, list[_Form]] = {}
        # Per first word: the second words its phrases need (None: a one-word form, every
        # occurrence is worth trying). Most occurrences of "sie" or "you" start no phrase.
        self.seconds: dict[str, frozenset[str] | None] = {}
        for first, forms in self.by_first.items():
            seconds: set[str] = set()
            for candidate in forms:  # already longest first
                if len(candidate.tokens) > 1:
                    self.by_pair.setdefault((first, candidate.tokens[1]), []).append(candidate)
                    seconds.add(candidate.tokens[1])
                else:
                    self.singles.setdefault(first, []).append(candidate)
            self.seconds[first] = None if first in self.singles else frozenset(seconds)
        self.inner = inner
        self.inner_exact = inner_exact
        self._inner_re = re.compile(_trie_pattern(sorted(inner))) if inner else None
        self._inner_exact_re = (
            re.compile(_trie_pattern(sorted(inner_exact))) if inner_exact else None
        )

    @classmethod
    def build(cls, packs: Sequence[TermPack], first_words: _FirstWords) -> _Compiled | None:
        compiled = cls(packs)
        empty = not (compiled.by_first or compiled.by_first_exact or compiled.inner)
        if empty and not compiled.inner_exact:
            return None
        compiled.first_words = first_words
        compiled.slot = first_words.add(compiled)
        return compiled

    def find(self, text: str) -> list[TermMatch]:
        words = _tokens(text)
        raw: list[tuple[int, int, TermEntry, TermPack, bool]] = []
        # Only positions whose word starts some form are tried; most texts have few or none.
        indices = self.first_words.starts(words).get(self.slot)
        if indices:
            covered = 0  # token index before which a match was taken
            for i in indices:
                if i < covered:
                    continue
                hit = self._match_at(text, words, i)
                if hit is not None:
                    start, end, entry, pack, used = hit
                    raw.append((start, end, entry, pack, False))
                    covered = i + used
        if self._inner_re is not None or self._inner_exact_re is not None:
            raw.extend(self._compound_matches(text))
        if not raw:
            return []
        raw.sort(key=lambda r: (r[0], -r[1]))
        out: list[TermMatch] = []
        covered = -1  # end of the last reported range: matches never overlap
        for start, end, entry, pack, compound in raw:
            if start < covered:
                continue
            form = text[start:end]
            if compound or entry.exclude:
                word_start, word_end = _word_around(text, start, end)
                if text[word_start:word_end].lower() in entry.exclude:
                    continue
                if compound:
                    if word_start < covered:
                        continue  # one finding per compound word
                    start, end = word_start, word_end
            covered = end
            out.append(TermMatch(start, end, entry, pack, form))
        return out

    def _match_at(
        self,
        text: str,
        tokens: _Tokens,
        i: int,
    ) -> tuple[int, int, TermEntry, TermPack, int] | None:
        lowered = tokens.lowered
        count = len(lowered)
        word = lowered[i]
        pair = self.by_pair.get((word, lowered[i + 1])) if i + 1 < count else None
        single = self.singles.get(word)
        # Longer forms first: every pair form has more words than every single-word form.
        candidates = (pair + single if single else pair) if pair else (single or [])
        exact = self.by_first_exact.get(tokens.words[i]) if self.by_first_exact else None
        if exact:
            candidates = sorted([*candidates, *exact], key=lambda f: f.order)
        for form in candidates:
            # The first word matched by construction (the tables are keyed by it).
            n = len(form.tokens)
            if n > 1:
                if i + n > count:
                    continue
                if form.case:
                    rest = tuple(tokens.words[i + 1 : i + n])
                else:
                    rest = tuple(lowered[i + 1 : i + n])
                if rest != form.tokens[1:]:
                    continue
            start, end = tokens.starts[i], tokens.ends[i + n - 1]
            if form.tail:
                if not text.startswith(form.tail, end):
                    continue
                end += len(form.tail)
            # Confirm what lies between the words (spaces, dots), ignoring line breaks.
            if (n > 1 or form.tail) and _normalize(text[start:end], form.case) != form.text:
                continue
            return start, end, form.entry, form.pack, n
        return None

    def _compound_matches(self, text: str) -> list[tuple[int, int, TermEntry, TermPack, bool]]:
        found: list[tuple[int, int, TermEntry, TermPack, bool]] = []
        if self._inner_re is not None:
            lowered = text.lower()
            haystack = lowered if len(lowered) == len(text) else text
            flags_text = haystack is text
            pattern = re.compile(self._inner_re.pattern, re.IGNORECASE) if flags_text else None
            for m in (pattern or self._inner_re).finditer(haystack):
                hit = self.inner.get(_normalize(m.group(), False))
                if hit is not None:
                    found.append((m.start(), m.end(), hit[0], hit[1], True))
        if self._inner_exact_re is not None:
            for m in self._inner_exact_re.finditer(text):
                hit = self.inner_exact.get(_normalize(m.group(), True))
                if hit is not None:
                    found.append((m.start(), m.end(), hit[0], hit[1], True))
        return found


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole word (letters, digits, inner hyphens) containing ``text[start:end]``."""

    def inside(i: int) -> bool:
        ch = text[i]
        if ch.isalnum() or ch == "\u00ad":
            return True
        return (
            ch == "-" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
        )

    s, e = start, end
    while s > 0 and inside(s - 1):
        s -= 1
    while e < len(text) and inside(e):
        e += 1
    return s, e


# ---------------------------------------------------------------------------------------------
# Per-run resources

# Resources per set of pack files and their mtimes: repeated runs in one process (tests, watch
# mode, the Python API) reuse loaded packs and compiled matchers while the files are unchanged.
_RESOURCE_CACHE: dict[tuple[tuple[str, int, int], ...], PackResources] = {}
_RESOURCE_CACHE_SIZE = 8


def _fingerprint(sources: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    found = []
    for f in _yaml_files(sources):
        stat = f.stat()
        found.append((str(f.resolve()), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


_SNAPSHOT_FORMAT = 2  # bump when TermPack or TermEntry change shape


def _load_snapshot(key: tuple[tuple[str, int, int], ...], sources: Sequence[Path]) -> Any:
    """The merged packs for these files: one cache entry instead of parsing every pack file
    (most of a pre-commit run's pack loading)."""
    from msglint.cachedir import cache_file, load_pickle, store_pickle

    where = cache_file("packs", _SNAPSHOT_FORMAT, *key, fan_out=False)
    packs = load_pickle(where)
    if isinstance(packs, list) and all(isinstance(p, TermPack) for p in packs):
        return packs
    packs = merge_packs(load_term_packs(sources))
    store_pickle(where, packs)
    return packs


class PackResources:
    """The term packs for one run, with matchers compiled lazily per rule and language."""

    def __init__(self, packs: Sequence[TermPack], *, merged: bool = False) -> None:
        self.packs = list(packs) if merged else merge_packs(packs)
        self._matchers: dict[tuple[str, str, frozenset[str] | None], TermMatcher] = {}
        self._first_words: dict[str, _FirstWords] = {}  # per language, shared by the matchers

    @classmethod
    def load(cls, config: Config | None = None) -> PackResources:
        """Load shipped, installed and configured packs (cached while files are unchanged)."""
        sources = pack_sources(config)
        key = _fingerprint(sources)
        resources = _RESOURCE_CACHE.get(key)
        if resources is None:
            resources = cls(_load_snapshot(key, sources), merged=True)
            if len(_RESOURCE_CACHE) >= _RESOURCE_CACHE_SIZE:
                _RESOURCE_CACHE.pop(next(iter(_RESOURCE_CACHE)))
            _RESOURCE_CACHE[key] = resources
        return resources

    def packs_for(self, rule_id: str, language: str | None = None) -> list[TermPack]:
        lang = _base_language(language) if language else None
        return [p for p in self.packs if p.rule == rule_id and (lang is None or p.language == lang)]

    def industries(self, rule_id: str = "jargon/term") -> list[str]:
        return sorted({p.industry for p in self.packs if p.rule == rule_id and p.industry})

    def term_matcher(
        self, rule_id: str, language: str, industries: Collection[str] | None = None
    ) -> TermMatcher:
        """A matcher over the packs for ``rule_id`` and ``language`` (optionally only the
        packs of the given industries)."""
        lang = _base_language(language)
        wanted = frozenset(industries) if industries is not None else None
        key = (rule_id, lang, wanted)
        matcher = self._matchers.get(key)
        if matcher is None:
            packs = [
                p
                for p in self.packs_for(rule_id, lang)
                if wanted is None or (p.industry or "") in wanted
            ]
            matcher = self._matchers[key] = TermMatcher(packs, self._first_words)
        return matcher

    def term_matchers(self, rule_id: str, language: str) -> list[TermMatcher]:
        """The matchers for a rule and language (one combined matcher)."""
        return [self.term_matcher(rule_id, language)]


_SHIPPED: PackResources | None = None


def shipped_resources() -> PackResources:
    """Only the shipped packs (rules run without a pipeline, e.g. in tests)."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = PackResources.load(None)
    return _SHIPPED
