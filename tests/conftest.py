"""Test-wide settings: caches go to a temporary folder, never the user's cache."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Set before any test imports msglint code that reads it; tests may override it per test.
os.environ.setdefault("MSGLINT_CACHE_DIR", tempfile.mkdtemp(prefix="msglint-test-cache-"))
# Tests of rules must lint every time: only tests/test_resultcache.py turns the result cache on.
os.environ.setdefault("MSGLINT_RESULT_CACHE", "0")


def install_fake_distribution(site: Path, group: str, module: str, folder: Path) -> None:
    """A package in ``site`` (put it on sys.path) whose entry point ``group`` names ``folder``."""
    dist = site / f"{module}-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{group}]\n{module} = {module}:folder\n")
    (site / f"{module}.py").write_text(f"folder = {str(folder)!r}\n")
