"""The pipeline: files → templates → rendered messages → findings. The Python API.

``lint_paths`` serves the CLI; ``lint_text`` lints one text (tests, editors, stdin);
``build_messages`` yields the rendered messages for commands that need them (compliance audit).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from msglint import timing
from msglint.config import Config, ConfigError
from msglint.mapping import MappedText
from msglint.memo import start_template
from msglint.model import (
    FACTORY_DEFAULT,
    FileResult,
    Finding,
    Message,
    Part,
    RunResult,
    Severity,
    Suppression,
    TemplateFile,
    Variant,
    dataclass_eq,
    dataclass_repr,
    rule_matches,
)
from msglint.resultcache import (
    ResultCache,
    mark_uncacheable,
    record_dependency,
    record_listing,
    record_notice,
    recording,
)
from msglint.rules.registry import Rule, RuleContext, RuleInfo, check_rules, get_info
from msglint.templating.base import Problem, RenderOptions, RenderResult, set_path
from msglint.yamlsource import YamlError

_STRICT_JINJA_SUFFIXES = (".j2", ".jinja", ".jinja2")
# Metrics in the JSON output (schema 1); rules may keep other values on message.metrics.
_REPORTED_METRICS = frozenset(
    {"words", "sentences", "readability", "scores", "sms", "social", "email", "push", "whatsapp"}
)
_READABLE_PARTS = ("subject", "preheader", "title", "header", "body", "footer")


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class LintOptions:
    """Run options from the command line (on top of the config)."""

    select: list[str] = field(default_factory=list)  # replaces config select when given
    ignore: list[str] = field(default_factory=list)  # added to config ignore
    fix: bool = False
    jobs: int = 1  # 0: one process per usable CPU (--jobs auto)
    use_cache: bool = True
    require_grammar: bool = False  # --require-grammar: no LanguageTool is a usage error (exit 2)

    def __init__(
        self,
        select: list[str] = FACTORY_DEFAULT,
        ignore: list[str] = FACTORY_DEFAULT,
        fix: bool = False,
        jobs: int = 1,
        use_cache: bool = True,
        require_grammar: bool = False,
    ) -> None:
        self.select = [] if select is FACTORY_DEFAULT else select
        self.ignore = [] if ignore is FACTORY_DEFAULT else ignore
        self.fix = fix
        self.jobs = jobs
        self.use_cache = use_cache
        self.require_grammar = require_grammar

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


class _SharedState(dict[str, Any]):
    """``Resources.shared``: per-run objects, and which notices belong to which object.

    A per-run object (the LanguageTool service, a dictionary) prints its notice once, while the
    first file that needs it is linted. A later file's cached result must print it too, so a
    notice is tied to the object being created (or else the one last used) when it is printed,
    and every later use of that object records the notice for the file being linted.
    """

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[str] = []  # looked up and missing, not created yet
        self.last: str | None = None
        self.notices_by_key: dict[str, list[str]] = {}

    def _used(self, key: str) -> bool:
        found = super().__contains__(key)
        self.last = key
        if not found and key not in self.pending:
            self.pending.append(key)
        for text in self.notices_by_key.get(key, ()):
            record_notice(text)
        return found

    def __contains__(self, key: object) -> bool:
        return self._used(key) if isinstance(key, str) else False

    def __getitem__(self, key: str) -> Any:
        self._used(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key, default) if self._used(key) else default

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        if key in self.pending:
            self.pending.remove(key)
        self.last = key

    def tie_notice(self, text: str) -> None:
        key = self.pending[-1] if self.pending else self.last
        if key is not None and text not in self.notices_by_key.setdefault(key, []):
            self.notices_by_key[key].append(text)


class Resources:
    """Per-run shared data for rules: rule packs, compliance packs (loaded lazily, once)."""

    def __init__(
        self,
        config: Config,
        options: LintOptions | None = None,
        *,
        result_cache: ResultCache | None = None,
    ) -> None:
        self.config = config
        self.options = options or LintOptions()
        self.result_cache = result_cache  # None: lint every file (no reuse, no storing)
        # One-line notes for the whole run (e.g. "grammar checks skipped"), shown once on stderr.
        self.notices: list[str] = []
        # Per-run objects of rule families (LanguageTool client, dictionaries), keyed by name.
        self.shared: _SharedState = _SharedState()
        self.rule_sets: dict[tuple[Any, ...], Any] = {}  # enabled rules and contexts, by settings
        self._packs: Any = None
        self._compliance: Any = None

    def notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)
        record_notice(text)
        self.shared.tie_notice(text)

    def replay_notices(self, texts: Sequence[str]) -> None:
        """Notices of a file whose result came from the result cache."""
        self.notices.extend(t for t in texts if t not in self.notices)

    @property
    def packs(self) -> Any:
        if self._packs is None:
            from msglint.packs import PackResources

            self._packs = PackResources.load(self.config)
        return self._packs

    def term_matchers(self, rule_id: str, language: str) -> Any:
        return self.packs.term_matchers(rule_id, language)

    @property
    def compliance_packs(self) -> Any:
        if self._compliance is None:
            from msglint.compliance.packs import load_compliance_packs

            self._compliance = load_compliance_packs(self.config)
        return self._compliance

    def __getattr__(self, name: str) -> Any:
        # Rule families may add their own per-run resources to the pack loader.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.packs, name)


class InternalError(Exception):
    """A bug in msglint itself (exit code 2), with the file it happened on."""


# --- building messages -------------------------------------------------------------------


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class Built:
    message: Message | None
    findings: list[Finding]
    render: dict[str, RenderResult]  # primary sample's render result per part

    def __init__(
        self,
        message: Message | None,
        findings: list[Finding],
        render: dict[str, RenderResult],
    ) -> None:
        self.message = message
        self.findings = findings
        self.render = render

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


def _samples(template: TemplateFile, config: Config) -> tuple[list[dict[str, Any]], bool]:
    """The samples to render with, and whether the user gave any sample data."""
    meta = template.meta
    samples = [dict(s) for s in (meta.samples or config.samples) if isinstance(s, Mapping)]
    examples = {
        name: spec.example for name, spec in meta.variables.items() if spec.example is not None
    }
    given = bool(samples or examples)
    if not samples:
        samples = [{}]
    merged = [{**examples, **s} for s in samples]
    return merged, given


def _worst_case_sample(template: TemplateFile, base: dict[str, Any]) -> dict[str, Any] | None:
    longest = {
        name: "x" * spec.max_length
        for name, spec in template.meta.variables.items()
        if spec.max_length
    }
    if not longest:
        return None
    return _set_paths(base, longest)


def _set_paths(base: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with dotted-path variables (``customer.name``) set."""
    import copy

    result = copy.deepcopy(base)
    for path, value in values.items():
        set_path(result, path, value)
    return result


