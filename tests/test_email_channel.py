from __future__ import annotations

from pathlib import Path

import pytest

from msglint.channels import email as email_channel
from msglint.channels.base import ChannelBuild
from msglint.channels.email import build_email, detect_markup
from msglint.mapping import MappedText
from msglint.markup.html import HtmlDocument
from msglint.markup.mjml import mjml_components
from msglint.model import Severity, TemplateFile, TemplateMeta
from msglint.templating.base import Problem

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

MJML = """\
<mjml lang="de">
  <mj-head>
    <mj-title>Ihre Bestellung &amp; mehr</mj-title>
    <mj-preview>Alles Wichtige auf einen Blick</mj-preview>
  </mj-head>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Hallo <b>Anna</b>, Ihre Bestellung ist unterwegs.</mj-text>
        <mj-image src="logo.png" alt="Logo" />
        <mj-button href="https://example.com/order">Bestellung ansehen</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
"""


def make_template(text: str, name: str = "x.mjml", body_start: int = 0) -> TemplateFile:
    return TemplateFile(
        path=Path(name),
        display_path=name,
        text=text,
        body_start=body_start,
        meta=TemplateMeta(channel="email"),
    )


def build(
    text: str, name: str = "x.mjml", *, render_mjml: bool = True
) -> tuple[TemplateFile, ChannelBuild]:
    template = make_template(text, name)
    body = {"body": MappedText.identity(text)}
    return template, build_email(template, body, render_mjml=render_mjml)


def problem_lines(template: TemplateFile, problems: list[Problem]) -> list[tuple[int, str]]:
    return [(template.lines.position(p.start)[0], p.message) for p in problems]


def test_markup_detection() -> None:
    assert detect_markup(MJML) == "mjml"
    assert detect_markup("<p>Hello</p>") == "html"
    assert detect_markup("Hello <name>, your code is 1 < 2") == "text"


def test_mjml_subject_and_preheader_come_from_mj_title_and_mj_preview() -> None:
    _, result = build(MJML)
    parts = result.parts
    assert parts["subject"].text == "Ihre Bestellung & mehr"
    assert parts["preheader"].text == "Alles Wichtige auf einen Blick"
    assert parts["body"].markup == "mjml"
    assert parts["body"].text == (
        "Hallo Anna, Ihre Bestellung ist unterwegs.\n\nBestellung ansehen"
    )
    assert result.problems == []
    metrics = result.metrics["email"]
    assert metrics["subject_chars"] == len("Ihre Bestellung & mehr")
    assert metrics["preheader_chars"] == len("Alles Wichtige auf einen Blick")


def test_a_body_word_maps_to_its_line_and_column_in_the_file() -> None:
    front = "---\nchannel: email\nsubject: Hi\n---\n"
    text = front + MJML
    template = make_template(text, body_start=len(front))
    body = MappedText.identity(MJML, offset=len(front))
    result = build_email(template, {"body": body})
    visible = result.parts["body"].mapped
    offset = visible.text.index("unterwegs")
    line, column = template.lines.position(visible.source_offset(offset))
    assert (line, column) == (4 + 9, MJML.splitlines()[8].index("unterwegs") + 1)
    assert text[visible.source_offset(offset) :].startswith("unterwegs")


def test_front_matter_subject_wins_and_silences_the_missing_title_check() -> None:
    source = MJML.replace("<mj-title>Ihre Bestellung &amp; mehr</mj-title>", "")
    template = make_template(source)
    without = build_email(template, {"body": MappedText.identity(source)})
    assert [p.message for p in without.problems] == [
        "no <mj-title> and no subject in the front matter"
    ]
    assert without.problems[0].severity == Severity.WARNING
    subject = MappedText.identity("Versandbestätigung", 0)
    with_subject = build_email(template, {"body": MappedText.identity(source), "subject": subject})
    assert with_subject.problems == []
    assert with_subject.parts["subject"].text == "Versandbestätigung"


def test_mjml_structure_errors_point_at_their_lines() -> None:
    source = """\
<mjml>
  <mj-head><mj-title>T</mj-title></mj-head>
  <mj-body>
    <mj-text>Directly in the body</mj-text>
    <mj-section>
      <mj-column>
        <mj-txt>Typo</mj-txt>
        <mj-text colour="red">Attribute typo</mj-text>
        <p>Bare HTML</p>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
"""
    template, result = build(source)
    found = problem_lines(template, result.problems)
    assert found == [
        (
            4,
            "<mj-text> is not allowed inside <mj-body> (allowed: <mj-hero>, <mj-include>, "
            "<mj-raw>, <mj-section>, <mj-wrapper>)",
        ),
        (7, "unknown MJML tag <mj-txt> (did you mean 'mj-text'?)"),
        (8, "unknown attribute 'colour' on <mj-text> (did you mean 'color'?)"),
        (
            9,
            "HTML <p> is not allowed directly inside <mj-column>; "
            "put HTML in <mj-text> or <mj-raw>",
        ),
    ]
    assert all(p.rule == "email/mjml" for p in result.problems)
    attribute = result.problems[2]
    assert source[attribute.start : attribute.end] == 'colour="red"'
    assert attribute.severity == Severity.WARNING


