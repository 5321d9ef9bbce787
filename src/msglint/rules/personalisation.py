"""Personalisation rules: generic greetings, missing fallbacks, unresolved placeholders,
creepy personalisation and sensitive data.

Word lists are data: term packs (``kind: terms``) for greetings, creepy phrases and health terms,
and ``rules/<lang>/personalisation.yaml`` for the lists that are not term lists (name variables,
greeting words that need a name, observation cues, password words).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from msglint.lazy import first_char_set, lazy_pattern, longest_first
from msglint.mapping import MappedText
from msglint.model import Finding, Message, Part, Severity
from msglint.rules.jargon import pack_resources
from msglint.rules.registry import RuleContext, RuleDoc, iter_parts, rule
from msglint.templating.base import set_path
from msglint.text.lexicon import LANGUAGES, normalise_language, word_list
from msglint.text.sensitive import find_sensitive_data

PERSONAL_CHANNELS = ("sms", "push", "whatsapp")
LOCK_SCREEN_CHANNELS = ("sms", "push", "whatsapp")
# Parts read before the body: a name there counts as "in the first lines".
_HEAD_PARTS = ("subject", "preheader", "title", "header")
_NULL_WORDS = frozenset({"None", "none", "null", "NULL", "undefined", "nil", "<no value>", "NaN"})


# --- shared helpers ---------------------------------------------------------------------------


def _words(language: str, key: str) -> tuple[str, ...]:
    return word_list(normalise_language(language), "personalisation", key)


@lru_cache(maxsize=1)
def _name_lists() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    # Variable names are not language-specific: a German template may say first_name.
    def union(key: str) -> list[str]:
        return [w.lower() for lang in LANGUAGES for w in _words(lang, key)]

    return (
        frozenset(union("name_variables")),
        frozenset(union("generic_name_variables")),
        tuple(union("person_objects")),
    )


def _compact(segment: str) -> str:
    return re.sub(r"[^a-z0-9]", "", segment.lower())


@lru_cache(maxsize=4096)
def is_name_variable(path: str) -> bool:
    """True for variables that carry a person's name or salutation (``user.firstName``);
    ``product.name`` and ``shop.name`` are not."""
    segments = [_compact(s) for s in path.replace("[", ".").split(".") if s.strip("]")]
    last = segments[-1] if segments else ""
    if not last:
        return False
    names, generic, persons = _name_lists()
    if last in generic:
        owner = segments[-2] if len(segments) > 1 else ""
        if owner == "translated" and len(segments) > 2:
            owner = segments[-3]
        return not owner or any(owner == p or owner.endswith(p) for p in persons)
    if last in names:
        return True
    # customer_first_name, billingLastName; but not productname or filename.
    return any(len(n) > 4 and last.endswith(n) for n in names if n not in generic)


def _name_variables_of(message: Message) -> list[str]:
    found = {v for v in message.variables if is_name_variable(v)}
    found |= {v for v in message.meta.variables if is_name_variable(v)}
    return sorted(found)


def _touches_literal(mapped: MappedText, start: int, end: int) -> bool:
    # Text that only comes from a placeholder's value is data, not the template's wording.
    return any(c.literal and c.start < end and start < c.end for c in mapped.chunks)


def _in_ranges(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def _conditional_ranges(message: Message) -> list[tuple[int, int]]:
    return list(message.channel_data.get("conditional_ranges") or ())


def _finding_at_file(
    ctx: RuleContext,
    message: Message,
    start: int,
    end: int,
    text: str,
    *,
    part: str | None,
    severity: Severity | None = None,
) -> Finding:
    """A finding at file offsets (a template tag rather than rendered text)."""
    return ctx.at_offset(message, start, end, text, part, severity=severity)


def _severity(ctx: RuleContext, wanted: Severity) -> Severity:
    """``wanted`` unless the config set the rule's severity (which then wins)."""
    return ctx.severity if ctx.severity != ctx.info.severity else wanted


