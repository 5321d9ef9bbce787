"""Tag-aware extraction for templates that are not rendered.

Handlebars/Mustache, Go templates and GOV.UK Notify templates (and Jinja-like files that Jinja2
cannot parse: Twig arrow functions, Django's ``{% load %}`` and ``{% blocktrans %}``) are not
executed. Instead one linear scan per syntax keeps the literal text between tags with its source
positions, puts a sample value (or a neutral stand-in) where a placeholder is, drops control
tags and keeps the text of *every* branch, so that all of it gets linted.

:func:`extract` never raises: unknown or unterminated tags become literal text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from msglint.mapping import MappedText, MappedTextBuilder
from msglint.model import FACTORY_DEFAULT, dataclass_eq, dataclass_hash, dataclass_repr, set_field
from msglint.templating.base import RenderResult, neutral_value
from msglint.templating.detect import detect_syntax

__all__ = ["FALLBACK_REASONS", "extract"]

FALLBACK_REASONS = {
    "handlebars": "Handlebars/Mustache syntax",
    "go": "Go template syntax",
    "notify": "GOV.UK Notify syntax",
    "jinja": "Jinja2 cannot parse this template",
}

_ALL_WS = " \t\r\n"
_LINE_WS = " \t"  # Twig's `~` modifier keeps newlines


class _Missing:
    """No value: the sample does not have it (or we cannot know)."""

    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()


# ---------------------------------------------------------------------------------------------
# Sample lookup


def _walk(value: Any, parts: Sequence[str]) -> Any:
    """``value[parts[0]][parts[1]]...``; flat keys like ``"order.number"`` work at any level."""
    for i, part in enumerate(parts):
        if isinstance(value, Mapping):
            if part in value:
                value = value[part]
                continue
            if i < len(parts) - 1:
                flat = ".".join(parts[i:])
                if flat in value:
                    return value[flat]
            return _MISSING
        if isinstance(value, (list, tuple)) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
            continue
        return _MISSING
    return value


def _first_item(value: Any) -> Any:
    """What a loop body sees first: the first list element or the first mapping value."""
    if isinstance(value, (list, tuple)):
        return value[0] if value else _MISSING
    if isinstance(value, Mapping):
        return next(iter(value.values()), _MISSING)
    return _MISSING


def _as_text(value: Any, name: str, *, python_bools: bool = False) -> str:
    if value is _MISSING:
        return neutral_value(name)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        text = str(value)
        return text if python_bools else text.lower()
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return ""
    return neutral_value(name)  # a mapping or list printed raw is not what the customer reads


# ---------------------------------------------------------------------------------------------
# Output collection shared by all scanners


@dataclass(slots=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class _Tag:
    start: int  # offset of the opener
    end: int  # offset after the closer
    inner: str  # text between opener and closer, trim markers removed and stripped
    inner_start: int  # offset of the text between opener and closer
    kind: str  # opener, e.g. "{{", "{%", "{#", "{{{"
    trim_before: str = ""  # whitespace characters trimmed before the tag
    trim_after: str = ""  # whitespace characters trimmed after the tag

    def __init__(
        self,
        start: int,
        end: int,
        inner: str,
        inner_start: int,
        kind: str,
        trim_before: str = "",
        trim_after: str = "",
    ) -> None:
        self.start = start
        self.end = end
        self.inner = inner
        self.inner_start = inner_start
        self.kind = kind
        self.trim_before = trim_before
        self.trim_after = trim_after

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class _Out:
    source: str
    sample: Mapping[str, Any]
    builder: MappedTextBuilder = field(default_factory=MappedTextBuilder)
    variables: set[str] = field(default_factory=set)
    undefined: set[str] = field(default_factory=set)
    conditional: list[tuple[int, int]] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    # Source offsets where open conditional blocks' text starts (closed by their end tag).
    open_conditions: list[int | None] = field(default_factory=list)

    def __init__(
        self,
        source: str,
        sample: Mapping[str, Any],
        builder: MappedTextBuilder = FACTORY_DEFAULT,
        variables: set[str] = FACTORY_DEFAULT,
        undefined: set[str] = FACTORY_DEFAULT,
        conditional: list[tuple[int, int]] = FACTORY_DEFAULT,
        includes: list[str] = FACTORY_DEFAULT,
        open_conditions: list[int | None] = FACTORY_DEFAULT,
    ) -> None:
        self.source = source
        self.sample = sample
        self.builder = MappedTextBuilder() if builder is FACTORY_DEFAULT else builder
        self.variables = set() if variables is FACTORY_DEFAULT else variables
        self.undefined = set() if undefined is FACTORY_DEFAULT else undefined
        self.conditional = [] if conditional is FACTORY_DEFAULT else conditional
        self.includes = [] if includes is FACTORY_DEFAULT else includes
        self.open_conditions = [] if open_conditions is FACTORY_DEFAULT else open_conditions

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq

    def literal(self, start: int, end: int) -> None:
        if end > start:
            self.builder.literal(self.source[start:end], start)

    def generated(self, text: str, start: int, end: int) -> None:
        self.builder.generated(text, start, end)

    def use(self, name: str, value: Any, *, known_context: bool = True) -> None:
        """Record a variable read; ``known_context=False`` when its scope has no sample data."""
        if not name:
            return
        self.variables.add(name)
        if value is _MISSING and known_context:
            self.undefined.add(name)

    def open_block(self, start: int | None) -> None:
        """Open a block; ``start`` is where conditional text begins, ``None`` if unconditional."""
        self.open_conditions.append(start)

    def close_block(self, end: int) -> None:
        if self.open_conditions:
            start = self.open_conditions.pop()
            if start is not None and end > start:
                self.conditional.append((start, end))

    def result(self, reason: str | None) -> RenderResult:
        # Blocks left open run to the end of the source.
        while self.open_conditions:
            self.close_block(len(self.source))
        return RenderResult(
            output=self.builder.build(),
            variables=frozenset(self.variables),
            undefined=frozenset(self.undefined),
            fallback=reason is not None,
            fallback_reason=reason,
            conditional_ranges=tuple(sorted(set(self.conditional))),
            includes=tuple(dict.fromkeys(self.includes)),
        )


def _rstrip(src: str, start: int, end: int, chars: str) -> int:
    while chars and end > start and src[end - 1] in chars:
        end -= 1
    return end


def _lstrip(src: str, start: int, chars: str) -> int:
    n = len(src)
    while chars and start < n and src[start] in chars:
        start += 1
    return start


class _Closers:
    """Finds tag closers; remembers where a closer no longer occurs, so scans stay linear."""

    def __init__(self, src: str) -> None:
        self.src = src
        self._absent_from: dict[str, int] = {}

    def find(self, closer: re.Pattern[str], start: int) -> re.Match[str] | None:
        absent = self._absent_from.get(closer.pattern)
        if absent is not None and start >= absent:
            return None
        match = closer.search(self.src, start)
        if match is None:
            self._absent_from[closer.pattern] = start if absent is None else min(absent, start)
        return match


# A handler deals with one tag and returns (offset to continue after, whitespace to trim there).
_Handler = Callable[[_Tag], tuple[int, str]]
_Finder = Callable[[int], "_Tag | None"]


def _drive(out: _Out, find_tag: _Finder, handle: _Handler) -> None:
    src = out.source
    pos = 0  # start of the pending literal text
    while True:
        tag = find_tag(pos)
        if tag is None:
            break
        out.literal(pos, _rstrip(src, pos, tag.start, tag.trim_before))
        resume, trim = handle(tag)
        pos = _lstrip(src, max(resume, tag.end), trim)
    out.literal(pos, len(src))


def _trim_marks(
    inner: str, marks: Mapping[str, str], *, need_space: bool = False
) -> tuple[str, str, str]:
    """Split whitespace-control markers off a tag's inside: (inner, trim_before, trim_after)."""
    before = after = ""
    if inner and inner[0] in marks and (not need_space or inner[1:2] in ("", *_ALL_WS)):
        before = marks[inner[0]]
        inner = inner[1:]
    if inner and inner[-1] in marks and (not need_space or inner[-2:-1] in ("", *_ALL_WS)):
        after = marks[inner[-1]]
        inner = inner[:-1]
    return inner.strip(), before, after