def test_mjml_is_compiled_for_size_and_lang() -> None:
    _, result = build(MJML)
    data = result.channel_data
    assert data["html"].lstrip().lower().startswith("<!doctype html>")
    assert result.metrics["email"]["html_bytes"] == len(data["html"].encode("utf-8"))
    assert data["lang"] == "de"
    assert isinstance(data["document"], HtmlDocument)
    assert data["document"].find("mj-body") is not None
    assert [(link.href, link.text.text) for link in data["links"]] == [
        ("https://example.com/order", "Bestellung ansehen")
    ]
    assert [(image.src, image.alt) for image in data["images"]] == [("logo.png", "Logo")]


def test_render_mjml_false_skips_the_compiler() -> None:
    _, result = build(MJML, render_mjml=False)
    assert result.channel_data["html"] is None
    assert "html_bytes" not in result.metrics["email"]


def test_a_compiler_crash_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(source: str, **kwargs: object) -> tuple[str, list[str]]:
        raise KeyError("boom")

    monkeypatch.setattr(email_channel, "compile_mjml", explode)
    _, result = build(MJML)
    assert [p.message for p in result.problems] == ["MJML could not be compiled: 'boom'"]
    assert result.channel_data["html"] is None


def test_an_include_outside_the_template_folder_is_not_compiled() -> None:
    source = MJML.replace("<mj-section>", '<mj-include path="../../etc/passwd" />\n<mj-section>', 1)
    _, result = build(source)
    assert [p.message for p in result.problems] == [
        "<mj-include> '../../etc/passwd' not found next to the template; MJML not compiled"
    ]
    assert result.channel_data["html"] is None


def test_html_email_parts_size_and_mapping() -> None:
    html = (
        '<html lang="en"><head><title>Your receipt</title>'
        "<style>.preheader{display:none}</style></head>\n"
        '<body><span class="preheader">Thanks for your order</span>\n'
        "<p>Grüße &amp; thanks, <strong>Jo</strong></p></body></html>"
    )
    template, result = build(html, name="x.email.html")
    parts = result.parts
    assert parts["subject"].text == "Your receipt"
    assert parts["preheader"].text == "Thanks for your order"
    assert parts["body"].markup == "html"
    assert parts["body"].text == "Grüße & thanks, Jo"
    assert result.metrics["email"] == {
        "subject_chars": 12,
        "preheader_chars": 21,
        "html_bytes": len(html.encode("utf-8")),
    }
    assert result.channel_data["lang"] == "en"
    assert result.channel_data["html"] == html
    jo = parts["body"].text.index("Jo")
    line3 = html.splitlines()[2]
    expected = (3, line3.index("<strong>Jo") + len("<strong>") + 1)
    assert template.lines.position(parts["body"].mapped.source_offset(jo)) == expected
    pre = parts["preheader"].mapped
    assert html[pre.source_offset(0) :].startswith("Thanks for your order")


def test_plain_text_email_and_text_alternative() -> None:
    text = "Hello Anna,\n\nyour order has shipped."
    alternative = MappedText.identity("Plain version", 500)
    template = make_template(text, name="x.email.txt")
    result = build_email(
        template, {"body": MappedText.identity(text)}, text_alternative=alternative
    )
    assert result.parts["body"].markup == "text"
    assert result.parts["body"].text == text
    assert result.parts["text"].text == "Plain version"
    assert result.channel_data == {"markup": "text"}
    assert result.metrics == {}


def test_component_table_knows_the_mjml_4_components() -> None:
    table = mjml_components()
    for tag in (
        "mjml",
        "mj-body",
        "mj-section",
        "mj-column",
        "mj-text",
        "mj-accordion",
        "mj-carousel-image",
        "mj-html-attributes",
        "mj-include",
    ):
        assert tag in table.components
    assert "mj-text" in table.components["mj-column"].children
    assert "padding-top" in table.components["mj-text"].attributes


def test_stage_rule_is_declared() -> None:
    from msglint.rules.email_stage import MJML as rule

    assert rule.id == "email/mjml"
    assert rule.severity == Severity.ERROR
    assert rule.doc.bad and rule.doc.good


def _corpus_files() -> list[Path]:
    return [
        path
        for name in ("postmark", "saleor", "shopware")
        for path in sorted((CORPUS / name).rglob("*.html*"))
    ]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not available")
@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_html_builds_with_body_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    template = make_template(text, name=path.name)
    result = build_email(template, {"body": MappedText.identity(text)})
    body = result.parts["body"]
    assert body.text.strip()
    # Every visible character maps inside the file.
    mapped = body.mapped
    assert all(0 <= c.src_start <= c.src_end <= len(text) for c in mapped.chunks)
