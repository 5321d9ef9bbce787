"""Configuration: ``.msglint.yaml`` or ``[tool.msglint]`` in ``pyproject.toml``.

INTERFACE (implemented by the config work package): ``load_config`` finds and validates the
configuration and returns a :class:`Config`; every problem raises :class:`ConfigError` naming the
file, line (where known) and key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msglint.model import Severity


class ConfigError(Exception):
    """Invalid configuration or usage: exit code 2, message names file, line and key."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


@dataclass
class TemplateGlob:
    """Metadata for templates matching a glob (relative to the config file's folder)."""

    glob: str
    meta: dict[str, Any]  # channel, language, syntax, category, journey, samples, variables, ...
    line: int | None = None


@dataclass
class Override:
    glob: str
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)


@dataclass
class ConfigSuppression:
    """Suppressions for files that cannot hold comments."""

    glob: str
    rules: list[str]
    reason: str | None = None
    line: int | None = None


@dataclass
class Config:
    path: Path | None = None  # the config file, if any
    root: Path = field(default_factory=Path.cwd)  # globs are relative to this folder
    language: str | None = None
    fail_on: Severity = Severity.WARNING
    select: list[str] = field(default_factory=list)  # empty: all rules
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)  # rule/family -> severity
    template_root: Path | None = None  # includes resolve only inside; default: root
    exclude: list[str] = field(default_factory=list)
    templates: list[TemplateGlob] = field(default_factory=list)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> options
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)  # channel -> limits
    overrides: list[Override] = field(default_factory=list)
    suppress: list[ConfigSuppression] = field(default_factory=list)
    packs: list[Path] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)  # default samples for all
    max_file_bytes: int = 1_000_000
    # Sections owned by later work packages, validated by them.
    languagetool: dict[str, Any] = field(default_factory=dict)
    vocabulary: dict[str, Any] = field(default_factory=dict)
    scores: dict[str, Any] = field(default_factory=dict)
    compliance: dict[str, Any] = field(default_factory=dict)

    @property
    def include_root(self) -> Path:
        return (self.template_root or self.root).resolve()
