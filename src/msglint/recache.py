"""Compiled regular expressions kept across runs.

A run compiles about two hundred patterns (msglint's rules, PyYAML's reader, word lists), and
``re``'s pure-Python parser and compiler spend a third of a pre-commit run's start-up on them.
The compiler's output (a list of integer op-codes) is a pure function of pattern and flags, so it
is kept in a cache file and handed straight to ``_sre.compile`` on the next run: the pattern
objects are the same as ``re.compile`` would build.

This hooks ``re._compiler.compile``, an internal of CPython, so it is enabled only on the
versions whose ``compile`` it mirrors; elsewhere, and for any pattern it cannot keep, ``re``
compiles as usual.
"""

from __future__ import annotations

import atexit
import os
import re
import sys
from array import array
from typing import Any

_SUPPORTED = ((3, 11), (3, 12), (3, 13))
_FORMAT = 2
_MAX_ENTRIES = 2048
# Some word-list patterns list equal-length words in set order, which differs between runs (hash
# randomisation): a pattern no run used in this many rewrites of the file is dropped.
_KEEP_REWRITES = 16

_Key = tuple[type, Any, int]
# flags, op-codes (a machine-word array's bytes: pickled as one blob), groups, their names
_Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]


def install() -> None:
    """Serve ``re`` compilations from the cache file (once per process; no-op if unsupported).

    Only the command line installs it (a program that imports msglint keeps its ``re``), and
    ``MSGLINT_PATTERN_CACHE=0`` turns it off.
    """
    compiler: Any = getattr(re, "_compiler", None)
    if (
        os.environ.get("MSGLINT_PATTERN_CACHE") == "0"
        or sys.version_info[:2] not in _SUPPORTED
        or compiler is None
        or array("I").itemsize != compiler._sre.CODESIZE
        or getattr(compiler.compile, "_msglint_cached", False)
    ):
        return
    import _sre

    from msglint.cachedir import cache_file, load_pickle, store_pickle

    where = cache_file("re", _FORMAT, sys.version, _sre.MAGIC, fan_out=False)
    loaded = load_pickle(where)
    # (rewrite number, entries, the rewrite that last saw each entry used)
    state: tuple[int, dict[_Key, _Entry], dict[_Key, int]] = (0, {}, {})
    if (
        isinstance(loaded, tuple)
        and len(loaded) == 3
        and isinstance(loaded[0], int)
        and isinstance(loaded[1], dict)
        and isinstance(loaded[2], dict)
    ):
        state = loaded
    generation, stored, last_used = state
    used: dict[_Key, _Entry] = {}  # this run's patterns, kept first when the file is rewritten
    original = compiler.compile
    parse = compiler._parser.parse
    code_of = compiler._code
    sre_compile = _sre.compile
    debug = compiler.SRE_FLAG_DEBUG
    changed = False  # this run compiled a pattern the file lacks: rewrite it at exit

    def save() -> None:
        now = generation + 1
        kept = dict(used)
        seen = dict.fromkeys(used, now)
        for key, entry in stored.items():
            if len(kept) >= _MAX_ENTRIES:
                break
            if key not in kept and last_used.get(key, 0) > now - _KEEP_REWRITES:
                kept[key] = entry
                seen[key] = last_used[key]
        store_pickle(where, (now, kept, seen))

    def build(p: Any, entry: _Entry) -> Any:
        final_flags, code, groups, groupindex, indexgroup = entry
        return sre_compile(
            p, final_flags, array("I", code).tolist(), groups, groupindex, indexgroup
        )

    def compile(p: Any, flags: int = 0) -> Any:
        nonlocal changed
        if not isinstance(p, (str, bytes)) or flags & debug:
            return original(p, flags)
        key = (type(p), p, flags)
        entry = stored.get(key)
        if entry is not None:
            try:
                compiled = build(p, entry)
            except Exception:  # a damaged entry (_sre validates op-codes): made again below
                pass
            else:
                used[key] = entry
                return compiled
        parsed = parse(p, flags)
        code = array("I", code_of(parsed, flags)).tobytes()
        state = parsed.state
        groupindex = state.groupdict
        names: list[str | None] = [None] * state.groups
        for name, index in groupindex.items():
            names[index] = name
        entry = (flags | state.flags, code, state.groups - 1, groupindex, tuple(names))
        if not changed:
            changed = True
            atexit.register(save)
        stored[key] = used[key] = entry
        return build(p, entry)

    compile._msglint_cached = True  # type: ignore[attr-defined]
    compile.__wrapped__ = original  # type: ignore[attr-defined]
    compiler.compile = compile
