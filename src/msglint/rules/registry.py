"""The rule registry: ids, severities, documentation and the check functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from msglint.model import (
    FACTORY_DEFAULT,
    Edit,
    Finding,
    Fix,
    Message,
    Part,
    Severity,
    dataclass_eq,
    dataclass_hash,
    dataclass_repr,
    set_field,
)


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class RuleDoc:
    """A rule's documentation, shown by ``msglint explain``."""

    what: str  # what the rule checks
    why: str  # why it matters to the customer
    bad: str  # an example that triggers the rule
    good: str  # the same example, fixed
    fix: str  # how to fix it
    options: dict[str, str] = field(default_factory=dict)  # option -> description

    def __init__(
        self,
        what: str,
        why: str,
        bad: str,
        good: str,
        fix: str,
        options: dict[str, str] = FACTORY_DEFAULT,
    ) -> None:
        set_field(self, "what", what)
        set_field(self, "why", why)
        set_field(self, "bad", bad)
        set_field(self, "good", good)
        set_field(self, "fix", fix)
        set_field(self, "options", {} if options is FACTORY_DEFAULT else options)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class RuleInfo:
    id: str
    severity: Severity
    summary: str
    doc: RuleDoc
    options: dict[str, Any] = field(default_factory=dict)  # defaults
    channels: tuple[str, ...] = ()  # empty: every channel
    fixable: bool = False
    scope: str = "message"  # "message" | "file" (template-level, before rendering)
    # Rules whose finding at the same place makes this rule's finding redundant.
    defers_to: tuple[str, ...] = ()

    def __init__(
        self,
        id: str,
        severity: Severity,
        summary: str,
        doc: RuleDoc,
        options: dict[str, Any] = FACTORY_DEFAULT,
        channels: tuple[str, ...] = (),
        fixable: bool = False,
        scope: str = "message",
        defers_to: tuple[str, ...] = (),
    ) -> None:
        set_field(self, "id", id)
        set_field(self, "severity", severity)
        set_field(self, "summary", summary)
        set_field(self, "doc", doc)
        set_field(self, "options", {} if options is FACTORY_DEFAULT else options)
        set_field(self, "channels", channels)
        set_field(self, "fixable", fixable)
        set_field(self, "scope", scope)
        set_field(self, "defers_to", defers_to)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    @property
    def family(self) -> str:
        return self.id.split("/", 1)[0]


CheckFn = Callable[[Message, "RuleContext"], Iterable[Finding]]
T = TypeVar("T")


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class Rule:
    info: RuleInfo
    check: CheckFn

    def __init__(self, info: RuleInfo, check: CheckFn) -> None:
        set_field(self, "info", info)
        set_field(self, "check", check)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


_REGISTRY: dict[str, Rule] = {}
# Rules whose findings are produced by a pipeline stage (template errors, MJML structure),
# documented here so that they can be selected, explained and suppressed like the rest.
_STAGE_RULES: dict[str, RuleInfo] = {}