def _snippet(text: str, pos: int, width: int = 30) -> str:
    """The line around ``pos``, shortened, for messages."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end == -1 else line_end
    start = max(line_start, pos - width)
    end = min(line_end, pos + width)
    shown = text[start:end].strip()
    shown = re.sub(r"[ \t]{3,}", "  ", shown)
    return ("…" if start > line_start else "") + shown + ("…" if end < line_end else "")


def _quote(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


# --- placeholders in the template source ------------------------------------------------------


class Placeholder(NamedTuple):
    """An output tag (``{{ first_name }}``) at ``start:end`` in the template file."""

    part: str
    start: int
    end: int
    source: str  # the tag as written
    paths: frozenset[str]  # variable paths the tag reads


_TAGS = {
    "notify": re.compile(r"\(\(([^()]*?)\)\)"),
    # The tag's expression runs to the first "}}" or "-}}", as a lazy ``(.*?)`` would take it:
    # a run of other characters per step instead of trying the closing brackets after each one.
    "default": re.compile(
        r"\{\{(?![#/!>^])\{?-?([^-}]*+(?:(?:-(?!\}\})|\}(?!\}))[^-}]*+)*+)-?\}?\}\}"
    ),
}
_STRINGS = re.compile(r"\"[^\"]*\"|'[^']*'")
_IDENT = re.compile(r"(?<![\w.])\.?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
_FILTER = re.compile(r"\|\s*([A-Za-z_][\w.]*)")
_KEYWORDS = frozenset({"if", "else", "and", "or", "not", "is", "in", "true", "false", "none"})
# Go/Handlebars control tags ({{ if .X }}, {{ end }}, {{ range … }}) print nothing themselves.
_CONTROL = re.compile(r"^\s*(?:if|else|end|range|with|define|template|block|each|unless)\b")


def placeholders(message: Message) -> list[Placeholder]:
    """The output tags of every part source, with the variables each one reads."""
    cache = message.template.cache
    found = cache.get("placeholders")
    if found is None:
        found = cache["placeholders"] = _find_placeholders(message)
    return list(found)


def _find_placeholders(message: Message) -> list[Placeholder]:
    syntax = message.meta.syntax
    pattern = _TAGS["notify" if syntax == "notify" else "default"]
    found = []
    tag_paths = _tag_paths
    for name, source in message.template.sources.items():
        for m in pattern.finditer(source.text):
            paths = tag_paths(m.group(1))
            if paths is None:
                continue
            start, end = source.source_range(m.start(), m.end())
            found.append(Placeholder(name, start, end, m.group(0), paths))
    return found


@lru_cache(maxsize=4096)  # the same tags recur across a repository's templates
def _tag_paths(expression: str) -> frozenset[str] | None:
    """The variables a tag's expression reads; None for control tags and tags without any."""
    if _CONTROL.match(expression):
        return None
    expression = _STRINGS.sub(" ", expression)
    expression = expression.split("??", 1)[0]
    filters = set(_FILTER.findall(expression))
    paths = frozenset(
        p
        for p in _IDENT.findall(expression)
        if p.split(".")[0].lower() not in _KEYWORDS and p not in filters
    )
    return paths or None


def _reads(tag: Placeholder, variable: str) -> bool:
    return any(p == variable or p.startswith(variable + ".") for p in tag.paths)


# --- personalisation/generic-greeting ---------------------------------------------------------


@rule(
    "personalisation/generic-greeting",
    severity="warning",
    summary="Generic greeting although the template knows the customer's name",
    doc=RuleDoc(
        what=(
            "Finds impersonal greetings ('Sehr geehrte Damen und Herren', 'Liebe Kundin, lieber "
            "Kunde', 'Hallo zusammen', 'Dear customer', 'Dear Sir or Madam', 'To whom it may "
            "concern') when the template has a name variable (first_name, name, vorname, "
            "nachname, salutation, anrede …) or goes out on a personal channel (SMS, push, "
            "WhatsApp). Greetings inside an {% if %}/{% else %} branch are the fallback for a "
            "missing name and are not reported. Phrases: rules/de/generic-greetings.yaml, "
            "rules/en/generic-greetings.yaml (term packs, extendable)."
        ),
        why=(
            "A collective greeting tells the customer that nobody thought of them: the message "
            "feels like a mass mailing and is read less carefully. When the name is known, "
            "using it costs nothing."
        ),
        bad=(
            "de: Sehr geehrte Damen und Herren, Ihre Bestellung {{ order_id }} ist unterwegs.\n"
            "en: Dear customer, your order {{ order_id }} has shipped."
        ),
        good=(
            'de: Guten Tag {{ anrede }} {{ nachname | default("", true) }}, Ihre Bestellung …\n'
            'en: Hi {{ first_name | default("there", true) }}, your order has shipped.'
        ),
        fix=(
            "Greet the customer by name and give the name a fallback (see "
            "personalisation/missing-fallback); keep the generic greeting only in the "
            "{% else %} branch for customers without a name."
        ),
        options={"allow": "greetings never reported (case-insensitive)"},
    ),
    options={"allow": []},
)
def check_generic_greeting(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    names = _name_variables_of(message)
    personal = message.channel in PERSONAL_CHANNELS
    if not names and not personal:
        return
    allow = ctx.memo("allow", lambda c: {str(a).lower() for a in c.option("allow") or ()})
    matcher = pack_resources(ctx).term_matcher("personalisation/generic-greeting", message.language)
    conditional = _conditional_ranges(message)
    for part in iter_parts(message):
        for match in matcher.find(part.text, message.language):
            shown = " ".join(part.text[match.start : match.end].split())
            if shown.lower() in allow or match.entry.key.lower() in allow:
                continue
            if not _touches_literal(part.mapped, match.start, match.end):
                continue
            src = part.mapped.source_range(match.start, match.end)
            if _in_ranges(*src, conditional):
                continue  # the fallback branch for customers without a name
            if names:
                why = f"the template knows the customer's name ({_quote(names[:3])})"
            else:
                why = f"a {message.channel} message goes to one person"
            alternatives = match.entry.alternatives
            better = f', e.g. "{alternatives[0]}"' if alternatives else ""
            yield ctx.at(
                message,
                part,
                match.start,
                match.end,
                f'Generic greeting "{shown}": {why}. Greet them by name{better}, with a '
                "fallback for customers without a name.",
            )


# --- personalisation/missing-fallback ---------------------------------------------------------


class _Breakage(NamedTuple):
    tag: Placeholder
    variable: str
    shown: str  # what the customer would read
    mode: str  # "empty" | "null"


_PUNCT_AFTER = re.compile(r"^[ \t]*[,.;:!?]")
_OPENERS = {"(": ")", "[": "]", "„": "“", "“": "”", '"': '"', "«": "»", "‚": "‘"}


@lru_cache(maxsize=1)
def _bare_greeting() -> re.Pattern[str]:
    words = {w.lower() for lang in LANGUAGES for w in _words(lang, "greeting_words")}
    body = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in longest_first(words))
    return re.compile(r"^[\s,!.]*(?:(?:" + body + r")[\s,!.]*)?$", re.IGNORECASE)