def _string_body(token: str) -> str | None:
    """The text of a quoted string token, or None if it has escapes (no 1:1 source mapping)."""
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'`":
        body = token[1:-1]
        return None if "\\" in body and token[0] != "`" else body
    return None


def _unescape(token: str) -> str:
    body = token[1:-1] if len(token) >= 2 else token
    return re.sub(r"\\(.)", r"\1", body)


# ---------------------------------------------------------------------------------------------
# Handlebars / Mustache

_HB_OPEN = re.compile(r"\{\{")
_HB_CLOSE = re.compile(r"\}\}")
_HB_CLOSE_RAW = re.compile(r"\}\}\}")
_HB_CLOSE_COMMENT = re.compile(r"--~?\}\}")
_HB_LONG_COMMENT = re.compile(r"\{\{~?!--")
_HB_TOKEN = re.compile(
    r"""(?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
    |(?P<open>\()|(?P<close>\))
    |(?P<key>[^\s()="']+)=
    |(?P<word>[^\s()="']+)""",
    re.X,
)
_HB_LITERALS = frozenset({"true", "false", "null", "undefined"})
_HB_CONDITIONAL = frozenset({"if", "unless", "with"})
_HB_NUMBER = re.compile(r"-?\d+(?:\.\d+)?$")


class _HbPath(NamedTuple):
    name: str  # normalised: no this./../@root., dots between segments
    parts: tuple[str, ...]
    up: int  # ../ levels
    root: bool  # @root.
    this_only: bool  # this. / ./ : no lookup in outer contexts


def _hb_path(word: str) -> _HbPath | None:
    if not word or _HB_NUMBER.match(word) or word in _HB_LITERALS:
        return None
    if word.startswith("@") and not word.startswith("@root"):
        return None  # @index, @key, @first: data variables, not template input
    up = 0
    root = this_only = False
    rest = word
    while rest.startswith("../"):
        up += 1
        rest = rest[3:]
    if rest.startswith("@root"):
        root = True
        rest = rest[5:].lstrip("./")
    for prefix in ("this.", "this/", "./"):
        if rest.startswith(prefix):
            this_only = True
            rest = rest[len(prefix) :]
    if rest in ("this", ".", ""):
        return _HbPath("", (), up, root, True)
    parts = tuple(p.strip("[]") for p in re.split(r"[./]", rest) if p.strip("[]"))
    return _HbPath(".".join(parts), parts, up, root, this_only) if parts else None


_HB_MARKS = {"~": _ALL_WS}


