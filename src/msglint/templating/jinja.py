"""Jinja2 templater: parse to an AST, check it, render it in a sandbox, map output to source.

Templates are untrusted input. Rendering happens in Jinja2's ``SandboxedEnvironment`` with
bounded ranges, arithmetic, output size, time and include paths; the AST is also inspected
statically so that an escape attempt is reported even on paths the samples do not render.

Source mapping: Jinja's lexer yields every token's exact text, so walking the tokens gives the
source offset of each literal (``data``) token. The rendered output is then aligned with these
literals in order (loops repeat them, ``if`` branches skip them); text between literals was
produced by tags and maps to the tag region that produced it.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from msglint.mapping import Chunk, MappedText, new_chunk
from msglint.memo import on_template_start
from msglint.model import Severity, dataclass_eq, dataclass_repr
from msglint.templating.base import Problem, RenderOptions, RenderResult, neutral_value

# Attribute names that lead out of the sandbox in known escapes; underscores cover the rest.
_UNSAFE_ATTRIBUTES = frozenset(
    {
        "mro",
        "func_globals",
        "func_code",
        "gi_frame",
        "gi_code",
        "cr_frame",
        "f_globals",
        "f_locals",
        "f_builtins",
        "im_func",
        "im_self",
        "tb_frame",
    }
)
_MAX_INCLUDE_DEPTH = 10
_TIME_LIMIT_S = 2.0


class RenderAborted(Exception):
    """A render exceeded a bound (output size, loop iterations, time)."""


# A literal text token: (offset in the source, text). A plain tuple, not a named one: the
# analysis cache holds one per literal, and a named tuple is rebuilt by a Python call each.
_Literal = tuple[int, str]


# --- the environment ---------------------------------------------------------------------


class _Budget:
    """Shared per-render limits; checked from filters, ranges and the output loop."""

    def __init__(self, options: RenderOptions) -> None:
        self.max_iterations = options.max_loop_iterations
        self.reset()

    def reset(self) -> None:
        self.iterations = 0
        self.deadline = time.monotonic() + _TIME_LIMIT_S
        self.include_depth = 0

    def spend(self, n: int = 1) -> None:
        self.iterations += n
        if self.iterations > self.max_iterations:
            raise RenderAborted(f"more than {self.max_iterations} loop iterations")
        if time.monotonic() > self.deadline:
            raise RenderAborted(f"rendering took longer than {_TIME_LIMIT_S:.0f} s")


# The variables the render in progress found undefined (renders run one at a time).
_RECORDING: list[set[str]] = [set()]


def _make_undefined_class(recorder: set[str]) -> type:
    """The Undefined class, created once (creating a class per template is slow)."""
    _RECORDING[0] = recorder
    return _undefined_class()


@lru_cache(maxsize=1)
def _undefined_class() -> type:
    from jinja2 import Undefined

    class PlaceholderUndefined(Undefined):
        """An unknown variable: recorded, rendered as a neutral word, chainable and callable."""

        __slots__ = ()

        def _path(self) -> str:
            name = self._undefined_name or ""
            obj = self._undefined_obj
            if isinstance(obj, PlaceholderUndefined):
                return f"{obj._path()}.{name}"
            return str(name)

        def __str__(self) -> str:
            path = self._path()
            if path:
                _RECORDING[0].add(path)
            return neutral_value(path)

        def __getattr__(self, name: str) -> Any:
            if name[:2] == "__":
                raise AttributeError(name)
            return PlaceholderUndefined(obj=self, name=name)

        def __getitem__(self, key: Any) -> Any:
            return PlaceholderUndefined(obj=self, name=str(key))

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return PlaceholderUndefined(obj=self._undefined_obj, name=self._undefined_name)

        def __iter__(self) -> Iterator[Any]:
            path = self._path()
            if path:
                _RECORDING[0].add(path)
            return iter(())

        def __bool__(self) -> bool:
            path = self._path()
            if path:
                _RECORDING[0].add(path)
            return False

        __html__ = __str__

    return PlaceholderUndefined


def _passthrough(value: Any = None, *args: Any, **kwargs: Any) -> Any:
    """Stand-in for filters and functions Jinja does not know (Twig's ``currency``, ...)."""
    return value


def _tolerant(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that passes its value through when called with another engine's arguments
    (Twig's ``striptags('<br>')``, ``replace({...})``)."""
    pass_arg = getattr(fn, "jinja_pass_arg", None)

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, LookupError):
            values = args[1:] if pass_arg is not None else args
            return values[0] if values else None

    if pass_arg is not None:
        call.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    return call


# Wrapped built-in filters and tests: (the dict they were made from, the wrapped dict). The
# wrappers hold no state, so every template's environment starts from a copy of these.
_TOLERANT: list[tuple[dict[str, Any], dict[str, Any]]] = []


def _tolerant_all(base: Mapping[str, Any]) -> dict[str, Any]:
    for made_from, wrapped in _TOLERANT:
        if made_from == base:
            return wrapped
    wrapped = {name: _tolerant(fn) for name, fn in base.items()}
    if len(_TOLERANT) < 8:  # filters and tests; a few more if an extension adds some
        _TOLERANT.append((dict(base), wrapped))
    return wrapped


class _LenientFilters(dict[str, Any]):
    """Filters or tests dict that accepts unknown names, so templates from other engines render."""

    def __init__(self, base: Mapping[str, Any], default: Callable[..., Any]) -> None:
        super().__init__(_tolerant_all(base))
        self._default = default

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str) -> Any:
        return self._default

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key, self._default)


