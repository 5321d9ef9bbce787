"""Where msglint's data lives: the shipped ``rules/`` packs, and packs of installed packages."""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=1)
def shipped_rules_dir() -> Path:
    """The shipped rule packs: inside an installed wheel, or the repository's ``rules/``."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "_rules"
    if installed.is_dir():
        return installed
    return package_dir.parents[1] / "rules"


def entry_point_paths(group: str) -> list[Path]:
    """Pack paths that installed packages declare under the entry point ``group``.

    Each entry point loads to a path, a list of paths, or a callable returning either.
    """
    if not _declares_entry_points(group):
        return []  # the usual case, without importing importlib.metadata (~25 ms at start-up)
    from importlib.metadata import entry_points

    found: list[Path] = []
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        value: Any = ep.load()
        if callable(value):
            value = value()
        values = [value] if isinstance(value, str | Path) else list(value)
        found.extend(Path(v) for v in values)
    return found


@lru_cache(maxsize=8)
def _declares_entry_points(group: str) -> bool:
    """True if some installed distribution's ``entry_points.txt`` names ``group``.

    A plain scan of the metadata folders on ``sys.path``; importlib.metadata reads the same
    files, and only runs when this finds something.
    """
    needle = f"[{group}]".encode()
    for folder, name in installed_distributions():
        if name.endswith(".egg-link"):
            continue
        try:
            with open(os.path.join(folder, name, "entry_points.txt"), "rb") as handle:
                if needle in handle.read():
                    return True
        except OSError:
            continue
    return False


def installed_distributions() -> list[tuple[str, str]]:
    """``(folder, name)`` of every installed distribution's metadata on ``sys.path``
    (``Jinja2-3.1.4.dist-info``: the name carries the version)."""
    found: list[tuple[str, str]] = []
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found += [
            (folder, n) for n in names if n.endswith((".dist-info", ".egg-info", ".egg-link"))
        ]
    return found
