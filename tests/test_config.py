from __future__ import annotations

from pathlib import Path

import pytest

from msglint.config import (
    ConfigError,
    config_suppressions,
    find_config,
    glob_matches,
    load_config,
    resolve_rule_settings,
)
from msglint.model import Severity, VariableSpec


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- discovery -------------------------------------------------------------------------------


def test_find_config_returns_the_nearest_config_above_the_start_folder(tmp_path: Path) -> None:
    outer = write(tmp_path / ".msglint.yaml", "language: de\n")
    inner = write(tmp_path / "a" / ".msglint.yml", "language: en\n")
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    assert find_config(tmp_path / "a" / "b" / "c") == inner.resolve()
    assert find_config(tmp_path) == outer.resolve()


def test_msglint_yaml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.msglint]\nlanguage = 'en'\n")
    yaml_config = write(tmp_path / ".msglint.yaml", "language: de\n")
    assert find_config(tmp_path) == yaml_config.resolve()


def test_pyproject_without_tool_msglint_table_is_passed_over(tmp_path: Path) -> None:
    outer = write(tmp_path / ".msglint.yaml", "language: de\n")
    write(tmp_path / "pkg" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    assert find_config(tmp_path / "pkg") == outer.resolve()


def test_pyproject_with_tool_msglint_table_is_found_and_loaded(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[project]\nname = 'x'\n\n[tool.msglint]\nlanguage = 'de'\nfail_on = 'error'\n"
        "select = ['tone/']\n\n[tool.msglint.rules]\n'length/sms-segments' = {max = 2}\n\n"
        "[[tool.msglint.templates]]\nglob = 'mails/**'\nchannel = 'email'\n",
    )
    config = load_config(start=tmp_path)
    assert config.path == (tmp_path / "pyproject.toml").resolve()
    assert config.language == "de"
    assert config.fail_on is Severity.ERROR
    assert config.select == ["tone/"]
    assert config.rules == {"length/sms-segments": {"max": 2}}
    assert config.templates[0].glob == "mails/**"
    assert config.templates[0].meta["channel"] == "email"


def test_no_config_file_gives_defaults_rooted_at_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(start=tmp_path)
    assert config.path is None
    assert config.root == tmp_path.resolve()
    assert config.fail_on is Severity.WARNING
    assert config.max_file_bytes == 1_000_000


def test_explicit_config_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")


# --- values ----------------------------------------------------------------------------------


def test_yaml_config_values_are_validated_and_paths_resolve_from_the_config_folder(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "repo" / ".msglint.yaml",
        """\
language: de
channel: sms
fail_on: info
ignore: [tone/sentiment]
severity: {tone/: error}
template_root: templates
exclude: ["partials/**"]
templates:
  - glob: "mails/**/de-*.html.twig"
    channel: email
    syntax: jinja
    language: de-DE
    category: transactional
    requires_action: true
    variables: {name: {max_length: 20}}
    msglint: {ignore: [tone/shouting], reason: legal text}
rules:
  length/sms-segments: {max: 2}
channels:
  sms: {max_segments: 3}
overrides:
  - glob: "legacy/**"
    ignore: [tone/]
suppress:
  - glob: "*.push.yaml"
    rules: [length/]
    reason: vendor limit
packs: [../compliance-rules]
samples: [{name: Alex}]
max_file_bytes: 5000
languagetool: {url: "http://localhost:8081"}
""",
    )
    config = load_config(path)
    folder = path.parent.resolve()
    assert config.root == folder
    assert config.channel == "sms"
    assert config.fail_on is Severity.INFO
    assert config.severity == {"tone/": Severity.ERROR}
    assert config.template_root == folder / "templates"
    assert config.packs == [(folder / "../compliance-rules").resolve()]
    glob = config.templates[0]
    assert glob.meta["language"] == "de"
    assert glob.meta["requires_action"] is True
    assert glob.meta["variables"] == {"name": VariableSpec("name", True, 20)}
    assert glob.ignore == [("tone/shouting", "legal text")]
    assert glob.line == 9
    assert config.channels == {"sms": {"max_segments": 3}}
    assert config.suppress[0].rules == ["length/"]
    assert config.suppress[0].reason == "vendor limit"
    assert config.samples == [{"name": "Alex"}]
    assert config.max_file_bytes == 5000
    assert config.languagetool == {"url": "http://localhost:8081"}


def test_unknown_key_is_an_error_naming_the_key_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / ".msglint.yaml", "language: de\n\nfail_one: error\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "fail_one" in info.value.message
    assert info.value.line == 3
    assert str(info.value).startswith(f"{path}:3: ")


def test_value_of_the_wrong_type_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / ".msglint.yaml", "language: de\nselect: tone/\n")
    with pytest.raises(ConfigError, match="'select' must be a list") as info:
        load_config(path)
    assert info.value.line == 2


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("fail_on: high\n", "fail_on", 1),
        ("language: fr\n", "language", 1),
        ("max_file_bytes: true\n", "max_file_bytes", 1),
        ("severity:\n  tone/: loud\n", "tone/", 2),
        ("templates:\n  - glob: '*.txt'\n    channel: fax\n", "channel", 3),
        ("templates:\n  - glob: '*.txt'\n    sytnax: jinja\n", "sytnax", 3),
        ("templates:\n  - channel: sms\n", "glob", 2),
        ("overrides:\n  - glob: 'a/**'\n    ignroe: [tone/]\n", "ignroe", 3),
        ("channels:\n  fax: {}\n", "channels.fax", 2),
        ("suppress:\n  - glob: 'a'\n", "rules", 2),
        ("samples: [1]\n", "samples", 1),
    ],
)
def test_invalid_values_name_the_key_and_line(
    tmp_path: Path, text: str, key: str, line: int
) -> None:
    path = write(tmp_path / ".msglint.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert key in info.value.message
    assert info.value.line == line


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / ".msglint.yaml", "language: de\nselect: [tone/\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line is not None
    assert info.value.path == str(path)


def test_pyproject_errors_name_the_key_and_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        "[project]\nname = 'x'\n\n[tool.msglint]\nlanguage = 'de'\nfail_on = 3\n",
    )
    with pytest.raises(ConfigError, match="fail_on") as info:
        load_config(path)
    assert info.value.line == 6