# How far _name_vanished (back) and _broken_at (40 back, _LOOK_AHEAD ahead) read around a
# position; _removal_breaks keeps that much text around a cut.
_LOOK_BACK = 60
_LOOK_AHEAD = 40


def _name_vanished(text: str, pos: int) -> bool:
    """True if nothing but a greeting word is left before ``pos`` on its line ("Hi ,")."""
    line_left = text[max(0, pos - _LOOK_BACK) : pos].rsplit("\n", 1)[-1]
    return _bare_greeting().match(line_left) is not None


@lru_cache(maxsize=4)
def _greeting_needs_name(language: str) -> re.Pattern[str]:
    words: set[str] = set()
    for lang in LANGUAGES:
        words.update(w.lower() for w in _words(lang, "greeting_needs_name"))
    body = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in longest_first(words))
    return re.compile(r"(?:^|(?<=[\s>,]))(?:" + body + r")[ \t]*$", re.IGNORECASE)


def _broken_at(text: str, pos: int, markup: bool, language: str) -> bool:
    """True if the text reads wrong where a value vanished at ``pos``."""
    left = text[max(0, pos - 40) : pos]
    right = text[pos : pos + _LOOK_AHEAD]
    line_left = left.rsplit("\n", 1)[-1]
    space_left = line_left.endswith((" ", "\t"))
    if _PUNCT_AFTER.match(right) and (not line_left.strip() or space_left):
        return True  # "Hallo ,"  ", wir haben …"  "Ihr Code lautet ."
    rest = right.lstrip(" \t")
    ends_line = not rest or rest[0] in "\n\r,.;:!?"
    if ends_line and _greeting_needs_name(language).search(line_left):
        return True  # "Dear ,"  "Liebe ,"  "Sehr geehrter Herr ,"
    opener = line_left.rstrip(" \t")[-1:]
    if opener and opener in _OPENERS and rest.startswith(_OPENERS[opener]):
        return True  # "()"  "„“"
    if not markup and space_left and right.startswith((" ", "\t")) and line_left.strip():
        return True  # "Ihre Bestellung  ist"
    label = line_left.rstrip(" \t")
    return len(label) > 1 and label.endswith(":") and not rest.strip()


def _text_offset(mapped: MappedText, start: int, end: int) -> int | None:
    """Where the tag at file offsets ``start:end`` produced text in ``mapped`` (None: nowhere)."""
    found = mapped.chunks_from(start, end)
    return found[0].start if found else None


def _insertion_point(mapped: MappedText, start: int, end: int) -> int | None:
    """Where the text of a tag that produced nothing would have been (None: cannot tell)."""
    return mapped.insertion_point(start, end)


def _candidates(message: Message, tags: Sequence[Placeholder]) -> dict[str, bool]:
    """Variables to empty, mapped to True if declared optional (False: looks like a name)."""
    specs = message.meta.variables
    found: dict[str, bool] = {n: True for n, s in specs.items() if not s.required}
    for tag in tags:
        for path in tag.paths:
            if path in found or path in specs or not is_name_variable(path):
                continue
            if any(path.startswith(v + ".") for v in specs):
                continue
            if _in_first_lines(message, tag):
                found[path] = False
    # Only variables that the template prints can break the text (_reads, for all tags at once).
    printed = frozenset().union(*(t.paths for t in tags))
    return {
        v: d
        for v, d in found.items()
        if v in printed or any(p.startswith(v + ".") for p in printed)
    }


def _in_first_lines(message: Message, tag: Placeholder, lines: int = 3) -> bool:
    if tag.part.split("[")[0] in _HEAD_PARTS:
        return True
    part = message.parts.get(tag.part)
    if part is None:
        return False
    pos = _text_offset(part.mapped, tag.start, tag.end)
    if pos is None:
        return False
    # The first ``lines`` non-blank lines before pos, not all of them (long e-mails).
    found = _NON_BLANK_LINE.finditer(part.text, 0, pos)
    return sum(1 for _ in itertools.islice(found, lines)) < lines


# A line with more than white space (as str.strip() sees it: \s is str.isspace()).
_NON_BLANK_LINE = re.compile(r"^[^\S\n]*\S", re.MULTILINE)


def _suggestion(syntax: str, variable: str) -> str:
    if syntax == "handlebars":
        return f"{{{{#if {variable}}}}}…{{{{else}}}}…{{{{/if}}}}"
    if syntax == "go":
        return f"{{{{ with .{variable} }}}}…{{{{ else }}}}…{{{{ end }}}}"
    if syntax == "notify":
        return f"(({variable}??…)) around the words that need it"
    return f'{{{{ {variable} | default("…", true) }}}} or {{% if {variable} %}}…{{% endif %}}'