@lru_cache(maxsize=1)
def _environment_classes() -> tuple[type, type, tuple[type, ...], Any]:
    """The loader and environment classes, created once (creating classes per template is
    slow); each instance holds the state of its own template. Also the extension classes
    (given by name, Jinja imports them again for every environment) and the disk cache of
    compiled includes (it holds no state of its own)."""
    from jinja2 import BaseLoader
    from jinja2.bccache import Bucket, BytecodeCache
    from jinja2.ext import ExprStmtExtension, InternationalizationExtension, LoopControlExtension
    from jinja2.sandbox import SandboxedEnvironment

    class RootedLoader(BaseLoader):
        """Loads includes only from inside the template root.

        A refused or missing include renders as nothing (a missing ``extends`` parent as the
        child's own blocks), so the rest of the template is still checked. Every file looked
        at goes into ``consulted`` (the result cache's dependencies). Jinja keeps loaded
        includes; one is loaded again when its file changed or, if missing, appeared.
        """

        def __init__(
            self,
            options: RenderOptions,
            budget: _Budget,
            include_sources: dict[str, str],
            missing: set[str],
            consulted: dict[str, None],
        ) -> None:
            self.options = options
            self.budget = budget
            self.include_sources = include_sources
            self.missing = missing
            self.consulted = consulted

        def get_source(
            self, environment: Any, template: str
        ) -> tuple[str, str | None, Callable[[], bool] | None]:
            budget = self.budget
            include_sources = self.include_sources
            missing = self.missing
            budget.include_depth += 1
            if budget.include_depth > 50 * _MAX_INCLUDE_DEPTH:
                raise RenderAborted("too many includes (recursive include?)")
            if template in include_sources:
                return include_sources[template], None, lambda: True
            looked: dict[str, None] = {}
            resolved = (
                None
                if include_refused(template)
                else resolve_include(template, self.options, looked)
            )
            self.consulted.update(looked)
            if resolved is not None and resolved.is_file():
                try:
                    loaded_at = _file_state(resolved)
                    text = resolved.read_text(encoding="utf-8-sig")
                    missing.discard(template)
                    return text, str(resolved), lambda: _file_state(resolved) == loaded_at
                except (OSError, UnicodeDecodeError):
                    pass
            missing.add(template)
            return (
                include_sources.get("\0missing", ""),
                None,
                lambda: not any(os.path.exists(p) for p in looked),
            )

    class MsglintSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+"})

        def __init__(self, max_output_chars: int, **kwargs: Any) -> None:
            self.max_output_chars = max_output_chars
            super().__init__(**kwargs)

        def __getattr__(self, name: str) -> Any:
            # A template's environment (see _environment) binds the extensions and makes its
            # cache of loaded includes when it first needs them: only to compile or load an
            # include, which most templates never do. Bound extensions point back at their
            # environment, so binding them up front made every environment cyclic garbage.
            base_extensions = self.__dict__.get("_base_extensions")
            if base_extensions is None:
                raise AttributeError(name)
            if name == "extensions":
                value: Any = {key: ext.bind(self) for key, ext in base_extensions.items()}
            elif name == "cache":
                from jinja2.utils import LRUCache

                value = LRUCache(400)  # Jinja's default cache_size
            else:
                raise AttributeError(name)
            self.__dict__[name] = value
            return value

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            max_output_chars = self.max_output_chars
            if operator == "**":
                if isinstance(right, int | float) and abs(right) > 100:
                    raise RenderAborted("exponent too large")
                return left**right
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if (
                        isinstance(seq, str | list | tuple)
                        and isinstance(count, int)
                        and len(seq) * count > max_output_chars
                    ):
                        raise RenderAborted("repeated text too long")
                return left * right
            result = left + right
            if isinstance(result, str | list) and len(result) > max_output_chars:
                raise RenderAborted("text too long")
            return result

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            if attr in _UNSAFE_ATTRIBUTES:
                return False
            return bool(super().is_safe_attribute(obj, attr, value))

    class IncludeCodeCache(BytecodeCache):
        """Compiled includes and ``extends`` parents, kept on disk like a template's analysis.

        Every template has its own environment, so without it a shared layout or partial is
        parsed and compiled again for each template that includes it, in every run. The code
        is what the environment compiles from the include's source (keyed by that source, its
        name and file name); the sandbox checks it at render time as before.
        """

        def load_bytecode(self, bucket: Bucket) -> None:
            from msglint.cachedir import load_pickle

            data = load_pickle(_include_cache_file(bucket))
            if isinstance(data, bytes):
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: Bucket) -> None:
            from msglint.cachedir import store_pickle

            store_pickle(_include_cache_file(bucket), bucket.bytecode_to_string())

    extensions = (InternationalizationExtension, LoopControlExtension, ExprStmtExtension)
    return RootedLoader, MsglintSandbox, extensions, IncludeCodeCache()