def _strict_jinja(template: TemplateFile) -> bool:
    if template.meta.syntax != "jinja":
        return False
    origin = template.meta.origins.get("syntax", "")
    return origin in ("front-matter", "config") or template.path.name.endswith(
        _STRICT_JINJA_SUFFIXES
    )


def render_parts(
    template: TemplateFile, sample: Mapping[str, Any], config: Config
) -> dict[str, RenderResult]:
    """Render every part source of a template with one sample; outputs map to file offsets."""
    from msglint.templating.render import render_source

    options = RenderOptions(
        syntax=template.meta.syntax,
        template_path=template.path,
        include_root=config.include_root,
    )
    strict = _strict_jinja(template)
    results: dict[str, RenderResult] = {}
    for name, source in template.sources.items():
        rr = render_source(source.text, sample, options, strict_jinja=strict)
        rr.output = rr.output.compose(source)
        rr.problems = [_to_file(p, source) for p in rr.problems]
        rr.conditional_ranges = tuple(source.source_range(s, e) for s, e in rr.conditional_ranges)
        results[name] = rr
    return results


def _to_file(problem: Problem, source: MappedText) -> Problem:
    start, end = source.source_range(problem.start, max(problem.start, problem.end))
    return Problem(problem.rule, problem.message, start, end, problem.severity)


def _build_channel(
    template: TemplateFile,
    rendered: dict[str, RenderResult],
    config: Config,
    *,
    parts_only: bool = False,
) -> Any:
    from msglint.channels.base import ChannelBuild

    outputs = {name: rr.output for name, rr in rendered.items()}
    channel = template.meta.channel
    if channel == "email":
        from msglint.channels.email import build_email

        if "text_alternative" not in template.cache:
            # Once per template (several variants and re-renders build the channel): the
            # plain-text sibling, and the folder's convention of having them.
            listing = _folder_listing(template.path.parent)
            template.cache["text_alternative"] = _text_alternative(
                template, config, listing.keys if listing is not None else None
            )
            template.cache["text_parts_convention"] = (
                listing.text_parts if listing is not None else None
            )
        if any("mj-include" in out.text for out in outputs.values()):
            # The MJML compiler reads included files (and theirs) itself: not recordable.
            mark_uncacheable("mj-include")
        build = build_email(
            template,
            outputs,
            text_alternative=template.cache["text_alternative"],
            parts_only=parts_only,
        )
        if template.cache["text_parts_convention"] is not None:
            build.channel_data["text_parts_convention"] = template.cache["text_parts_convention"]
        return build
    parts: dict[str, Part] = {}
    for name, out in outputs.items():
        out = _strip_final_newlines(out)
        markup = "html" if channel == "letter" and _looks_like_html(out.text) else "text"
        visible = None
        if markup == "html":
            from msglint.markup.html import parse_html, visible_text

            visible = visible_text(parse_html(out.text), out)
        parts[name] = Part(name, out, markup, visible)
    data: dict[str, Any] = {}
    buttons = template.front_matter.get("buttons")
    if channel == "whatsapp" and isinstance(buttons, list):
        data["buttons"] = [b if isinstance(b, dict) else {"text": str(b)} for b in buttons]
    return ChannelBuild(parts=parts, channel_data=data)