def _hb_trim(raw: str) -> tuple[str, str, str]:
    return _trim_marks(raw, _HB_MARKS)


_hb_trim_cached = lru_cache(maxsize=4096)(_hb_trim)  # tags repeat, as in Jinja


class _Handlebars:
    def __init__(self, out: _Out) -> None:
        self.out = out
        self.closers = _Closers(out.source)
        # Context stack: the root sample, then one entry per #each/#with/section.
        self.frames: list[Any] = [out.sample]
        # Open blocks: (name, pushed a context frame).
        self.blocks: list[tuple[str, bool]] = []

    def find_tag(self, start: int) -> _Tag | None:
        src = self.out.source
        search = start
        while True:
            match = _HB_OPEN.search(src, search)
            if match is None:
                return None
            ts = match.start()
            if src.startswith("{{{", ts):
                closer, inner_start, kind = _HB_CLOSE_RAW, ts + 3, "{{{"
            elif _HB_LONG_COMMENT.match(src, ts):
                closer, inner_start, kind = _HB_CLOSE_COMMENT, ts + 2, "{{!--"
            else:
                closer, inner_start, kind = _HB_CLOSE, ts + 2, "{{"
            end = self.closers.find(closer, inner_start)
            if end is None:
                search = ts + 2  # unterminated: the opener stays literal text
                continue
            raw = src[inner_start : end.start()]
            if kind == "{{!--" and end.group().startswith("--~"):
                raw += "~"
            inner, before, after = (_hb_trim_cached if len(raw) <= 200 else _hb_trim)(raw)
            return _Tag(ts, end.end(), inner, inner_start, kind, before, after)

    def lookup(self, path: _HbPath) -> tuple[Any, bool]:
        """(value or _MISSING, whether the context it was looked up in has sample data)."""
        top = max(0, len(self.frames) - 1 - path.up)
        if path.root:
            candidates = [self.frames[0]]
        elif path.this_only:
            candidates = [self.frames[top]]
        else:
            candidates = self.frames[top::-1]  # Mustache looks outwards through contexts
        for frame in candidates:
            if frame is _MISSING:
                continue
            value = _walk(frame, path.parts) if path.parts else frame
            if value is not _MISSING:
                return value, True
        return _MISSING, candidates[0] is not _MISSING

    def expression(self, text: str) -> tuple[Any, str]:
        """Record the variables of a mustache expression; the value and name of its first path."""
        tokens = list(_HB_TOKEN.finditer(text))
        words = [t for t in tokens if t.lastgroup in ("word", "str", "key", "open")]
        helper_call = len(words) > 1
        first: tuple[Any, str] | None = None
        expect_helper = helper_call
        for token in tokens:
            group = token.lastgroup
            if group == "open":
                expect_helper = True
                continue
            if group != "word":
                continue
            if expect_helper:
                expect_helper = False
                continue
            path = _hb_path(token.group())
            if path is None:
                continue
            value, known = self.lookup(path)
            self.out.use(path.name, value, known_context=known)
            if first is None:
                first = (value, path.name or token.group())
        if first is None:
            # `{{@index}}`, `{{this}}` with no data, a lone literal: still a placeholder.
            word = words[0].group() if words else text
            return _MISSING, word.lstrip("@")
        return first

    def handle(self, tag: _Tag) -> tuple[int, str]:
        out, inner = self.out, tag.inner
        if tag.kind == "{{!--" or inner.startswith("!"):
            return tag.end, tag.trim_after
        sigil = inner[:1]
        if sigil == "#" and inner[1:2] in (">", "*"):
            # Partial block `{{#> layout}}` / inline partial `{{#*inline "x"}}`.
            words = inner[2:].split()
            if words and inner[1] == ">":
                out.includes.append(words[0].strip("\"'"))
            self.blocks.append((words[0] if words else "", False))
            out.open_block(None)
        elif sigil == "#":
            self.open_block(tag, inner[1:].strip())
        elif sigil == "^":
            name = inner[1:].strip()
            if name:  # inverted section: its text shows when the value is empty
                path = _hb_path(name.split()[0])
                if path is not None:
                    value, known = self.lookup(path)
                    out.use(path.name, value, known_context=known)
                self.blocks.append((name.split()[0], False))
                out.open_block(tag.end)
        elif sigil == "/":
            self.close_block(inner[1:].strip(), tag.start)
        elif sigil == ">":
            words = inner[1:].split()
            if words:
                out.includes.append(words[0].strip("\"'"))
        elif inner == "else" or inner.startswith(("else ", "else\n")):
            rest = inner[4:].strip()
            if rest:  # `{{else if x}}`: record the condition's variables
                self.expression(rest.split(None, 1)[1] if " " in rest else "")
        else:
            text = inner[1:].strip() if sigil == "&" else inner
            value, name = self.expression(text)
            out.generated(_as_text(value, name), tag.start, tag.end)
        return tag.end, tag.trim_after

    def open_block(self, tag: _Tag, body: str) -> None:
        words = body.split(None, 1)
        helper = words[0] if words else ""
        args = words[1] if len(words) > 1 else ""
        pushed = False
        conditional: int | None = tag.end
        if not args:
            # Mustache section `{{#items}}`: the name is a variable and the new context.
            path = _hb_path(helper)
            value: Any = _MISSING
            if path is not None:
                value, known = self.lookup(path)
                self.out.use(path.name, value, known_context=known)
                if not known:
                    value = _MISSING
            self.frames.append(_first_item(value) if isinstance(value, (list, tuple)) else value)
            pushed = True
        else:
            value, _name = self.expression(args)
            if helper == "each":
                conditional = None
                self.frames.append(_first_item(value))
                pushed = True
            elif helper == "with":
                self.frames.append(value)
                pushed = True
        self.blocks.append((helper, pushed))
        self.out.open_block(conditional)

    def close_block(self, name: str, end: int) -> None:
        names = [n for n, _pushed in self.blocks]
        if name not in names:
            return  # a stray close tag: ignore it
        while self.blocks:
            open_name, pushed = self.blocks.pop()
            if pushed and len(self.frames) > 1:
                self.frames.pop()
            self.out.close_block(end)
            if open_name == name:
                return


