"""Values that travel between the pipeline's stages."""

from __future__ import annotations

import enum
import reprlib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from msglint.mapping import LineIndex, MappedText

CHANNELS = ("email", "sms", "push", "letter", "social", "whatsapp")
SYNTAXES = ("jinja", "handlebars", "go", "notify", "raw")
CATEGORIES = ("transactional", "service", "marketing")


# msglint's own dataclasses (here, in config, lint, registry, ...) stay dataclasses (fields,
# replace and pickling work as usual) but are declared with init=False, repr=False, eq=False:
# their __init__ is written out, and __repr__, __eq__, __hash__ are these shared functions with
# the generated ones' behaviour. The decorator compiles every generated method from source text
# at each start-up: ~30 M instructions for this module's classes alone, more than the rest of
# its import, on every run (a single-file pre-commit run too).
FACTORY_DEFAULT: Any = object()  # a default_factory field's default: "not given"
_NAMES: dict[tuple[type, str], tuple[str, ...]] = {}


def _names(cls: type, flag: str) -> tuple[str, ...]:
    """The fields a generated method would use (``repr``, ``compare``), in order."""
    try:
        return _NAMES[cls, flag]
    except KeyError:
        found = _NAMES[cls, flag] = tuple(f.name for f in fields(cls) if getattr(f, flag))
        return found


@reprlib.recursive_repr()
def dataclass_repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _names(type(self), "repr"))
    return f"{self.__class__.__qualname__}({shown})"


def dataclass_eq(self: Any, other: object) -> Any:  # bool, or NotImplemented for other classes
    if other.__class__ is not self.__class__:
        return NotImplemented
    names = _names(type(self), "compare")
    return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)


def dataclass_hash(self: Any) -> int:
    return hash(tuple(getattr(self, n) for n in _names(type(self), "compare")))


# Sets a field in the written-out __init__ of a frozen class (as the generated one does).
set_field = object.__setattr__


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


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Edit:
    """Replace ``file_text[start:end]`` with ``replacement`` (offsets in the template file)."""

    start: int
    end: int
    replacement: str

    def __init__(self, start: int, end: int, replacement: str) -> None:
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "replacement", replacement)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Fix:
    description: str
    edits: tuple[Edit, ...]

    def __init__(self, description: str, edits: tuple[Edit, ...]) -> None:
        set_field(self, "description", description)
        set_field(self, "edits", edits)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
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

    def __init__(
        self,
        rule: str,
        severity: Severity,
        message: str,
        line: int = 1,
        column: int = 1,
        end_line: int = 1,
        end_column: int = 1,
        part: str | None = None,
        fix: Fix | None = None,
        start: int = 0,
        end: int = 0,
    ) -> None:
        set_field(self, "rule", rule)
        set_field(self, "severity", severity)
        set_field(self, "message", message)
        set_field(self, "line", line)
        set_field(self, "column", column)
        set_field(self, "end_line", end_line)
        set_field(self, "end_column", end_column)
        set_field(self, "part", part)
        set_field(self, "fix", fix)
        set_field(self, "start", start)
        set_field(self, "end", end)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line, self.column, self.rule, self.message)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Suppression:
    rule: str  # a rule id or a family prefix ending in "/" ("*" for all)
    line: int  # line of the directive; 0 for config or front matter
    scope: str  # "next-line" | "file"
    reason: str | None = None
    source: str = "comment"  # "comment" | "front-matter" | "config"

    def __init__(
        self,
        rule: str,
        line: int,
        scope: str,
        reason: str | None = None,
        source: str = "comment",
    ) -> None:
        set_field(self, "rule", rule)
        set_field(self, "line", line)
        set_field(self, "scope", scope)
        set_field(self, "reason", reason)
        set_field(self, "source", source)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

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


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class VariableSpec:
    name: str
    required: bool = True
    max_length: int | None = None
    example: Any = None

    def __init__(
        self,
        name: str,
        required: bool = True,
        max_length: int | None = None,
        example: Any = None,
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "required", required)
        set_field(self, "max_length", max_length)
        set_field(self, "example", example)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


@dataclass(init=False, repr=False, eq=False)
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

    def __init__(
        self,
        channel: str | None = None,
        language: str | None = None,
        syntax: str = "jinja",
        category: str | None = None,
        journey: str | None = None,
        trigger: str | None = None,
        requires_action: bool | None = None,
        subject: str | None = None,
        samples: list[dict[str, Any]] = FACTORY_DEFAULT,
        variables: dict[str, VariableSpec] = FACTORY_DEFAULT,
        rule_options: dict[str, Any] = FACTORY_DEFAULT,
        suppressions: list[Suppression] = FACTORY_DEFAULT,
        origins: dict[str, str] = FACTORY_DEFAULT,
    ) -> None:
        self.channel = channel
        self.language = language
        self.syntax = syntax
        self.category = category
        self.journey = journey
        self.trigger = trigger
        self.requires_action = requires_action
        self.subject = subject
        self.samples = [] if samples is FACTORY_DEFAULT else samples
        self.variables = {} if variables is FACTORY_DEFAULT else variables
        self.rule_options = {} if rule_options is FACTORY_DEFAULT else rule_options
        self.suppressions = [] if suppressions is FACTORY_DEFAULT else suppressions
        self.origins = {} if origins is FACTORY_DEFAULT else origins

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