def _strip_final_newlines(mapped: MappedText) -> MappedText:
    """Files end with a newline by convention; the message itself does not."""
    text = mapped.text
    end = len(text.rstrip("\r\n"))
    if end == len(text):
        return mapped
    from msglint.mapping import MappedTextBuilder

    builder = MappedTextBuilder()
    builder.append_mapped(mapped, 0, end)
    return builder.build()


def _looks_like_html(text: str) -> bool:
    import re

    return bool(re.search(r"<(html|body|p|div|br|table|span|a)\b", text, re.IGNORECASE))


_HTML_SUFFIXES = (".html.j2", ".email.html", ".html", ".mjml", ".j2", ".twig")


def _text_sibling_names(name: str) -> tuple[str, ...]:
    """File names a plain-text alternative of the e-mail template ``name`` may have."""
    for suffix in _HTML_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return (f"{stem}.txt", f"{stem}.txt.j2", f"{stem}.email.txt", f"{stem}.text")
    return ()


def _text_alternative(
    template: TemplateFile, config: Config, listed: frozenset[str] | None = None
) -> MappedText | None:
    """A sibling plain-text file (``welcome.html`` → ``welcome.txt``), rendered without mapping.

    ``listed``: the :func:`_name_key` of every name in the folder, when it could be listed
    (names not among them are not looked for).
    """
    # Plain os.path on strings: pathlib objects cost more than the stat calls here.
    name = template.path.name
    folder = os.path.dirname(template.path)
    for candidate in _text_sibling_names(name):
        if os.path.normcase(candidate) == os.path.normcase(name):
            continue
        sibling = os.path.join(folder, candidate)
        record_dependency(sibling)  # found or not: a sibling added later changes the result
        if listed is not None and _name_key(candidate) not in listed:
            continue
        if os.path.isfile(sibling):
            try:
                with open(sibling, encoding="utf-8-sig") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError):
                return None
            # Positions in another file cannot be shown in this one: point at line 1.
            from msglint.mapping import Chunk

            return MappedText(text[:200_000], [Chunk(0, min(len(text), 200_000), 0, 0, False)])
    return None


class _Listing(NamedTuple):
    keys: frozenset[str] | None  # _name_key of each name; None: the folder cannot be listed
    text_parts: bool  # some e-mail template in the folder has a plain-text sibling


def _name_key(name: str) -> str:
    """A file name as a case- or normalisation-insensitive file system may compare it.

    Coarser than any such file system: two names with different keys never name one file.
    """
    if name.isascii():
        return name.lower()  # NFKC leaves ASCII as it is, and casefold() is lower() there
    import unicodedata

    return unicodedata.normalize("NFKC", name).casefold()


def _folder_listing(folder: Path) -> _Listing | None:
    """The names in ``folder`` (read once per folder and modification time), None if it is
    not a folder. Recorded as a dependency of the file being linted."""
    record_listing(folder)
    # The listing of the folder as named (not resolved: a resolve costs a stat per path
    # component, and the memo only needs a key that names the same folder).
    folder_key = os.fspath(folder)
    if not os.path.isabs(folder_key):
        folder_key = os.path.join(os.getcwd(), folder_key)
    try:
        listed_at = os.stat(folder_key).st_mtime_ns
    except OSError:
        return None
    if time.time_ns() - listed_at < _RACY_NS:
        # Changed just now: a coarse file-system clock may give the next change the same
        # modification time, so the memo could not tell the listings apart.
        return _read_listing(folder_key)
    return _memo_listing(folder_key, listed_at)


_RACY_NS = 3_000_000_000


def _read_listing(folder: str) -> _Listing:
    try:
        names = set(os.listdir(folder))
    except OSError:
        return _Listing(None, False)
    # The convention compares names as written (a sibling in another case does not count).
    text_parts = any(sibling in names for name in names for sibling in _text_sibling_names(name))
    return _Listing(frozenset(_name_key(n) for n in names), text_parts)


@lru_cache(maxsize=256)
def _memo_listing(folder: str, listed_at: int) -> _Listing:
    """``listed_at`` (the folder's mtime) is part of the memo key, so that added files are seen."""
    return _read_listing(folder)


