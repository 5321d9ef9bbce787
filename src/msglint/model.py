"""Values that travel between the pipeline's stages."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msglint.mapping import LineIndex, MappedText

CHANNELS = ("email", "sms", "push", "letter", "social", "whatsapp")
SYNTAXES = ("jinja", "handlebars", "go", "notify", "raw")
CATEGORIES = ("transactional", "service", "marketing")


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``file_text[start:end]`` with ``replacement`` (offsets in the template file)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    part: str | None = None
    fix: Fix | None = None
    # Offset range in the file, used for suppression and fixes; not part of the output contract.
    start: int = 0
    end: int = 0

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line, self.column, self.rule, self.message)


@dataclass(frozen=True, slots=True)
class Suppression:
    rule: str  # a rule id or a family prefix ending in "/" ("*" for all)
    line: int  # line of the directive; 0 for config or front matter
    scope: str  # "next-line" | "file"
    reason: str | None = None
    source: str = "comment"  # "comment" | "front-matter" | "config"

    def matches(self, rule_id: str) -> bool:
        return rule_matches(rule_id, self.rule)


def rule_matches(rule_id: str, selector: str) -> bool:
    """True if a selector (id, ``family/`` or ``family``, ``*``/``all``) covers the rule id."""
    selector = selector.strip()
    if selector in ("*", "all", "ALL"):
        return True
    if selector.endswith("/"):
        return rule_id.startswith(selector)
    return rule_id == selector or rule_id.startswith(selector + "/")


@dataclass(frozen=True, slots=True)
class VariableSpec:
    name: str
    required: bool = True
    max_length: int | None = None
    example: Any = None


@dataclass
class TemplateMeta:
    """Metadata resolved from front matter, config globs, the file name and defaults."""

    channel: str | None = None
    language: str | None = None
    syntax: str = "jinja"
    category: str | None = None
    journey: str | None = None
    trigger: str | None = None
    requires_action: bool | None = None
    subject: str | None = None
    samples: list[dict[str, Any]] = field(default_factory=list)
    variables: dict[str, VariableSpec] = field(default_factory=dict)
    rule_options: dict[str, Any] = field(default_factory=dict)
    # File-wide suppressions from front matter / config `msglint: {ignore: [...]}`.
    suppressions: list[Suppression] = field(default_factory=list)
    # Where each value came from, for -v output: "front-matter", "config", "file-name", ...
    origins: dict[str, str] = field(default_factory=dict)


@dataclass
class TemplateFile:
    """One template file, decoded, with its front matter split off."""

    path: Path
    display_path: str
    text: str  # the whole file as decoded text
    body_start: int  # offset where the template body starts (after front matter)
    meta: TemplateMeta
    front_matter: dict[str, Any] = field(default_factory=dict)
    # Template source per message part ("body", "subject", "title", "buttons[0]", ...), each
    # mapped to offsets in ``text``. Plain files have one "body" source; YAML message files
    # (push, WhatsApp) have one per key; front matter may add "subject".
    sources: dict[str, MappedText] = field(default_factory=dict)
    # Findings produced while loading (encoding, front matter, size), before any rule ran.
    load_findings: list[Finding] = field(default_factory=list)
    # Per-template values the pipeline computes once (e.g. the sibling text alternative).
    cache: dict[str, Any] = field(default_factory=dict)
    lines: LineIndex = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


@dataclass
class Rendered:
    """A template rendered with one sample: output text mapped to file offsets."""

    output: MappedText
    variables: frozenset[str] = frozenset()
    undefined: frozenset[str] = frozenset()
    fallback: bool = False  # tag-aware extraction instead of a real render


@dataclass
class Part:
    """One named part of a message (subject, body, ...) as the customer will read it.

    ``text`` is mapped to offsets in the template file.
    """

    name: str
    content: MappedText
    markup: str = "text"  # "text" | "html" | "mjml" | "markdown"
    # For markup parts: the visible text with the same mapping.
    visible: MappedText | None = None

    @property
    def text(self) -> str:
        return (self.visible or self.content).text

    @property
    def mapped(self) -> MappedText:
        return self.visible or self.content


@dataclass
class Variant:
    """A message rendered with one sample (or one worst-case value set)."""

    label: str  # "sample 1", "max_length", ...
    parts: dict[str, Part]


@dataclass
class Message:
    """A template as the customer receives it on its channel."""

    template: TemplateFile
    channel: str
    language: str
    category: str | None
    parts: dict[str, Part]  # the primary variant (first sample)
    variants: list[Variant]  # every sample, plus worst cases, for length checks
    variables: frozenset[str] = frozenset()
    channel_data: dict[str, Any] = field(default_factory=dict)  # e.g. parsed HTML, buttons
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def meta(self) -> TemplateMeta:
        return self.template.meta


@dataclass
class FileResult:
    """Everything the reporters need about one file."""

    path: str
    channel: str | None
    language: str | None
    category: str | None
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    suppressed: list[tuple[Finding, Suppression]] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)  # descriptions of applied fixes
    source: str | None = None  # file text, for the text reporter's source lines


@dataclass
class RunResult:
    files: list[FileResult]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason) for -v
    notices: list[str] = field(default_factory=list)  # one-line notes for stderr

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.files for x in f.findings if x.severity == severity)