def _include_cache_file(bucket: Any) -> Path | None:
    from msglint.cachedir import cache_file

    # Bucket keys: a digest of the include's name and file name, and one of its source.
    return cache_file("jinja-include", bucket.key, bucket.checksum, *_versions(), _this_module())


def _environment(
    options: RenderOptions,
    budget: _Budget,
    undefined: type,
    include_sources: dict[str, str],
    missing: set[str],
    consulted: dict[str, None],
) -> Any:
    base, state = _base_environment(options.max_output_chars, undefined)
    # A copy of the configured environment, as Environment.overlay() makes one: its __init__
    # (extensions, filter and policy tables) is the same for every template. What a template's
    # render changes or reads back is its own: loader, globals, and the template cache and
    # extensions bound to it (made on first use, see MsglintSandbox.__getattr__). Filters and
    # tests are shared (nothing changes them after this).
    env = object.__new__(type(base))
    env.__dict__.update(state)
    env.loader = _environment_classes()[0](options, budget, include_sources, missing, consulted)

    def bounded_range(*args: Any) -> range:
        r = range(*args)
        budget.spend(len(r))
        return r

    env.globals = dict(base.globals)
    env.globals["range"] = bounded_range
    return env


@lru_cache(maxsize=8)
def _base_environment(max_output_chars: int, undefined: type) -> tuple[Any, dict[str, Any]]:
    """The environment every template's own one is copied from (never rendered with), and
    the attributes a copy starts with (without the base's cache and bound extensions)."""
    _loader_class, sandbox_class, extensions, include_code = _environment_classes()
    env = sandbox_class(
        max_output_chars,
        undefined=undefined,
        autoescape=False,
        keep_trailing_newline=True,
        extensions=extensions,  # jinja2.ext.i18n, jinja2.ext.loopcontrols, jinja2.ext.do
        # No compile-time constant folding: it is slower to compile, and every expression is
        # then evaluated at render time, inside the sandbox.
        optimized=False,
        bytecode_cache=include_code,
    )
    # install_null_translations(newstyle=True), with callables made once (~20 µs a template).
    env.newstyle_gettext = True
    env.globals.update(_null_gettext())
    env.filters = _LenientFilters(env.filters, _passthrough)
    env.tests = _LenientFilters(env.tests, lambda *a, **k: False)
    state = {k: v for k, v in env.__dict__.items() if k not in ("cache", "extensions")}
    state["_base_extensions"] = env.extensions
    return env, state


