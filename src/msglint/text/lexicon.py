"""Word lists that text analysis needs, shipped as YAML under the top-level ``rules/``.

Abbreviations, function words and syllable exceptions are data, not code: they live in
``rules/<language>/*.yaml`` and are read once, on first use, so importing msglint stays cheap.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from msglint.resources import shipped_rules_dir

LANGUAGES = ("de", "en")


@lru_cache(maxsize=64)  # called per sentence and per word by the analyses
def normalise_language(language: str | None) -> str:
    """``"de"`` or ``"en"`` for a language tag (``de-AT``, ``en_GB``, ``EN``); German otherwise."""
    tag = (language or "").strip().lower()[:2]
    return tag if tag in LANGUAGES else "de"


@lru_cache(maxsize=32)
def load_lexicon(language: str, name: str) -> dict[str, Any]:
    """The mapping in ``rules/<language>/<name>.yaml`` ({} when the file does not exist)."""
    path = shipped_rules_dir() / language / f"{name}.yaml"
    if not path.is_file():
        return {}
    from msglint.yamlsource import load_yaml_file

    loaded = load_yaml_file(path)
    return dict(loaded) if isinstance(loaded, dict) else {}


def word_list(language: str, name: str, key: str) -> tuple[str, ...]:
    """The strings under ``key`` in a lexicon file (empty when missing)."""
    values = load_lexicon(language, name).get(key) or ()
    return tuple(str(v) for v in values)