def build_message(template: TemplateFile, config: Config) -> Built:
    """Render a template with each sample and build its message for the channel."""
    start_template()  # memos keyed on whole texts serve one template (msglint.memo)
    findings: list[Finding] = []
    samples, samples_given = _samples(template, config)
    variants: list[Variant] = []
    primary_render: dict[str, RenderResult] = {}
    primary_build: Any = None
    undefined_everywhere: set[str] | None = None
    variables: set[str] = set()
    problems: list[Problem] = []
    fallback_reason: str | None = None

    worst = _worst_case_sample(template, samples[0])
    runs: list[tuple[str, dict[str, Any]]] = [
        (f"sample {i + 1}" if samples_given else "placeholders", s) for i, s in enumerate(samples)
    ]
    if worst is not None:
        runs.append(("longest values (max_length)", worst))

    for index, (label, sample) in enumerate(runs):
        rendered = render_parts(template, sample, config)
        build = _build_channel(template, rendered, config)
        variants.append(Variant(label, build.parts))
        if index == 0:
            primary_render, primary_build = rendered, build
            problems.extend(build.problems)
        for rr in rendered.values():
            if index == 0:
                problems.extend(rr.problems)
                if rr.fallback and fallback_reason is None:
                    fallback_reason = rr.fallback_reason or "not rendered"
            variables |= rr.variables
        if label.startswith("longest"):
            continue
        undefined = set().union(*(rr.undefined for rr in rendered.values())) if rendered else set()
        undefined_everywhere = (
            undefined if undefined_everywhere is None else undefined_everywhere & undefined
        )

    findings.extend(_problem_findings(template, problems))
    if fallback_reason is not None:
        findings.append(
            _stage_finding(
                template,
                "template/fallback",
                f"checked without rendering ({fallback_reason}): placeholders count as known "
                "variables and the literal text of every branch was checked",
                template.body_start,
                template.body_start,
            )
        )
    if undefined_everywhere and fallback_reason is None:
        findings.extend(_undefined_findings(template, undefined_everywhere, samples_given))

    assert primary_build is not None
    channel = template.meta.channel or "email"
    language = template.meta.language or _detect_language(primary_build.parts, config)
    data = dict(primary_build.channel_data)
    data["conditional_ranges"] = [
        r for rr in primary_render.values() for r in rr.conditional_ranges
    ]
    data["includes"] = [i for rr in primary_render.values() for i in rr.includes]
    data["render"] = primary_render
    data["fallback"] = fallback_reason is not None
    data["samples"] = samples
    data["samples_given"] = samples_given

    def rerender(sample: Mapping[str, Any]) -> dict[str, Part]:
        """The message's parts rendered with another sample (e.g. a variable left empty)."""
        rendered = render_parts(template, sample, config)
        return dict(_build_channel(template, rendered, config, parts_only=True).parts)

    data["rerender"] = rerender
    message = Message(
        template=template,
        channel=channel,
        language=language,
        category=template.meta.category,
        parts=primary_build.parts,
        variants=variants,
        variables=frozenset(variables),
        channel_data=data,
        metrics=dict(primary_build.metrics),
    )
    return Built(message, findings, primary_render)


def _detect_language(parts: Mapping[str, Part], config: Config) -> str:
    from msglint.text.language import detect_language

    text = " ".join(p.text for p in parts.values())
    return detect_language(text) or config.language or "de"


def _stage_finding(
    template: TemplateFile,
    rule_id: str,
    message: str,
    start: int,
    end: int,
    severity: Severity | None = None,
) -> Finding:
    info = get_info(rule_id)
    sev = severity or (info.severity if info else Severity.ERROR)
    line, col = template.lines.position(start)
    end_line, end_col = template.lines.position(max(start, end))
    return Finding(rule_id, sev, message, line, col, end_line, end_col, None, None, start, end)


def _problem_findings(template: TemplateFile, problems: Sequence[Problem]) -> list[Finding]:
    seen: set[tuple[str, int, str]] = set()
    findings = []
    for p in sorted(problems, key=lambda p: (p.start, p.rule)):
        key = (p.rule, p.start, p.message)
        if key in seen:
            continue
        seen.add(key)
        findings.append(_stage_finding(template, p.rule, p.message, p.start, p.end, p.severity))
    return findings


def _undefined_findings(
    template: TemplateFile, names: set[str], samples_given: bool
) -> list[Finding]:
    if not names:
        return []
    body = template.text[template.body_start :]
    first = _first_reads(body, names)
    located = sorted((template.body_start + first.get(name, 0), name) for name in names)
    if not samples_given:
        listed = ", ".join(n for _, n in located[:12]) + (" …" if len(located) > 12 else "")
        start = located[0][0]
        return [
            _stage_finding(
                template,
                "template/undefined-variable",
                f"no sample data: {len(located)} variable(s) rendered as placeholders ({listed}); "
                "add `samples:` to check lengths and fallbacks with real values",
                start,
                start,
                Severity.INFO,
            )
        ]
    return [
        _stage_finding(
            template,
            "template/undefined-variable",
            f"'{name}' has no value in any sample (typo, or missing sample data?)",
            start,
            start + len(name),
        )
        for start, name in located
    ]


