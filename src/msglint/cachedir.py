"""msglint's cache folder: ``$MSGLINT_CACHE_DIR`` or the user cache directory."""

from __future__ import annotations

import os
from pathlib import Path

ENV_CACHE_DIR = "MSGLINT_CACHE_DIR"


def cache_root() -> Path:
    """The folder for all of msglint's caches (created by the code that writes there)."""
    configured = os.environ.get(ENV_CACHE_DIR)
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("msglint"))