@dataclass(init=False, repr=False, eq=False)
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

    def __init__(
        self,
        path: Path,
        display_path: str,
        text: str,
        body_start: int,
        meta: TemplateMeta,
        front_matter: dict[str, Any] = FACTORY_DEFAULT,
        sources: dict[str, MappedText] = FACTORY_DEFAULT,
        load_findings: list[Finding] = FACTORY_DEFAULT,
        cache: dict[str, Any] = FACTORY_DEFAULT,
    ) -> None:
        self.path = path
        self.display_path = display_path
        self.text = text
        self.body_start = body_start
        self.meta = meta
        self.front_matter = {} if front_matter is FACTORY_DEFAULT else front_matter
        self.sources = {} if sources is FACTORY_DEFAULT else sources
        self.load_findings = [] if load_findings is FACTORY_DEFAULT else load_findings
        self.cache = {} if cache is FACTORY_DEFAULT else cache
        self.lines = LineIndex(self.text)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


@dataclass(init=False, repr=False, eq=False)
class Rendered:
    """A template rendered with one sample: output text mapped to file offsets."""

    output: MappedText
    variables: frozenset[str] = frozenset()
    undefined: frozenset[str] = frozenset()
    fallback: bool = False  # tag-aware extraction instead of a real render

    def __init__(
        self,
        output: MappedText,
        variables: frozenset[str] = frozenset(),
        undefined: frozenset[str] = frozenset(),
        fallback: bool = False,
    ) -> None:
        self.output = output
        self.variables = variables
        self.undefined = undefined
        self.fallback = fallback

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


@dataclass(init=False, repr=False, eq=False)
class Part:
    """One named part of a message (subject, body, ...) as the customer will read it.

    ``text`` is mapped to offsets in the template file.
    """

    name: str
    content: MappedText
    markup: str = "text"  # "text" | "html" | "mjml" | "markdown"
    # For markup parts: the visible text with the same mapping.
    visible: MappedText | None = None

    def __init__(
        self,
        name: str,
        content: MappedText,
        markup: str = "text",
        visible: MappedText | None = None,
    ) -> None:
        self.name = name
        self.content = content
        self.markup = markup
        self.visible = visible

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq

    @property
    def text(self) -> str:
        return (self.visible or self.content).text

    @property
    def mapped(self) -> MappedText:
        return self.visible or self.content


@dataclass(init=False, repr=False, eq=False)
class Variant:
    """A message rendered with one sample (or one worst-case value set)."""

    label: str  # "sample 1", "max_length", ...
    parts: dict[str, Part]

    def __init__(self, label: str, parts: dict[str, Part]) -> None:
        self.label = label
        self.parts = parts

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


@dataclass(init=False, repr=False, eq=False)
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

    def __init__(
        self,
        template: TemplateFile,
        channel: str,
        language: str,
        category: str | None,
        parts: dict[str, Part],
        variants: list[Variant],
        variables: frozenset[str] = frozenset(),
        channel_data: dict[str, Any] = FACTORY_DEFAULT,
        metrics: dict[str, Any] = FACTORY_DEFAULT,
    ) -> None:
        self.template = template
        self.channel = channel
        self.language = language
        self.category = category
        self.parts = parts
        self.variants = variants
        self.variables = variables
        self.channel_data = {} if channel_data is FACTORY_DEFAULT else channel_data
        self.metrics = {} if metrics is FACTORY_DEFAULT else metrics

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq

    @property
    def meta(self) -> TemplateMeta:
        return self.template.meta


@dataclass(init=False, repr=False, eq=False)
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

    def __init__(
        self,
        path: str,
        channel: str | None,
        language: str | None,
        category: str | None,
        findings: list[Finding] = FACTORY_DEFAULT,
        metrics: dict[str, Any] = FACTORY_DEFAULT,
        suppressed: list[tuple[Finding, Suppression]] = FACTORY_DEFAULT,
        fixed: list[str] = FACTORY_DEFAULT,
        source: str | None = None,
    ) -> None:
        self.path = path
        self.channel = channel
        self.language = language
        self.category = category
        self.findings = [] if findings is FACTORY_DEFAULT else findings
        self.metrics = {} if metrics is FACTORY_DEFAULT else metrics
        self.suppressed = [] if suppressed is FACTORY_DEFAULT else suppressed
        self.fixed = [] if fixed is FACTORY_DEFAULT else fixed
        self.source = source

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


@dataclass(init=False, repr=False, eq=False)
class RunResult:
    files: list[FileResult]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason) for -v
    notices: list[str] = field(default_factory=list)  # one-line notes for stderr

    def __init__(
        self,
        files: list[FileResult],
        skipped: list[tuple[str, str]] = FACTORY_DEFAULT,
        notices: list[str] = FACTORY_DEFAULT,
    ) -> None:
        self.files = files
        self.skipped = [] if skipped is FACTORY_DEFAULT else skipped
        self.notices = [] if notices is FACTORY_DEFAULT else notices

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.files for x in f.findings if x.severity == severity)
