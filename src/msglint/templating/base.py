"""What every templater returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from msglint.mapping import MappedText
from msglint.model import Severity


class Problem(NamedTuple):
    """A template-level problem at ``source[start:end]`` (offsets in the template source)."""

    rule: str  # e.g. "template/syntax", "template/unsafe", "template/undefined-variable"
    message: str
    start: int
    end: int
    severity: Severity | None = None  # None: the rule's default


@dataclass
class RenderResult:
    """A template rendered with one sample.

    ``output.chunks`` map rendered text to offsets in the template *source string* that was
    rendered: literal text maps character by character; a placeholder's value maps as a whole to
    its tag.
    """

    output: MappedText
    variables: frozenset[str] = frozenset()  # every variable the template reads
    undefined: frozenset[str] = frozenset()  # variables with no value in the sample
    fallback: bool = False  # True: tag-aware extraction, not a real render
    fallback_reason: str | None = None  # why (shown once per file as template/fallback)
    problems: list[Problem] = field(default_factory=list)
    # Offsets (start, end) in the source of text that only appears under a condition.
    conditional_ranges: tuple[tuple[int, int], ...] = ()
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderOptions:
    syntax: str = "jinja"
    template_path: Path | None = None
    include_root: Path | None = None  # includes resolve only inside this folder
    max_output_chars: int = 2_000_000
    max_loop_iterations: int = 10_000


@lru_cache(maxsize=4096)  # called for every placeholder of every render
def neutral_value(name: str) -> str:
    """A stand-in for a placeholder with no sample value: plain GSM-7 letters, no markup.

    ``order.customer.firstName`` -> ``firstName``; keeps text checks and length counts sane.
    """
    tail = name.replace("[", ".").split(".")[-1] if name else ""
    word = "".join(ch for ch in tail if ch.isascii() and ch.isalnum())
    return word or "x"


def set_path(sample: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted-path variable (``customer.name``) in a sample, creating mappings on the way."""
    keys = path.split(".")
    target = sample
    for key in keys[:-1]:
        nxt = target.get(key)
        if not isinstance(nxt, dict):
            nxt = {}
            target[key] = nxt
        target = nxt
    target[keys[-1]] = value
