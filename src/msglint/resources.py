"""Where msglint's shipped data (the top-level ``rules/`` packs) lives."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def shipped_rules_dir() -> Path:
    """The shipped rule packs: inside an installed wheel, or the repository's ``rules/``."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "_rules"
    if installed.is_dir():
        return installed
    return package_dir.parents[1] / "rules"
