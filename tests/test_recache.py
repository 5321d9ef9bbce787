"""Patterns served from msglint's compiled-pattern cache equal freshly compiled ones."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import msglint.cli  # noqa: F401  (installs the cache)

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
        "import msglint.cli, re, sys\n"
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


def _run(script: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_damaged_entry_is_compiled_again(tmp_path: Path) -> None:
    _hooked()
    env = {**os.environ, "MSGLINT_CACHE_DIR": str(tmp_path)}
    check = (
        "import msglint.cli, re\n"
        f"patterns = {PATTERNS!r}\n"
        "fresh = re._compiler.compile.__wrapped__\n"
        "print(all(re.compile(p, f) == fresh(p, f) for p, f in patterns))\n"
    )
    assert _run(check, env) == "True"
    (stored,) = (tmp_path / "re").glob("*.pickle")
    damage = (
        "import pickle, sys\n"
        "path = sys.argv[1]\n"
        "with open(path, 'rb') as f: generation, entries, seen = pickle.load(f)\n"
        "for key, (flags, code, *rest) in list(entries.items()):\n"
        "    entries[key] = (flags, b'\\xff' * len(code), *rest)\n"
        "with open(path, 'wb') as f: pickle.dump((generation, entries, seen), f)\n"
    )
    subprocess.run([sys.executable, "-c", damage, str(stored)], check=True)
    assert _run(check, env) == "True"
    with stored.open("rb") as handle:  # the damaged entries were replaced by good ones
        _, entries, _ = pickle.load(handle)
    assert all(not set(code) <= {0xFF} for _, code, *_ in entries.values())


@pytest.mark.parametrize("junk", [("x", {}, {}), (1, [], {}), "not a tuple"])
def test_a_malformed_file_is_started_afresh_without_a_traceback(tmp_path: Path, junk: Any) -> None:
    _hooked()
    env = {**os.environ, "MSGLINT_CACHE_DIR": str(tmp_path)}
    check = "import msglint.cli, re\nprint(re.compile('a(?P<b>c)+d') is not None)\n"
    assert _run(check, env) == "True"
    (stored,) = (tmp_path / "re").glob("*.pickle")
    stored.write_bytes(pickle.dumps(junk))
    done = subprocess.run(
        [sys.executable, "-c", check], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True" and "Traceback" not in done.stderr


def test_only_the_command_line_installs_it_and_it_can_be_turned_off(tmp_path: Path) -> None:
    _hooked()
    env = {**os.environ, "MSGLINT_CACHE_DIR": str(tmp_path)}
    probe = "import re\nprint(getattr(re._compiler.compile, '_msglint_cached', False))\n"
    assert _run("import msglint.lint\n" + probe, env) == "False"
    assert _run("import msglint.cli\n" + probe, env) == "True"
    assert _run("import msglint.cli\n" + probe, {**env, "MSGLINT_PATTERN_CACHE": "0"}) == "False"


def test_a_second_run_with_another_hash_seed_compiles_nothing_new(tmp_path: Path) -> None:
    # Word-list patterns must not depend on set order (string hashing differs per process):
    # else every run compiles them again and rewrites the cache file.
    _hooked()
    root = Path(__file__).resolve().parents[1] / "sample_templates"
    env = {**os.environ, "MSGLINT_CACHE_DIR": str(tmp_path), "MSGLINT_RESULT_CACHE": "0"}
    command = [sys.executable, "-m", "msglint.cli", "check", "--jobs", "1", str(root)]
    stamps = []
    for seed in ("1", "2", "3"):
        subprocess.run(command, env={**env, "PYTHONHASHSEED": seed}, capture_output=True)
        (stored,) = (tmp_path / "re").glob("*.pickle")
        stamps.append(stored.stat().st_mtime_ns)
    assert stamps[1] == stamps[2] == stamps[0]