@rule(
    "personalisation/missing-fallback",
    severity="error",
    summary="The message breaks when an optional variable is empty or missing",
    doc=RuleDoc(
        what=(
            "Renders every sample again with each optional variable (declared `required: false` "
            "under `variables:`) set to an empty string and to None, and with name variables "
            "that appear in the first lines (first_name, vorname, salutation …, unless declared "
            "`required: true`). Reports what breaks: 'Hallo ,', 'Dear ,', 'Liebe ,', a line "
            "starting with a comma, a space before punctuation, a double space ('Ihre "
            "Bestellung  ist'), empty brackets, a label with nothing after it, or 'None' in "
            "the text. The finding points at the variable's placeholder in the template."
        ),
        why=(
            "Customer data is incomplete more often than templates assume. 'Hallo ,' or "
            "'Dear None,' in the first line tells the customer the message is a machine's "
            "output, and undermines everything after it."
        ),
        bad=(
            "de: Hallo {{ first_name }},   (first_name: {required: false})\n"
            "en: Dear {{ first_name }},"
        ),
        good=(
            "de: Hallo{% if first_name %} {{ first_name }}{% endif %},\n"
            'en: Dear {{ first_name | default("customer", true) }},'
        ),
        fix=(
            'Give the variable a fallback: {{ first_name | default("…", true) }} (Jinja\'s '
            "default() without `true` covers only a missing value, not an empty one), or put "
            "the words that need it inside {% if first_name %}…{% endif %}. If the variable is "
            "never empty, declare it `required: true`."
        ),
        options={
            "max_rerenders": "renders per message at most (each costs a full render)",
            "max_samples": "samples checked at most (the first ones)",
            "name_variables": "also check undeclared name variables in the first lines",
        },
    ),
    options={"max_rerenders": 6, "max_samples": 3, "name_variables": True},
)
def check_missing_fallback(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    data = message.channel_data
    rerender = data.get("rerender")
    if rerender is None:
        return
    tags = placeholders(message)
    if not tags:
        return
    candidates = _candidates(message, tags)
    if not ctx.option("name_variables"):
        candidates = {v: d for v, d in candidates.items() if d}
    if not candidates:
        return
    fallback = bool(data.get("fallback"))
    conditional = _conditional_ranges(message) if fallback else []
    # Extraction shows every branch: a placeholder inside {{#if}} cannot be judged.
    tags = [t for t in tags if not _in_ranges(t.start, t.end, conditional)]
    samples = list(data.get("samples") or [{}])[: max(1, int(ctx.option("max_samples")))]
    declared = [v for v, d in candidates.items() if d]
    # Undeclared names one at a time ("Anna ," when only the last name is empty), first sample.
    # A render costs time: empty a variable only where removing its text from the primary
    # render already looks broken ("Hallo ,"); the render then tells whether a fallback helps.
    to_empty = [
        v for v in declared if any(_reads(t, v) and _removal_breaks(message, t) for t in tags)
    ]
    runs: list[tuple[int, list[str], str, Any]] = []  # (sample index, variables, mode, value)
    for index in range(len(samples)):
        if to_empty:
            runs.append((index, to_empty, "empty", ""))
        if declared and not fallback and message.meta.syntax == "jinja":
            runs.append((index, declared, "null", None))  # Jinja prints None as "None"
    undeclared = [
        v
        for v, d in candidates.items()
        if not d and any(_reads(t, v) and _removal_breaks(message, t, name_only=True) for t in tags)
    ]
    runs += [(0, [v], "empty", "") for v in undeclared[:2]]
    runs = runs[: max(0, int(ctx.option("max_rerenders")))]
    # A variable printed only by plain tags ({{ name }}) in a template without control tags
    # prints its value and nothing else: its text is simply cut (or reads "None") without it,
    # so no render is needed to see the result.
    direct = _printed_plainly(message, tags) if not fallback else set()
    breakages: dict[tuple[int, str], _Breakage] = {}
    for index, variables, mode, value in runs:
        emptied = {v: candidates[v] for v in variables}
        found_here: list[_Breakage] = []
        simulated = {v: d for v, d in emptied.items() if v in direct}
        unsure: set[str] = set()
        if simulated and index < len(message.variants):
            parts = message.variants[index].parts
            cut, unsure = _simulated_breakages(message, parts, tags, simulated, mode)
            found_here += [b for b in cut if b.variable not in unsure]
        else:
            unsure = set(simulated)
        rendered = [v for v in variables if v not in simulated or v in unsure]
        if rendered:
            variant = copy.deepcopy(dict(samples[index]))
            for variable in rendered:
                set_path(variant, variable, value)
            try:
                parts = rerender(variant)
            except Exception:
                parts = {}  # a render that fails is template/'s business, not ours
            only = {v: candidates[v] for v in rendered}
            found_here += _breakages(message, parts, tags, only, mode)
        for found in sorted(found_here, key=lambda b: b.tag.start):
            breakages.setdefault((found.tag.start, found.variable), found)
    reported: set[str] = set()
    for found in sorted(breakages.values(), key=lambda b: b.tag.start):
        declared_here = candidates[found.variable]
        if not declared_here and found.variable in reported:
            continue  # one hint per undeclared name is enough
        reported.add(found.variable)
        yield _fallback_finding(message, ctx, found, declared=declared_here)


def _removal_breaks(message: Message, tag: Placeholder, *, name_only: bool = False) -> bool:
    """Cheap check on the primary text: would it read wrong without this tag's output?

    ``name_only``: only a greeting that loses its name counts (undeclared name variables). A tag
    that printed nothing in the primary render cannot be judged here: for a declared variable
    that means "render to find out", for an undeclared name "no".
    """
    part = message.parts.get(tag.part)
    if part is None:
        return not name_only
    spans = part.mapped.chunks_from(tag.start, tag.end)
    if not spans:
        return not name_only
    start, end = spans[0].start, spans[-1].end
    # The text around the cut only: _broken_at and _name_vanished look no further.
    full = part.text
    left = full[max(0, start - _LOOK_BACK) : start]
    text = left + full[end : end + _LOOK_AHEAD]
    pos = len(left)
    markup = part.markup != "text"
    if not _broken_at(text, pos, markup, message.language):
        return False
    return not name_only or _name_vanished(text, pos)


# A tag that prints one variable as it is: {{ name }}, {{- user.name -}}, {{ .Name }}, ((name)).
_plain_tag = lazy_pattern(r"^(?:\{\{-?\s*\.?([A-Za-z_][\w.]*)\s*-?\}\}|\(\(([A-Za-z_][\w.]*)\)\))$")


# Tags that loop, branch, assign or include: the output of a plain tag may then depend on more
# than the variable (a loop variable of the same name, a branch that hides it).
_control_tags = lazy_pattern(
    r"\{%|\{\{[#/^>]|\{\{~?\s*(?:else|if|range|with|define|template|block|end)\b|\?\?"
)


def _printed_plainly(message: Message, tags: Sequence[Placeholder]) -> set[str]:
    """Variables whose every tag is a plain tag, in a template without control tags."""
    if any(_control_tags().search(source.text) for source in message.template.sources.values()):
        return set()
    plain: dict[str, bool] = {}
    for tag in tags:
        m = _plain_tag().match(tag.source)
        for path in tag.paths:
            ok = m is not None and (m.group(1) or m.group(2)) == path and len(tag.paths) == 1
            plain[path] = plain.get(path, True) and ok
    return {v for v, ok in plain.items() if ok}


def _tags_in(
    parts: Mapping[str, Part], tags: Sequence[Placeholder], candidates: Mapping[str, bool]
) -> Iterator[tuple[Placeholder, list[str], Part]]:
    """The tags that print a candidate variable, with those variables and their part."""
    for tag in tags:
        variables = [v for v in candidates if _reads(tag, v)]
        part = parts.get(tag.part)
        if variables and part is not None:
            yield tag, variables, part


def _simulated_breakages(
    message: Message,
    parts: Mapping[str, Part],
    tags: Sequence[Placeholder],
    candidates: Mapping[str, bool],
    mode: str,
) -> tuple[list[_Breakage], set[str]]:
    """Like a re-render with ``candidates`` emptied (or None), for plainly printed variables:
    their value is cut out of ``parts`` (or replaced by "None"). Also returns the variables
    this cannot judge (their value is not one piece of text), which need a real render."""
    found: list[_Breakage] = []
    unsure: set[str] = set()
    for tag, variables, part in _tags_in(parts, tags, candidates):
        mapped = part.mapped
        text = mapped.text
        overlapping = mapped.chunks_from(tag.start, tag.end)
        if overlapping:
            value = overlapping[0]
            own = tag.start <= value.src_start and value.src_end <= tag.end
            if len(overlapping) != 1 or value.literal or not own:
                unsure.update(variables)  # e.g. two values printed as one piece
                continue
            pos = value.start
            text = text[:pos] + text[value.end :]
        else:  # the sample's value is already empty: the text reads as it will
            where = _insertion_point(mapped, tag.start, tag.end)
            if where is None:
                unsure.update(variables)
                continue
            pos = where
        shown: str | None = None
        if mode == "null":
            shown = _snippet(text[:pos] + "None" + text[pos:], pos, 20)
        elif _broken_at(text, pos, part.markup != "text", message.language) and (
            all(candidates[v] for v in variables) or _name_vanished(text, pos)
        ):
            shown = _snippet(text, pos, 20)
        if shown is not None:
            found += [_Breakage(tag, variable, shown, mode) for variable in variables]
    return found, unsure


def _breakages(
    message: Message,
    parts: Mapping[str, Part],
    tags: Sequence[Placeholder],
    candidates: Mapping[str, bool],
    mode: str,
) -> Iterator[_Breakage]:
    for tag, variables, part in _tags_in(parts, tags, candidates):
        mapped = part.mapped
        text = mapped.text
        shown: str | None = None
        overlapping = mapped.chunks_from(tag.start, tag.end)
        if overlapping:
            if mode == "null":
                for chunk in overlapping:
                    value = text[chunk.start : chunk.end].strip()
                    if not chunk.literal and value in _NULL_WORDS:
                        shown = _snippet(text, chunk.start, 20)
                        break
        elif mode == "empty":
            pos = _insertion_point(mapped, tag.start, tag.end)
            # Undeclared names: only a greeting left without any name is worth a hint.
            if (
                pos is not None
                and _broken_at(text, pos, part.markup != "text", message.language)
                and (all(candidates[v] for v in variables) or _name_vanished(text, pos))
            ):
                shown = _snippet(text, pos, 20)
        if shown is not None:
            for variable in variables:
                yield _Breakage(tag, variable, shown, mode)


def _fallback_finding(
    message: Message, ctx: RuleContext, found: _Breakage, *, declared: bool
) -> Finding:
    variable = found.variable
    when = "is empty" if found.mode == "empty" else "is None (null)"
    text = f'When "{variable}" {when}, the customer reads "{found.shown}".'
    if declared:
        text += " It is declared optional (required: false)."
    else:
        text += f" If {variable} can be missing, give it a fallback; if never, declare it"
        text += " `required: true`."
    text += f" Fallback: {_suggestion(message.meta.syntax, variable)}."
    if found.mode == "empty" and re.search(r"default\((?![^)]*true)", found.tag.source):
        text += " (default() without `true` covers only a missing value, not an empty one.)"
    # Undeclared names may well be always present: a hint, not a failure.
    severity = _severity(ctx, Severity.ERROR if declared else Severity.INFO)
    return _finding_at_file(
        ctx, message, found.tag.start, found.tag.end, text, part=found.tag.part, severity=severity
    )


# --- personalisation/unresolved-token ---------------------------------------------------------


# Every alternative starts with a literal character, so that ``re`` skips ahead to those in C.
_tokens = lazy_pattern(
    r"\{\{|\}\}|\{%|%\}|\{#|#\}"  # Jinja, Handlebars, Go
    r"|%[A-Za-z_][A-Za-z0-9_.]*%"  # %NAME%
    r"|\*\|[A-Za-z0-9_:]+\|\*"  # Mailchimp *|FNAME|*
    r"|\(\([A-Za-z_][\w.]*(?:\?\?[^()]*)?\)\)"  # GC Notify ((name))
    r"|\[\[[A-Za-z_][\w.]*\]\]"  # [[name]]
    r"|\$\{[A-Za-z_][\w.]*\}|#\{[A-Za-z_][\w.]*\}"  # ${name}, #{name}
    r"|\{[A-Za-z_][\w.]*\}"  # {first_name} (only known variables, see below)
)


# GC Notify's language blocks ([[en]] … [[/en]]) are markup of that service, not placeholders.
_LANGUAGE_BLOCK = re.compile(r"\[\[/?[a-z]{2}\]\]")


# "[Product Name]": a writer's stand-in for real content (template galleries, drafts).
_stand_in = lazy_pattern(r"\[(?:[A-ZÄÖÜ][\w'’.-]*)(?:[ ,]+[A-ZÄÖÜ&][\w'’.-]*){0,5}\]")


def _escaped(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return "\\{{" in text[line_start : start + 3]


def _in_url(text: str, start: int) -> bool:
    word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    word = text[word_start:start]
    return "://" in word or word.startswith("www.") or "?" in word or "=" in word


@rule(
    "personalisation/unresolved-token",
    severity="error",
    summary="Placeholder syntax left in the text the customer reads",
    doc=RuleDoc(
        what=(
            "Finds template syntax that survived rendering in the customer-visible text: "
            "'{{', '}}', '{%', '%NAME%', '*|FNAME|*', '((name))', '[[name]]', '${name}', "
            "'#{name}', and '{first_name}' when first_name is one of the template's variables. "
            "Such tokens come from another tool's placeholder syntax pasted into this template, "
            "a typo in a tag ('{{ name }'), or escaped tags. Only the template's own text is "
            "checked, not sample values. Bracketed stand-ins such as '[Product Name]' or "
            "'[Firmenname]' are reported as info (template galleries use them on purpose; in a "
            "live template they are a forgotten fill-in)."
        ),
        why=(
            "'Hallo *|FNAME|*' or 'Dear {{name}}' shows the customer the machinery behind the "
            "message; it looks like spam or a broken system and costs trust at once."
        ),
        bad="de: Hallo %VORNAME%, Ihr Paket ist da.\nen: Hi *|FNAME|*, your parcel is here.",
        good="de: Hallo {{ vorname }}, Ihr Paket ist da.\nen: Hi {{ first_name }}, your parcel …",
        fix=(
            "Write the placeholder in the template's own syntax (Jinja: {{ first_name }}), fix "
            "the broken tag, or replace the stand-in with real content."
        ),
        options={"stand_ins": "also report bracketed stand-ins like [Product Name] (as info)"},
    ),
    options={"stand_ins": True},
)
def check_unresolved_token(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    if message.meta.syntax == "raw":
        return  # not a template: catalogues and documents use placeholder syntax on purpose
    known: set[str] | None = None  # the variables' names, for "{name}": rarely needed
    stand_ins = bool(ctx.option("stand_ins"))
    seen_stand_ins: set[str] = set()
    for part in iter_parts(message):
        text = part.text
        if not text:
            continue
        if any(ch in text for ch in "{}%|([$#"):
            for m in _tokens().finditer(text):
                token = m.group()
                if _LANGUAGE_BLOCK.fullmatch(token) or _in_url(text, m.start()):
                    continue
                if _escaped(text, m.start()):
                    continue  # "\{{ name }}" shows the syntax on purpose (a how-to)
                single_brace = token.startswith("{") and token[1:2] not in "{%#"
                if single_brace:
                    if known is None:
                        known = {v.split(".")[-1] for v in message.variables}
                        known |= set(message.meta.variables)
                    if token[1:-1].split(".")[-1] not in known:
                        continue  # "{Name}" in prose is not necessarily a placeholder
                if not part.mapped.is_literal(m.start(), m.end()):
                    continue  # from a sample value, not the template
                yield ctx.at(
                    message,
                    part,
                    m.start(),
                    m.end(),
                    f'"{_snippet(text, m.start(), 20)}" shows the placeholder syntax '
                    f'"{token}" to the customer: write it as a placeholder of this template '
                    f"({message.meta.syntax}) or remove it.",
                )
        if stand_ins and "[" in text:
            for m in _stand_in().finditer(text):
                token = m.group()
                if token in seen_stand_ins or not part.mapped.is_literal(m.start(), m.end()):
                    continue
                seen_stand_ins.add(token)
                yield ctx.at(
                    message,
                    part,
                    m.start(),
                    m.end(),
                    f'"{token}" looks like a stand-in for real content: fill it in (or use a '
                    "placeholder) before the template goes live.",
                    severity=_severity(ctx, Severity.INFO),
                )


# --- personalisation/creepy -------------------------------------------------------------------


@lru_cache(maxsize=4)
def _creepy_patterns(language: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    cues = _words(language, "creepy_cues")
    objects = _words(language, "creepy_objects")
    if not cues or not objects:
        return None

    def alternation(words: Iterable[str], *, look_back: bool) -> str:
        parts = []
        for w in longest_first(set(words)):
            pieces = [re.escape(p) for p in w.split() if p != "…"]
            gap = r"(?:\s+\S+){0,4}?\s+" if "…" in w else r"\s+"
            if look_back:
                # The first character is already taken (see below): the phrase looks back at it.
                first = next(p for p in w.split() if p != "…")
                pieces[0] = f"(?<={re.escape(first[0])})" + re.escape(first[1:])
            parts.append(gap.join(pieces))
        return "|".join(parts)

    def pattern(words: Iterable[str]) -> re.Pattern[str]:
        # Starting with a case-sensitive set, each phrase looking back at its first letter
        # case-insensitively, lets re skip to the positions where a phrase can start.
        start = first_char_set(" ".join(p for p in w.split() if p != "…") for w in words)
        if not start:
            alternatives = alternation(words, look_back=False)
            return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)
        alternatives = alternation(words, look_back=True)
        return re.compile(start + r"(?<!\w(?s:.))(?i:" + alternatives + r")(?!\w)")

    return pattern(cues), pattern(objects)


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos)
    return m.start() + 1 if m else len(text)


@rule(
    "personalisation/creepy",
    severity="warning",
    summary="Personalisation that tells the customer they are being watched",
    doc=RuleDoc(
        what=(
            "Finds references to tracking, browsing and location: an observation ('wir haben "
            "gesehen, dass', 'uns ist aufgefallen', 'we noticed', 'we saw') followed in the same "
            "sentence by browsing ('angesehen', 'gestöbert', 'looking at', 'browsing'), and set "
            "phrases such as 'Ihr Surfverhalten', 'basierend auf Ihrem Standort', 'based on "
            "your location', 'your browsing history' (term packs rules/de/creepy.yaml, "
            "rules/en/creepy.yaml; cue and browsing words in rules/<lang>/personalisation.yaml)."
        ),
        why=(
            "Recommendations are welcome; being told that someone watched you is not. Naming "
            "the tracking makes customers feel observed and is a common reason to unsubscribe "
            "or complain about data use."
        ),
        bad=(
            "de: Wir haben gesehen, dass Sie sich kürzlich Laufschuhe angesehen haben.\n"
            "en: We noticed you were looking at running shoes."
        ),
        good=(
            "de: Neue Laufschuhe sind da – vielleicht ist etwas für Sie dabei.\n"
            "en: New running shoes just arrived – maybe something for you?"
        ),
        fix="Recommend without explaining how you know: talk about the product, not the tracking.",
    ),
)
def check_creepy(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    matcher = pack_resources(ctx).term_matcher("personalisation/creepy", message.language)
    patterns = _creepy_patterns(normalise_language(message.language))
    for part in iter_parts(message):
        text = part.text
        if not text:
            continue
        reported: list[tuple[int, int]] = []
        for match in matcher.find(text, message.language):
            if not _touches_literal(part.mapped, match.start, match.end):
                continue
            reported.append((match.start, match.end))
            shown = " ".join(text[match.start : match.end].split())
            severity = match.entry.severity or match.pack.severity
            alternatives = match.entry.alternatives
            better = f' Try "{alternatives[0]}".' if alternatives else ""
            yield ctx.at(
                message,
                part,
                match.start,
                match.end,
                f'"{shown}": {match.entry.reason}{better}',
                severity=_severity(ctx, severity) if severity else None,
            )
        if patterns is None:
            continue
        cue, obj = patterns
        for m in cue.finditer(text):
            end = _sentence_end(text, m.end())
            found = obj.search(text, m.end(), end)
            if found is None or any(s < found.end() and m.start() < e for s, e in reported):
                continue
            if not _touches_literal(part.mapped, m.start(), found.end()):
                continue
            reported.append((m.start(), found.end()))
            shown = " ".join(text[m.start() : found.end()].split())
            if len(shown) > 90:
                shown = shown[:40] + " … " + shown[-40:]
            yield ctx.at(
                message,
                part,
                m.start(),
                found.end(),
                f'"{shown}" tells the customer their browsing was watched: recommend the '
                "product without saying how you know.",
            )


# --- personalisation/sensitive-data -----------------------------------------------------------

_KIND_TEXT = {
    "iban": ("a full IBAN", "mask it (DE89 **** 3000) or leave it out"),
    "card": ("a full payment card number", "show only the last four digits (**** 1234)"),
    "password": (
        "a password or PIN in clear text",
        "send a link to set it instead; never send passwords or PINs",
    ),
    "balance": ("an account balance or debt", 'say "Ihr Kontoauszug ist da" / "…is ready" instead'),
    "health": ("health information", "say that news is waiting and show details after login"),
}
_ALWAYS = frozenset({"card", "password"})
_LINK_TAG = re.compile(
    r"(?:url|link|href|uri)\w*\s*(?:\}\}|\)\)|\|)", re.IGNORECASE
)  # wrong in every channel; the rest only on lock screens


@rule(
    "personalisation/sensitive-data",
    severity="warning",
    summary="Balances, IBANs, card numbers, passwords or health data where others can see them",
    doc=RuleDoc(
        what=(
            "In SMS, push and WhatsApp (shown on lock screens): account balances and debts with "
            "an amount, IBANs (check sum validated), health terms (Diagnose, Befund, "
            "Medikament, diagnosis, test results … — term packs rules/de/sensitive-health.yaml, "
            "rules/en/sensitive-health.yaml). In every channel: full payment card numbers "
            "(Luhn check) and passwords or PINs in clear text ('Ihr Passwort lautet …', "
            "'Your PIN is …') — reported as errors. One-time codes and TANs ('Ihr Code ist "
            "123456') are normal in SMS and not reported."
        ),
        why=(
            "SMS and push notifications appear on the lock screen, where colleagues, family and "
            "strangers read them. A balance, a diagnosis or a password there is a privacy "
            "breach; a password or card number in any message stays in inboxes and backups."
        ),
        bad=(
            "de (SMS): Ihr Kontostand beträgt -1.234,56 €. Ihr Befund liegt vor.\n"
            "en (push): Your new password is Summer2024!"
        ),
        good=(
            "de (SMS): Ihr Kontoauszug ist da. Details in der App.\n"
            "en (push): Your password was reset. Set a new one in the app."
        ),
        fix=(
            "Keep only a neutral hint on the lock screen and show the details after login; "
            "mask IBANs and card numbers; never send passwords or PINs — send a reset link."
        ),
        options={"kinds": "kinds to report: iban, card, password, balance, health"},
    ),
    options={"kinds": ["iban", "card", "password", "balance", "health"]},
)
def check_sensitive_data(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    wanted = ctx.memo("kinds", lambda c: frozenset(c.option("kinds") or ()))
    if message.channel not in LOCK_SCREEN_CHANNELS:
        wanted &= _ALWAYS
    if not wanted:
        return
    health = pack_resources(ctx).term_matcher("personalisation/sensitive-data", message.language)
    for part in iter_parts(message):
        text = part.text
        if not text:
            continue
        values = _ValueRanges(part.mapped, message.template.text)
        for start, end, kind in find_sensitive_data(
            text, message.language, kinds=wanted, placeholder_ranges=values, health=health
        ):
            what, advice = _KIND_TEXT[kind]
            where = "on the lock screen" if message.channel in LOCK_SCREEN_CHANNELS else ""
            shown = " ".join(text[start:end].split())
            if len(shown) > 60:
                shown = shown[:57] + "…"
            severity = Severity.ERROR if kind in _ALWAYS else Severity.WARNING
            yield ctx.at(
                message,
                part,
                start,
                end,
                f'"{shown}" shows {what}{" " + where if where else ""}: {advice}.',
                severity=_severity(ctx, severity),
            )


class _ValueRanges:
    """Ranges of a part's text filled from variables, except link variables ("reset your
    password: {{ reset_url }}": not a secret); found only when a password check asks."""

    def __init__(self, mapped: MappedText, source: str) -> None:
        self._mapped = mapped
        self._source = source
        self._ranges: list[tuple[int, int]] | None = None

    def __iter__(self) -> Iterator[tuple[int, int]]:
        if self._ranges is None:
            source = self._source
            self._ranges = [
                (c.start, c.end)
                for c in self._mapped.chunks
                if not c.literal and not _LINK_TAG.search(source[c.src_start : c.src_end])
            ]
        return iter(self._ranges)


__all__ = ["Placeholder", "is_name_variable", "placeholders"]