def test_pyproject_unknown_key_in_sub_table_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        "[tool.msglint]\nlanguage = 'de'\n\n[[tool.msglint.overrides]]\nglob = 'a/**'\n"
        "colour = 'red'\n",
    )
    with pytest.raises(ConfigError, match="colour") as info:
        load_config(path)
    assert info.value.line == 6


def test_empty_yaml_config_gives_defaults_rooted_at_its_folder(tmp_path: Path) -> None:
    path = write(tmp_path / ".msglint.yaml", "")
    config = load_config(path)
    assert config.path == path
    assert config.root == tmp_path.resolve()


# --- globs and per-file settings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("partials/**", "partials/header.html", True),
        ("partials/**", "partials/a/b/footer.html", True),
        ("partials/**", "partials", True),
        ("partials/**", "mails/partials/x.html", False),
        ("mails/**/de-*.html.twig", "mails/de-welcome.html.twig", True),
        ("mails/**/de-*.html.twig", "mails/a/b/de-welcome.html.twig", True),
        ("mails/*.html", "mails/a/welcome.html", False),
        ("*.push.yaml", "deep/folder/app.push.yaml", True),
        ("legacy/", "legacy/old.sms", True),
        ("./legacy/*.sms", "legacy/old.sms", True),
        ("/top.sms", "top.sms", True),
        ("/top.sms", "a/top.sms", False),
        ("file?.sms", "file1.sms", True),
        ("file[0-9].sms", "file7.sms", True),
        ("file[!0-9].sms", "file7.sms", False),
        ("a.b", "axb", False),
    ],
)
def test_glob_matches(pattern: str, path: str, matches: bool) -> None:
    assert glob_matches(pattern, path) is matches


def test_overrides_apply_in_order_to_paths_relative_to_the_config_root(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".msglint.yaml",
        """\
select: [tone/, length/]
ignore: [tone/sentiment]
rules: {length/sms-segments: {max: 2}}
overrides:
  - glob: "legacy/**"
    ignore: [tone/]
    rules: {length/sms-segments: {max: 4}}
    severity: {length/: info}
  - glob: "legacy/marketing/**"
    select: [compliance/]
""",
    )
    config = load_config(path)
    plain = resolve_rule_settings(config, tmp_path / "new" / "a.sms")
    assert plain.select == ["tone/", "length/"]
    assert plain.ignore == ["tone/sentiment"]
    assert plain.rule_options == {"length/sms-segments": {"max": 2}}
    legacy = resolve_rule_settings(config, tmp_path / "legacy" / "marketing" / "a.sms")
    assert legacy.select == ["compliance/"]
    assert legacy.ignore == ["tone/sentiment", "tone/"]
    assert legacy.rule_options == {"length/sms-segments": {"max": 4}}
    assert legacy.severity == {"length/": Severity.INFO}
    # The config itself is not changed by resolving.
    assert config.rules == {"length/sms-segments": {"max": 2}}


def test_config_suppressions_cover_files_matching_their_glob(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".msglint.yaml",
        "suppress:\n  - glob: '*.push.yaml'\n    rules: [length/, tone/shouting]\n"
        "    reason: vendor text\n",
    )
    config = load_config(path)
    found = config_suppressions(config, tmp_path / "app" / "a.push.yaml")
    assert [(s.rule, s.scope, s.source, s.reason) for s in found] == [
        ("length/", "file", "config", "vendor text"),
        ("tone/shouting", "file", "config", "vendor text"),
    ]
    assert config_suppressions(config, tmp_path / "a.sms") == []
