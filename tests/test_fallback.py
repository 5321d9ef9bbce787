from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msglint.templating.base import RenderResult
from msglint.templating.detect import detect_syntax
from msglint.templating.fallback import _scan, extract

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SYNTAXES = ("jinja", "handlebars", "go", "notify", "raw")


def maps_back(result: RenderResult, source: str, word: str, occurrence: int = 0) -> bool:
    """True if ``word`` is in the output as a literal copy of its place in the source."""
    out = result.output
    i = out.text.index(word)
    src = source.index(word)
    for _ in range(occurrence):
        i = out.text.index(word, i + 1)
        src = source.index(word, src + 1)
    return out.source_offset(i) == src and out.is_literal(i, i + len(word))


def conditional_texts(result: RenderResult, source: str) -> list[str]:
    return [source[a:b] for a, b in result.conditional_ranges]


# ------------------------------------------------------------------------------ handlebars


def test_handlebars_keeps_every_branch_and_maps_literals_to_source() -> None:
    src = (
        "Hi {{ name }},\n"
        "{{#if order.voucher}}Your voucher {{order.voucher.code}} applies.{{else}}"
        "No voucher this time.{{/if}}\n"
        "{{! a comment }}{{!-- a }} long comment --}}{{> footer}}Thanks"
    )
    result = extract(src, "handlebars", {"name": "Ann", "order": {"voucher": {"code": "X1"}}})
    assert result.output.text == "Hi Ann,\nYour voucher X1 applies.No voucher this time.\nThanks"
    assert maps_back(result, src, "applies")
    assert maps_back(result, src, "Thanks")
    assert result.variables == {"name", "order.voucher", "order.voucher.code"}
    assert result.undefined == frozenset()
    assert conditional_texts(result, src) == [
        "Your voucher {{order.voucher.code}} applies.{{else}}No voucher this time."
    ]
    assert result.includes == ("footer",)
    assert result.fallback and result.fallback_reason


def test_handlebars_each_resolves_item_fields_and_helpers_use_their_first_argument() -> None:
    src = (
        "{{#each order.lines}}{{product_name}}: "
        "{{price net gross ../order.currency display_gross=../order.gross}} ({{@index}})\n"
        "{{/each}}{{{raw_html}}} {{&amp}} {{^items}}empty{{/items}}"
    )
    sample: dict[str, Any] = {
        "order": {"lines": [{"product_name": "Pen", "net": "2.00"}], "currency": "EUR"}
    }
    result = extract(src, "handlebars", sample)
    assert result.output.text == "Pen: 2.00 (index)\nrawhtml amp empty"
    assert "product_name" in result.variables and "order.currency" in result.variables
    # Item fields missing from the sample item are undefined; @index is not a variable.
    assert {"gross", "order.gross", "raw_html"} <= result.undefined
    assert "product_name" not in result.undefined
    assert not any(v.startswith("@") for v in result.variables)
    assert conditional_texts(result, src) == ["empty"]


def test_handlebars_tilde_trims_whitespace() -> None:
    result = extract("Total:   {{~ total ~}}   EUR", "handlebars", {"total": 5})
    assert result.output.text == "Total:5EUR"


def test_handlebars_fields_of_an_unknown_collection_are_not_undefined() -> None:
    result = extract("{{#each rows}}{{cell}}{{/each}}", "handlebars", {})
    assert result.undefined == {"rows"}
    assert "cell" in result.variables


# ------------------------------------------------------------------------------ go


def test_go_placeholders_branches_and_whitespace_trimming() -> None:
    src = (
        "Hello {{ .Identity.traits.name }},\n"
        "{{- if .RequestURLDomain }}\n"
        "  Requested on {{ .RequestURLDomain }}.\n"
        "{{- else }} Requested here.{{ end -}}\n"
        '  Code: {{ .Code | printf "%s" }} {{/* internal */}}ID {{ index .Identity "id" }}'
        '{{ template "footer" . }}'
    )
    sample = {"Identity": {"traits": {"name": "Bob"}, "id": "42"}, "Code": "9876"}
    result = extract(src, "go", sample)
    assert result.output.text == (
        "Hello Bob,\n  Requested on RequestURLDomain. Requested here.Code: 9876 ID 42"
    )
    assert maps_back(result, src, "Requested on")
    assert maps_back(result, src, "Code:")
    assert result.variables == {"Identity.traits.name", "RequestURLDomain", "Code", "Identity.id"}
    assert result.undefined == {"RequestURLDomain"}
    assert len(result.conditional_ranges) == 1
    assert "Requested here." in conditional_texts(result, src)[0]
    assert result.includes == ("footer",)
    assert result.fallback_reason is not None and "Go template" in result.fallback_reason