@lru_cache(maxsize=1)
def _null_gettext() -> dict[str, Any]:
    """The globals ``install_null_translations(newstyle=True)`` installs.

    Made once and shared by every template's environment, as the wrapped filters are: they hold
    no state (the null translations return their text; the rest comes from the render context).
    """
    from jinja2 import Environment

    env: Any = Environment(extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)
    return {name: env.globals[name] for name in ("gettext", "ngettext", "pgettext", "npgettext")}


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def resolve_include(
    name: str, options: RenderOptions, consulted: dict[str, None] | None = None
) -> Path | None:
    """The include's path if it lies inside the template root, else None.

    The paths looked at (found or not) are added to ``consulted``.
    """
    if not name or "\x00" in name:
        return None
    root = options.include_root
    if root is None:
        return None
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return None
    try:
        root = root.resolve()  # every call: a re-pointed link must not keep an old root
        candidates = [root / name]
        if options.template_path is not None:
            candidates.insert(0, options.template_path.resolve().parent / name)
        for candidate in candidates:
            resolved = candidate.resolve()
            if not resolved.is_relative_to(root):
                continue
            if consulted is not None:
                consulted[str(candidate)] = None  # unresolved: a re-pointed symlink counts
            if resolved.is_file():
                return resolved
        resolved = candidates[-1].resolve()
        return resolved if resolved.is_relative_to(root) else None
    except (OSError, ValueError, RuntimeError):
        return None


def include_refused(name: str) -> bool:
    """True for include names that try to leave the template root."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return True
    parts = re.split(r"[\\/]+", name)
    depth = 0
    for part in parts:
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


# --- static analysis ---------------------------------------------------------------------


class _Positions:
    """Line → offset conversion for the template source (Jinja reports 1-based lines)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.starts = [0]
        for m in re.finditer("\n", source):
            self.starts.append(m.end())

    def line_range(self, line: int) -> tuple[int, int]:
        line = max(1, min(line, len(self.starts)))
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.source)
        return start, end

    def find_on_line(self, line: int, needle: str) -> tuple[int, int]:
        start, end = self.line_range(line)
        pos = self.source.find(needle, start, end + 1) if needle else -1
        if pos == -1:
            first = start + len(self.source[start:end]) - len(self.source[start:end].lstrip())
            return first, max(first, end)
        return pos, pos + len(needle)


def _static_checks(ast: Any, positions: _Positions, problems: list[Problem]) -> tuple[str, ...]:
    """Unsafe attribute access and include paths, found in the AST. Returns include names."""
    from jinja2 import nodes

    includes: list[str] = []
    seen: set[tuple[int, str]] = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            attr = node.arg.value if isinstance(node.arg.value, str) else None
        if not attr or not (attr.startswith("_") or attr in _UNSAFE_ATTRIBUTES):
            continue
        key = (node.lineno, attr)
        if key in seen:
            continue
        seen.add(key)
        start, end = positions.find_on_line(node.lineno, attr)
        problems.append(
            Problem(
                "template/unsafe",
                f"access to the internal attribute '{attr}' is not allowed: "
                "this is how sandbox escapes start; it is not rendered",
                start,
                end,
            )
        )
    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        names: list[str] = []
        template = node.template
        if isinstance(template, nodes.Const) and isinstance(template.value, str):
            names = [template.value]
        elif isinstance(template, nodes.List | nodes.Tuple):
            names = [
                item.value
                for item in template.items
                if isinstance(item, nodes.Const) and isinstance(item.value, str)
            ]
        for name in names:
            includes.append(name)
            if include_refused(name):
                start, end = positions.find_on_line(node.lineno, name)
                problems.append(
                    Problem(
                        "template/include",
                        f"include '{name}' points outside the template root and was refused",
                        start,
                        end,
                        Severity.ERROR,
                    )
                )
    return tuple(includes)


# Names Jinja provides inside templates; never sample variables.
_IMPLICIT_NAMES = frozenset(
    {
        "loop",
        "caller",
        "varargs",
        "kwargs",
        "self",
        "super",
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
        "_",
        "gettext",
        "ngettext",
        "pgettext",
        "npgettext",
        "true",
        "false",
        "none",
    }
)


def _undeclared_names(ast: Any) -> frozenset[str]:
    """Names the template reads but never sets (its sample variables).

    Cheaper than ``jinja2.meta.find_undeclared_variables`` (which runs a second code
    generator over the whole tree); it ignores scoping, which only matters for the rare
    template that reads a name before a ``{% set %}`` of the same name.
    """
    from jinja2 import nodes

    loaded: set[str] = set()
    stored: set[str] = set()
    for node in ast.find_all(nodes.Name):
        (loaded if node.ctx == "load" else stored).add(node.name)
    for macro in ast.find_all((nodes.Macro, nodes.CallBlock)):
        stored.update(arg.name for arg in macro.args)
    for imp in ast.find_all((nodes.Import, nodes.FromImport)):
        if isinstance(imp, nodes.Import):
            stored.add(imp.target)
        else:
            stored.update(n if isinstance(n, str) else n[-1] for n in imp.names)
    for macro in ast.find_all(nodes.Macro):
        stored.add(macro.name)
    return frozenset(loaded - stored - _IMPLICIT_NAMES)