def _first_reads(body: str, names: set[str]) -> dict[str, int]:
    """Where each name is first read in ``body``: not inside a longer word or dotted path, and
    not where a longer name of ``names`` is read (``order`` in ``order.id``)."""
    if not all(_word_or_dot_chars(n) for n in names):
        import re

        from msglint.lazy import longest_first

        # One pass for all names (longest first): the first place each one is read.
        alternatives = "|".join(re.escape(n) for n in longest_first(names))
        first: dict[str, int] = {}
        for m in re.finditer(rf"(?<![\w.])(?:{alternatives})(?!\w)", body):
            name = m.group()
            if name not in first:
                first[name] = m.start()
                if len(first) == len(names):
                    break
        return first
    # Names of word characters and dots (nearly all): found with str.find, without compiling a
    # pattern per template. The same places as the pattern above: a match of a longer name
    # never contains the start of another one (it is preceded by a word character or a dot).
    first = {}
    size = len(body)
    # Sorted, the longer names that start with a name follow it directly; they are only
    # looked up where the name itself is read (rare: most names are nobody's prefix).
    ordered = sorted(names)
    for index, name in enumerate(ordered):
        longer: list[str] | None = None
        pos = body.find(name)
        while pos != -1:
            end = pos + len(name)
            if (pos == 0 or not ((ch := body[pos - 1]).isalnum() or ch in "_.")) and (
                end == size or not ((ch := body[end]).isalnum() or ch == "_")
            ):
                if longer is None:
                    longer = []
                    for other in ordered[index + 1 :]:
                        if not other.startswith(name):
                            break
                        longer.append(other)
                if not longer or not any(
                    body.startswith(n, pos)
                    and (pos + len(n) == size or not _word(body[pos + len(n)]))
                    for n in longer
                ):
                    first[name] = pos
                    break
            pos = body.find(name, pos + 1)
    return first


def _word(ch: str) -> bool:
    """``re``'s ``\\w`` for one character."""
    return ch.isalnum() or ch == "_"


def _word_or_dot_chars(name: str) -> bool:
    """True if ``name`` is made of ``re``'s ``[\\w.]`` (and not empty)."""
    rest = name.replace(".", "").replace("_", "")
    return bool(name) and (not rest or rest.isalnum())


# --- metrics -----------------------------------------------------------------------------


def compute_metrics(message: Message) -> dict[str, Any]:
    from msglint.channels.metrics import channel_metrics
    from msglint.text.readability import readability

    readable = [
        p.text
        for name, p in message.parts.items()
        if name.split("[")[0] in _READABLE_PARTS and p.text.strip()
    ]
    text = "\n\n".join(readable)
    metrics: dict[str, Any] = {}
    scores = readability(text, message.language)
    metrics["words"] = scores.get("words", 0)
    metrics["sentences"] = scores.get("sentences", 0)
    metrics["readability"] = scores
    for key, value in channel_metrics(message).items():
        metrics[key] = value
    for key, value in message.metrics.items():
        metrics.setdefault(key, value)
    return metrics


# --- rules -------------------------------------------------------------------------------


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class RuleSelection:
    select: list[str]
    ignore: list[str]
    options: dict[str, dict[str, Any]]
    severity: dict[str, Severity]

    def __init__(
        self,
        select: list[str],
        ignore: list[str],
        options: dict[str, dict[str, Any]],
        severity: dict[str, Severity],
    ) -> None:
        self.select = select
        self.ignore = ignore
        self.options = options
        self.severity = severity

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq

    def enabled(self, info: RuleInfo) -> bool:
        if self.select and not any(rule_matches(info.id, s) for s in self.select):
            return False
        return not self.ignore or not any(rule_matches(info.id, s) for s in self.ignore)

    def severity_for(self, info: RuleInfo) -> Severity:
        best: tuple[int, Severity] | None = None
        for selector, sev in self.severity.items():
            if rule_matches(info.id, selector):
                specificity = len(selector)
                if best is None or specificity > best[0]:
                    best = (specificity, sev)
        return best[1] if best else info.severity


def rule_selection(config: Config, template: TemplateFile, options: LintOptions) -> RuleSelection:
    from msglint.config import resolve_rule_settings

    select, ignore, rule_options, severity = resolve_rule_settings(config, template.display_path)
    if options.select:
        select = list(options.select)
    ignore = list(ignore) + list(options.ignore)
    file_opts = template.meta.rule_options or {}
    merged_options: dict[str, dict[str, Any]] = {k: dict(v) for k, v in rule_options.items()}
    for key, value in file_opts.items():
        if "/" in key and isinstance(value, Mapping):
            merged_options.setdefault(key, {}).update(value)
    return RuleSelection(list(select), ignore, merged_options, dict(severity))


def run_rules(
    message: Message, selection: RuleSelection, resources: Resources
) -> tuple[list[Finding], list[str]]:
    """Findings of every enabled rule; a crashing rule becomes an internal error, not a crash."""
    findings: list[Finding] = []
    errors: list[str] = []
    timed = timing.ENABLED
    for rule, ctx in _enabled_rules(selection, message.channel, resources):
        try:
            if timed:
                with timing.stage(f"rule {rule.info.id}"):
                    findings.extend(rule.check(message, ctx))
            else:
                findings.extend(rule.check(message, ctx))
        except (ConfigError, YamlError):
            raise  # a broken config or pack is the user's to fix: exit 2 with file and line
        except Exception as exc:
            import traceback  # only for a crashing rule: ~5 ms of imports otherwise

            tb = traceback.format_exc(limit=-3)
            errors.append(
                f"{message.template.display_path}: internal error in rule {rule.info.id}: "
                f"{type(exc).__name__}: {exc}\n{tb}"
            )
    return findings, errors


