"""email/ rules through the real pipeline (lint_text): positives, negatives and positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from msglint.lint import LintOptions, lint_text
from msglint.model import Finding
from msglint.rules.registry import get_info


def run(text: str, rule: str, name: str = "x.email.html") -> list[Finding]:
    result = lint_text(text, name, options=LintOptions(select=[rule]))
    return [f for f in result.findings if f.rule == rule]


def html(body: str, *, front: str = "", lang: str = ' lang="de"', head: str = "") -> str:
    matter = f"---\n{front}---\n" if front else ""
    return (
        f"{matter}<html{lang}><head>{head}</head><body>\n{body}\n"
        "<p>Bei Fragen helfen wir Ihnen gern unter 030 123456 weiter, jeden Tag von 8 bis 20 "
        "Uhr, auch am Wochenende und an Feiertagen.</p>\n</body></html>\n"
    )


PREHEADER = (
    '<span class="preheader" style="display:none">Ihre Bestellung 4711 ist unterwegs und '
    "kommt am Freitag an.</span>"
)


def test_every_rule_is_documented_with_examples() -> None:
    for rule_id in (
        "email/subject", "email/preheader", "email/img-alt", "email/link-text", "email/lang",
        "email/layout-table", "email/size", "email/unsubscribe", "email/insecure-link",
        "email/text-alternative", "email/image-only",
    ):  # fmt: skip
        info = get_info(rule_id)
        assert info is not None, rule_id
        assert info.doc.bad and info.doc.good and info.doc.why and info.doc.fix
        for option in info.options:
            assert option in info.doc.options, (rule_id, option)


# --- email/subject ---------------------------------------------------------------------------


def test_long_subject_points_at_the_characters_over_the_limit() -> None:
    subject = "Ihre Rechnung für den Monat März ist jetzt im Kundenportal verfügbar"
    text = html(PREHEADER + "<p>Hallo</p>", front=f'subject: "{subject}"\n')
    [finding] = run(text, "email/subject")
    assert finding.line == 2
    assert finding.column == len('subject: "') + 51
    assert "68 characters" in finding.message


def test_subject_limit_is_an_option() -> None:
    front = 'subject: "Ihre Rechnung ist da"\nmsglint: {rules: {email/subject: {max_chars: 10}}}\n'
    assert run(html("<p>x</p>", front=front), "email/subject")


def test_subject_in_capitals_with_spammy_punctuation_and_fake_reply() -> None:
    text = html("<p>x</p>", front='subject: "RE: YOUR INVOICE IS READY!!"\n')
    messages = [f.message for f in run(text, "email/subject")]
    assert any("capitals" in m for m in messages)
    assert any("'!!'" in m for m in messages)
    assert any("'RE:'" in m for m in messages)


def test_subject_identical_to_preheader() -> None:
    front = (
        'subject: "Ihre Bestellung ist unterwegs"\npreheader: "Ihre Bestellung ist unterwegs!"\n'
    )
    [finding] = run(html("<p>x</p>", front=front), "email/subject")
    assert "same" in finding.message


def test_good_subject_passes() -> None:
    text = html(PREHEADER, front='subject: "Ihre Bestellung 4711 ist unterwegs"\n')
    assert run(text, "email/subject") == []


def test_missing_subject_only_when_the_template_keeps_metadata_in_front_matter() -> None:
    assert run(html("<p>x</p>", front="language: de\n"), "email/subject")
    assert run(html("<p>x</p>"), "email/subject") == []  # subject set by the sending code


def test_html_title_counts_as_subject() -> None:
    text = html("<p>x</p>", front="language: de\n", head="<title>Ihre Rechnung</title>")
    assert run(text, "email/subject") == []


# --- email/preheader -------------------------------------------------------------------------


def test_missing_preheader_quotes_what_the_inbox_shows_instead() -> None:
    [finding] = run(html("<p>Hallo Anna, schön dass Sie da sind.</p>"), "email/preheader")
    assert "Hallo Anna" in finding.message
    assert finding.line == 2  # the first body text


def test_short_and_repeating_preheaders() -> None:
    short = html('<span class="preheader">Rechnung</span><p>Hallo</p>')
    assert "characters" in run(short, "email/preheader")[0].message
    front = 'subject: "Ihre Rechnung"\n'
    repeat = html(
        '<span class="preheader">Ihre Rechnung für März: 49,90 Euro, abgebucht am 3. März</span>',
        front=front,
    )
    assert any("repeating the subject" in f.message for f in run(repeat, "email/preheader"))


def test_good_preheader_and_plain_text_mail_pass() -> None:
    assert run(html(PREHEADER + "<p>Hallo</p>"), "email/preheader") == []
    assert run("Hallo Anna,\nIhre Bestellung ist da.\n", "email/preheader", "x.email.j2") == []


def test_mjml_preview_is_the_preheader() -> None:
    mjml = (
        '<mjml lang="en"><mj-head><mj-title>Your order</mj-title><mj-preview>Your parcel '
        "arrives on Friday between 10 and 12 - no action needed.</mj-preview></mj-head>"
        "<mj-body><mj-section><mj-column><mj-text>Hello</mj-text></mj-column></mj-section>"
        "</mj-body></mjml>\n"
    )
    assert run(mjml, "email/preheader", "x.mjml") == []


# --- email/img-alt ---------------------------------------------------------------------------


def test_img_without_alt_points_at_the_tag() -> None:
    text = html('<p>Text</p>\n  <img src="https://shop.de/rabatt.png">')
    [finding] = run(text, "email/img-alt")
    assert (finding.line, finding.column) == (3, 3)


def test_decorative_empty_alt_and_described_image_pass() -> None:
    text = html('<img src="https://shop.de/linie.png" alt=""><img src="a.png" alt="Laufschuh">')
    assert run(text, "email/img-alt") == []


def test_file_name_and_generic_alt_texts() -> None:
    text = html('<img src="x/banner_v2.png" alt="banner_v2.png"><img src="b.png" alt="Bild">')
    assert len(run(text, "email/img-alt")) == 2


def test_mj_image_without_alt_and_linked_image_without_text() -> None:
    mjml = (
        '<mjml lang="en"><mj-head><mj-title>T</mj-title></mj-head><mj-body><mj-section>'
        '<mj-column><mj-image src="https://shop.de/a.png" /></mj-column></mj-section>'
        "</mj-body></mjml>\n"
    )
    assert "mj-image" in run(mjml, "email/img-alt", "x.mjml")[0].message
    linked = html('<a href="https://shop.de"><img src="logo.png" alt=""></a>')
    assert "linked image" in run(linked, "email/img-alt")[0].message


# --- email/link-text -------------------------------------------------------------------------


def test_vague_german_link_text_points_at_the_words() -> None:
    text = html('<p>Ihre Rechnung finden Sie <a href="https://shop.de/r">hier</a>.</p>')
    [finding] = run(text, "email/link-text")
    assert (finding.line, finding.column) == (2, text.splitlines()[1].index("hier<") + 1)
    assert "'hier'" in finding.message


def test_vague_english_button_text_in_mjml() -> None:
    mjml = (
        '<mjml lang="en"><mj-head><mj-title>T</mj-title></mj-head><mj-body><mj-section>'
        '<mj-column><mj-button href="https://shop.example/sale">Read more</mj-button>'
        "</mj-column></mj-section></mj-body></mjml>\n"
    )
    assert run(mjml, "email/link-text", "x.mjml")


def test_url_as_link_text_but_not_as_copy_fallback() -> None:
    bare = html('<p>Ansehen: <a href="https://shop.de/o/1">https://shop.de/o/1</a></p>')
    assert "URL is the link text" in run(bare, "email/link-text")[0].message
    fallback = html(
        '<a href="https://shop.de/o/1">Bestellung ansehen</a>\n'
        '<p>Geht der Button nicht? <a href="https://shop.de/o/1">https://shop.de/o/1</a></p>'
    )
    assert run(fallback, "email/link-text") == []


def test_descriptive_link_text_passes() -> None:
    text = html('<p><a href="https://shop.de/r">Rechnung als PDF laden</a></p>')
    assert run(text, "email/link-text") == []


# --- email/lang --------------------------------------------------------------------------------


def test_missing_lang_on_html() -> None:
    [finding] = run(html("<p>x</p>", lang=""), "email/lang")
    assert finding.line == 1 and "lang" in finding.message


def test_lang_contradicting_the_template_language() -> None:
    text = html("<p>x</p>", front="language: de\n", lang=' lang="en"')
    assert "template is de" in run(text, "email/lang")[0].message
    ok = html("<p>x</p>", front="language: de\n", lang=' lang="de-DE"')
    assert run(ok, "email/lang") == []


def test_mjml_without_lang_compiles_to_und() -> None:
    mjml = (
        "<mjml><mj-head><mj-title>T</mj-title></mj-head><mj-body><mj-section><mj-column>"
        "<mj-text>Hallo</mj-text></mj-column></mj-section></mj-body></mjml>\n"
    )
    assert 'lang="und"' in run(mjml, "email/lang", "x.mjml")[0].message
    assert run(mjml.replace("<mjml>", '<mjml lang="de">'), "email/lang", "x.mjml") == []


def test_fragment_without_html_element_is_not_checked() -> None:
    assert run("<div><p>Hallo</p></div>\n", "email/lang") == []


# --- email/layout-table ----------------------------------------------------------------------


def test_nested_layout_table_without_role() -> None:
    text = html('<table width="600"><tr><td><table role="presentation"><tr><td>x</td></tr>'
                "</table></td></tr></table>")  # fmt: skip
    [finding] = run(text, "email/layout-table")
    assert (finding.line, finding.column) == (2, 1)


def test_data_tables_and_presentation_tables_pass() -> None:
    data = html("<table><tr><th>Artikel</th><th>Preis</th></tr><tr><td>A</td><td>1</td></tr>"
                "</table>")  # fmt: skip
    items = html("<table><tr><td>Pos.</td><td>Preis</td></tr><tr><td>1</td><td>9,90</td></tr>"
                 "</table>")  # fmt: skip
    layout = html('<table role="presentation"><tr><td>x</td></tr></table>')
    for text in (data, items, layout):
        assert run(text, "email/layout-table") == []


def test_single_column_table_is_layout() -> None:
    assert run(html("<table><tr><td>x</td></tr><tr><td>y</td></tr></table>"), "email/layout-table")


# --- email/size --------------------------------------------------------------------------------


def test_size_over_gmail_clipping_limit() -> None:
    big = html("<p>" + "Viel Text. " * 10_000 + "</p>")
    assert "Gmail clips" in run(big, "email/size")[0].message
    assert run(html("<p>kurz</p>"), "email/size") == []


# --- email/unsubscribe -------------------------------------------------------------------------


def test_marketing_mail_needs_unsubscribe_link() -> None:
    front = "category: marketing\n"
    assert run(html("<p>Jetzt 20 % sparen!</p>", front=front), "email/unsubscribe")
    ok = html('<p><a href="{{ unsubscribe_url }}">Newsletter abbestellen</a></p>', front=front)
    assert run(ok, "email/unsubscribe") == []
    merge_tag = html('<p><a href="*|UNSUB|*">Stop</a></p>', front=front)
    assert run(merge_tag, "email/unsubscribe") == []


def test_transactional_mail_needs_no_unsubscribe_link() -> None:
    front = "category: transactional\n"
    assert run(html("<p>Ihre Rechnung</p>", front=front), "email/unsubscribe") == []


# --- email/insecure-link -----------------------------------------------------------------------


def test_http_example_and_schemeless_links() -> None:
    text = html(
        '<a href="http://shop.de/konto">Konto</a>\n'
        '<a href="https://example.com/reset">Reset</a>\n'
        '<a href="www.shop.de">Shop</a>\n'
        '<a href="#">Später</a>\n'
        '<img src="http://shop.de/logo.png" alt="Shop">'
    )
    messages = [f.message for f in run(text, "email/insecure-link")]
    assert len(messages) == 5
    assert "http://" in messages[0] and "example.com" in messages[1]
    assert "no scheme" in messages[2] and "goes nowhere" in messages[3]


def test_sample_values_are_not_blamed_on_the_template() -> None:
    front = 'samples:\n  - {url: "https://example.com/x"}\n'
    text = html('<a href="{{ url }}">Passwort zurücksetzen</a>', front=front)
    assert run(text, "email/insecure-link") == []


def test_placeholder_rendering_without_scheme_with_real_samples() -> None:
    front = 'samples:\n  - {url: "shop.de/konto"}\n'
    text = html('<a href="{{ url }}">Zum Konto</a>', front=front)
    assert "without a scheme" in run(text, "email/insecure-link")[0].message


def test_https_links_and_mailto_pass() -> None:
    text = html('<a href="https://shop.de/k">Konto</a> <a href="mailto:hilfe@shop.de">Mail</a>')
    assert run(text, "email/insecure-link") == []


# --- email/text-alternative --------------------------------------------------------------------


def test_text_part_that_lacks_a_link_of_the_html(tmp_path: Path) -> None:
    page = html('<p><a href="{{ confirm_url }}">Adresse bestätigen</a></p>')
    target = str(tmp_path / "welcome.email.html")
    options = LintOptions(select=["email/text-alternative"])
    (tmp_path / "welcome.txt").write_text("Bitte bestätigen Sie Ihre Adresse.\n")
    [finding] = lint_text(page, target, options=options).findings
    assert "confirm_url" in finding.message and (finding.line, finding.column) == (2, 4)
    (tmp_path / "welcome.txt").write_text("Bitte bestätigen: {{ confirm_url }}\n")
    assert lint_text(page, target, options=options).findings == []


def test_missing_text_part_only_when_required() -> None:
    assert run(html("<p>x</p>"), "email/text-alternative") == []
    front = "msglint: {rules: {email/text-alternative: {require: true}}}\n"
    assert run(html("<p>x</p>", front=front), "email/text-alternative")


# --- email/image-only --------------------------------------------------------------------------


def test_image_heavy_mail_with_little_text() -> None:
    text = (
        '<html lang="de"><body><img src="a.png" alt="Sale"><img src="b.png" alt="Schuhe">'
        "<p>Jetzt kaufen!</p></body></html>\n"
    )
    assert "2 images" in run(text, "email/image-only")[0].message


def test_logo_with_enough_text_and_tracking_pixel_pass() -> None:
    text = html('<img src="logo.png" alt="Shop"><img src="t.gif" width="1" height="1" alt="">'
                "<p>Hallo Anna, Ihre Bestellung ist unterwegs.</p>")  # fmt: skip
    assert run(text, "email/image-only") == []


@pytest.mark.parametrize(
    "text",
    ["", "a", " a ", "ab cd", "ab_cd ef", "über straße, 1 2 3!", "x" * 50, "a-b-c", "\u2002a b"],
)
@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_word_count_threshold_is_the_word_count(text: str, count: int) -> None:
    # image-only asks whether a text has enough words with one possessive match.
    from msglint.rules.email import _WORD, _at_least_words

    enough = _at_least_words(count).match(text) is not None
    assert enough == (len(_WORD.findall(text)) >= count)


def test_image_only_message_counts_every_word() -> None:
    words = " ".join(f"w{i}" for i in range(17))
    text = (
        '<html lang="de"><body><img src="a.png" alt="A"><img src="b.png" alt="B">'
        f"<p>{words}</p></body></html>\n"
    )
    message = run(text, "email/image-only")[0].message
    assert "but only 17 words" in message


def _two_mails(folder: Path) -> None:
    html = '<html lang="en"><head><title>Hi</title></head><body><p>Hello there.</p></body></html>'
    (folder / "welcome.email.html").write_text(html, "utf-8")
    (folder / "receipt.email.html").write_text(html, "utf-8")


def test_missing_text_part_is_reported_when_the_folder_convention_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from msglint.config import Config
    from msglint.lint import LintOptions, lint_paths

    _two_mails(tmp_path)
    monkeypatch.chdir(tmp_path)
    options = LintOptions(select=["email/text-alternative"])
    run, _ = lint_paths([tmp_path], Config(root=tmp_path), options)
    assert all(f.findings == [] for f in run.files)  # no .txt anywhere: no convention

    # Written just now: the folder's listing is read again (not taken from the memo).
    (tmp_path / "welcome.txt").write_text("Hello there.", "utf-8")
    run, _ = lint_paths([tmp_path], Config(root=tmp_path), options)
    by_name = {Path(f.path).name: f for f in run.files}
    assert by_name["welcome.email.html"].findings == []
    (finding,) = by_name["receipt.email.html"].findings
    assert "plain-text alternative" in finding.message


def test_text_alternative_is_looked_for_by_the_names_in_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from msglint.config import Config
    from msglint.lint import LintOptions, _memo_listing, lint_paths

    _two_mails(tmp_path)
    (tmp_path / "welcome.txt").write_text("Hello there.", "utf-8")
    old = 1_000_000_000_000_000_000  # an old folder: its listing is memoised
    os.utime(tmp_path, ns=(old, old))
    _memo_listing.cache_clear()
    checked: list[str] = []
    monkeypatch.setattr(os.path, "isfile", lambda p: checked.append(p) or os.path.exists(p))
    monkeypatch.chdir(tmp_path)
    options = LintOptions(select=["email/text-alternative"])
    run, _ = lint_paths([tmp_path], Config(root=tmp_path), options)
    assert [os.path.basename(p) for p in checked] == ["welcome.txt"]  # only a listed name
    by_name = {Path(f.path).name: f for f in run.files}
    assert by_name["welcome.email.html"].findings == []
    assert "plain-text alternative" in by_name["receipt.email.html"].findings[0].message
    assert _memo_listing.cache_info().misses == 1