def _dotted_paths(ast: Any) -> set[str]:
    """Variable paths read by the template: ``order.customer.name`` and plain names."""
    from jinja2 import nodes

    paths: set[str] = set()
    for node in ast.find_all(nodes.Getattr):
        parts = [node.attr]
        inner = node.node
        while isinstance(inner, nodes.Getattr):
            parts.append(inner.attr)
            inner = inner.node
        if isinstance(inner, nodes.Name):
            parts.append(inner.name)
            paths.add(".".join(reversed(parts)))
    return paths


_TAG_RE = re.compile(
    r"\{%-?\s*(if|elif|else|endif|for|endfor|raw|endraw)\b.*?-?%\}|\{#.*?#\}", re.DOTALL
)


def conditional_ranges(source: str) -> tuple[tuple[int, int], ...]:
    """Source ranges inside ``{% if %}`` … ``{% endif %}`` (and for-else) blocks."""
    ranges: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    in_raw = False
    for m in _TAG_RE.finditer(source):
        keyword = m.group(1)
        if keyword is None:
            continue
        if in_raw:
            in_raw = keyword != "endraw"
            continue
        if keyword == "raw":
            in_raw = True
        elif keyword in ("if", "for"):
            stack.append((keyword, m.end()))
        elif keyword in ("elif", "else"):
            if stack and stack[-1][0] == "if":
                ranges.append((stack[-1][1], m.start()))
                stack[-1] = ("if", m.end())
        elif keyword == "endif" and stack and stack[-1][0] == "if":
            ranges.append((stack.pop()[1], m.start()))
        elif keyword == "endfor" and stack and stack[-1][0] == "for":
            stack.pop()
    return tuple(r for r in ranges if r[1] > r[0])


# --- source mapping ----------------------------------------------------------------------


def _literals(env: Any, source: str) -> list[_Literal]:
    """Literal text tokens of the template, with their offsets in ``source``."""
    literals: list[_Literal] = []
    cursor = 0
    for _line, kind, value in env.lex(source):
        if not value:
            continue
        pos = source.find(value, cursor)
        if pos == -1:
            continue
        cursor = pos + len(value)
        if kind == "data":
            literals.append((pos, value))
    return literals


_LOOKAHEAD = 12  # literals after the expected one that may follow (skipped branches)
_RECENT = 24  # recently matched literals that may come again (loop bodies)
_WINDOW = 8192  # characters of generated text searched before looking further


def align_output(output: str, literals: list[_Literal], source_len: int) -> MappedText:
    """Map rendered output to template source by finding the literals in it, in order.

    Linear in the output: at each point only the expected literal, a few after it (skipped
    branches) and the recently matched ones (loops) are tried.
    """
    chunks: list[Chunk] = []
    n = len(literals)
    pos = 0
    nxt = 0  # index of the literal expected next
    prev_end = 0  # source end of the last matched literal
    out_len = len(output)
    recent: list[int] = []  # indices of recently matched literals, newest last
    absent: set[int] = set()  # literals that do not occur again after some point
    texts = [text for _, text in literals]
    startswith = output.startswith
    find = output.find
    while pos < out_len:
        if nxt < n and startswith(texts[nxt], pos):
            matched = nxt  # the usual case: the first candidate, without making the list
        else:
            candidates = [*range(nxt, min(n, nxt + _LOOKAHEAD)), *reversed(recent)]
            candidate_texts = tuple(map(texts.__getitem__, candidates))
            matched = -1
            # One call rules out every candidate at once (generated text starts here).
            if startswith(candidate_texts, pos):
                for j, text in zip(candidates, candidate_texts, strict=True):
                    if startswith(text, pos):
                        matched = j
                        break
        if matched >= 0:
            lit_start, lit_text = literals[matched]
            lit_len = len(lit_text)
            prev_end = lit_start + lit_len
            chunks.append(new_chunk((pos, pos + lit_len, lit_start, prev_end, True)))
            pos += lit_len
            nxt = matched + 1
            if matched in recent:
                recent.remove(matched)
            recent.append(matched)
            if len(recent) > _RECENT:
                del recent[0]
            continue
        # Generated text: runs until the next literal we can find, looked for nearby first.
        gen_end, target = out_len, n
        window_end = limit = min(out_len, pos + 1 + _WINDOW)
        for j, text in zip(candidates, candidate_texts, strict=True):
            found = find(text, pos + 1, limit)
            if found != -1:
                gen_end = limit = found  # found < limit <= window_end <= out_len
                target = j
                if found == pos + 1:
                    break
        if target == n and nxt < n and nxt not in absent and window_end < out_len:
            found = find(texts[nxt], window_end)
            if found == -1:
                absent.add(nxt)  # never searched to the end again
            else:
                gen_end, target = found, nxt
        src_end = literals[target][0] if target < n else source_len
        if src_end < prev_end:
            src_end = prev_end
        chunks.append(new_chunk((pos, gen_end, prev_end, src_end, False)))
        pos = gen_end
    return MappedText(output, chunks)


