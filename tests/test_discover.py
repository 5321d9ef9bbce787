from __future__ import annotations

from pathlib import Path

import pytest

from msglint.config import Config, load_config
from msglint.discover import channel_from_name, iter_files, language_from_path, load_template
from msglint.model import Severity, TemplateFile
from msglint.rules.registry import get_info


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def config_at(root: Path, text: str = "") -> Config:
    return load_config(write(root / ".msglint.yaml", text))


def load(path: Path, config: Config) -> TemplateFile:
    template = load_template(path, config)
    assert template is not None
    return template


def position_of(template: TemplateFile, part: str, word: str) -> tuple[int, int]:
    """Line and column in the file of ``word`` inside a part's source."""
    source = template.sources[part]
    return template.lines.position(source.source_offset(source.text.index(word)))


# --- names and paths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "channel"),
    [
        ("welcome.mjml", "email"),
        ("welcome.email.html", "email"),
        ("welcome.email.j2", "email"),
        ("welcome.email.html.j2", "email"),
        ("Welcome.EMAIL.HTML", "email"),
        ("code.sms", "sms"),
        ("code.sms.txt", "sms"),
        ("code.sms.j2", "sms"),
        ("shipped.push.yaml", "push"),
        ("shipped.push.yml", "push"),
        ("dunning.letter.md", "letter"),
        ("dunning.letter.txt", "letter"),
        ("dunning.letter.html", "letter"),
        ("dunning.letter.j2", "letter"),
        ("launch.x.txt", "social"),
        ("launch.social.txt", "social"),
        ("reminder.whatsapp.yaml", "whatsapp"),
        ("reminder.whatsapp.yml", "whatsapp"),
        ("welcome.html", None),
        ("notes.txt", None),
        ("sms.txt", None),
        ("config.yaml", None),
        ("box.txt", None),
    ],
)
def test_channel_from_name(name: str, channel: str | None) -> None:
    assert channel_from_name(name) == channel


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("mails/de/welcome.email.html", "de"),
        ("mails/en/welcome.email.html", "en"),
        ("mails/de-DE/welcome.email.html", "de"),
        ("mails/en_GB/welcome.email.html", "en"),
        ("welcome.de.sms", "de"),
        ("de-welcome.sms", "de"),
        ("welcome-en.sms", "en"),
        ("welcome_de.sms", "de"),
        ("welcome_de_DE.sms", "de"),
        ("mails.en.v2/welcome.sms", "en"),
        ("en/mails/welcome.de.sms", "de"),  # the file name is nearer than the folder
        ("mails/welcome.sms", None),
        ("design/index.sms", None),
        ("mails/dev/welcome.sms", None),
    ],
)
def test_language_from_path(path: str, language: str | None) -> None:
    assert language_from_path(path) == language


# --- discovery -------------------------------------------------------------------------------


def test_folders_are_walked_sorted_and_skipped_files_have_reasons(tmp_path: Path) -> None:
    config = config_at(tmp_path, "exclude: ['partials/**']\n")
    write(tmp_path / "b.sms", "Hallo")
    write(tmp_path / "a" / "welcome.email.html", "<p>Hi</p>")
    write(tmp_path / "a" / "readme.txt", "not a template")
    write(tmp_path / "partials" / "footer.email.html", "<p>footer</p>")
    write(tmp_path / "node_modules" / "x.sms", "no")
    write(tmp_path / ".hidden" / "y.sms", "no")
    write(tmp_path / "fm.txt", "---\nchannel: letter\n---\nSehr geehrte Kundin")
    write(tmp_path / "data.bin", b"\x00\x01")
    files, skipped = iter_files([tmp_path], config)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "a/welcome.email.html",
        "b.sms",
        "fm.txt",
    ]
    reasons = {Path(p).relative_to(tmp_path).as_posix(): r for p, r in skipped}
    assert set(reasons) == {"a/readme.txt", "data.bin"}
    assert reasons["a/readme.txt"].startswith("no channel")


def test_explicit_files_follow_the_same_rules_as_walked_files(tmp_path: Path) -> None:
    config = config_at(tmp_path, "exclude: ['partials/**']\n")
    sms = write(tmp_path / "b.sms", "Hallo")
    partial = write(tmp_path / "partials" / "f.email.html", "x")
    notes = write(tmp_path / "notes.txt", "x")
    files, skipped = iter_files([notes, sms, partial, sms, tmp_path / "missing.sms"], config)
    assert files == [sms]
    reasons = dict(skipped)
    assert reasons[partial.as_posix()] == "excluded by 'partials/**'"
    assert reasons[notes.as_posix()].startswith("no channel")
    assert reasons[(tmp_path / "missing.sms").as_posix()] == "no such file or folder"