def _enabled_rules(
    selection: RuleSelection, channel: str, resources: Resources
) -> list[tuple[Rule, RuleContext]]:
    """The rules to run with their contexts; the same for most files, so built once per run."""
    options_key = ""  # no rule options (most files): a json.dumps costs more than the lookup
    if selection.options:
        import json

        options_key = json.dumps(selection.options, sort_keys=True, default=str)
    key = (
        channel,
        tuple(selection.select),
        tuple(selection.ignore),
        options_key,
        tuple(sorted((k, int(v)) for k, v in selection.severity.items())),
    )
    cached: list[tuple[Rule, RuleContext]] | None = resources.rule_sets.get(key)
    if cached is None:
        cached = [
            (
                rule,
                RuleContext(
                    rule.info,
                    selection.options.get(rule.info.id, {}),
                    selection.severity_for(rule.info),
                    resources,
                ),
            )
            for rule in check_rules()
            if not (rule.info.channels and channel not in rule.info.channels)
            and selection.enabled(rule.info)
        ]
        resources.rule_sets[key] = cached
    return cached


# --- suppressions and fixes --------------------------------------------------------------


def template_suppressions(template: TemplateFile, config: Config) -> list[Suppression]:
    """Every suppression that applies to a template: comments, front matter, config."""
    from msglint.config import config_suppressions
    from msglint.suppress import parse_directives

    found = parse_directives(template.text, template.lines)
    found += template.meta.suppressions
    found += config_suppressions(
        config, template.path if template.path.is_absolute() else template.display_path
    )
    return found


def apply_suppressions(
    template: TemplateFile, findings: list[Finding], config: Config, selection: RuleSelection
) -> tuple[list[Finding], list[tuple[Finding, Suppression]]]:
    from dataclasses import replace

    from msglint.suppress import is_suppressed

    suppressions = template_suppressions(template, config)
    kept: list[Finding] = []
    suppressed: list[tuple[Finding, Suppression]] = []
    for f in findings:
        info = get_info(f.rule)
        if info is not None and not selection.enabled(info):
            continue
        if info is not None and info.scope == "file":
            sev = selection.severity_for(info)
            if sev != info.severity and f.severity == info.severity:
                f = replace(f, severity=sev)
        s = is_suppressed(f, suppressions, template.lines) if suppressions else None
        if s is not None and f.rule.startswith("compliance/"):
            from msglint.rules.compliance import validate_suppression

            problem = validate_suppression(s.rule, s.reason)
            if problem is not None:  # audited findings are only suppressed with a reason
                kept.append(replace(f, message=f"{f.message} (not suppressed: {problem})"))
                continue
        if s is not None:
            suppressed.append((f, s))
        else:
            kept.append(f)
    return kept, suppressed


def apply_fixes(text: str, findings: Sequence[Finding]) -> tuple[str, list[str]]:
    """Apply non-overlapping fixes; returns the new text and what was changed."""
    edits = []
    for f in findings:
        if f.fix is None:
            continue
        for e in f.fix.edits:
            edits.append((e.start, e.end, e.replacement, f))
    edits.sort(key=lambda e: (e[0], e[1]))
    applied: list[str] = []
    out: list[str] = []
    pos = 0
    last_end = -1
    for start, end, replacement, finding in edits:
        if start < last_end or start < pos or end > len(text):
            continue  # overlapping edits: the next run fixes the rest
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
        last_end = end
        applied.append(f"line {finding.line}: {finding.fix.description if finding.fix else ''}")
    out.append(text[pos:])
    return "".join(out), applied


# --- running -----------------------------------------------------------------------------


def lint_template(
    template: TemplateFile,
    config: Config,
    options: LintOptions,
    resources: Resources,
) -> tuple[FileResult, list[str]]:
    """All findings for one loaded template."""
    meta = template.meta
    result = FileResult(
        path=template.display_path,
        channel=meta.channel,
        language=meta.language,
        category=meta.category,
        source=template.text,
    )
    selection = rule_selection(config, template, options)
    findings = list(template.load_findings)
    errors: list[str] = []
    if template.sources:
        with timing.stage("build message (render, channel)"):
            built = build_message(template, config)
        findings.extend(built.findings)
        message = built.message
        if message is not None:
            result.language = message.language
            result.channel = message.channel
            # Metrics first: rules read them (readability, SMS units) instead of recomputing.
            with timing.stage("metrics"):
                message.metrics = compute_metrics(message)
            with timing.stage("rules"):
                rule_findings, errors = run_rules(message, selection, resources)
            findings.extend(_without_deferred(rule_findings))
            from msglint.scores import compute_scores

            message.metrics["scores"] = compute_scores(message, findings, config)
            result.metrics = {k: v for k, v in message.metrics.items() if k in _REPORTED_METRICS}
    kept, suppressed = apply_suppressions(template, findings, config, selection)
    result.findings = sorted(_dedupe(kept), key=Finding.sort_key)
    result.suppressed = suppressed
    return result, errors


def _without_deferred(findings: list[Finding]) -> list[Finding]:
    """Drop a finding when a rule it defers to reports the same place (no double reports)."""
    deferring = {
        f.rule: info.defers_to
        for f in findings
        if (info := get_info(f.rule)) is not None and info.defers_to
    }
    if not deferring:
        return findings
    places = {(f.rule, f.start, f.end) for f in findings}
    return [
        f
        for f in findings
        if not any((other, f.start, f.end) in places for other in deferring.get(f.rule, ()))
    ]


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, int, int, str]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.line, f.column, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