def test_go_range_with_and_variables() -> None:
    src = (
        "{{ range $i, $item := .Items }}[{{ $item.Name }}/{{ .Name }}]{{ end }}"
        "{{ with .Shop }}{{ .Title }}{{ end }}{{ $x := .Greeting }}{{ $x }}!"
    )
    sample = {"Items": [{"Name": "A"}], "Shop": {"Title": "Store"}, "Greeting": "Hi"}
    result = extract(src, "go", sample)
    assert result.output.text == "[A/A]StoreHi!"
    assert result.undefined == frozenset()
    assert {"Items", "Shop", "Greeting"} <= result.variables


def test_go_flat_sample_keys_work_too() -> None:
    result = extract("{{ .Order.Number }}", "go", {"Order.Number": "A-1"})
    assert result.output.text == "A-1"


# ------------------------------------------------------------------------------ notify


def test_notify_placeholders_conditional_text_and_markdown_lines() -> None:
    src = (
        "# Your order\n\nHi ((first name)),\n"
        "((has_code??Your code is ready.))\n^ Keep this safe.\n---\n* item ((item))\n"
    )
    result = extract(src, "notify", {"first name": "Zoe"})
    assert result.output.text == (
        "# Your order\n\nHi Zoe,\nYour code is ready.\n^ Keep this safe.\n---\n* item item\n"
    )
    assert maps_back(result, src, "Your code is ready.")
    assert maps_back(result, src, "Keep this safe")
    assert result.variables == {"first name", "has_code", "item"}
    assert result.undefined == {"has_code", "item"}
    assert conditional_texts(result, src) == ["Your code is ready."]


def test_notify_language_markers_are_not_text() -> None:
    result = extract("[[en]]\nHello\n[[/en]]", "notify", {})
    assert result.output.text == "\nHello\n"


# ------------------------------------------------------------------ jinja / twig / django


def test_django_trans_strings_are_literal_text_mapped_into_the_quotes() -> None:
    src = (
        '{% extends "base.txt" %}{% load i18n %}{% block content %}'
        '{% if code %}{% trans "Your code is below." %} {{ code }}'
        "{% else %}{% translate 'Follow the link.' %}{% endif %}"
        '{% trans "Hidden" as stored %}{% endblock %}'
    )
    result = extract(src, "jinja", {"code": "123"})
    assert result.output.text == "Your code is below. 123Follow the link."
    assert maps_back(result, src, "Your code is below.")
    assert maps_back(result, src, "Follow the link.")
    assert result.includes == ("base.txt",)
    assert result.variables == {"code"}
    assert len(result.conditional_ranges) == 1
    assert "Follow the link." in conditional_texts(result, src)[0]


def test_blocktrans_keeps_inner_text_and_resolves_with_aliases() -> None:
    src = (
        "{% blocktrans with site_name=current_site.name %}Welcome to {{ site_name }}!"
        "{% endblocktrans %}\n{% blocktrans %}Go to {{ activate_url }}{% endblocktrans %}"
    )
    result = extract(src, "jinja", {"current_site": {"name": "Shop"}})
    assert result.output.text == "Welcome to Shop!\nGo to activateurl"
    assert maps_back(result, src, "Welcome to")
    assert result.variables == {"current_site.name", "activate_url"}
    assert result.undefined == {"activate_url"}


def test_twig_trans_filter_arrow_functions_loops_and_trimming() -> None:
    src = (
        "{{ 'Thank you for your order'|trans({}, null, localeCode) }}:\n"
        "  {%- set features = item.features|filter(f => f.type == 'price') -%}\n"
        "  {% for line in order.lines %}{{ line.label }} {{ loop.index }}{% endfor %}"
        "{{ order.total|currency(iso) }}{# note #} {{ name|default('Kunde') }}"
        "{% raw %}{{ kept }}{% endraw %}"
    )
    sample = {"order": {"lines": [{"label": "Pen"}], "total": "9.99"}, "localeCode": "de"}
    result = extract(src, "jinja", sample)
    assert result.output.text == "Thank you for your order:Pen index9.99 Kunde{{ kept }}"
    assert maps_back(result, src, "Thank you for your order")
    assert maps_back(result, src, "{{ kept }}")
    assert "f.type" not in result.variables and "line.label" not in result.variables
    assert {"item.features", "order.lines", "order.total", "iso", "name"} <= result.variables
    assert "localeCode" not in result.undefined


def test_gettext_call_keeps_text_and_fills_percent_placeholders() -> None:
    src = "{{ _fsdomain('Use <a href=\"%(link)s\">this link</a> now.', link=link)|safe }}"
    result = extract(src, "jinja", {"link": "https://x.test"})
    assert result.output.text == 'Use <a href="https://x.test">this link</a> now.'
    assert maps_back(result, src, "this link</a> now.")
    assert result.variables == {"link"}


def test_jinja_twig_tilde_keeps_newlines() -> None:
    assert extract("a  \n  {%~ if x ~%}  \nb{% endif %}", "jinja", {}).output.text == "a  \n\nb"