def test_a_file_reached_twice_is_linted_once(tmp_path: Path) -> None:
    config = config_at(tmp_path, "")
    real = write(tmp_path / "real" / "a.sms", "Hallo")
    (tmp_path / "link.sms").symlink_to(real)
    (tmp_path / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    # The folder by two names, the file by its link and its own name: one template.
    files, _ = iter_files(
        [tmp_path / "real", tmp_path / "linked", real, tmp_path / "link.sms"], config
    )
    assert files == [real]
    # Walking the parent does not follow the folder link; the file link is the same file.
    files, _ = iter_files([tmp_path], config)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["link.sms"]


def test_config_default_channel_applies_to_explicit_files_only(tmp_path: Path) -> None:
    config = config_at(tmp_path, "channel: sms\n")
    notes = write(tmp_path / "notes.txt", "Ihr Code: 1234")
    assert iter_files([tmp_path], config)[0] == []
    assert iter_files([notes], config)[0] == [notes]
    template = load(notes, config)
    assert template.meta.channel == "sms"
    assert template.meta.origins["channel"] == "default"


def test_config_templates_glob_makes_files_templates(tmp_path: Path) -> None:
    config = config_at(tmp_path, "templates:\n  - glob: 'mails/**/*.twig'\n    channel: email\n")
    twig = write(tmp_path / "mails" / "de" / "welcome.html.twig", "Hallo {{ name }}")
    files, _ = iter_files([tmp_path], config)
    assert files == [twig]
    template = load(twig, config)
    assert (template.meta.channel, template.meta.origins["channel"]) == ("email", "config")
    assert (template.meta.language, template.meta.origins["language"]) == ("de", "path")


def test_yaml_file_declaring_a_top_level_channel_is_a_template(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    notify = write(tmp_path / "notify" / "reset.yaml", "id: 7\nchannel: sms\nbody: Ihr Code\n")
    write(tmp_path / "notify" / "other.yaml", "id: 8\nbody: x\n")
    assert iter_files([tmp_path], config)[0] == [notify]


# --- metadata --------------------------------------------------------------------------------


def test_metadata_precedence_front_matter_over_config_glob_over_name_over_default(
    tmp_path: Path,
) -> None:
    config = config_at(
        tmp_path,
        "language: en\nchannel: letter\ntemplates:\n"
        "  - glob: 'a/**'\n    channel: email\n    category: service\n    language: de\n",
    )
    by_front_matter = write(tmp_path / "a" / "x.sms", "---\nchannel: push\n---\nHallo")
    by_glob = write(tmp_path / "a" / "y.sms", "Hallo")
    by_name = write(tmp_path / "en" / "z.sms", "Hello")
    by_default = write(tmp_path / "notes.txt", "Hello")
    assert load(by_front_matter, config).meta.channel == "push"
    assert load(by_glob, config).meta.channel == "email"
    assert load(by_glob, config).meta.category == "service"
    assert load(by_glob, config).meta.language == "de"  # the glob beats the config default
    assert load(by_name, config).meta.channel == "sms"
    assert load(by_name, config).meta.language == "en"
    assert load(by_name, config).meta.origins == {
        "channel": "file-name",
        "language": "path",
        "syntax": "detected",
    }
    assert load(by_default, config).meta.channel == "letter"
    assert load(by_default, config).meta.origins["language"] == "default"


def test_language_front_matter_beats_path_and_is_none_without_any_hint(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    in_de_folder = write(tmp_path / "de" / "a.sms", "---\nlanguage: en\n---\nHi")
    assert load(in_de_folder, config).meta.language == "en"
    assert load(write(tmp_path / "b.sms", "Hallo"), config).meta.language is None


def test_syntax_comes_from_front_matter_else_detection(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    declared = load(write(tmp_path / "a.sms", "---\nsyntax: handlebars\n---\nHi {{x}}"), config)
    assert (declared.meta.syntax, declared.meta.origins["syntax"]) == ("handlebars", "front-matter")
    detected = load(write(tmp_path / "b.sms", "Hallo {% if x %}{{ x }}{% endif %}"), config)
    assert (detected.meta.syntax, detected.meta.origins["syntax"]) == ("jinja", "detected")


def test_front_matter_values_reach_the_metadata(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(
        write(
            tmp_path / "a.sms",
            """\
---
category: transactional
journey: onboarding
trigger: signup
requires_action: true
samples: [{name: Alex}]
variables:
  name: {required: false, max_length: 12, example: Alex}
msglint:
  ignore: [tone/shouting, {rule: length/, reason: legal}]
  reason: approved by legal
  length/sms-segments: {max: 3}
---
Hallo {{ name }}
""",
        ),
        config,
    )
    meta = template.meta
    assert template.load_findings == []
    assert (meta.category, meta.journey, meta.trigger) == ("transactional", "onboarding", "signup")
    assert meta.requires_action is True
    assert meta.samples == [{"name": "Alex"}]
    assert meta.variables["name"].max_length == 12
    assert meta.variables["name"].required is False
    assert meta.rule_options == {"length/sms-segments": {"max": 3}}
    assert [(s.rule, s.reason, s.source) for s in meta.suppressions] == [
        ("tone/shouting", "approved by legal", "front-matter"),
        ("length/", "legal", "front-matter"),
    ]


def test_body_starts_after_the_closing_front_matter_line(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(write(tmp_path / "a.sms", "---\nlanguage: de\n---\nHallo Welt\n"), config)
    assert template.body == "Hallo Welt\n"
    assert template.sources["body"].text == "Hallo Welt\n"
    assert position_of(template, "body", "Welt") == (4, 7)


def test_front_matter_subject_maps_to_its_place_in_the_file(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(
        write(
            tmp_path / "a.email.html",
            "---\nlanguage: de\nsubject: Ihre Rechnung ist da\npreheader: 'Jetzt ansehen'\n---\n"
            "<p>Hallo</p>",
        ),
        config,
    )
    assert template.meta.subject == "Ihre Rechnung ist da"
    assert template.sources["subject"].text == "Ihre Rechnung ist da"
    assert position_of(template, "subject", "Rechnung") == (3, 15)
    assert position_of(template, "preheader", "ansehen") == (4, 19)
    assert template.sources["subject"].is_literal(5, 13)


def test_invalid_front_matter_yaml_is_an_error_at_its_file_line(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(
        write(tmp_path / "a.sms", "---\nlanguage: de\nsubject: [unclosed\n---\nHallo"), config
    )
    [finding] = template.load_findings
    assert finding.rule == "template/front-matter"
    assert finding.severity is Severity.ERROR
    assert finding.line in (3, 4)
    assert template.body == "Hallo"


def test_unknown_and_mistyped_front_matter_keys_are_warnings_with_lines(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(
        write(
            tmp_path / "a.sms",
            "---\nlanguage: de\nchanel: sms\nrequires_action: maybe\nchannel: fax\n---\nHallo",
        ),
        config,
    )
    found = [(f.rule, f.severity, f.line) for f in template.load_findings]
    assert found == [
        ("template/front-matter", Severity.WARNING, 3),
        ("template/front-matter", Severity.WARNING, 4),
        ("template/front-matter", Severity.WARNING, 5),
    ]
    messages = [f.message for f in template.load_findings]
    assert "chanel" in messages[0]
    assert "requires_action" in messages[1]
    assert "fax" in messages[2]
    assert template.meta.channel == "sms"  # the invalid value is ignored, the name decides


def test_unclosed_front_matter_is_an_error(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(write(tmp_path / "a.sms", "---\nlanguage: de\nHallo"), config)
    assert [(f.rule, f.line) for f in template.load_findings] == [("template/front-matter", 1)]
    assert template.body_start == 0


def test_file_without_a_channel_is_not_loaded(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    assert load_template(write(tmp_path / "notes.txt", "Hallo"), config) is None


# --- bad input -------------------------------------------------------------------------------


def test_binary_file_is_reported_not_checked(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(write(tmp_path / "a.sms", "Hallo".encode("utf-16")), config)
    assert [f.rule for f in template.load_findings] == ["template/binary"]
    assert template.sources == {}


def test_invalid_utf8_names_line_and_column_of_the_first_bad_byte(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    data = b"Zeile eins\n" + "Grüße und ".encode() + b"f\xfcr Sie\n"
    template = load(write(tmp_path / "a.sms", data), config)
    [finding] = template.load_findings
    assert finding.rule == "template/encoding"
    assert (finding.line, finding.column) == (2, 12)
    assert "line 2, column 12" in finding.message
    assert template.sources == {}
    assert template.meta.channel == "sms"


def test_too_large_file_is_reported_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_at(tmp_path, "max_file_bytes: 100\n")
    big = write(tmp_path / "a.sms", "x" * 101)

    def no_full_read(self: Path) -> bytes:
        raise AssertionError("the whole file was read")

    monkeypatch.setattr(Path, "read_bytes", no_full_read)
    template = load(big, config)
    assert [f.rule for f in template.load_findings] == ["template/too-large"]
    assert template.sources == {}


def test_too_large_stdin_input_is_reported(tmp_path: Path) -> None:
    config = config_at(tmp_path, "max_file_bytes: 10\n")
    template = load_template(Path("-"), config, display_path="x.sms", data=b"y" * 11)
    assert template is not None
    assert [f.rule for f in template.load_findings] == ["template/too-large"]


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    data = b"\xef\xbb\xbf---\r\nlanguage: de\r\nsubject: Hallo Welt\r\n---\r\n"
    data += b"Zeile eins\r\nzwei\r\n"
    template = load(write(tmp_path / "a.email.html", data), config)
    assert template.load_findings == []
    assert template.meta.language == "de"
    assert template.sources["body"].text == "Zeile eins\r\nzwei\r\n"
    assert position_of(template, "body", "zwei") == (6, 1)
    assert position_of(template, "subject", "Welt") == (3, 16)


def test_stdin_data_uses_the_display_path_for_channel_and_language(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load_template(Path("-"), config, display_path="mails/de/reset.sms", data=b"Ihr Code")
    assert template is not None
    assert template.display_path == "mails/de/reset.sms"
    assert (template.meta.channel, template.meta.language) == ("sms", "de")
    assert template.sources["body"].text == "Ihr Code"


# --- YAML message files ----------------------------------------------------------------------


def test_push_file_parts_map_words_to_their_line_and_column(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(
        write(
            tmp_path / "shipped.push.yaml",
            """\
language: de
title: Ihr Paket ist unterwegs
body: |
  Hallo {{ name }},
  Ihr Paket kommt morgen.
created_at: 2024-01-01
""",
        ),
        config,
    )
    assert template.load_findings == []
    assert list(template.sources) == ["title", "body"]
    assert template.meta.language == "de"
    assert template.sources["body"].text == "Hallo {{ name }},\nIhr Paket kommt morgen.\n"
    assert position_of(template, "title", "unterwegs") == (2, 22)
    assert position_of(template, "body", "morgen") == (5, 19)
    body = template.sources["body"]
    start = body.text.index("morgen")
    assert body.is_literal(start, start + 6)


@pytest.mark.parametrize(
    ("yaml_body", "line", "column", "literal"),
    [
        ('"Ihr Paket kommt morgen"', 1, 24, True),
        ("'Ihr Paket kommt morgen'", 1, 24, True),
        ('"Ihr Paket\\t kommt morgen"', 1, 26, False),
        (">\n  Ihr Paket\n  kommt morgen\n", 3, 9, False),
        ("|-\n  Ihr Paket\n  kommt morgen\n", 3, 9, True),
        ('"Ihr Paket\n  kommt morgen"', 2, 9, False),
        ("Ihr Paket\n  kommt morgen\n", 2, 9, False),
    ],
)
def test_yaml_scalar_styles_keep_words_on_their_line(
    tmp_path: Path, yaml_body: str, line: int, column: int, literal: bool
) -> None:
    config = config_at(tmp_path)
    template = load(write(tmp_path / "a.push.yaml", f"body: {yaml_body}\n"), config)
    body = template.sources["body"]
    assert "Ihr Paket" in body.text
    assert position_of(template, "body", "morgen") == (line, column)
    start = body.text.index("morgen")
    assert body.is_literal(start, start + 6) is literal


def test_whatsapp_buttons_become_parts_and_button_data(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(
        write(
            tmp_path / "r.whatsapp.yaml",
            """\
header: Termin morgen
body: Bitte bestätigen Sie Ihren Termin.
footer: Ihre Praxis
buttons:
  - Bestätigen
  - {text: "Verschieben", type: url, url: "https://example.org/t"}
  - text: Anrufen
    type: fax
""",
        ),
        config,
    )
    assert list(template.sources) == [
        "header",
        "body",
        "footer",
        "buttons[0]",
        "buttons[1]",
        "buttons[2]",
    ]
    assert template.front_matter["buttons"] == [
        {"text": "Bestätigen", "type": None, "url": None},
        {"text": "Verschieben", "type": "url", "url": "https://example.org/t"},
        {"text": "Anrufen", "type": None, "url": None},
    ]
    assert position_of(template, "buttons[1]", "Verschieben") == (6, 13)
    assert position_of(template, "buttons[2]", "Anrufen") == (7, 11)
    assert [(f.rule, f.severity, f.line) for f in template.load_findings] == [
        ("template/yaml", Severity.WARNING, 7)
    ]


def test_invalid_yaml_message_file_is_an_error_with_its_line(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(write(tmp_path / "a.push.yaml", "title: Hallo\nbody: [kaputt\n"), config)
    [finding] = template.load_findings
    assert (finding.rule, finding.severity) == ("template/yaml", Severity.ERROR)
    assert finding.line is not None and finding.line >= 2
    assert template.sources == {}


def test_yaml_part_that_is_not_text_is_a_warning(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    template = load(write(tmp_path / "a.push.yaml", "title: Hallo\nbody:\n  - eins\n"), config)
    assert [(f.rule, f.line) for f in template.load_findings] == [("template/yaml", 2)]
    assert list(template.sources) == ["title"]


def test_gc_notify_style_yaml_gets_its_channel_from_a_config_glob(tmp_path: Path) -> None:
    config = config_at(
        tmp_path, "templates:\n  - glob: 'notify/*.yaml'\n    channel: email\n    syntax: notify\n"
    )
    template = load(
        write(
            tmp_path / "notify" / "reset.yaml",
            "id: 3f2a\ncreated_at: 2024-01-01\nsubject: Passwort zurücksetzen\n"
            "body: Hallo ((name)), klicken Sie hier.\nlanguage: de\n",
        ),
        config,
    )
    assert template.load_findings == []
    assert (template.meta.channel, template.meta.syntax) == ("email", "notify")
    assert template.meta.subject == "Passwort zurücksetzen"
    assert list(template.sources) == ["subject", "body"]
    assert position_of(template, "body", "klicken") == (4, 23)


def test_loading_rules_are_declared_with_documentation() -> None:
    for rule_id in (
        "template/too-large",
        "template/binary",
        "template/encoding",
        "template/unreadable",
        "template/front-matter",
        "template/yaml",
    ):
        info = get_info(rule_id)
        assert info is not None
        assert info.scope == "file"
        assert info.doc.bad and info.doc.good and info.doc.fix


def test_front_matter_reports_misspelt_keys_but_not_other_tools_keys(tmp_path: Path) -> None:
    path = tmp_path / "brief.letter.md"
    path.write_text("---\nauthor: Anna\ntitle: Brief\nchanel: sms\n---\nHallo\n", "utf-8")
    template = load(path, Config(root=tmp_path))
    messages = [f.message for f in template.load_findings]
    assert len(messages) == 1
    assert "chanel" in messages[0] and "channel" in messages[0]
    assert template.load_findings[0].line == 4


def test_syntax_is_detected_from_the_subject_too(tmp_path: Path) -> None:
    path = tmp_path / "a.email.html"
    path.write_text('---\nsubject: "Bestellung {{ order.number }}"\n---\n<p>Danke.</p>\n', "utf-8")
    template = load(path, Config(root=tmp_path))
    assert template.meta.syntax == "jinja"


def test_yaml_parts_and_buttons_with_merge_keys_match_the_written_nodes(tmp_path: Path) -> None:
    text = (
        "base: &b {type: url, url: 'https://x.example'}\n"
        "body: Hello {{ name }}\n"
        "buttons:\n"
        "  - <<: *b\n"
        "    text: Go\n"
        "  - Plain\n"
    )
    path = tmp_path / "m.whatsapp.yaml"
    path.write_text(text, encoding="utf-8")
    template = load_template(path, Config())
    assert template is not None
    assert template.sources["body"].text == "Hello {{ name }}"
    assert template.sources["body"].chunks[0].src_start == text.index("Hello")
    assert [b["text"] for b in template.front_matter["buttons"]] == ["Go", "Plain"]
    assert [f.message for f in template.load_findings] == [
        "unknown key '<<' in a button (allowed: text, type, url)"
    ]


def test_front_matter_subject_maps_to_the_file(tmp_path: Path) -> None:
    text = "---\nchannel: email\nsubject: Hi {{ name }}\n---\nBody\n"
    path = tmp_path / "a.html"
    path.write_text(text, encoding="utf-8")
    template = load_template(path, Config())
    assert template is not None
    assert template.sources["subject"].text == "Hi {{ name }}"
    assert template.sources["subject"].chunks[0].src_start == text.index("Hi")