# --- rendering ---------------------------------------------------------------------------


class JinjaSyntaxError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def parse(source: str) -> Any:
    """Parse Jinja source to an AST (raises JinjaSyntaxError)."""
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        extensions=["jinja2.ext.i18n", "jinja2.ext.loopcontrols", "jinja2.ext.do"]
    )
    try:
        return env.parse(source)
    except TemplateSyntaxError as exc:
        raise JinjaSyntaxError(exc.message or "syntax error", exc.lineno or 1) from None


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class _Prepared:
    """A parsed, checked and compiled template, reused for every sample of a run."""

    env: Any
    template: Any  # compiled jinja2.Template, or None when unsafe
    budget: _Budget
    recorder: set[str]
    missing: set[str]
    consulted: dict[str, None]  # files the includes were looked up in (in order)
    static_problems: list[Problem]
    includes: tuple[str, ...]
    variables: frozenset[str]
    top_level: frozenset[str]
    literals: list[_Literal]
    conditional: tuple[tuple[int, int], ...]

    def __init__(
        self,
        env: Any,
        template: Any,
        budget: _Budget,
        recorder: set[str],
        missing: set[str],
        consulted: dict[str, None],
        static_problems: list[Problem],
        includes: tuple[str, ...],
        variables: frozenset[str],
        top_level: frozenset[str],
        literals: list[_Literal],
        conditional: tuple[tuple[int, int], ...],
    ) -> None:
        self.env = env
        self.template = template
        self.budget = budget
        self.recorder = recorder
        self.missing = missing
        self.consulted = consulted
        self.static_problems = static_problems
        self.includes = includes
        self.variables = variables
        self.top_level = top_level
        self.literals = literals
        self.conditional = conditional

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


_PREPARED: dict[tuple[str, RenderOptions], _Prepared | str] = {}
_PREPARED_MAX = 256  # a template's samples, variants and re-renders; includes are Jinja's own
on_template_start(_PREPARED.clear)  # across templates, the disk caches serve the compiled code


def _prepare(normalized: str, options: RenderOptions) -> _Prepared | str:
    """Parse, check and compile once per source and template; a fallback reason if unparsable."""
    key = (normalized, options)
    cached = _PREPARED.get(key)
    if cached is not None:
        return cached
    prepared = _prepare_uncached(normalized, options)
    if len(_PREPARED) >= _PREPARED_MAX:
        _PREPARED.pop(next(iter(_PREPARED)))
    _PREPARED[key] = prepared
    return prepared


def _prepare_uncached(normalized: str, options: RenderOptions) -> _Prepared | str:
    """Parse, check and compile; the results are also kept on disk between runs.

    A template that did not change since the last run (pre-commit, CI re-runs) is neither
    parsed nor compiled again: its analysis and Jinja's code object come from the cache.
    """

    budget = _Budget(options)
    recorder: set[str] = set()
    missing: set[str] = set()
    consulted: dict[str, None] = {}
    sources: dict[str, str] = {}
    env = _environment(
        options, budget, _make_undefined_class(recorder), sources, missing, consulted
    )
    from msglint.cachedir import store_marshal

    cache_file = _analysis_cache_file(normalized, options)
    analysis = _load_analysis(cache_file)
    if analysis is None:
        analysis = _analyse(env, normalized)
        store_marshal(cache_file, analysis)
    if isinstance(analysis, str):
        return analysis
    code, problems, includes, variables, top_level, literals, conditional, missing_parent = analysis
    sources["\0missing"] = missing_parent
    template = None
    if code is not None:
        try:
            # The environment's globals, not Jinja's ChainMap over them: they are complete by
            # now, and every render copies them (a ChainMap is iterated key by key in Python).
            template = env.template_class.from_code(env, code, env.globals, None)
        except (ValueError, TypeError) as exc:
            return f"Jinja2 cannot compile it ({exc})"
    return _Prepared(
        env=env,
        template=template,
        budget=budget,
        recorder=recorder,
        missing=missing,
        consulted=consulted,
        static_problems=[
            Problem(rule, message, start, end, None if level is None else _SEVERITY[level])
            for rule, message, start, end, level in problems
        ],
        includes=includes,
        variables=variables,
        top_level=top_level,
        literals=literals,
        conditional=conditional,
    )


