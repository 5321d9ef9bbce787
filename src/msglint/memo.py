"""Memos that live while one template is linted.

Stages and rules ask for the same analysis of the same text several times per template
(sentence splits and tokens of a part, the prepared Jinja template for every sample, variant
and re-render). Those memos are keyed on whole texts, so they are emptied when the next
template starts: reuse inside a template is what they are for. Kept for the whole run, they
would also serve identical copies of a template, which real repositories rarely have, and a
benchmark built from repeated templates would overstate the speed on distinct ones.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])
_CLEARS: list[Callable[[], None]] = []


def per_template(maxsize: int) -> Callable[[_F], _F]:
    """``functools.lru_cache(maxsize)``, emptied by :func:`start_template`."""

    def decorate(function: _F) -> _F:
        cached = lru_cache(maxsize=maxsize)(function)
        _CLEARS.append(cached.cache_clear)
        return cached  # type: ignore[return-value]

    return decorate


def on_template_start(clear: Callable[[], None]) -> None:
    """Call ``clear`` before each template is linted (for memos that are not functions)."""
    _CLEARS.append(clear)


def start_template() -> None:
    """Forget what the previous template's memos hold."""
    for clear in _CLEARS:
        clear()