# ------------------------------------------------------------------------------ robustness


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(
    "src",
    ["Hi {{ name", "{{#if x}}open", "{% if x %}no end", "{{ end }}{{/if}}{% endif %}", "((x", "{{"],
)
def test_unterminated_and_unbalanced_tags_never_raise(syntax: str, src: str) -> None:
    result = extract(src, syntax, {})
    assert isinstance(result.output.text, str)


def test_unterminated_tag_is_literal_text() -> None:
    src = "Hello {{ name and more text"
    for syntax in ("jinja", "handlebars", "go"):
        result = extract(src, syntax, {})
        assert result.output.text == src
        assert maps_back(result, src, "more text")


def test_unknown_syntax_is_detected() -> None:
    result = extract("Hi {{ .Name }}", "gotmpl", {"Name": "Al"})
    assert result.output.text == "Hi Al"


def test_raw_syntax_is_the_text_itself() -> None:
    result = extract("Plain {{ text }}", "raw", {})
    assert result.output.text == "Plain {{ text }}"
    assert not result.fallback


_TEMPLATE_ALPHABET = st.sampled_from(
    [
        "{{", "}}", "{{{", "}}}", "{%", "%}", "{#", "#}", "((", "))", "??", "-", "~", "#", "/",
        "^", ">", "!", "--", "&", "@", ".", "$", ":=", "|", "(", ")", '"', "'", "`", "*", " ",
        "\n", "if", "else", "end", "each", "range", "with", "trans", "raw", "endraw", "comment",
        "for", "in", "set", "=", "=>", "name", "a.b", "../x", "this", "index", "template", "é",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.one_of(_TEMPLATE_ALPHABET, st.text(max_size=4)), max_size=40),
    syntax=st.sampled_from(SYNTAXES),
)
def test_extract_never_raises_and_maps_inside_the_source(parts: list[str], syntax: str) -> None:
    src = "".join(parts)
    out = _scan(src, syntax, {"name": "N", "a": {"b": [1]}}).result("x").output  # unguarded
    pos = 0
    for chunk in out.chunks:
        assert chunk.start == pos or chunk.start > pos
        assert 0 <= chunk.src_start <= chunk.src_end <= len(src)
        if chunk.literal:
            assert out.text[chunk.start : chunk.end] == src[chunk.src_start : chunk.src_end]
        pos = chunk.end
    extract(src, syntax, {})


# ------------------------------------------------------------------------------ corpus

CORPUS_SYNTAX = {
    "ory-kratos/login_code/valid/email.body.gotmpl": "go",
    "ory-kratos/verifiable_address_changed/email.body.gotmpl": "go",
    "postmark/basic/receipt/content.txt": "handlebars",
    "postmark/plain/invoice/content.html": "handlebars",
    "saleor/user_email/confirm_order.html": "handlebars",
    "gcnotify/demo-email-template.yaml": "notify",
    "gcnotify/demo-sms-template.yaml": "notify",
    "django-allauth/account/email/email_confirmation_message.txt": "jinja",
    "flask-security/email/welcome.txt": "jinja",
    "sylius/shop/verification.html.twig": "jinja",
    "shopware/mails/order_confirmation_mail/de-html.html.twig": "jinja",
    "letters-de/joeig-din5008/Latex-Briefvorlage.tex": "raw",
    "letters-de/gerdis-scrlttr2/logo.lco": "raw",
}


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "SOURCES.md")


@pytest.mark.parametrize(("rel", "expected"), sorted(CORPUS_SYNTAX.items()))
def test_detects_the_syntax_of_real_templates(rel: str, expected: str) -> None:
    path = CORPUS / rel
    if not path.is_file():
        pytest.skip(f"corpus file {rel} not available")
    assert detect_syntax(path.read_text(encoding="utf-8", errors="replace")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi ((name)), your code is ((code)).", "notify"),
        ("{{- if .X -}}yes{{- end -}}", "go"),
        ('{{ template "x" . }}', "go"),
        ("{{#each items}}{{this}}{{/each}}", "handlebars"),
        ("{{> header}} Hi", "handlebars"),
        ("{{{raw}}}", "handlebars"),
        ("{{^none}}x{{/none}}", "handlebars"),
        ("{% if x %}a{% endif %}", "jinja"),
        ("{{ name|upper }}", "jinja"),
        ("Hi {{name}}", "jinja"),
        ("Plain text with 100% (really) nothing", "raw"),
    ],
)
def test_detect_syntax_heuristics(text: str, expected: str) -> None:
    assert detect_syntax(text) == expected


def test_every_corpus_file_extracts_in_every_syntax() -> None:
    files = _corpus_files()
    if not files:
        pytest.skip("corpus not available")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for syntax in (detect_syntax(text), *SYNTAXES):
            out = _scan(text, syntax, {}).result("x").output  # unguarded: exceptions surface
            assert len(out.text) <= 2 * len(text) + 100