# ---------------------------------------------------------------------------------------------
# Go text/template

_GO_OPEN = re.compile(r"\{\{")
_GO_CLOSE = re.compile(r"\}\}")
_GO_COMMENT_CLOSE = re.compile(r"\*/\s*-?\s*\}\}")
_GO_COMMENT_OPEN = re.compile(r"\{\{(?:-\s+)?/\*")
_GO_TOKEN = re.compile(
    r"""(?P<str>"(?:\\.|[^"\\])*"|`[^`]*`|'(?:\\.|[^'\\])*')
    |(?P<decl>:=|=)
    |(?P<pipe>\|)|(?P<open>\()|(?P<close>\))|(?P<comma>,)
    |(?P<var>\$\w*(?:\.\w+)*)
    |(?P<field>(?:\.\w+)+|\.)
    |(?P<word>[^\s|(),=:"'`]+)""",
    re.X,
)
_GO_BLOCKS = frozenset({"if", "with", "range", "block", "define"})


class _Go:
    def __init__(self, out: _Out) -> None:
        self.out = out
        self.closers = _Closers(out.source)
        self.frames: list[Any] = [out.sample]  # dot: the sample, then range/with values
        self.blocks: list[bool] = []  # per open block: pushed a dot frame
        self.locals: dict[str, Any] = {"$": out.sample}

    def find_tag(self, start: int) -> _Tag | None:
        src = self.out.source
        search = start
        while True:
            match = _GO_OPEN.search(src, search)
            if match is None:
                return None
            ts = match.start()
            comment = _GO_COMMENT_OPEN.match(src, ts)
            closer = _GO_COMMENT_CLOSE if comment else _GO_CLOSE
            end = self.closers.find(closer, comment.end() if comment else ts + 2)
            if end is None:
                search = ts + 2
                continue
            raw = src[ts + 2 : end.end() - 2]
            inner, before, after = _trim_marks(raw, {"-": _ALL_WS}, need_space=True)
            return _Tag(ts, end.end(), inner, ts + 2, "{{", before, after)

    def resolve(self, token: re.Match[str]) -> tuple[Any, str | None, bool]:
        """(value, variable name or None for locals, whether the scope has sample data)."""
        text = token.group()
        if token.lastgroup == "field":
            parts = tuple(p for p in text.split(".") if p)
            frame = self.frames[-1]
            if frame is _MISSING:
                return _MISSING, ".".join(parts) or None, False
            value = _walk(frame, parts) if parts else frame
            return value, ".".join(parts) or None, True
        head, _, rest = text.partition(".")
        parts = tuple(p for p in rest.split(".") if p)
        if head == "$":
            return _walk(self.out.sample, parts), ".".join(parts) or None, True
        base = self.locals.get(head, _MISSING)
        return (_walk(base, parts) if base is not _MISSING else _MISSING), None, False

    def pipeline(self, text: str) -> tuple[Any, str]:
        """Record a pipeline's variables; the value and name of its first one."""
        tokens = list(_GO_TOKEN.finditer(text))
        first: tuple[Any, str] | None = None
        # `index .A "b" "c"` reads A.b.c
        if (
            len(tokens) >= 3
            and tokens[0].group() == "index"
            and tokens[1].lastgroup == "field"
            and all(t.lastgroup == "str" for t in tokens[2:])
        ):
            keys = [_unescape(t.group()) for t in tokens[2:]]
            path = tokens[1].group().strip(".").split(".") + keys
            frame = self.frames[-1]
            value = _walk(frame, [p for p in path if p]) if frame is not _MISSING else _MISSING
            joined = ".".join(p for p in path if p)
            self.out.use(joined, value, known_context=frame is not _MISSING)
            return value, joined
        for token in tokens:
            if token.lastgroup not in ("field", "var"):
                continue
            value, var_name, known = self.resolve(token)
            if var_name:
                self.out.use(var_name, value, known_context=known)
            if first is None:
                first = (value, var_name or token.group().lstrip("$.") or "x")
        return first if first is not None else (_MISSING, "x")

    def declaration(self, text: str) -> tuple[list[str], str]:
        """Split `$a, $b := pipeline` into (["$a", "$b"], "pipeline")."""
        match = re.match(r"\s*(\$\w*(?:\s*,\s*\$\w*)*)\s*:?=(?!=)\s*(.*)", text, re.S)
        if match is None:
            return [], text
        return [v.strip() for v in match.group(1).split(",")], match.group(2)

    def handle(self, tag: _Tag) -> tuple[int, str]:
        out, inner = self.out, tag.inner
        if inner.startswith("/*"):
            return tag.end, tag.trim_after
        keyword, _, rest = inner.partition(" ")
        keyword = keyword.strip()
        rest = rest.strip()
        if keyword in _GO_BLOCKS:
            self.open_block(tag, keyword, rest)
        elif keyword == "else":
            sub, _, pipe = rest.partition(" ")
            if sub in ("if", "with"):
                self.pipeline(pipe)
        elif keyword == "end":
            if self.blocks:
                if self.blocks.pop() and len(self.frames) > 1:
                    self.frames.pop()
                out.close_block(tag.start)
        elif keyword == "template":
            name = re.match(r"\s*(\"(?:\\.|[^\"\\])*\"|`[^`]*`)", rest)
            if name:
                out.includes.append(_unescape(name.group(1)))
                self.pipeline(rest[name.end() :])
        elif keyword in ("break", "continue"):
            pass
        else:
            names, pipe = self.declaration(inner)
            if names:
                value, _name = self.pipeline(pipe)
                for var in names:
                    self.locals[var] = value
            else:
                value, var_name = self.pipeline(inner)
                out.generated(_as_text(value, var_name), tag.start, tag.end)
        return tag.end, tag.trim_after

    def open_block(self, tag: _Tag, keyword: str, rest: str) -> None:
        if keyword in ("block", "define"):
            name = re.match(r"\s*(\"(?:\\.|[^\"\\])*\"|`[^`]*`)", rest)
            if name and keyword == "block":
                self.pipeline(rest[name.end() :])
            self.blocks.append(False)
            self.out.open_block(None)
            return
        names, pipe = self.declaration(rest)
        value, _name = self.pipeline(pipe)
        if keyword == "range":
            item = _first_item(value) if value is not _MISSING else _MISSING
            if names:
                # `range $i, $e := .X` binds index and element; `range $e := .X` the element.
                self.locals[names[-1]] = item
                if len(names) > 1:
                    self.locals[names[0]] = 0
            self.frames.append(item)
            self.blocks.append(True)
            self.out.open_block(None)
        elif keyword == "with":
            for var in names:
                self.locals[var] = value
            self.frames.append(value)
            self.blocks.append(True)
            self.out.open_block(tag.end)
        else:  # if
            for var in names:
                self.locals[var] = value
            self.blocks.append(False)
            self.out.open_block(tag.end)


