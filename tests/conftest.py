"""Test-wide settings: caches go to a temporary folder, never the user's cache."""

from __future__ import annotations

import os
import tempfile

# Set before any test imports msglint code that reads it; tests may override it per test.
os.environ.setdefault("MSGLINT_CACHE_DIR", tempfile.mkdtemp(prefix="msglint-test-cache-"))
