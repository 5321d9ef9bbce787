"""Paths → template files; one file → :class:`TemplateFile` with metadata and part sources.

Loading never raises on bad input: unreadable, binary, oversized or wrongly encoded files and
broken front matter become ``load_findings`` (rules declared in ``msglint.rules.loading``).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import Any

from msglint.config import Config, TemplateGlob
from msglint.mapping import Chunk, LineIndex, MappedText, MappedTextBuilder
from msglint.metadata import (
    BUTTON_TYPES,
    MetaProblem,
    MetaValues,
    check_meta,
    yaml_locator,
)
from msglint.model import CHANNELS, Finding, Severity, Suppression, TemplateFile, TemplateMeta
from msglint.yamlsource import YamlError, parse_yaml_top_level, plain

# --- channel and language from names ---------------------------------------------------------

# Literal suffixes: `endswith` answers exactly as the patterns did, without the regex engine.
_NAME_CHANNELS = (
    ((".mjml", ".email.html", ".email.j2", ".email.html.j2"), "email"),
    ((".sms", ".sms.txt", ".sms.j2"), "sms"),
    ((".push.yaml", ".push.yml"), "push"),
    ((".letter.md", ".letter.txt", ".letter.html", ".letter.j2"), "letter"),
    ((".x.txt", ".social.txt"), "social"),
    ((".whatsapp.yaml", ".whatsapp.yml"), "whatsapp"),
)


def channel_from_name(name: str) -> str | None:
    """The channel a file name declares (``welcome.sms.txt`` → ``sms``), if any."""
    lowered = (name if os.sep == "/" and "/" not in name else PurePath(name).name).lower()
    if lowered.endswith("\n"):
        lowered = lowered[:-1]  # as a pattern's `$` would allow
    return next(
        (channel for suffixes, channel in _NAME_CHANNELS if lowered.endswith(suffixes)), None
    )


_LANG_FOLDER = re.compile(r"^(de|en)(?:[-_][a-z]{2})?$", re.IGNORECASE)
_LANG_IN_NAME = (
    re.compile(r"(?:^|[._-])(de|en)\.", re.IGNORECASE),  # welcome.de.sms, mail-de.html
    re.compile(r"^(de|en)[-_]", re.IGNORECASE),  # de-welcome.sms
    re.compile(r"(?:^|[^a-z])(de|en)[-_](?:de|at|ch|li|lu|be|gb|us|ie|au|nz|ca)(?![a-z])",
               re.IGNORECASE),  # welcome_de_DE.sms, en-GB/
)  # fmt: skip


def language_from_path(relpath: str) -> str | None:
    """A language named by the path: a ``de``/``en`` folder or ``.de.``, ``de-``, ``de_DE``...

    The file name is checked first, then the folders from the innermost out.
    """
    if os.sep == "/":
        # The folders are shared by many files: their answer is worked out once per folder.
        folder, _, name = relpath.rpartition("/")
        if name not in ("", ".", "..", "\\"):
            return _language_in_name(name) or _language_from_folder(folder)
    parts = [p for p in PurePath(relpath).parts if p not in ("/", "\\", ".", "..")]
    if not parts:
        return None
    return _language_in_name(parts[-1]) or _language_in_folders(parts[:-1])


def _language_in_name(segment: str) -> str | None:
    lowered = segment.lower()
    if "de" not in lowered and "en" not in lowered:
        return None  # every pattern needs one (no other letters fold to d, e or n)
    for pattern in _LANG_IN_NAME:
        if found := pattern.search(segment):
            return found.group(1).lower()
    return None


def _language_in_folders(parts: Sequence[str]) -> str | None:
    for segment in reversed(parts):
        if match := _LANG_FOLDER.match(segment):
            return match.group(1).lower()
        if language := _language_in_name(segment):
            return language
    return None


@functools.lru_cache(maxsize=1024)
def _language_from_folder(folder: str) -> str | None:
    return _language_in_folders(
        [p for p in PurePath(folder).parts if p not in ("/", "\\", ".", "..")]
    )


# --- discovery -------------------------------------------------------------------------------

SKIP_FOLDERS = frozenset({"node_modules", ".venv", "venv", "__pycache__", ".git", ".tox"})
# Files worth peeking into for a front-matter `channel:` (others need a name or a config glob).
TEMPLATE_SUFFIXES = frozenset({
    ".html", ".htm", ".j2", ".jinja", ".jinja2", ".twig", ".txt", ".text", ".md", ".markdown",
    ".mjml", ".hbs", ".handlebars", ".mustache", ".tmpl", ".tpl", ".gotmpl", ".liquid",
    ".sms", ".yaml", ".yml",
})  # fmt: skip
YAML_SUFFIXES = (".yaml", ".yml")
PEEK_BYTES = 4096

_FRONT_MATTER_LINE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_CHANNEL_LINE = re.compile(r"^channel[ \t]*:[ \t]*[\"']?([A-Za-z]+)", re.MULTILINE)


def _peek_channel(head: bytes, yaml_file: bool) -> str | None:
    """``channel:`` declared in the first bytes (front matter, or a YAML file's top level)."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not yaml_file:
        if _FRONT_MATTER_LINE.match(text) is None:
            return None
        start = text.find("\n") + 1
        close = _FRONT_MATTER_LINE.search(text, start)
        text = text[start : close.start() if close else len(text)]
    match = _CHANNEL_LINE.search(text)
    if match is None:
        return None
    channel = match.group(1).lower()
    return channel if channel in CHANNELS else None


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(PEEK_BYTES)
    except OSError:
        return b""


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


def read_file(path: Path, max_bytes: int) -> tuple[int, bytes | None]:
    """The file's size and bytes, None for the bytes when it has more than ``max_bytes``.

    One open, fstat and read: ``path.stat()`` then ``path.read_bytes()`` cost twice the system
    calls and a buffered file object per template. Raises ``OSError`` like those two.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        # Whatever stat() and read_bytes() say: an unreadable file may still be too large.
        size = path.stat().st_size
        return size, None if size > max_bytes else path.read_bytes()
    try:
        size = os.fstat(fd).st_size
        if size > max_bytes:
            return size, None
        data = os.read(fd, size + 1)
        if len(data) != size:  # grown, shrunk or not a regular file: read to the end
            chunks = [data]
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            data = b"".join(chunks)
        return size, data
    finally:
        os.close(fd)


def _why_not_template(path: Path, config: Config, explicit: bool) -> str | None:
    """None if ``path`` is a template to lint, else the reason it is skipped."""
    relpath = config.relpath(path)
    excluded = config.excluded_by(relpath)
    if excluded is not None:
        return f"excluded by '{excluded}'"
    if channel_from_name(path.name) or config.template_glob(relpath):
        return None
    suffix = path.suffix.lower()
    if suffix in TEMPLATE_SUFFIXES and _peek_channel(_read_head(path), suffix in YAML_SUFFIXES):
        return None
    if explicit and config.channel:
        return None
    return "no channel (from file name, config `templates` or front matter `channel:`)"


def iter_files(paths: Sequence[Path], config: Config) -> tuple[list[Path], list[tuple[str, str]]]:
    """The template files under ``paths`` (sorted) and the skipped files with their reasons.

    Folders are walked recursively (hidden folders, ``node_modules``, ``.venv`` and
    ``__pycache__`` are not entered). Files named explicitly go through the same checks, except
    that a config default ``channel`` makes them templates.
    """
    found: dict[Path, Path] = {}
    skipped: list[tuple[str, str]] = []

    def consider(path: Path, explicit: bool, folder_key: Path | None = None) -> None:
        # Resolving a walked file's folder once (one lstat for the file) instead of every file's
        # whole path: the same duplicates are found, with a fraction of the system calls.
        if folder_key is not None and not os.path.islink(path):
            key = folder_key / path.name
        else:
            key = path.resolve()
        if key in found:
            return
        reason = _why_not_template(path, config, explicit)
        if reason is None:
            found[key] = path
        else:
            skipped.append((path.as_posix(), reason))

    for given in paths:
        if given.is_dir():
            for folder, subfolders, names in os.walk(given):
                base = Path(folder)
                base_key = base.resolve()
                subfolders[:] = sorted(
                    d for d in subfolders
                    if not d.startswith(".") and d not in SKIP_FOLDERS
                    and config.excluded_by(config.relpath(base / d)) is None
                )  # fmt: skip
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    consider(base / name, explicit=False, folder_key=base_key)
        elif given.is_file():
            consider(given, explicit=True)
        else:
            skipped.append((given.as_posix(), "no such file or folder"))
    files = sorted(found.values(), key=lambda p: p.as_posix())
    return files, sorted(skipped)


# --- loading ---------------------------------------------------------------------------------

# Message parts per channel in YAML message files (WhatsApp buttons are handled separately).
YAML_PARTS: dict[str, tuple[str, ...]] = {
    "email": ("subject", "preheader", "body"),
    "push": ("title", "body"),
    "whatsapp": ("header", "body", "footer"),
    "sms": ("body",),
    "letter": ("body",),
    "social": ("body",),
}
_PART_KEYS = ("body", "header", "footer", "buttons")  # not metadata; parts of YAML files
_NULL_TAG = "tag:yaml.org,2002:null"


class _Findings:
    """Collects load findings with positions in the file text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: LineIndex | None = None  # built on the first finding: most files have none
        self.items: list[Finding] = []

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def add(
        self, rule: str, severity: Severity, message: str, line: int | None, column: int = 1
    ) -> None:
        line = line or 1
        start = self.lines.offset(line, column)
        end_column = max(column, len(self.lines.line_text(line)) + 1)
        self.items.append(Finding(
            rule=rule, severity=severity, message=message, line=line, column=column,
            end_line=line, end_column=end_column, start=start,
            end=self.lines.offset(line, end_column),
        ))  # fmt: skip

    def meta_problems(self, rule: str, problems: list[MetaProblem], where: str) -> None:
        for problem in problems:
            self.add(rule, Severity.WARNING, f"{where}: {problem.message}", problem.line)


def load_template(
    path: Path,
    config: Config,
    *,
    display_path: str | None = None,
    data: bytes | None = None,
    content: bytes | None = None,
) -> TemplateFile | None:
    """Read and split one template file; ``data`` is the content when read from stdin.

    ``content`` is the file's bytes when the caller has read them already (the result cache
    hashes them): the template is then exactly what was hashed.

    Returns None if the file decodes fine but no channel resolves. Files that cannot be
    checked (too large, binary, not UTF-8, unreadable) come back with ``load_findings`` and no
    ``sources``.
    """
    display = display_path or path.as_posix()
    relpath = config.relpath(display if data is not None else path)
    loader = _Loader(path, display, relpath, config)

    if data is None:
        try:
            if content is None:
                size, read = read_file(path, config.max_file_bytes)
            else:
                size, read = len(content), content
            if read is None or size > config.max_file_bytes:
                return loader.broken(
                    "template/too-large",
                    f"file has {size:,} bytes, more than max_file_bytes "
                    f"({config.max_file_bytes:,}); not checked",
                    head=_read_head(path),
                )
            data = read
        except OSError as exc:
            return loader.broken("template/unreadable", f"cannot read file: {exc.strerror}")
    elif len(data) > config.max_file_bytes:
        return loader.broken(
            "template/too-large",
            f"input has {len(data):,} bytes, more than max_file_bytes "
            f"({config.max_file_bytes:,}); not checked",
            head=data[:PEEK_BYTES],
        )
    if b"\x00" in data:
        return loader.broken(
            "template/binary",
            "file contains NUL bytes (binary, or text saved as UTF-16); not checked",
            head=data[:PEEK_BYTES],
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8")) + 1
        return loader.broken(
            "template/encoding",
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at line {line}, column {column} "
            "(save the file as UTF-8); not checked",
            line=line,
            column=column,
            text=data.decode("utf-8", errors="replace"),
            head=data[:PEEK_BYTES],
        )
    if loader.name.lower().endswith(YAML_SUFFIXES):
        return loader.yaml_message(text)
    return loader.plain_file(text)


def _name_of(relpath: str) -> str:
    """``PurePath(relpath).name`` (a relative path has ``/`` separators), without the path."""
    name = relpath.rpartition("/")[2]
    return name if os.sep == "/" and name not in ("", ".") else PurePath(relpath).name


class _Loader:
    def __init__(self, path: Path, display: str, relpath: str, config: Config) -> None:
        self.path = path
        self.display = display
        self.relpath = relpath
        self.config = config
        self.glob = config.template_glob(relpath)
        self.name = _name_of(relpath)
        self.name_channel = channel_from_name(self.name)

    def broken(
        self,
        rule: str,
        message: str,
        *,
        line: int = 1,
        column: int = 1,
        text: str = "",
        head: bytes = b"",
    ) -> TemplateFile:
        findings = _Findings(text)
        findings.add(rule, Severity.ERROR, message, line, column)
        peeked = _peek_channel(head, self.relpath.lower().endswith(YAML_SUFFIXES))
        front = MetaValues(values={"channel": peeked} if peeked else {})
        meta = self.meta(front, detect=None)
        return TemplateFile(self.path, self.display, text, 0, meta, load_findings=findings.items)

    def meta(self, front: MetaValues, detect: Callable[[], str] | None) -> TemplateMeta:
        """Metadata by precedence: front matter > config glob > file name/path > default."""
        meta = TemplateMeta()
        origins = meta.origins
        glob: TemplateGlob | None = self.glob
        front_values = front.values
        glob_values: dict[str, Any] = glob.meta if glob else {}

        def pick(key: str, *fallbacks: tuple[str, Any]) -> Any:
            # Ten keys a template, mostly in neither mapping: no candidates tuple built per key.
            value = front_values.get(key)
            if value is not None:
                origins[key] = "front-matter"
                return value
            value = glob_values.get(key)
            if value is not None:
                origins[key] = "config"
                return value
            for origin, value in fallbacks:
                if value is not None:
                    origins[key] = origin
                    return value
            return None

        meta.channel = pick(
            "channel", ("file-name", self.name_channel), ("default", self.config.channel)
        )
        meta.language = pick(
            "language",
            ("path", language_from_path(self.relpath)),
            ("default", self.config.language),
        )
        syntax = pick("syntax")
        if syntax is None:
            syntax = detect() if detect else "raw"
            meta.origins["syntax"] = "detected" if detect else "default"
        meta.syntax = syntax
        meta.category = pick("category")
        meta.journey = pick("journey")
        meta.trigger = pick("trigger")
        meta.requires_action = pick("requires_action")
        meta.subject = pick("subject")
        meta.samples = pick("samples", ("default", self.config.samples or None)) or []
        meta.variables = pick("variables") or {}
        for source, values in (("config", glob), ("front-matter", front)):
            if values is None:
                continue
            for rule_id, options in values.rule_options.items():
                meta.rule_options.setdefault(rule_id, {}).update(options)
            meta.suppressions.extend(
                Suppression(rule, 0, "file", reason, source) for rule, reason in values.ignore
            )
        return meta

    def plain_file(self, text: str) -> TemplateFile | None:
        findings = _Findings(text)
        front = MetaValues()
        front_matter: dict[str, Any] = {}
        sources: dict[str, MappedText] = {}
        body_start = 0
        if _FRONT_MATTER_LINE.match(text):
            fm_start = text.find("\n") + 1 if "\n" in text else len(text)
            close = _FRONT_MATTER_LINE.search(text, fm_start)
            if close is None:
                findings.add(
                    "template/front-matter",
                    Severity.ERROR,
                    "front matter opened on line 1 is never closed (add a '---' line)",
                    1,
                )
            else:
                newline = text.find("\n", close.end())
                body_start = len(text) if newline == -1 else newline + 1
                fm_text = text[fm_start : close.start()]
                front, front_matter, sources = self._front_matter(fm_text, fm_start, findings)
        if (
            not front.values.get("channel")
            and not self.name_channel
            and not self.glob
            and not self.config.channel
        ):
            return None
        body = text[body_start:]
        sources["body"] = MappedText.identity(body, body_start)
        sources = {"body": sources.pop("body"), **sources}
        # The subject and preheader in front matter are templates too (they may be the only ones).
        all_sources = "\n".join(src.text for src in sources.values())
        meta = self.meta(front, detect=lambda: _detect_syntax(all_sources))
        return TemplateFile(self.path, self.display, text, body_start, meta,
                            front_matter=front_matter, sources=sources,
                            load_findings=findings.items)  # fmt: skip

    def _front_matter(
        self, fm_text: str, fm_start: int, findings: _Findings
    ) -> tuple[MetaValues, dict[str, Any], dict[str, MappedText]]:
        line_offset = 1  # the opening '---' line
        try:
            node, nodes = parse_yaml_top_level(fm_text, self.display)
        except YamlError as exc:
            findings.add(
                "template/front-matter",
                Severity.ERROR,
                f"front matter: {exc.message}",
                (exc.line or 0) + line_offset,
            )
            return MetaValues(), {}, {}
        if node is None:
            return MetaValues(), {}, {}
        if not isinstance(node, dict):
            findings.add(
                "template/front-matter",
                Severity.ERROR,
                "front matter must be a mapping of keys (key: value)",
                2,
            )
            return MetaValues(), {}, {}
        front, problems = check_meta(node, yaml_locator(node, line_offset), typos_only=True)
        findings.meta_problems("template/front-matter", problems, "front matter")
        sources: dict[str, MappedText] = {}
        if "<<" in fm_text:
            nodes = _compose_top_level(fm_text)  # nested nodes as written, before any merge
        for key in ("subject", "preheader"):
            if key in front.values and key in nodes:
                source = _scalar_source(fm_text, nodes[key], fm_start)
                if source is not None:
                    sources[key] = source
        return front, plain(node), sources

    def yaml_message(self, text: str) -> TemplateFile | None:
        findings = _Findings(text)
        try:
            node, nodes = parse_yaml_top_level(text, self.display)
        except YamlError as exc:
            findings.add("template/yaml", Severity.ERROR, exc.message, exc.line)
            return self._without_sources(text, findings)
        if node is None:
            node = {}
        if not isinstance(node, dict):
            findings.add(
                "template/yaml",
                Severity.ERROR,
                "a YAML message file must be a mapping of keys (title: ..., body: ...)",
                1,
            )
            return self._without_sources(text, findings)
        # Unknown keys are normal here (GC Notify's id, created_at, ...): ignore them.
        front, problems = check_meta(node, yaml_locator(node), ignore_unknown=True, skip=_PART_KEYS)
        findings.meta_problems("template/front-matter", problems, "metadata")
        channel = self.meta(front, detect=None).channel
        if channel is None:
            return None
        if "<<" in text:
            nodes = _compose_top_level(text)  # nested nodes as written, before any merge
        locate = yaml_locator(node)
        sources: dict[str, MappedText] = {}
        for key in YAML_PARTS[channel]:
            value_node = nodes.get(key)
            if value_node is None or getattr(value_node, "tag", None) == _NULL_TAG:
                continue
            source = _scalar_source(text, value_node, 0)
            if source is None:
                findings.add(
                    "template/yaml",
                    Severity.WARNING,
                    f"'{key}' must be text; part skipped",
                    locate((key,)),
                )
            else:
                sources[key] = source
        front_matter: dict[str, Any] = plain(node)
        if channel == "whatsapp" and "buttons" in nodes:
            buttons = self._buttons(text, nodes["buttons"], sources, findings, locate)
            front_matter["buttons"] = buttons
        parts_text = "\n".join(s.text for s in sources.values())
        meta = self.meta(front, detect=lambda: _detect_syntax(parts_text))
        return TemplateFile(
            self.path,
            self.display,
            text,
            0,
            meta,
            front_matter=front_matter,
            sources=sources,
            load_findings=findings.items,
        )

    def _without_sources(self, text: str, findings: _Findings) -> TemplateFile | None:
        meta = self.meta(MetaValues(), detect=None)
        if meta.channel is None:
            return None
        return TemplateFile(self.path, self.display, text, 0, meta, load_findings=findings.items)

    def _buttons(
        self,
        text: str,
        node: Any,
        sources: dict[str, MappedText],
        findings: _Findings,
        locate: Callable[[tuple[str | int, ...]], int | None],
    ) -> list[dict[str, Any]]:
        from yaml.nodes import MappingNode, ScalarNode, SequenceNode

        def warn(message: str, at: Any) -> None:
            findings.add("template/yaml", Severity.WARNING, message, at.start_mark.line + 1)

        if not isinstance(node, SequenceNode):
            warn("'buttons' must be a list of button texts or {text, type, url}", node)
            return []
        buttons: list[dict[str, Any]] = []
        for item in node.value:
            index = len(buttons)
            button: dict[str, Any] = {"text": None, "type": None, "url": None}
            text_node: Any = None
            if isinstance(item, ScalarNode):
                text_node = item
            elif isinstance(item, MappingNode):
                for key_node, value_node in item.value:
                    key = str(key_node.value)
                    if key not in button:
                        warn(
                            f"unknown key '{key}' in a button (allowed: text, type, url)", key_node
                        )
                    elif key == "text":
                        text_node = value_node
                    elif isinstance(value_node, ScalarNode):
                        button[key] = str(value_node.value)
                if button["type"] is not None and button["type"] not in BUTTON_TYPES:
                    warn(
                        f"button type must be one of {', '.join(BUTTON_TYPES)}, not "
                        f"{button['type']!r}",
                        item,
                    )
                    button["type"] = None
            source = _scalar_source(text, text_node, 0) if text_node is not None else None
            if source is None:
                warn("a button needs a text", item)
                continue
            button["text"] = source.text
            sources[f"buttons[{index}]"] = source
            buttons.append(button)
        return buttons


def _detect_syntax(text: str) -> str:
    from msglint.templating.detect import detect_syntax

    return detect_syntax(text)


# --- YAML scalars mapped to file offsets -----------------------------------------------------


def _compose_top_level(yaml_text: str) -> dict[str, Any]:
    """Top-level value nodes (with marks) of a YAML mapping, by key."""
    import yaml
    from yaml.nodes import MappingNode

    try:
        root = yaml.compose(yaml_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # already reported by parse_yaml
        return {}
    if not isinstance(root, MappingNode):
        return {}
    return {str(k.value): v for k, v in root.value if isinstance(k.value, str)}


def _scalar_source(yaml_text: str, node: Any, base: int) -> MappedText | None:
    """A scalar's decoded value mapped to ``base + offsets`` in ``yaml_text``.

    Exact (literal chunks) for single-line plain and quoted scalars without escapes and for
    literal ``|`` blocks; otherwise each word maps to its place in the source, not literally.
    """
    from yaml.nodes import ScalarNode

    if not isinstance(node, ScalarNode):
        return None
    value = str(node.value)
    start, end = node.start_mark.index, node.end_mark.index
    raw = yaml_text[start:end]
    style = node.style or None  # plain scalars: None (pure parser) or "" (libyaml)
    if "\n" not in raw:
        if style is None and raw == value:
            return MappedText.identity(value, base + start)
        if style in ("'", '"') and raw[1:-1] == value and "\\" not in raw:
            return MappedText.identity(value, base + start + 1)
    if style == "|":
        block = _literal_block(yaml_text, start, end, base, value)
        if block is not None:
            return block
    return _aligned(value, yaml_text, start, end, base)


def _literal_block(
    yaml_text: str, start: int, end: int, base: int, value: str
) -> MappedText | None:
    header_end = yaml_text.find("\n", start, end)
    if header_end == -1 or any(ch.isdigit() for ch in yaml_text[start:header_end]):
        return None  # explicit indentation indicators: rare, use the word alignment
    lines: list[tuple[int, str, bool]] = []  # (offset, content, has CRLF)
    pos = header_end + 1
    while pos < end:
        newline = yaml_text.find("\n", pos, end)
        line_end = end if newline == -1 else newline
        content = yaml_text[pos:line_end]
        crlf = content.endswith("\r")
        lines.append((pos, content.removesuffix("\r"), crlf))
        pos = line_end + 1
    indent = next((len(c) - len(c.lstrip(" ")) for _, c, _ in lines if c.strip()), 0)
    builder = MappedTextBuilder()
    for offset, content, crlf in lines:
        if len(content) > indent:
            builder.literal(content[indent:], base + offset + indent)
        newline_at = base + offset + len(content)
        if crlf:
            builder.generated("\n", newline_at, newline_at + 2)
        else:
            builder.literal("\n", newline_at)
    built = builder.build()
    if not built.text.startswith(value):
        return None
    # Chomping (|-, |, |+) only removes trailing newlines: clip the built text.
    return MappedText(
        value,
        [Chunk(c.start, min(c.end, len(value)), c.src_start,
               c.src_start + min(c.end, len(value)) - c.start if c.literal else c.src_end,
               c.literal)
         for c in built.chunks if c.start < len(value)],
    )  # fmt: skip


_WORD = re.compile(r"\S+")


def _aligned(value: str, yaml_text: str, start: int, end: int, base: int) -> MappedText:
    """Folded, escaped or multi-line scalars: map each word to where it appears in the source.

    Chunks are not literal (a fix could break the quoting), but every word keeps its line.
    """
    builder = MappedTextBuilder()
    cursor = start
    done = 0
    for match in _WORD.finditer(value):
        word = match.group()
        found = yaml_text.find(word, cursor, end)
        word_start = found if found != -1 else cursor
        if match.start() > done:  # the whitespace before the word
            builder.generated(value[done : match.start()], base + cursor, base + word_start)
        word_end = min(end, word_start + len(word)) if found != -1 else word_start
        builder.generated(word, base + word_start, base + max(word_end, word_start))
        cursor = max(cursor, word_end)
        done = match.end()
    if done < len(value):
        builder.generated(value[done:], base + cursor, base + end)
    return builder.build()