# ---------------------------------------------------------------------------------------------
# GOV.UK / GC Notify

# `((name))`, `((name??conditional text))`; GC Notify's `[[en]]`/`[[/fr]]` language markers.
_NOTIFY_TAG = re.compile(r"\(\(([^()]+?)\)\)|\[\[/?(?:en|fr)\]\]")


def _scan_notify(out: _Out) -> None:
    pos = 0
    src = out.source
    for match in _NOTIFY_TAG.finditer(src):
        out.literal(pos, match.start())
        pos = match.end()
        if match.group(1) is None:
            continue  # language marker: structure, not text
        body = match.group(1)
        raw_name, sep, _text = body.partition("??")
        name = raw_name.strip()
        value = _walk(out.sample, (name,))
        if value is _MISSING and "." in name:
            value = _walk(out.sample, tuple(name.split(".")))
        out.use(name, value)
        if sep:
            text_start = match.start(1) + len(raw_name) + 2
            out.literal(text_start, match.end(1))
            out.conditional.append((text_start, match.end(1)))
        else:
            out.generated(_as_text(value, name), match.start(), match.end())
    out.literal(pos, len(src))


# ---------------------------------------------------------------------------------------------
# Jinja / Twig / Django (only when Jinja2 cannot parse the file)

_J_OPEN = re.compile(r"\{[{%#]")
_J_CLOSERS = {
    "{{": re.compile(r"\}\}"),
    "{%": re.compile(r"%\}"),
    "{#": re.compile(r"#\}"),
}
_J_MARKS = {"-": _ALL_WS, "~": _LINE_WS, "+": ""}
_J_TOKEN = re.compile(
    r"""(?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
    |(?P<num>\d[\w.]*)
    |(?P<name>[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_0-9]\w*)*)
    |(?P<op>=>|==|!=|<=|>=|\|\||\?\?|[|()\[\]{},=:~?.+\-*/%<>!])""",
    re.X,
)
_J_KEYWORDS = frozenset(
    {
        *("and", "or", "not", "in", "is", "if", "else", "elif", "as", "with", "without"),
        *("true", "false", "none", "null", "True", "False", "None", "context", "ignore"),
        *("missing", "only", "defined", "empty", "matches", "starts", "ends"),
    }
)
# Names provided by the engines themselves, never template input.
_J_GLOBALS = frozenset(
    {"loop", "forloop", "super", "self", "caller", "varargs", "kwargs", "_self", "_context"}
)
_J_GETTEXT = frozenset({"_", "gettext", "ugettext", "lazy_gettext", "_fsdomain", "trans", "t"})
# Filters that leave a string's text as it is (so a translated literal stays customer text).
_J_TEXT_FILTERS = frozenset(
    {"trans", "t", "translate", "raw", "safe", "e", "escape", "nl2br", "striptags", "trim"}
)
_J_END_RAW = {
    "raw": re.compile(r"\{%[-+~]?\s*endraw\s*[-+~]?%\}"),
    "verbatim": re.compile(r"\{%[-+~]?\s*endverbatim\b[^%]*[-+~]?%\}"),
    "comment": re.compile(r"\{%[-+~]?\s*endcomment\s*[-+~]?%\}"),
}
_J_CONDITIONAL = frozenset({"if", "ifchanged", "ifequal", "ifnotequal"})
_J_END_CONDITIONAL = frozenset({"endif", "endifchanged", "endifequal", "endifnotequal"})
_J_TRANS = frozenset({"trans", "translate"})
_J_ALIAS_TAGS = frozenset({"with", "blocktrans", "blocktranslate", "trans"})
_J_INCLUDE_TAGS = frozenset({"include", "extends", "import", "from", "embed", "use"})
_J_PERCENT_FORMAT = re.compile(r"%\((\w+)\)[sdif]")