# What a template's source alone determines (cached on disk, keyed by the source): a fallback
# reason, or (code, problems, includes, variables, top_level, literals, conditional,
# missing_parent). Built-in types only, stored with marshal: Jinja's code object comes back
# with the rest in one call, and no Python code runs per problem (pickle called the named
# tuple and the enum). ``code`` is None when the template is unsafe; problems are Problem's
# fields with the severity as its number; ``missing_parent`` renders the child's blocks when
# an `extends` parent is missing.
_Analysis = tuple[
    Any,
    tuple[tuple[str, str, int, int, int | None], ...],
    tuple[str, ...],
    frozenset[str],
    frozenset[str],
    list[_Literal],
    tuple[tuple[int, int], ...],
    str,
]
_SEVERITY = {int(level): level for level in Severity}


def _analyse(env: Any, normalized: str) -> _Analysis | str:
    from jinja2 import nodes
    from jinja2.exceptions import TemplateSyntaxError

    try:
        ast = env.parse(normalized)
    except TemplateSyntaxError as exc:
        return f"Jinja2 cannot parse it (line {exc.lineno}: {exc.message})"
    except (RecursionError, MemoryError):
        return "template nesting too deep"
    problems: list[Problem] = []
    includes = _static_checks(ast, _Positions(normalized), problems)
    top_level = _undeclared_names(ast)
    variables = frozenset(
        top_level | {p for p in _dotted_paths(ast) if p.split(".")[0] in top_level}
    )
    code = None
    if not any(p.rule == "template/unsafe" for p in problems):
        try:
            code = env.compile(ast)
        except (TemplateSyntaxError, RecursionError, ValueError) as exc:
            return f"Jinja2 cannot compile it ({exc})"
    return (
        code,
        tuple(
            (p.rule, p.message, p.start, p.end, None if p.severity is None else int(p.severity))
            for p in problems
        ),
        includes,
        variables,
        top_level,
        _literals(env, normalized),
        conditional_ranges(normalized),
        "".join(f"{{% block {b.name} %}}{{% endblock %}}" for b in ast.find_all(nodes.Block)),
    )


# Bump when _Analysis, the checks or the environment change (it keys compiled includes too).
_ANALYSIS_FORMAT = 5


@lru_cache(maxsize=1)
def _this_module() -> str:
    """This file's size and modification time, also in the code caches' keys.

    Compiled code carries the sandbox's compile-time settings (intercepted operators, filter
    arguments): an edited checkout that forgets to bump _ANALYSIS_FORMAT must not run old code.
    """
    try:
        st = os.stat(__file__)
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def _analysis_cache_file(normalized: str, options: RenderOptions) -> str | None:
    from msglint.cachedir import digest_file

    # The source is hashed on its own, not joined to the other key parts first (a copy of it).
    # The analysis does not depend on the template's path or include root: identical sources
    # share an entry, as compiled includes do.
    digest = hashlib.sha256(normalized.encode("utf-8", "surrogatepass"))
    digest.update(
        _key_suffix(options.max_output_chars, options.max_loop_iterations, _this_module())
    )
    return digest_file("jinja", digest.hexdigest()[:40])


@lru_cache(maxsize=1)
def _versions() -> tuple[str, str, int]:
    """Jinja's, Python's and the cache format's versions (compiled code depends on them)."""
    import sys

    import jinja2

    return jinja2.__version__, sys.version, _ANALYSIS_FORMAT


@lru_cache(maxsize=16)
def _key_suffix(max_output_chars: int, max_loop_iterations: int, this_module: str) -> bytes:
    """What an analysis's cache key holds besides the source."""
    import msglint

    parts = (max_output_chars, max_loop_iterations, *_versions(), this_module, msglint.__version__)
    return "".join(f"\0{part}" for part in parts).encode("utf-8", "surrogatepass")


def _load_analysis(path: str | None) -> _Analysis | str | None:
    from msglint.cachedir import load_marshal

    loaded = load_marshal(path)
    if isinstance(loaded, str) or (isinstance(loaded, tuple) and len(loaded) == 8):
        return loaded
    return None