Outcome = tuple[FileResult | None, list[str], str | None]  # result, internal errors, fixed text


def lint_file(
    path: Path,
    config: Config,
    options: LintOptions,
    resources: Resources,
    *,
    data: bytes | None = None,
    display_path: str | None = None,
) -> Outcome:
    """Lint one file. Returns (result or None if skipped, internal errors, fixed text).

    With a result cache on ``resources``, an unchanged file's stored result is returned (its
    notices go to ``resources``), and a new result is stored. Standard input (``data``) and
    ``--fix`` runs never use it.
    """
    cache = resources.result_cache
    if cache is None or data is not None or options.fix:
        return _lint_file(path, config, options, resources, data=data, display_path=display_path)
    content = _read_for_cache(path, config)
    if content is None:
        return _lint_file(path, config, options, resources, display_path=display_path)
    display = display_path or path.as_posix()
    with timing.stage("result cache"):
        entry = cache.lookup(path, display, content)
    if entry is not None:
        resources.replay_notices(entry.notices)
        return entry.result, [], None
    return _lint_and_store(path, content, config, options, resources, cache, display)


def _read_for_cache(path: Path, config: Config) -> bytes | None:
    """The file's bytes, or None when it is left to the loader (unreadable, too large)."""
    from msglint.discover import read_file

    try:
        return read_file(path, config.max_file_bytes)[1]
    except OSError:
        return None


def _lint_and_store(
    path: Path,
    content: bytes,
    config: Config,
    options: LintOptions,
    resources: Resources,
    cache: ResultCache,
    display: str,
) -> Outcome:
    """Lint a file whose cached result was missing or stale, and store the new result."""
    with recording() as recorder:
        outcome = _lint_file(
            path, config, options, resources, display_path=display, content=content
        )
    result, errors, _ = outcome
    grammar = dict.get(resources.shared, "grammar")  # not a use: no notice is recorded
    if (
        not errors
        and recorder.uncacheable is None
        and getattr(grammar, "client", None) is None  # LanguageTool answered: not reusable
    ):
        with timing.stage("result cache"):
            cache.store(path, display, content, recorder, result)
    return outcome


def _lint_file(
    path: Path,
    config: Config,
    options: LintOptions,
    resources: Resources,
    *,
    data: bytes | None = None,
    display_path: str | None = None,
    content: bytes | None = None,
) -> Outcome:
    from msglint.discover import load_template

    with timing.stage("load"):
        template = load_template(
            path, config, display_path=display_path, data=data, content=content
        )
    if template is None:
        return None, [], None
    try:
        result, errors = lint_template(template, config, options, resources)
    except (ConfigError, YamlError):
        raise
    except Exception as exc:
        import traceback

        tb = traceback.format_exc(limit=-4)
        return (
            FileResult(
                template.display_path,
                template.meta.channel,
                template.meta.language,
                template.meta.category,
                source=template.text,
            ),
            [f"{template.display_path}: internal error: {type(exc).__name__}: {exc}\n{tb}"],
            None,
        )
    fixed_text = None
    if options.fix and any(f.fix for f in result.findings):
        new_text, applied = apply_fixes(template.text, result.findings)
        if applied and new_text != template.text:
            fixed_text = new_text
            encoded = new_text.encode("utf-8")
            again, errors2 = lint_file_from_bytes(
                path, encoded, config, options, resources, display_path
            )
            if again is not None:
                again.fixed = applied
                return again, errors + errors2, fixed_text
    return result, errors, fixed_text


def lint_file_from_bytes(
    path: Path,
    data: bytes,
    config: Config,
    options: LintOptions,
    resources: Resources,
    display_path: str | None,
) -> tuple[FileResult | None, list[str]]:
    from dataclasses import replace

    from msglint.discover import load_template

    template = load_template(path, config, display_path=display_path, data=data)
    if template is None:
        return None, []
    return lint_template(template, config, replace(options, fix=False), resources)


def lint_paths(
    paths: Sequence[Path],
    config: Config,
    options: LintOptions | None = None,
    *,
    write_fixes: bool = True,
) -> tuple[RunResult, list[str]]:
    """Lint files and folders. Returns the run result and internal errors (exit code 2)."""
    from msglint.discover import iter_files

    options = options or LintOptions()
    files, skipped = iter_files(paths, config)
    run = RunResult(files=[], skipped=list(skipped))
    errors: list[str] = []
    cache = None
    if options.use_cache and not options.fix:
        from msglint.resultcache import open_result_cache

        with timing.stage("result cache"):
            cache = open_result_cache(config, options.select, options.ignore)
    resources = Resources(config, options, result_cache=cache)
    outcomes: list[tuple[Path, Outcome]]
    try:
        jobs = options.jobs or _usable_cpus()
        if jobs > 1 and len(files) >= 2 * _FILES_PER_WORKER:  # else no pool in any case
            outcomes, notices = _lint_parallel(files, jobs, config, options, resources)
        else:
            outcomes = [(p, lint_file(p, config, options, resources)) for p in files]
            notices = resources.notices
    finally:
        if cache is not None:
            cache.close()
    run.notices.extend(notices)
    for path, (result, errs, fixed_text) in outcomes:
        errors.extend(errs)
        if result is None:
            run.skipped.append((str(path), "no channel"))
            continue
        if fixed_text is not None and write_fixes:
            from msglint.atomic import write_atomically

            try:
                write_atomically(path, fixed_text)
            except OSError as exc:
                errors.append(f"{path}: cannot write fixes: {exc.strerror}")
        run.files.append(result)
    return run, errors


