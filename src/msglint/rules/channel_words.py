"""The word lists of the ``email/`` and ``channel/`` rules (``channel-fit`` packs).

``rules/<language>/channel-fit.yaml`` holds language-bound lists (vague link texts,
unsubscribe words, letter salutations); ``rules/channels/channel-fit.yaml`` the neutral ones
(URL shorteners, placeholder domains, lock-screen-sensitive placeholder names). Read once per
process, on first use.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from msglint.resources import shipped_rules_dir
from msglint.yamlsource import YamlError, load_yaml_file, plain

KIND = "channel-fit"
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_SPACE = re.compile(r"\s+")


def normalise_phrase(text: str) -> str:
    """Lower-case, without punctuation or arrows at the edges, single spaces."""
    return _SPACE.sub(" ", _EDGE.sub("", text.casefold())).strip()


class LanguageWords(NamedTuple):
    vague_link_texts: frozenset[str]
    unsubscribe_words: tuple[str, ...]
    generic_alt_texts: frozenset[str]
    subject_markers: tuple[str, ...]
    salutations: tuple[str, ...]
    months: tuple[str, ...]
    copy_url_hints: tuple[str, ...]


class NeutralWords(NamedTuple):
    url_shorteners: frozenset[str]
    placeholder_domains: frozenset[str]
    placeholder_tlds: frozenset[str]
    unsubscribe_merge_tags: tuple[str, ...]
    push_sensitive: dict[str, str]  # normalised placeholder name -> kind
    names_with_owner: frozenset[str]
    owners: frozenset[str]


def _load(folder: str) -> dict[str, object]:
    path = shipped_rules_dir() / folder / f"{KIND}.yaml"
    if not path.is_file():
        return {}
    data = plain(load_yaml_file(path))
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise YamlError(path, 1, f"expected a mapping with 'kind: {KIND}'")
    for key, value in data.items():
        if key not in ("kind", "language", "push_sensitive") and not isinstance(value, list):
            raise YamlError(path, None, f"'{key}' must be a list of strings")
    return data


def _strings(data: dict[str, object], key: str) -> list[str]:
    value = data.get(key) or []
    return [str(v) for v in value] if isinstance(value, list) else []


@cache
def language_words(language: str) -> LanguageWords:
    """The lists for ``language`` (``de``, ``en``; a region such as ``de-AT`` uses ``de``).

    An unknown language gets the German and English lists together.
    """
    base = language.split("-")[0].split("_")[0].lower()
    found = [_load(base)] if (shipped_rules_dir() / base / f"{KIND}.yaml").is_file() else []
    packs = found or [_load("de"), _load("en")]

    def merged(key: str) -> list[str]:
        return [w for pack in packs for w in _strings(pack, key)]

    return LanguageWords(
        vague_link_texts=frozenset(normalise_phrase(w) for w in merged("vague_link_texts")),
        unsubscribe_words=tuple(w.casefold() for w in merged("unsubscribe_words")),
        generic_alt_texts=frozenset(normalise_phrase(w) for w in merged("generic_alt_texts")),
        subject_markers=tuple(w.casefold() for w in merged("subject_markers")),
        salutations=tuple(w.casefold() for w in merged("salutations")),
        months=tuple(w.casefold() for w in merged("months")),
        copy_url_hints=tuple(w.casefold() for w in merged("copy_url_hints")),
    )


def all_language_words() -> list[LanguageWords]:
    """The German and the English lists (for texts whose language is not certain)."""
    return [language_words("de"), language_words("en")]


def placeholder_key(name: str) -> str:
    """``last_name``/``Last-Name`` → ``lastname``: how placeholder names are compared."""
    return re.sub(r"[\s_-]+", "", name.casefold())


@cache
def neutral_words() -> NeutralWords:
    data = _load("channels")
    sensitive: dict[str, str] = {}
    groups = data.get("push_sensitive") or {}
    if not isinstance(groups, dict):
        path = shipped_rules_dir() / "channels" / f"{KIND}.yaml"
        raise YamlError(path, None, "'push_sensitive' must map kinds to lists of names")
    for kind, names in groups.items():
        for name in names if isinstance(names, list) else []:
            sensitive[placeholder_key(str(name))] = str(kind)
    return NeutralWords(
        url_shorteners=frozenset(w.casefold() for w in _strings(data, "url_shorteners")),
        placeholder_domains=frozenset(w.casefold() for w in _strings(data, "placeholder_domains")),
        placeholder_tlds=frozenset(w.casefold() for w in _strings(data, "placeholder_tlds")),
        unsubscribe_merge_tags=tuple(
            w.casefold() for w in _strings(data, "unsubscribe_merge_tags")
        ),
        push_sensitive=sensitive,
        names_with_owner=frozenset(placeholder_key(w) for w in _strings(data, "names_with_owner")),
        owners=frozenset(placeholder_key(w) for w in _strings(data, "owners")),
    )