@dataclass(slots=True, frozen=True, init=False, repr=False, eq=False)  # see msglint.model
class _JToken:
    kind: str
    text: str
    start: int  # offset in the tag's text (after its opener and trim marks)
    end: int

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        set_field(self, "kind", kind)
        set_field(self, "text", text)
        set_field(self, "start", start)
        set_field(self, "end", end)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


def _j_tokens(text: str) -> tuple[_JToken, ...]:
    """The tokens of a tag's text; offsets are relative to the text."""
    if len(text) > 200:
        return _j_tokenize(text)
    return _j_tokenize_cached(text)


def _j_tokenize(text: str) -> tuple[_JToken, ...]:
    result: list[_JToken] = []
    for m in _J_TOKEN.finditer(text):
        kind = m.lastgroup or "op"
        value = m.group()
        if kind == "name":
            if "." in value:  # whitespace can only be around the dots of a path
                value = "".join(value.split())  # split() drops what `\s` matches
            if value in _J_KEYWORDS:
                kind = "keyword"
        result.append(_JToken(kind, value, m.start(), m.end()))
    return tuple(result)


# Tags repeat (`{% endif %}`, `{{ order.number }}`, a translation key per line of a theme).
_j_tokenize_cached = lru_cache(maxsize=4096)(_j_tokenize)


def _j_tag_parts(raw: str) -> tuple[str, str, str, int]:
    """A tag's text without trim marks, the whitespace they trim, and where its text starts."""
    inner, before, after = _trim_marks(raw, _J_MARKS)
    return inner, before, after, len(raw) - len(raw.lstrip(" \t\r\n-+~"))


# Per distinct tag text, as the tokens are.
_j_tag_parts_cached = lru_cache(maxsize=4096)(_j_tag_parts)