def _start_worker(config: Config, options: LintOptions, cache: ResultCache | None) -> None:
    # The run's settings reach each worker once, not pickled again with every file.
    global _POOL_RUN
    _POOL_RUN = (config, options, cache, Resources(config, options, result_cache=cache))


def _lint_one_for_pool(args: tuple[Path, bytes | None]) -> tuple[Path, Outcome, list[str]]:
    path, content = args
    if _POOL_RUN is None:
        raise RuntimeError("worker not started by _start_worker")
    config, options, cache, resources = _POOL_RUN
    outcome, notices = _lint_missed(path, content, config, options, resources, cache)
    return path, outcome, notices


def _lint_missed(
    path: Path,
    content: bytes | None,
    config: Config,
    options: LintOptions,
    resources: Resources,
    cache: ResultCache | None,
) -> tuple[Outcome, list[str]]:
    """Lint a file the result cache did not have (storing the result); with its notices."""
    before = len(resources.notices)
    if cache is not None and content is not None:
        display = path.as_posix()
        outcome = _lint_and_store(path, content, config, options, resources, cache, display)
    else:
        outcome = _lint_file(path, config, options, resources)
    return outcome, resources.notices[before:]


_POOL_RUN: tuple[Config, LintOptions, ResultCache | None, Resources] | None = None

# A forked worker costs about as much as linting a dozen templates (its own rule packs and
# caches): fewer files than this per worker are linted faster in this process. A worker that
# starts a fresh interpreter (spawn, forkserver: macOS, Windows, Python 3.14's default) also
# imports msglint first.
_FILES_PER_WORKER = 12
_FILES_PER_FRESH_WORKER = 60


def _files_per_worker() -> int:
    import multiprocessing

    fork = multiprocessing.get_start_method() == "fork"
    return _FILES_PER_WORKER if fork else _FILES_PER_FRESH_WORKER


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours CPU limits (taskset, containers' cpusets)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _lint_parallel(
    files: Sequence[Path], jobs: int, config: Config, options: LintOptions, resources: Resources
) -> tuple[list[tuple[Path, Outcome]], list[str]]:
    """Lint in worker processes; cached results are taken here first (no pool when all hit)."""
    cache = resources.result_cache
    done: dict[Path, tuple[Outcome, Sequence[str]]] = {}
    todo: list[tuple[Path, bytes | None]] = []
    for path in files:
        content = _read_for_cache(path, config) if cache is not None else None
        entry = None
        if cache is not None and content is not None:
            with timing.stage("result cache"):
                entry = cache.lookup(path, path.as_posix(), content)
        if entry is not None:
            done[path] = ((entry.result, [], None), entry.notices)
        else:
            todo.append((path, content))
    workers = min(jobs, len(todo) // _files_per_worker())
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            max_workers=workers, initializer=_start_worker, initargs=(config, options, cache)
        ) as pool:
            for path, outcome, worker_notices in pool.map(_lint_one_for_pool, todo, chunksize=8):
                done[path] = (outcome, worker_notices)
    else:
        for path, content in todo:
            done[path] = _lint_missed(path, content, config, options, resources, cache)
    notices: list[str] = []
    for path in files:
        notices.extend(n for n in done[path][1] if n not in notices)
    return [(path, done[path][0]) for path in files], notices


def lint_text(
    text: str,
    filename: str,
    config: Config | None = None,
    options: LintOptions | None = None,
) -> FileResult:
    """Lint a text as if it were the file ``filename`` (which need not exist)."""
    config = config or Config()
    options = options or LintOptions()
    result, errors, _ = lint_file(
        Path(filename),
        config,
        options,
        Resources(config, options),
        data=text.encode("utf-8"),
        display_path=filename,
    )
    if errors:
        raise InternalError("\n".join(errors))
    if result is None:
        raise ValueError(f"{filename}: no channel for this file name (set `channel:`)")
    return result


def build_messages(paths: Sequence[Path], config: Config) -> Iterator[Message]:
    """Rendered messages for every template under ``paths`` (skipping unreadable files)."""
    from msglint.discover import iter_files, load_template

    files, _ = iter_files(paths, config)
    for path in files:
        template = load_template(path, config)
        if template is None or not template.sources:
            continue
        try:
            built = build_message(template, config)
        except Exception:
            continue
        if built.message is not None:
            yield built.message
