"""Patterns served from msglint's compiled-pattern cache equal freshly compiled ones."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import msglint  # noqa: F401  (installs the cache)

PATTERNS = [
    (r"(?<![\w-])(?:Sie\s+können|wir\s+helfen)(?![\w-]*\w)", re.IGNORECASE),
    (r"(?P<year>\d{4})-(?P<month>\d{1,2})-(\d{1,2})", 0),
    ("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", 0),
    (r"^\s* (?: \# | //) .*$", re.MULTILINE | re.VERBOSE),
    (rb"\x00+(?=\xff)", 0),
]


def _hooked() -> Any:
    compile_ = re._compiler.compile  # type: ignore[attr-defined]
    if not getattr(compile_, "_msglint_cached", False):
        pytest.skip("the compiled-pattern cache is off on this Python")
    return compile_


def test_cached_patterns_equal_compiled_ones() -> None:
    compile_ = _hooked()
    for pattern, flags in PATTERNS:
        fresh = compile_.__wrapped__(pattern, flags)
        assert compile_(pattern, flags) == fresh
        assert compile_(pattern, flags) == fresh  # now from the table
        assert compile_(pattern, flags).groupindex == fresh.groupindex


def test_patterns_survive_a_restart(tmp_path: Path) -> None:
    _hooked()
    script = (
        "import msglint, re, sys\n"
        f"patterns = {PATTERNS!r}\n"
        "fresh = re._compiler.compile.__wrapped__\n"
        "print(all(re.compile(p, f) == fresh(p, f) for p, f in patterns))\n"
    )
    env = {**os.environ, "MSGLINT_CACHE_DIR": str(tmp_path)}
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "True", done.stderr
    assert list((tmp_path / "re").glob("*.pickle"))
