"""Loads the channel data packs shipped in ``rules/channels/`` (limits, GSM replacements)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from msglint.resources import shipped_rules_dir
from msglint.yamlsource import YamlError, load_yaml_file, plain


def channel_pack_path(name: str) -> Path:
    """Where the shipped channel pack ``name`` lives."""
    return shipped_rules_dir() / "channels" / f"{name}.yaml"


@cache
def load_channel_pack(name: str, kind: str) -> dict[str, Any]:
    """The parsed ``rules/channels/<name>.yaml`` pack; its ``kind:`` must be ``kind``.

    Cached: the packs are read once per process, and only when a rule first needs them.
    Raises :class:`YamlError` (with the file) if the pack is missing or malformed.
    """
    path = channel_pack_path(name)
    if not path.is_file():
        raise YamlError(path, None, "shipped channel pack is missing")
    data = plain(load_yaml_file(path))
    if not isinstance(data, dict) or data.get("kind") != kind:
        raise YamlError(path, 1, f"expected a mapping with 'kind: {kind}'")
    return data
