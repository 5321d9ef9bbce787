"""The house vocabulary: accepted and rejected words per language (like Vale's vocabularies).

Config::

    vocabulary:
      de:
        accept: vocab/de/accept.txt        # a file or a list of files, relative to the config
        reject: vocab/de/reject.txt
        dictionary: de_DE                  # optional: hunspell dictionary name or .dic path
      en:
        accept: [vocab/en/accept.txt, vocab/brands.txt]

Each file has one entry per line; ``#`` starts a comment line. An entry is a regular expression
that must match a whole word (``Kund(e|in)nportal``); it is case-sensitive unless it starts with
``(?i)``, and an entry without capitals also matches its capitalised form (sentence starts).
Accepted words are never reported by ``spelling/languagetool`` or ``spelling/offline``;
rejected words are always reported by ``spelling/rejected-word``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from msglint.config import Config, ConfigError
from msglint.model import FACTORY_DEFAULT, dataclass_eq, dataclass_hash, dataclass_repr, set_field

_LANGUAGE_KEYS = ("accept", "reject", "dictionary")


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class WordList:
    """Entries compiled into one full-match regex (fast for many entries)."""

    entries: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None

    def __init__(
        self, entries: tuple[str, ...] = (), pattern: re.Pattern[str] | None = None
    ) -> None:
        set_field(self, "entries", entries)
        set_field(self, "pattern", pattern)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    @classmethod
    def build(cls, entries: list[str]) -> WordList:
        if not entries:
            return cls()
        alternatives = []
        for entry in entries:
            flags = ""
            body = entry
            if body.startswith("(?i)"):
                flags, body = "(?i)", body[4:]
            elif not any(c.isupper() for c in body) and body[:1].isalpha():
                # "kundenportal" also matches "Kundenportal" at a sentence start.
                first = body[0]
                body = f"[{first}{first.upper()}]{body[1:]}"
            alternatives.append(f"(?:{flags}{body})" if not flags else f"(?i:{body})")
        return cls(tuple(entries), re.compile("|".join(alternatives)))

    @lru_cache(maxsize=4096)  # noqa: B019 - lists live for the run; words repeat a lot
    def __contains__(self, word: object) -> bool:
        return (
            self.pattern is not None
            and isinstance(word, str)
            and self.pattern.fullmatch(word) is not None
        )


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class LanguageVocabulary:
    accept: WordList = field(default_factory=WordList)
    reject: WordList = field(default_factory=WordList)
    dictionary: str | None = None  # hunspell dictionary name or path, None: the default

    def __init__(
        self,
        accept: WordList = FACTORY_DEFAULT,
        reject: WordList = FACTORY_DEFAULT,
        dictionary: str | None = None,
    ) -> None:
        set_field(self, "accept", WordList() if accept is FACTORY_DEFAULT else accept)
        set_field(self, "reject", WordList() if reject is FACTORY_DEFAULT else reject)
        set_field(self, "dictionary", dictionary)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


_NO_VOCABULARY = LanguageVocabulary()  # asked for every word: made once


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class Vocabulary:
    languages: Mapping[str, LanguageVocabulary] = field(default_factory=dict)

    def __init__(self, languages: Mapping[str, LanguageVocabulary] = FACTORY_DEFAULT) -> None:
        set_field(self, "languages", {} if languages is FACTORY_DEFAULT else languages)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    def get(self, language: str) -> LanguageVocabulary:
        return self.languages.get(language) or _NO_VOCABULARY

    def accepts(self, language: str, word: str) -> bool:
        return word in self.get(language).accept

    def rejects(self, language: str, word: str) -> bool:
        return word in self.get(language).reject


def load_vocabulary(config: Config) -> Vocabulary:
    """Read the ``vocabulary:`` section and its files; problems raise :class:`ConfigError`."""
    raw = config.vocabulary or {}
    if not isinstance(raw, Mapping):
        raise ConfigError("'vocabulary' must be a mapping of languages (de:, en:)", config.path)
    languages: dict[str, LanguageVocabulary] = {}
    for language, section in raw.items():
        key = f"vocabulary.{language}"
        if not isinstance(section, Mapping):
            raise ConfigError(f"'{key}' must be a mapping with accept / reject", config.path)
        for name in section:
            if name not in _LANGUAGE_KEYS:
                raise ConfigError(
                    f"'{key}.{name}': unknown key (allowed: {', '.join(_LANGUAGE_KEYS)})",
                    config.path,
                )
        dictionary = section.get("dictionary")
        if dictionary is not None and not isinstance(dictionary, str):
            raise ConfigError(f"'{key}.dictionary' must be text", config.path)
        languages[str(language)] = LanguageVocabulary(
            accept=WordList.build(_read_lists(config, f"{key}.accept", section.get("accept"))),
            reject=WordList.build(_read_lists(config, f"{key}.reject", section.get("reject"))),
            dictionary=dictionary,
        )
    return Vocabulary(languages)


def _read_lists(config: Config, key: str, value: Any) -> list[str]:
    if value is None:
        return []
    files = [value] if isinstance(value, str) else value
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ConfigError(f"'{key}' must be a file name or a list of file names", config.path)
    entries: list[str] = []
    for name in files:
        path = Path(name) if Path(name).is_absolute() else config.root / name
        entries.extend(read_word_file(path, key))
    return entries


def read_word_file(path: Path, key: str = "vocabulary") -> list[str]:
    """The entries of one accept/reject file; a bad regex names the file and line."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise ConfigError(f"'{key}': cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"'{key}': {path} is not UTF-8 text") from None
    entries = []
    for number, line in enumerate(lines, 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        try:
            re.compile(entry)
        except re.error as exc:
            raise ConfigError(f"invalid regular expression: {exc}", path, number) from None
        entries.append(entry)
    return entries
