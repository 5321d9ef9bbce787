from __future__ import annotations

from pathlib import Path

import pytest

from conftest import install_fake_distribution
from msglint.compliance.packs import (
    CompliancePackError,
    check_date,
    compliance_settings,
    load_compliance,
    read_packs,
    shipped_pack_dir,
)
from msglint.config import Config, ConfigError


def _problems(tmp_path: Path, text: str) -> list[tuple[int | None, str]]:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = read_packs([path], all_files=True)
    return [(p.line, p.message) for p in problems]


def test_valid_pack_has_no_problems(tmp_path: Path) -> None:
    text = "blocks:\n  - id: a\n    version: 1\n    text: Hallo Welt\nrequire:\n  - block: a\n"
    assert _problems(tmp_path, text) == []


def test_unknown_key_is_reported_with_its_line(tmp_path: Path) -> None:
    text = "blocks:\n  - id: a\n    version: 1\n    text: Hallo\n    aproved_by: X\n"
    [(line, message)] = _problems(tmp_path, text)
    assert line == 5
    assert "unknown key 'aproved_by'" in message


def test_duplicate_block_ids_are_reported(tmp_path: Path) -> None:
    text = (
        "blocks:\n  - id: a\n    version: 1\n    text: A\n  - id: a\n    version: 2\n    text: B\n"
    )
    [(line, message)] = _problems(tmp_path, text)
    assert line == 5
    assert "duplicate block id 'a'" in message


def test_bad_date_is_reported(tmp_path: Path) -> None:
    text = "blocks:\n  - id: a\n    version: 1\n    text: A\n    valid_until: 2026-13-40\n"
    [(line, message)] = _problems(tmp_path, text)
    assert line == 5
    assert "month must be in 1..12" in message


def test_require_naming_unknown_block_is_reported(tmp_path: Path) -> None:
    text = "blocks: []\nrequire:\n  - block: nope\n"
    [(line, message)] = _problems(tmp_path, text)
    assert line == 3
    assert "unknown block 'nope'" in message


def test_regex_that_re2_cannot_compile_is_reported(tmp_path: Path) -> None:
    text = "forbid:\n  - regex: '(?<=a)b'\n    message: x\n"
    [(line, message)] = _problems(tmp_path, text)
    assert line == 2
    assert "does not compile" in message


def test_wrong_types_and_values_are_reported(tmp_path: Path) -> None:
    text = (
        "blocks:\n  - id: a\n    version: 1\n    text: A\n"
        "require:\n  - block: a\n    placement: middle\n    when: {channel: [fax]}\n"
        "forbid:\n  - phrase: x\n    regex: y\n"
    )
    messages = [m for _, m in _problems(tmp_path, text)]
    assert any("placement" in m for m in messages)
    assert any("unknown channel 'fax'" in m for m in messages)
    assert any("exactly one of 'phrase' or 'regex'" in m for m in messages)


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    [(line, message)] = _problems(tmp_path, "blocks:\n  - id: a\n   version: [\n")
    assert line is not None
    assert "invalid YAML" in message


def test_term_packs_in_a_folder_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "terms.yaml").write_text("kind: terms\nid: t\n", encoding="utf-8")
    packs, problems = read_packs([tmp_path])
    assert packs == [] and problems == []


def test_shipped_example_packs_are_valid() -> None:
    packs, problems = read_packs([shipped_pack_dir()])
    assert problems == []
    assert packs and all(p.example and p.disclaimer for p in packs)


def test_own_packs_replace_the_examples(tmp_path: Path) -> None:
    (tmp_path / "own.yaml").write_text("blocks:\n  - id: own\n    version: 1\n    text: T\n")
    cset = load_compliance(Config(root=tmp_path, packs=[Path("own.yaml")]))
    assert list(cset.blocks) == ["own"]
    with_examples = load_compliance(
        Config(root=tmp_path, packs=[Path("own.yaml")], compliance={"examples": True})
    )
    assert "own" in with_examples.blocks and len(with_examples.blocks) > 1


def test_broken_config_pack_raises_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("blocks:\n  - id: a\n    text: T\n")
    with pytest.raises(CompliancePackError) as info:
        load_compliance(Config(root=tmp_path, packs=[Path("bad.yaml")]))
    assert "bad.yaml:2: block 'a': 'version' is required" in str(info.value)


def test_check_date_env_beats_config(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = compliance_settings(Config(compliance={"today": "2026-01-02"}))
    monkeypatch.delenv("MSGLINT_TODAY", raising=False)
    assert check_date(settings).isoformat() == "2026-01-02"
    monkeypatch.setenv("MSGLINT_TODAY", "2030-05-06")
    assert check_date(settings).isoformat() == "2030-05-06"


def test_unknown_compliance_config_key_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"compliance\.todya"):
        compliance_settings(Config(compliance={"todya": "2026-01-01"}))


def test_shipped_examples_are_opt_in(tmp_path: Path) -> None:
    assert list(load_compliance(Config(root=tmp_path)).blocks) == []
    examples = load_compliance(Config(root=tmp_path, compliance={"examples": True}))
    assert examples.blocks


def test_entry_point_packs_are_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A compliance team's package declares its pack folder as a ``msglint.compliance`` entry
    point; msglint finds it without any config."""
    from msglint import resources

    folder = tmp_path / "legal"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "blocks:\n  - id: acme-imprint\n    version: 1\n    text: ACME GmbH, Berlin\n",
        encoding="utf-8",
    )
    install_fake_distribution(tmp_path / "site", "msglint.compliance", "acme_legal", folder)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    resources._declares_entry_points.cache_clear()
    try:
        loaded = load_compliance(Config(root=tmp_path))
    finally:
        resources._declares_entry_points.cache_clear()
    assert "acme-imprint" in {b.id for pack in loaded.packs for b in pack.blocks}