class _Jinja:
    def __init__(self, out: _Out) -> None:
        self.out = out
        self.closers = _Closers(out.source)
        self.locals: dict[str, Any] = {}

    def find_tag(self, start: int) -> _Tag | None:
        src = self.out.source
        search = start
        while True:
            match = _J_OPEN.search(src, search)
            if match is None:
                return None
            ts = match.start()
            kind = match.group()
            end = self.closers.find(_J_CLOSERS[kind], ts + 2)
            if end is None:
                search = ts + 2
                continue
            raw = src[ts + 2 : end.start()]
            parts = _j_tag_parts_cached if len(raw) <= 200 else _j_tag_parts
            inner, before, after, lead = parts(raw)
            return _Tag(ts, end.end(), inner, ts + 2 + lead, kind, before, after)

    def tokens(self, tag: _Tag) -> tuple[_JToken, ...]:
        """The tag's tokens; their offsets count from ``tag.inner_start``."""
        return _j_tokens(self.out.source[tag.inner_start : tag.end - 2])

    def paths(self, tokens: Sequence[_JToken]) -> list[_JToken]:
        """The name tokens that read variables (not filters, tests, functions or keys)."""
        result: list[_JToken] = []
        depth_brace = 0
        for i, token in enumerate(tokens):
            if token.kind == "op":
                if token.text == "{":
                    depth_brace += 1
                elif token.text == "}":
                    depth_brace = max(0, depth_brace - 1)
                continue
            if token.kind != "name":
                continue
            prev = tokens[i - 1] if i else None
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if prev is not None and prev.text in ("|", ".", "is", "as"):
                continue  # filter, attribute of a call result, test, `as` target
            if prev is not None and prev.text == "not" and i >= 2 and tokens[i - 2].text == "is":
                continue
            if nxt is not None and nxt.text in ("(", "="):
                continue  # function, keyword argument
            if nxt is not None and nxt.text == ":" and depth_brace:
                continue  # hash key
            if nxt is not None and (nxt.text == "=>" or _in_lambda(tokens, i)):
                self.locals[token.text] = _MISSING  # Twig arrow-function parameter
                continue
            result.append(token)
        return result

    def read(self, token: _JToken, *, record: bool = True) -> Any:
        """The sample value of a path token, recording it as a variable."""
        parts = token.text.split(".")
        head = parts[0]
        if head in self.locals:
            base = self.locals[head]
            return _walk(base, parts[1:]) if base is not _MISSING else _MISSING
        if head in _J_GLOBALS:
            return _MISSING
        value = _walk(self.out.sample, parts)
        if record:
            self.out.use(token.text, value)
        return value

    def read_all(self, tokens: Sequence[_JToken]) -> tuple[Any, str | None]:
        """Record every variable in ``tokens``; the value and name of the first."""
        first: tuple[Any, str | None] = (_MISSING, None)
        for i, token in enumerate(self.paths(tokens)):
            value = self.read(token)
            if i == 0:
                first = (value, token.text)
        return first

    def handle(self, tag: _Tag) -> tuple[int, str]:
        if tag.kind == "{#":
            return tag.end, tag.trim_after
        tokens = self.tokens(tag)
        if tag.kind == "{{":
            self.expression(tag, tokens)
            return tag.end, tag.trim_after
        return self.statement(tag, tokens)

    def expression(self, tag: _Tag, tokens: Sequence[_JToken]) -> None:
        out = self.out
        head, filters = _split_filters(tokens)
        # `{{ "Text"|trans }}`, `{{ 'key'|trans({}, null, locale) }}`: the string is the text.
        if len(head) == 1 and head[0].kind == "str" and set(filters) <= _J_TEXT_FILTERS:
            self.read_all(tokens)
            self.string(head[0], tag)
            return
        # `{{ _("Text %(x)s", x=y) }}`: gettext calls print their (translated) string.
        if (
            len(head) >= 3
            and head[0].kind == "name"
            and head[0].text in _J_GETTEXT
            and head[1].text == "("
            and head[2].kind == "str"
        ):
            self.gettext(tag, head, tokens)
            return
        value, name = self.read_all(tokens)
        if name is None:
            # Literals only (`{{ 42 }}`, `{{ "a" ~ "b" }}`): print what they spell.
            strings = [t for t in head if t.kind in ("str", "num")]
            text = "".join(_unescape(t.text) if t.kind == "str" else t.text for t in strings)
            out.generated(text, tag.start, tag.end)
            return
        if value is _MISSING:
            value = _default_filter(filters, tokens)
        out.generated(_as_text(value, name, python_bools=True), tag.start, tag.end)

    def string(self, token: _JToken, tag: _Tag) -> None:
        body = _string_body(token.text)
        if body is None:
            self.out.generated(_unescape(token.text), tag.start, tag.end)
        else:
            base = tag.inner_start
            self.out.literal(base + token.start + 1, base + token.end - 1)

    def gettext(self, tag: _Tag, head: Sequence[_JToken], tokens: Sequence[_JToken]) -> None:
        # Keyword arguments feed `%(name)s` placeholders.
        kwargs: dict[str, Any] = {}
        for i, token in enumerate(tokens[:-2]):
            if token.kind == "name" and tokens[i + 1].text == "=" and tokens[i + 2].kind == "name":
                kwargs[token.text] = self.read(tokens[i + 2])
        self.read_all(tokens)
        token = head[2]
        body = _string_body(token.text)
        if body is None:
            self.out.generated(_unescape(token.text), tag.start, tag.end)
            return
        base = tag.inner_start
        pos = base + token.start + 1
        for match in _J_PERCENT_FORMAT.finditer(body):
            start = base + token.start + 1 + match.start()
            self.out.literal(pos, start)
            name = match.group(1)
            value = kwargs.get(name, _MISSING)
            self.out.generated(
                _as_text(value, name, python_bools=True), start, start + len(match.group())
            )
            pos = start + len(match.group())
        self.out.literal(pos, base + token.end - 1)

    def statement(self, tag: _Tag, tokens: Sequence[_JToken]) -> tuple[int, str]:
        out = self.out
        name = tokens[0].text if tokens and tokens[0].kind in ("name", "keyword") else ""
        args = tokens[1:]
        if name in _J_END_RAW:
            return self.raw_block(tag, name)
        if name in _J_CONDITIONAL:
            self.read_all(args)
            out.open_block(tag.end)
        elif name in _J_END_CONDITIONAL:
            out.close_block(tag.start)
        elif name in ("elif", "elseif", "else"):
            self.read_all(args)
        elif name == "for":
            self.for_tag(args)
        elif name == "set":
            self.set_tag(args)
        elif name in _J_TRANS and args and args[0].kind == "str":
            # Django `{% trans "Text" %}`; `... as var` stores instead of printing.
            self.read_all(args[1:])
            if not any(t.text in ("as", "asvar", "noop") for t in args[1:]):
                self.string(args[0], tag)
        elif name in _J_INCLUDE_TAGS:
            strings = [t for t in args if t.kind == "str"]
            if strings:
                out.includes.append(_unescape(strings[0].text))
            if name in ("import", "from"):
                for i, token in enumerate(args):
                    if token.kind == "name" and i and args[i - 1].text in ("as", "import", ","):
                        self.locals[token.text] = _MISSING
            else:
                self.read_all([t for t in args if t.kind != "str"])
        elif name == "macro":
            for token in args[1:]:
                if token.kind == "name":
                    self.locals[token.text.split(".")[0]] = _MISSING
        if name in _J_ALIAS_TAGS:
            self.aliases(args)
        # Django's `{% tag ... as name %}` binds a name in any tag.
        for i, token in enumerate(args[:-1]):
            if token.text in ("as", "asvar") and args[i + 1].kind == "name":
                self.locals.setdefault(args[i + 1].text, _MISSING)
        return tag.end, tag.trim_after

    def aliases(self, args: Sequence[_JToken]) -> None:
        """`with a=b`, `count n=x`, `with b as a`: bind local names to sample values."""
        for i, token in enumerate(args):
            nxt = args[i + 1] if i + 1 < len(args) else None
            if token.kind == "name" and nxt is not None and nxt.text == "=" and i + 2 < len(args):
                value_token = args[i + 2]
                value = self.read(value_token) if value_token.kind == "name" else _MISSING
                self.locals[token.text] = value
            elif (
                token.kind == "name"
                and nxt is not None
                and nxt.text == "as"
                and i + 2 < len(args)
                and args[i + 2].kind == "name"
            ):
                self.locals[args[i + 2].text] = self.read(token)

    def for_tag(self, args: Sequence[_JToken]) -> None:
        in_at = next((i for i, t in enumerate(args) if t.text == "in"), None)
        if in_at is None:
            return
        value, _name = self.read_all(args[in_at + 1 :])
        item = _first_item(value) if value is not _MISSING else _MISSING
        targets = [t for t in args[:in_at] if t.kind == "name"]
        for i, target in enumerate(targets):
            if len(targets) > 1 and isinstance(value, Mapping):
                # `for key, value in mapping.items()`
                self.locals[target.text] = _MISSING if i else next(iter(value), _MISSING)
            else:
                self.locals[target.text] = item if len(targets) == 1 else _MISSING

    def set_tag(self, args: Sequence[_JToken]) -> None:
        eq = next((i for i, t in enumerate(args) if t.text == "="), None)
        targets = [t for t in (args[:eq] if eq is not None else args) if t.kind == "name"]
        value: Any = _MISSING
        if eq is not None:
            value, _name = self.read_all(args[eq + 1 :])
        for target in targets:
            self.locals[target.text] = value if len(targets) == 1 else _MISSING

    def raw_block(self, tag: _Tag, name: str) -> tuple[int, str]:
        """`{% raw %}`/`{% verbatim %}` print their content as is; `{% comment %}` hides it."""
        src = self.out.source
        end = self.closers.find(_J_END_RAW[name], tag.end)
        if end is None:
            return tag.end, tag.trim_after  # unterminated: drop the tag, keep the rest
        end_tag = src[end.start() : end.end()]
        trim_before = _J_MARKS.get(end_tag[2:3], "")
        trim_after = _J_MARKS.get(end_tag[-3:-2], "")
        if name != "comment":
            start = _lstrip(src, tag.end, tag.trim_after)
            self.out.literal(start, _rstrip(src, start, end.start(), trim_before))
        return end.end(), trim_after


