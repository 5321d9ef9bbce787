"""Where a run spends its time, printed with ``MSGLINT_TIMING=1`` (like ESLint's ``TIMING``).

Timers cost nothing when the variable is unset: :func:`stage` is then a shared no-op, and per-rule
timers test :data:`ENABLED` first.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TextIO

ENABLED = os.environ.get("MSGLINT_TIMING", "") not in ("", "0")
STARTED = time.perf_counter()
_totals: dict[str, float] = {}


def add(name: str, seconds: float) -> None:
    _totals[name] = _totals.get(name, 0.0) + seconds


_OFF = nullcontext()


def stage(name: str) -> AbstractContextManager[None]:
    """Time a block as ``name``; a shared no-op when timing is off (a generator context costs
    ~3 µs a use, several uses per file)."""
    return _timed(name) if ENABLED else _OFF


@contextmanager
def _timed(name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        add(name, time.perf_counter() - start)


def report(stream: TextIO | None = None, top: int = 15) -> None:
    """Stages, then the slowest rules, in milliseconds."""
    out = stream or sys.stderr
    total = time.perf_counter() - STARTED
    out.write(f"msglint timing: {total * 1000:.0f} ms since start-up\n")
    stages = {k: v for k, v in _totals.items() if not k.startswith("rule ")}
    rules = {k: v for k, v in _totals.items() if k.startswith("rule ")}
    stages["other (start-up, discovery, suppressions, output)"] = total - sum(stages.values())
    for name, secs in sorted(stages.items(), key=lambda kv: -kv[1]):
        out.write(f"  {secs * 1000:9.1f} ms  {name}\n")
    for name, secs in sorted(rules.items(), key=lambda kv: -kv[1])[:top]:
        out.write(f"  {secs * 1000:9.1f} ms  {name}\n")
