"""What every templater returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from msglint.mapping import MappedText
from msglint.model import (
    FACTORY_DEFAULT,
    Severity,
    dataclass_eq,
    dataclass_repr,
    set_field,
)


class Problem(NamedTuple):
    """A template-level problem at ``source[start:end]`` (offsets in the template source)."""

    rule: str  # e.g. "template/syntax", "template/unsafe", "template/undefined-variable"
    message: str
    start: int
    end: int
    severity: Severity | None = None  # None: the rule's default


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
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

    def __init__(
        self,
        output: MappedText,
        variables: frozenset[str] = frozenset(),
        undefined: frozenset[str] = frozenset(),
        fallback: bool = False,
        fallback_reason: str | None = None,
        problems: list[Problem] = FACTORY_DEFAULT,
        conditional_ranges: tuple[tuple[int, int], ...] = (),
        includes: tuple[str, ...] = (),
    ) -> None:
        self.output = output
        self.variables = variables
        self.undefined = undefined
        self.fallback = fallback
        self.fallback_reason = fallback_reason
        self.problems = [] if problems is FACTORY_DEFAULT else problems
        self.conditional_ranges = conditional_ranges
        self.includes = includes

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class RenderOptions:
    syntax: str = "jinja"
    template_path: Path | None = None
    include_root: Path | None = None  # includes resolve only inside this folder
    max_output_chars: int = 2_000_000
    max_loop_iterations: int = 10_000

    def __init__(
        self,
        syntax: str = "jinja",
        template_path: Path | None = None,
        include_root: Path | None = None,
        max_output_chars: int = 2_000_000,
        max_loop_iterations: int = 10_000,
    ) -> None:
        set_field(self, "syntax", syntax)
        set_field(self, "template_path", template_path)
        set_field(self, "include_root", include_root)
        set_field(self, "max_output_chars", max_output_chars)
        set_field(self, "max_loop_iterations", max_loop_iterations)

    __repr__ = dataclass_repr

    # Written out, not the shared ones: options are part of a dict key on every render.
    def _key(self) -> tuple[str, Path | None, Path | None, int, int]:
        return (
            self.syntax,
            self.template_path,
            self.include_root,
            self.max_output_chars,
            self.max_loop_iterations,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


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