def _split_filters(tokens: Sequence[_JToken]) -> tuple[Sequence[_JToken], list[str]]:
    """Tokens before the first top-level `|`, and the names of the filters after it."""
    depth = 0
    head: Sequence[_JToken] | None = None
    filters: list[str] = []
    for i, token in enumerate(tokens):
        if token.text in ("(", "[", "{"):
            depth += 1
        elif token.text in (")", "]", "}"):
            depth = max(0, depth - 1)
        elif token.text == "|" and depth == 0:
            if head is None:
                head = tokens[:i]
            if i + 1 < len(tokens):
                filters.append(tokens[i + 1].text)
    return (tokens if head is None else head), filters


def _default_filter(filters: list[str], tokens: Sequence[_JToken]) -> Any:
    """The string given to `|default("...")`, if any (what Jinja prints for a missing value)."""
    if "default" not in filters and "d" not in filters:
        return _MISSING
    for i, token in enumerate(tokens[:-2]):
        if token.text in ("default", "d") and tokens[i + 1].text in ("(", ":"):
            arg = tokens[i + 2]
            if arg.kind == "str":
                return _unescape(arg.text)
    return _MISSING


def _in_lambda(tokens: Sequence[_JToken], i: int) -> bool:
    """True for `x` in Twig's `(x, y) => ...` parameter lists."""
    # Parameter lists are short: looking a few tokens ahead keeps this linear.
    for k in range(i + 1, min(len(tokens), i + 16)):
        text = tokens[k].text
        if text == ")":
            return k + 1 < len(tokens) and tokens[k + 1].text == "=>"
        if text != "," and tokens[k].kind != "name":
            return False
    return False


# ---------------------------------------------------------------------------------------------


def _scan(source: str, syntax: str, sample: Mapping[str, Any]) -> _Out:
    out = _Out(source, sample)
    if syntax == "handlebars":
        hb = _Handlebars(out)
        _drive(out, hb.find_tag, hb.handle)
    elif syntax == "go":
        go = _Go(out)
        _drive(out, go.find_tag, go.handle)
    elif syntax == "notify":
        _scan_notify(out)
    elif syntax == "jinja":
        jinja = _Jinja(out)
        _drive(out, jinja.find_tag, jinja.handle)
    else:
        out.literal(0, len(source))
    return out


def extract(
    source: str, syntax: str, sample: Mapping[str, Any], *, reason: str | None = None
) -> RenderResult:
    """Tag-aware extraction of ``source`` in ``syntax`` (jinja, handlebars, go, notify, raw).

    Literal text keeps its source offsets; placeholders become the sample's value or
    :func:`neutral_value`; every branch's text is kept. Never raises.
    """
    if syntax not in FALLBACK_REASONS and syntax != "raw":
        syntax = detect_syntax(source)
    sample = sample if isinstance(sample, Mapping) else {}
    default_reason = FALLBACK_REASONS.get(syntax)
    try:
        out = _scan(source, syntax, sample)
    except Exception:  # a linter must lint the rest; the text still gets checked
        return RenderResult(
            output=MappedText.identity(source),
            fallback=True,
            fallback_reason=reason or default_reason or "template not understood: raw text",
        )
    return out.result(reason or default_reason)
