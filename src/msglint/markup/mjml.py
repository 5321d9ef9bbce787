"""MJML: structure checks against the MJML 4 component table, and compiling to HTML.

The checks run on the source tree from :func:`msglint.markup.html.parse_html`, so every problem
has an exact position; the component table is data (``rules/channels/mjml-components.yaml``).
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from msglint.markup.html import Element, HtmlDocument, TextNode
from msglint.model import Severity
from msglint.resources import shipped_rules_dir
from msglint.yamlsource import load_yaml_file, plain

COMPONENTS_FILE = Path("channels") / "mjml-components.yaml"


class MjmlComponent(NamedTuple):
    tag: str
    attributes: frozenset[str]
    children: frozenset[str]
    ending: bool = False  # the content is HTML, not MJML components
    required: tuple[str, ...] = ()
    any_attributes: bool = False
    body: bool = False  # a body component: also takes the global attributes


class MjmlComponents(NamedTuple):
    components: dict[str, MjmlComponent]
    global_attributes: frozenset[str]

    def allows_attribute(self, component: MjmlComponent, name: str) -> bool:
        return (
            component.any_attributes
            or name in component.attributes
            or (component.body and name in self.global_attributes)
        )


class MjmlIssue(NamedTuple):
    """A problem at ``document.text[start:end]`` (offsets in the parsed MJML text)."""

    message: str
    start: int
    end: int
    severity: Severity | None = None  # None: the rule's default (error)


@lru_cache(maxsize=1)
def mjml_components() -> MjmlComponents:
    """The shipped MJML component table (loaded once)."""
    data = plain(load_yaml_file(shipped_rules_dir() / COMPONENTS_FILE))
    return parse_components(data)


def parse_components(data: dict[str, Any]) -> MjmlComponents:
    groups: dict[str, list[str]] = data.get("attribute_groups") or {}

    def expand(names: list[str] | None) -> frozenset[str]:
        out: set[str] = set()
        for name in names or []:
            out.update(groups[name[1:]] if name.startswith("@") else [name])
        return frozenset(out)

    components = {
        tag: MjmlComponent(
            tag=tag,
            attributes=expand(spec.get("attributes")),
            children=expand(spec.get("children")),
            ending=bool(spec.get("ending", False)),
            required=tuple(spec.get("required") or ()),
            any_attributes=bool(spec.get("any_attributes", False)),
            body=bool(spec.get("body", False)),
        )
        for tag, spec in (data.get("components") or {}).items()
    }
    return MjmlComponents(components, frozenset(data.get("global_attributes") or ()))


def _did_you_mean(name: str, candidates: set[str] | frozenset[str]) -> str:
    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _has_text(doc: HtmlDocument, node: TextNode) -> bool:
    return bool(doc.text[node.start : node.end].strip())


def validate_mjml(doc: HtmlDocument, *, require_title: bool = True) -> list[MjmlIssue]:
    """Check the MJML source tree: known tags, allowed parents, attributes, required parts.

    ``require_title``: report a missing ``<mj-title>`` (pass False when the subject comes from
    elsewhere, e.g. front matter).
    """
    table = mjml_components()
    comps = table.components
    issues: list[MjmlIssue] = []
    warning = Severity.WARNING
    root = doc.find("mjml")
    if root is None:
        return [MjmlIssue("no <mjml> root element", 0, 0)]
    if root.parent is not doc.root:
        issues.append(MjmlIssue("<mjml> must be the outermost element", root.start, root.end))
    for node in doc.root.children:
        if isinstance(node, TextNode) and _has_text(doc, node):
            issues.append(
                MjmlIssue("text outside <mjml> is ignored", node.start, node.end, warning)
            )
        elif isinstance(node, Element) and node is not root:
            issues.append(
                MjmlIssue(f"<{node.tag}> outside <mjml> is ignored", node.start, node.end, warning)
            )

    def check_attributes(el: Element, comp: MjmlComponent) -> None:
        for name in el.attrs:
            if not table.allows_attribute(comp, name):
                start, end = doc.attribute_span(el, name)
                hint = _did_you_mean(name, comp.attributes)
                issues.append(
                    MjmlIssue(
                        f"unknown attribute '{name}' on <{el.tag}>{hint}", start, end, warning
                    )
                )
        missing = [name for name in comp.required if name not in el.attrs]
        if missing:
            names = ", ".join(f"'{name}'" for name in missing)
            issues.append(MjmlIssue(f"<{el.tag}> needs {names}", el.start, el.end))

    seen_once: set[str] = set()
    stack: list[Element] = [root]
    while stack:
        el = stack.pop()
        comp = comps.get(el.tag)
        parent = el.parent
        if el is not root and parent is not None:
            parent_comp = comps[parent.tag]
            if not el.tag.startswith("mj"):
                issues.append(
                    MjmlIssue(
                        f"HTML <{el.tag}> is not allowed directly inside <{parent.tag}>; "
                        "put HTML in <mj-text> or <mj-raw>",
                        el.start,
                        el.end,
                    )
                )
                continue
            if comp is None:
                hint = _did_you_mean(el.tag, set(comps))
                issues.append(MjmlIssue(f"unknown MJML tag <{el.tag}>{hint}", el.start, el.end))
                continue
            if parent.tag == "mj-attributes":
                # Default attributes: any body component, mj-all or mj-class.
                if not (comp.body or el.tag in parent_comp.children):
                    issues.append(
                        MjmlIssue(f"<{el.tag}> is not allowed in <mj-attributes>", el.start, el.end)
                    )
                else:
                    check_attributes(el, comp)
                continue
            if el.tag not in parent_comp.children:
                allowed = ", ".join(f"<{t}>" for t in sorted(parent_comp.children)) or "nothing"
                issues.append(
                    MjmlIssue(
                        f"<{el.tag}> is not allowed inside <{parent.tag}> (allowed: {allowed})",
                        el.start,
                        el.end,
                    )
                )
                continue
        assert comp is not None  # the root is <mjml>, which is in the table
        if el.tag in ("mj-head", "mj-body", "mj-title", "mj-preview"):
            if el.tag in seen_once:
                issues.append(
                    MjmlIssue(f"a second <{el.tag}> is ignored", el.start, el.end, warning)
                )
            seen_once.add(el.tag)
        check_attributes(el, comp)
        if comp.ending:
            continue
        for child in el.children:
            if isinstance(child, TextNode) and _has_text(doc, child):
                issues.append(
                    MjmlIssue(
                        f"text directly inside <{el.tag}> is not shown; put it in <mj-text>",
                        child.start,
                        child.end,
                        warning,
                    )
                )
        stack.extend(c for c in reversed(el.children) if isinstance(c, Element))

    if doc.find("mj-body") is None:
        issues.append(MjmlIssue("no <mj-body>: the e-mail has no content", root.start, root.end))
    if require_title:
        title = doc.find("mj-title")
        if title is None:
            head = doc.find("mj-head") or root
            issues.append(
                MjmlIssue(
                    "no <mj-title> and no subject in the front matter",
                    head.start,
                    head.end,
                    warning,
                )
            )
        elif not doc.text[title.end : title.content_end].strip():
            issues.append(MjmlIssue("<mj-title> is empty", title.start, title.end, warning))
    issues.sort(key=lambda issue: (issue.start, issue.end))
    return issues


def compile_mjml(source: str, *, template_dir: Path | None = None) -> tuple[str, list[str]]:
    """Compile MJML to HTML with the Python port: ``(html, errors)``. May raise on bad input.

    Compiling takes ~20 ms (and importing the package ~130 ms), so results are cached in memory
    and on disk by source; sources with ``mj-include`` depend on other files and are not cached.
    """
    if "mj-include" in source:
        return _compile(source, template_dir)
    key = (source, str(template_dir))
    cached = _COMPILED.get(key)
    if cached is not None:
        return cached
    from msglint.cachedir import cache_file, load_pickle, store_pickle

    path = cache_file("mjml", source, _mjml_version())
    loaded = load_pickle(path)
    if isinstance(loaded, str):  # this source failed to compile before
        raise MjmlCompileError(loaded)
    if isinstance(loaded, tuple) and len(loaded) == 2:
        result: tuple[str, list[str]] = (str(loaded[0]), list(loaded[1]))
    else:
        try:
            result = _compile(source, template_dir)
        except Exception as exc:  # the port fails in many ways on bad input; remember that too
            reason = str(exc) or type(exc).__name__
            store_pickle(path, reason)
            raise MjmlCompileError(reason) from None
        store_pickle(path, result)
    if len(_COMPILED) > 64:
        _COMPILED.clear()
    _COMPILED[key] = result
    return result


_COMPILED: dict[tuple[str, str], tuple[str, list[str]]] = {}


class MjmlCompileError(Exception):
    """The MJML package could not compile the source (the message says why)."""


def _compile(source: str, template_dir: Path | None) -> tuple[str, list[str]]:
    from mjml import mjml_to_html  # imported here: importing mjml takes ~130 ms

    result = mjml_to_html(source, template_dir=template_dir)
    return str(result.html), [str(error) for error in result.errors]


@lru_cache(maxsize=1)
def _mjml_version() -> str:
    # Part of every compile's cache key. The metadata folder's name carries the version;
    # importlib.metadata would cost ~40 ms of imports (email, zipfile, csv) per process.
    from msglint.resources import installed_distributions

    for _folder, name in installed_distributions():
        stem = name.rsplit(".", 1)[0]  # "mjml-0.12.0.dist-info" -> "mjml-0.12.0"
        dist, _, version = stem.partition("-")
        if dist.lower() == "mjml" and version:
            return version
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as metadata_version

    try:
        return metadata_version("mjml")
    except PackageNotFoundError:
        return "unknown"