def rule(
    rule_id: str,
    *,
    severity: str,
    summary: str,
    doc: RuleDoc,
    options: dict[str, Any] | None = None,
    channels: Iterable[str] = (),
    fixable: bool = False,
    defers_to: Iterable[str] = (),
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under a stable rule id."""

    def register(fn: CheckFn) -> CheckFn:
        info = RuleInfo(
            id=rule_id,
            severity=Severity.parse(severity),
            summary=summary,
            doc=doc,
            options=dict(options or {}),
            channels=tuple(channels),
            fixable=fixable,
            defers_to=tuple(defers_to),
        )
        if rule_id in _REGISTRY or rule_id in _STAGE_RULES:
            raise RuntimeError(f"rule {rule_id} registered twice")
        _REGISTRY[rule_id] = Rule(info, fn)
        return fn

    return register


def stage_rule(
    rule_id: str,
    *,
    severity: str,
    summary: str,
    doc: RuleDoc,
    options: dict[str, Any] | None = None,
    fixable: bool = False,
) -> RuleInfo:
    """Declare a rule whose findings a pipeline stage reports (not a check function)."""
    info = RuleInfo(
        id=rule_id,
        severity=Severity.parse(severity),
        summary=summary,
        doc=doc,
        options=dict(options or {}),
        fixable=fixable,
        scope="file",
    )
    if rule_id in _REGISTRY or rule_id in _STAGE_RULES:
        raise RuntimeError(f"rule {rule_id} registered twice")
    _STAGE_RULES[rule_id] = info
    return info


_all_loaded = False


def load_all() -> None:
    """Import every rule module so that its rules register themselves."""
    global _all_loaded
    if _all_loaded:
        return  # asked for every finding's rule (get_info): skip the import statement
    from msglint.rules import families

    families.load()
    _all_loaded = True


def all_rules() -> list[RuleInfo]:
    load_all()
    infos = [r.info for r in _REGISTRY.values()] + list(_STAGE_RULES.values())
    return sorted(infos, key=lambda i: i.id)


def check_rules() -> list[Rule]:
    load_all()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get_info(rule_id: str) -> RuleInfo | None:
    load_all()
    if rule_id in _REGISTRY:
        return _REGISTRY[rule_id].info
    return _STAGE_RULES.get(rule_id)


class RuleContext:
    """What a check function gets besides the message: options, packs, helpers."""

    def __init__(
        self,
        info: RuleInfo,
        options: dict[str, Any],
        severity: Severity,
        resources: Any,
    ) -> None:
        self.info = info
        self.options = options
        self.severity = severity
        # The loaded rule packs and other shared, per-run resources (see msglint.lint).
        self.resources = resources
        # Configured options over the defaults, merged once: a context lives for the whole run.
        self._merged = {**info.options, **options}
        # What a rule derives from its options (sets, patterns), made once per run: ``memo``.
        self._memo: dict[str, Any] = {}

    def option(self, name: str, default: Any = None) -> Any:
        return self._merged.get(name, default)

    def memo(self, key: str, build: Callable[[RuleContext], T]) -> T:
        """``build(self)``, made on the first call with ``key`` and kept for the run."""
        try:
            found: T = self._memo[key]
        except KeyError:
            found = self._memo[key] = build(self)
        return found

    def at(
        self,
        message: Message,
        part: Part | str | None,
        start: int,
        end: int,
        text: str,
        *,
        fix: tuple[str, str] | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding for ``part.text[start:end]``.

        ``fix`` is ``(description, replacement)``; it is kept only if that range is a literal
        copy of template source, so fixes never touch template tags or placeholder values.
        """
        template = message.template
        if isinstance(part, str):
            part = message.parts.get(part)
        if part is None:
            return self.at_line(message, 1, text, severity=severity)
        mapped = part.mapped
        src_start, src_end = mapped.source_range(start, end)
        line, col = template.lines.position(src_start)
        end_line, end_col = template.lines.position(max(src_start, src_end))
        fix_obj = None
        if fix is not None and mapped.is_literal(start, end):
            description, replacement = fix
            fix_obj = Fix(description, (Edit(src_start, src_end, replacement),))
        return Finding(
            rule=self.info.id,
            severity=severity or self.severity,
            message=text,
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col,
            part=part.name,
            fix=fix_obj,
            start=src_start,
            end=src_end,
        )

    def at_part(self, message: Message, part: Part | str, text: str, **kw: Any) -> Finding:
        """A finding about a whole part: points at the part's first character."""
        if isinstance(part, str):
            found = message.parts.get(part)
            if found is None:
                return self.at_line(message, 1, text, part=part, **kw)
            part = found
        length = len(part.text)
        first = len(part.text) - len(part.text.lstrip())
        line_end = part.text.find("\n", first)
        return self.at(message, part, first, line_end if line_end != -1 else length, text, **kw)

    def at_offset(
        self,
        message: Message,
        start: int,
        end: int,
        text: str,
        part: str | None = None,
        *,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding for ``template.text[start:end]`` (file offsets), e.g. an ``<img>`` tag."""
        lines = message.template.lines
        start = max(0, min(start, len(message.template.text)))
        end = max(start, min(end, len(message.template.text)))
        line, col = lines.position(start)
        end_line, end_col = lines.position(end)
        return Finding(
            rule=self.info.id,
            severity=severity or self.severity,
            message=text,
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col,
            part=part,
            start=start,
            end=end,
        )

    def at_line(
        self,
        message: Message,
        line: int,
        text: str,
        *,
        part: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        index = message.template.lines
        start = index.offset(line)
        return Finding(
            rule=self.info.id,
            severity=severity or self.severity,
            message=text,
            line=line,
            column=1,
            end_line=line,
            end_column=len(index.line_text(line)) + 1,
            part=part,
            start=start,
            end=start,
        )


def iter_parts(message: Message, names: Iterable[str] | None = None) -> Iterator[Part]:
    """The message's parts, optionally only those with the given names (in message order)."""
    if names is None:
        return iter(message.parts.values())  # most callers: no generator frame needed
    wanted = set(names)
    return (
        part
        for name, part in message.parts.items()
        if name in wanted or name.split("[", 1)[0] in wanted
    )
