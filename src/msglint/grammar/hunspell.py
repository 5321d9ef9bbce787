"""Offline spelling with Hunspell dictionaries (the ones LibreOffice and Firefox use).

Backends, in order: ``chunspell`` (a binding that ships libhunspell in its wheel: fast, full
compounding) and ``spylls`` (pure-Python Hunspell port: slower, same results). Dictionaries come
from the system (Debian: ``hunspell-de-de``, ``hunspell-en-us``), ``$DICPATH`` or a path in the
``vocabulary`` config. Without a backend or a dictionary the check is skipped with one notice.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from msglint.model import dataclass_repr

DEFAULT_DICTIONARIES = {
    "de": ("de_DE", "de_DE_frami", "de_AT", "de_CH"),
    "en": ("en_US", "en_GB", "en_AU", "en_CA"),
}
SYSTEM_PACKAGES = {"de": "hunspell-de-de", "en": "hunspell-en-us"}
_SEARCH_DIRS = (
    "/usr/share/hunspell",
    "/usr/share/myspell",
    "/usr/share/myspell/dicts",
    "/usr/local/share/hunspell",
    "/opt/homebrew/share/hunspell",
    "/Library/Spelling",
    "~/Library/Spelling",
    "~/.local/share/hunspell",
)


class SpellingUnavailable(Exception):
    """No backend or no dictionary: one line saying what to install."""


def search_dirs() -> list[Path]:
    dirs = [p for p in os.environ.get("DICPATH", "").split(os.pathsep) if p]
    return [Path(d).expanduser() for d in (*dirs, *_SEARCH_DIRS)]


def find_dictionary(language: str, configured: str | None = None) -> Path | None:
    """The ``.dic`` file for a language (``configured``: a name like ``de_AT`` or a path)."""
    if configured and ("/" in configured or configured.endswith(".dic")):
        path = Path(configured).expanduser().with_suffix(".dic")
        return path if path.is_file() and path.with_suffix(".aff").is_file() else None
    names = (configured,) if configured else DEFAULT_DICTIONARIES.get(language, (language,))
    for name in names:
        for folder in search_dirs():
            dic = folder / f"{name}.dic"
            if dic.is_file() and dic.with_suffix(".aff").is_file():
                return dic
    return None


# hashed by identity (lru_cache keys); init and repr: see msglint.model
@dataclass(init=False, repr=False, eq=False)
class Dictionary:
    """One loaded dictionary: ``spell`` is cached per word, ``suggest`` on demand."""

    path: Path
    backend: str
    _spell: Callable[[str], bool]
    _suggest: Callable[[str], list[str]]

    def __init__(
        self,
        path: Path,
        backend: str,
        _spell: Callable[[str], bool],
        _suggest: Callable[[str], list[str]],
    ) -> None:
        self.path = path
        self.backend = backend
        self._spell = _spell
        self._suggest = _suggest
        self.spell: Callable[[str], bool] = lru_cache(maxsize=65536)(self._spell)
        self.suggest: Callable[[str], list[str]] = lru_cache(maxsize=1024)(self._suggest)

    __repr__ = dataclass_repr


def load_dictionary(dic: Path) -> Dictionary:
    """A dictionary for ``dic`` (and its ``.aff``) that loads Hunspell only when needed.

    Loading a German dictionary takes ~0.2 s, most of a pre-commit run. Spelling results are kept
    in a cache file per dictionary, so a run whose words were all seen before never loads it.
    """
    _backend_module()  # fail early (one notice) when no backend is installed
    known = _WordCache(dic)
    real: list[Dictionary] = []

    def checker() -> Dictionary:
        if not real:
            real.append(_load_backend(dic))
        return real[0]

    def spell(word: str) -> bool:
        cached = known.get(word)
        if cached is None:
            cached = checker().spell(word)
            known.put(word, cached)
        return cached

    return Dictionary(dic, _backend_module(), spell, lambda word: checker().suggest(word))


@lru_cache(maxsize=1)
def _backend_module() -> str:
    try:
        import hunspell

        if hasattr(hunspell, "Hunspell"):
            return "chunspell"
    except ImportError:
        pass
    try:
        import spylls.hunspell  # noqa: F401
    except ImportError:
        raise SpellingUnavailable(
            "no Hunspell backend installed (pip install chunspell, or spylls)"
        ) from None
    return "spylls"


class _WordCache:
    """Spelling results per word for one dictionary file, persisted between runs."""

    def __init__(self, dic: Path) -> None:
        self.words: dict[str, bool] = {}
        self.dirty = False
        self.file: Path | None = None
        from msglint.cachedir import cache_file, load_pickle

        try:
            stat = dic.stat()
            self.file = cache_file("spelling", dic.resolve(), stat.st_size, stat.st_mtime_ns)
        except OSError:
            self.file = None
        loaded = load_pickle(self.file)
        if isinstance(loaded, dict):
            self.words = loaded
        import atexit

        atexit.register(self.save)

    def get(self, word: str) -> bool | None:
        return self.words.get(word)

    def put(self, word: str, correct: bool) -> None:
        if len(self.words) < 500_000:
            self.words[word] = correct
            self.dirty = True

    def save(self) -> None:
        from msglint.cachedir import store_pickle

        if self.dirty:
            store_pickle(self.file, self.words)
            self.dirty = False


def _load_backend(dic: Path) -> Dictionary:
    """Load ``dic`` (and its ``.aff``) with the best available backend."""
    try:
        import hunspell

        checker: Any = hunspell.Hunspell(dic.stem, hunspell_data_dir=str(dic.parent))

        def spell(word: str) -> bool:
            try:
                return bool(checker.spell(word))
            except UnicodeError:  # not in the dictionary's 8-bit encoding: not a known word
                return False

        def suggest(word: str) -> list[str]:
            try:
                return list(checker.suggest(word))
            except UnicodeError:
                return []

        return Dictionary(dic, "chunspell", spell, suggest)
    except (ImportError, AttributeError, TypeError):
        pass  # not installed, or the older ``hunspell`` package with another API
    try:
        from spylls.hunspell import Dictionary as SpyllsDictionary
    except ImportError:
        raise SpellingUnavailable(
            "no Hunspell backend installed (pip install chunspell, or spylls)"
        ) from None
    loaded = SpyllsDictionary.from_files(str(dic.with_suffix("")))
    return Dictionary(
        dic,
        "spylls",
        lambda w: bool(loaded.lookup(w)),
        lambda w: [s for _, s in zip(range(5), loaded.suggest(w), strict=False)],
    )


# --- words -------------------------------------------------------------------------------

# Runs of non-space characters; each is either skipped whole (URL, e-mail, code) or split into
# words. Hyphens and apostrophes inside words stay (E-Mail-Adresse, don't).
_WORD = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*", re.UNICODE)
_NOT_PROSE = re.compile(
    r"(?:^[a-z][a-z0-9+.-]*://|^www\.|@|[\\/_=#{}<>\[\]|~^$%]|\.[a-z]{2,4}$|[A-Za-z]\.[A-Za-z]{2,})",
)
_HAS_DIGIT = re.compile(r"\d")
_EDGE_PUNCTUATION = ".,;:!?\"'()[]«»„“”‚‘’›‹…–—*"


class Word(NamedTuple):
    start: int
    end: int
    text: str
    dotted: bool = False  # followed by "." (an abbreviation such as "ggf." or "Nr.")


def iter_words(text: str) -> Iterator[Word]:
    """The words worth spell-checking: no URLs, e-mails, paths, codes, numbers or acronyms."""
    for start, end, word, dotted in word_spans(text):
        yield Word(start, end, word, dotted)


def word_spans(text: str) -> list[tuple[int, int, str, bool]]:
    """:func:`iter_words` as plain tuples ``(start, end, text, dotted)``."""
    out: list[tuple[int, int, str, bool]] = []
    append = out.append
    # The runs of str.split() (Unicode white space, as r"\S+"), each found from the end of the
    # previous one: cheaper than a match object per run.
    find = text.find
    base = 0
    for raw in text.split():
        base = find(raw, base)
        found = _token_words(raw)
        if found:
            for s, e, w, d in found:
                append((base + s, base + e, w, d))
        base += len(raw)
    return out


@lru_cache(maxsize=32768)
def _token_words(raw: str) -> tuple[tuple[int, int, str, bool], ...]:
    # The words of one run of non-space characters, with offsets into it: a pure function of
    # the run, and the same runs recur in every template. "dotted" only looks inside the run
    # (a word ending the run is followed by white space or the end of the text).
    core = raw.strip(_EDGE_PUNCTUATION)
    if core.isalpha():
        # The common case, a plain word: no URL, code or number checks needed.
        word = core
        if len(word) < 2 or word.isupper():
            return ()
        if not word[1:].islower() and not word[1:].isupper():
            return ()  # brand-style capitals inside a word (PayPal, iPhone)
        start = raw.find(core)
        end = start + len(word)
        return ((start, end, word, raw[end : end + 1] == "."),)
    if not core or _HAS_DIGIT.search(core) or _NOT_PROSE.search(core):
        return ()
    found: list[tuple[int, int, str, bool]] = []
    for m in _WORD.finditer(raw):
        word = m.group().rstrip(".")
        if "." in word:  # abbreviations such as z.B. / e.g.
            continue
        if len(word) < 2 or (word.isupper() and "-" not in word):
            continue  # single letters, acronyms (SEPA, IBAN)
        inner_caps = any(c.isupper() for c in word[1:].replace("-", ""))
        if inner_caps and not word.isupper() and not _is_hyphen_caps(word):
            continue  # brand-style capitals inside a word (PayPal, iPhone)
        start = m.start()
        end = start + len(word)
        found.append((start, end, word, raw[end : end + 1] == "."))
    return tuple(found)


# The words of one run of non-space characters, offsets into the run (what word_spans shifts):
# for callers that walk the runs themselves and skip runs they already know.
run_words = _token_words


def _is_hyphen_caps(word: str) -> bool:
    # German compounds capitalise after hyphens (E-Mail-Adresse, SEPA-Lastschrift): still words.
    return all(p.isupper() or not any(c.isupper() for c in p[1:]) for p in word.split("-"))


def is_correct(
    dictionary: Dictionary,
    word: str,
    *,
    dotted: bool = False,
    compounds: bool = False,
    accepted: Callable[[str], bool] | None = None,
) -> bool:
    """Dictionary check that also accepts abbreviations and hyphenated compounds.

    ``compounds``: words joined from known words count as known (German). ``accepted``: house
    vocabulary, for the parts of hyphenated compounds (Kundoo-App).
    """
    word = word.replace("’", "'")
    if dictionary.spell(word) or (dotted and dictionary.spell(word + ".")):
        return True
    if word.endswith("'s") and dictionary.spell(word[:-2]):
        return True  # English possessive of a name or noun
    if "-" not in word:
        return compounds and (
            is_compound(dictionary, word) or (dotted and is_compound(dictionary, word + "."))
        )
    parts = [p for p in word.split("-") if p]
    last = len(parts) - 1
    for i, part in enumerate(parts):
        # Single letters (E-Mail, T-Shirt) are fine inside a hyphenated compound.
        if len(part) == 1 or part.isupper() or dictionary.spell(part):
            continue  # acronyms inside compounds are fine too (SEPA-Lastschrift)
        if accepted is not None and accepted(part):
            continue
        if dotted and i == last and dictionary.spell(part + "."):
            continue
        # Authentisierungs-App: a compound head with its linking "s" before the hyphen.
        head = part[:-1] if i < last and part.endswith("s") else part
        if compounds and (dictionary.spell(head) or is_compound(dictionary, head)):
            continue
        if compounds and is_compound(dictionary, part):
            continue
        return False
    return True


# German joins nouns freely (Drittanbieterkonto); Hunspell's dictionary only knows the
# compounds its affix flags allow. Accept a word made of known words, with the usual linking
# elements (Fugen: Verifizierung-s-code), as LanguageTool's German speller does.
_LINKS = ("", "s", "es", "n", "en", "er")
_MIN_PART = 3


def is_compound(dictionary: Dictionary, word: str) -> bool:
    """True if ``word`` is two or more known words joined (German noun compounds)."""
    return len(word) >= 2 * _MIN_PART + 1 and _compound_cache(dictionary, word, 0)


def _known_part(dictionary: Dictionary, part: str) -> bool:
    return len(part) >= _MIN_PART and (
        dictionary.spell(part) or dictionary.spell(part[:1].upper() + part[1:])
    )


@lru_cache(maxsize=16384)
def _compound_cache(dictionary: Dictionary, word: str, depth: int) -> bool:
    for i in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):  # longest head first
        head, tail = word[:i], word[i:]
        tail_cap = tail[:1].upper() + tail[1:]
        tail_ok = (
            dictionary.spell(tail_cap)
            or (word[:1].islower() and dictionary.spell(tail))  # ...befreit (adjective)
            or (depth < 2 and _compound_cache(dictionary, tail_cap, depth + 1))
        )
        if not tail_ok or len(tail) < _MIN_PART:
            continue
        for link in _LINKS:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            if link == "n" and not stem.endswith("e"):
                continue  # Kunde-n-konto, but not Fax-n-nummer
            if _known_part(dictionary, stem):
                return True
    return False
