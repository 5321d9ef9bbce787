"""Per-run objects for the grammar and spelling rules, kept on the run's ``Resources``."""

from __future__ import annotations

from typing import Any

from msglint.config import Config
from msglint.grammar.hunspell import (
    SYSTEM_PACKAGES,
    Dictionary,
    SpellingUnavailable,
    find_dictionary,
    load_dictionary,
)
from msglint.grammar.service import GrammarService
from msglint.grammar.vocabulary import Vocabulary, load_vocabulary

# Rules run outside the pipeline (unit tests with bare pack resources) share this state.
_FALLBACK: dict[str, Any] = {}


def _shared(resources: Any) -> dict[str, Any]:
    shared = resources.__dict__.get("shared") if hasattr(resources, "__dict__") else None
    return shared if isinstance(shared, dict) else _FALLBACK


def _config(resources: Any) -> Config:
    config = resources.__dict__.get("config") if hasattr(resources, "__dict__") else None
    return config if isinstance(config, Config) else Config()


def _notice(resources: Any, text: str) -> None:
    notice = getattr(type(resources), "notice", None)
    if callable(notice):
        notice(resources, text)


def grammar_service(resources: Any) -> GrammarService:
    shared = _shared(resources)
    service = shared.get("grammar")
    if not isinstance(service, GrammarService):
        options = resources.__dict__.get("options") if hasattr(resources, "__dict__") else None
        service = GrammarService(
            _config(resources),
            use_cache=bool(getattr(options, "use_cache", True)),
            require=bool(getattr(options, "require_grammar", False)),
            notice=lambda text: _notice(resources, text),
        )
        shared["grammar"] = service
    return service


def vocabulary(resources: Any) -> Vocabulary:
    shared = _shared(resources)
    vocab = shared.get("vocabulary")
    if not isinstance(vocab, Vocabulary):
        vocab = load_vocabulary(_config(resources))
        shared["vocabulary"] = vocab
    return vocab


def dictionary(resources: Any, language: str) -> Dictionary | None:
    """The language's Hunspell dictionary, or None (with one notice per run and language)."""
    shared = _shared(resources)
    key = f"dictionary:{language}"
    if key in shared:
        found: Dictionary | None = shared[key]
        return found
    configured = vocabulary(resources).get(language).dictionary
    loaded: Dictionary | None = None
    path = find_dictionary(language, configured)
    if path is None:
        package = SYSTEM_PACKAGES.get(language)
        how = f" (install {package}, or set vocabulary.{language}.dictionary)" if package else ""
        _notice(
            resources, f"spelling/offline skipped for '{language}': no Hunspell dictionary{how}"
        )
    else:
        try:
            loaded = load_dictionary(path)
        except SpellingUnavailable as exc:
            _notice(resources, f"spelling/offline skipped: {exc}")
        except (OSError, UnicodeError, ValueError) as exc:
            _notice(resources, f"spelling/offline skipped: cannot load {path}: {exc}")
    shared[key] = loaded
    return loaded