def render(
    source: str,
    sample: Mapping[str, Any],
    options: RenderOptions,
) -> RenderResult:
    """Render Jinja ``source`` with ``sample``; never raises on template content.

    Returns ``fallback=True`` with ``fallback_reason`` when Jinja2 cannot parse the source; the
    caller then uses tag-aware extraction.
    """
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    normalized = source.replace("\r\n", "\n").replace("\r", "\n")
    crlf_map = None if normalized == source else _newline_map(source, normalized)
    prepared = _prepare(normalized, options)
    if isinstance(prepared, str):
        return RenderResult(output=MappedText("", []), fallback=True, fallback_reason=prepared)
    problems = list(prepared.static_problems)
    budget = prepared.budget
    budget.reset()
    prepared.recorder.clear()
    _RECORDING[0] = prepared.recorder

    output = ""
    if prepared.template is not None:
        try:
            pieces: list[str] = []
            size = 0
            for piece in prepared.template.generate(**dict(sample)):
                pieces.append(piece)
                size += len(piece)
                budget.spend(0)
                if size > options.max_output_chars:
                    raise RenderAborted("output too long")
            output = "".join(pieces)
        except SecurityError as exc:
            problems.append(Problem("template/unsafe", f"blocked by the sandbox: {exc}", 0, 0))
        except RenderAborted as exc:
            problems.append(
                Problem("template/render", f"rendering stopped: {exc}", 0, 0, Severity.ERROR)
            )
        except RecursionError:
            problems.append(
                Problem(
                    "template/render", "rendering stopped: recursion too deep", 0, 0, Severity.ERROR
                )
            )
        except TemplateError as exc:
            line = getattr(exc, "lineno", None) or 1
            start, end = _Positions(normalized).find_on_line(line, "")
            problems.append(
                Problem("template/render", f"template error: {exc.message or exc}", start, end)
            )
        except Exception as exc:  # a sample value's own method may raise anything
            problems.append(
                Problem("template/render", f"rendering failed: {type(exc).__name__}: {exc}", 0, 0)
            )

    # Includes loaded by an earlier render (Jinja keeps them) are dependencies of this one too.
    from msglint.resultcache import record_dependency

    for path in prepared.consulted:
        record_dependency(path)
    for name in sorted(prepared.missing):
        if include_refused(name):
            continue  # already reported by the static check
        start, end = _find_name(normalized, name)
        problems.append(
            Problem(
                "template/include",
                f"'{name}' was not found inside the template root; its text was not checked",
                start,
                end,
                Severity.WARNING,
            )
        )
    mapped = align_output(output, prepared.literals, len(normalized))
    cond = prepared.conditional
    if crlf_map is not None:
        mapped = mapped.compose(crlf_map)
        problems = [_remap_problem(p, crlf_map) for p in problems]
        cond = tuple(crlf_map.source_range(s, e) for s, e in cond)

    globals_ = prepared.env.globals
    undefined = frozenset(
        name for name in prepared.recorder if name.split(".")[0] not in sample
    ) | frozenset(n for n in prepared.top_level if n not in sample and n not in globals_)
    return RenderResult(
        output=mapped,
        variables=prepared.variables,
        undefined=frozenset(n.split(".")[0] for n in undefined),
        problems=problems,
        conditional_ranges=cond,
        includes=prepared.includes,
    )


def _find_name(source: str, name: str) -> tuple[int, int]:
    for quote in ('"', "'"):
        pos = source.find(quote + name + quote)
        if pos != -1:
            return pos + 1, pos + 1 + len(name)
    return 0, 0


def _newline_map(original: str, normalized: str) -> MappedText:
    """Map offsets of the newline-normalised text back to the original text."""
    chunks: list[Chunk] = []
    o = n = 0
    for m in re.finditer(r"\r\n|\r", original):
        seg = m.start() - o
        chunks.append(Chunk(n, n + seg, o, o + seg, True))
        n += seg
        chunks.append(Chunk(n, n + 1, m.start(), m.end(), False))
        n += 1
        o = m.end()
    seg = len(original) - o
    chunks.append(Chunk(n, n + seg, o, o + seg, True))
    return MappedText(normalized, chunks)


def _remap_problem(problem: Problem, mapping: MappedText) -> Problem:
    start, end = mapping.source_range(problem.start, max(problem.start, problem.end))
    return Problem(problem.rule, problem.message, start, end, problem.severity)
