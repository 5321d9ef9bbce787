from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import install_fake_distribution
from msglint.config import Config
from msglint.packs import (
    PackResources,
    TermMatcher,
    inflected_forms,
    load_term_packs,
    merge_packs,
    pack_sources,
)
from msglint.yamlsource import YamlError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


PACK = """\
kind: terms
id: test-pack
language: de
rule: jargon/officialese
entries:
  - term: zwecks
    replacement: für
    reason: Amtsdeutsch.
"""


def test_valid_pack_loads_with_generated_forms(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", PACK + "  - {term: Retoure, reason: Jargon.}\n")
    (pack,) = load_term_packs([path])
    assert pack.id == "test-pack" and pack.rule == "jargon/officialese"
    retoure = pack.entries[1]
    assert "Retouren" in retoure.forms
    assert pack.entries[0].line == 6


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ("  - {term: zwecks, reason: again}\n", 9, "duplicate entry 'zwecks'"),
        ("  - {term: x, reason: y, colour: red}\n", 9, "unknown key 'colour'"),
        ("  - {replacement: x, reason: y}\n", 9, "needs 'term'"),
        ("  - {term: x, reason: y, fix: yes please}\n", 9, "'fix' must be true or false"),
        ("  - {term: two words, reason: y}\n", 9, "use 'phrase'"),
        ("  - {term: x, reason: y, forms: notalist}\n", 9, "'forms' must be a list"),
        ("  - {term: x}\n", 9, "missing required key 'reason'"),
        ("  - {term: x, reason: y, fix: true}\n", 9, "needs a 'replacement'"),
    ],
)
def test_schema_errors_name_file_and_line(
    tmp_path: Path, extra: str, line: int, message: str
) -> None:
    path = write(tmp_path, "bad.yaml", PACK + extra)
    with pytest.raises(YamlError) as exc:
        load_term_packs([path])
    assert exc.value.line == line
    assert message in exc.value.message
    assert str(exc.value).startswith(f"{path}:{line}:")


def test_unknown_top_level_key_and_bad_severity(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", PACK.replace("language: de\n", "language: de\nlevel: x\n"))
    with pytest.raises(YamlError, match="unknown key 'level'") as exc:
        load_term_packs([path])
    assert exc.value.line == 4
    path = write(tmp_path, "b.yaml", PACK.replace("language: de\n", "language: de\nseverity: x\n"))
    with pytest.raises(YamlError, match="unknown severity"):
        load_term_packs([path])


def test_files_without_kind_terms_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, "compliance.yaml", "kind: compliance\nblocks: []\n")
    write(tmp_path, "abbreviations.yaml", "kind: abbreviations\nentries: [1, 2]\n")
    write(tmp_path, "plain.yaml", "- just a list\n")
    write(tmp_path, "p.yaml", PACK)
    assert [p.id for p in load_term_packs([tmp_path])] == ["test-pack"]


def test_missing_pack_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(YamlError, match="not found"):
        load_term_packs([tmp_path / "nope"])


def test_same_pack_id_replaces_the_earlier_pack(tmp_path: Path) -> None:
    first = write(tmp_path, "a/p.yaml", PACK)
    second = write(tmp_path, "b/p.yaml", PACK.replace("zwecks", "seitens"))
    merged = merge_packs(load_term_packs([first, second]))
    assert [[e.key for e in p.entries] for p in merged] == [["seitens"]]


def test_user_entry_overrides_and_disables_shipped_terms(tmp_path: Path) -> None:
    user = write(
        tmp_path,
        "user.yaml",
        """\
        kind: terms
        id: acme-officialese
        language: de
        rule: jargon/officialese
        entries:
          - {term: Zwecks, replacement: damit, reason: Hausstil.}
          - {term: seitens, disabled: true}
        """,
    )
    config = Config(root=tmp_path, packs=[Path("user.yaml")])
    assert pack_sources(config)[-1] == user
    resources = PackResources.load(config)
    matcher = resources.term_matcher("jargon/officialese", "de")
    found = {m.entry.key: m for m in matcher.find("zwecks Klärung seitens der Bank", "de")}
    assert "seitens" not in found
    assert found["Zwecks"].entry.replacement == "damit"
    assert found["Zwecks"].pack.id == "acme-officialese"


def test_entry_point_packs_are_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A package installed on sys.path declares its pack folder as an entry point."""
    from msglint import resources

    folder = tmp_path / "pkg"
    write(folder, "p.yaml", PACK)
    install_fake_distribution(tmp_path / "site", "msglint.packs", "acme_terms", folder)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    resources._declares_entry_points.cache_clear()
    try:
        assert folder in pack_sources(None)
    finally:
        resources._declares_entry_points.cache_clear()


def test_no_entry_point_scan_without_declaring_packages(tmp_path: Path) -> None:
    from msglint import resources

    resources._declares_entry_points.cache_clear()
    assert resources.entry_point_paths("msglint.no-such-group") == []


def test_resources_are_cached_until_a_pack_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", PACK)
    config = Config(root=tmp_path, packs=[path])
    first = PackResources.load(config)
    assert PackResources.load(config) is first
    path.write_text(PACK.replace("zwecks", "seitens"), encoding="utf-8")
    import os

    os.utime(path, ns=(1, 1))
    assert PackResources.load(config) is not first


def test_shipped_packs_load_and_are_substantial() -> None:
    resources = PackResources.load(None)
    german = sum(len(p.entries) for p in resources.packs if p.language == "de")
    assert german >= 300
    assert {"telecom", "energy", "banking", "insurance", "ecommerce"} <= set(resources.industries())


def test_shipped_packs_have_no_cross_pack_duplicates() -> None:
    raw = load_term_packs(pack_sources(None))
    seen: dict[tuple[str, str, str], str] = {}
    for pack in raw:
        for entry in pack.entries:
            for form in entry.forms:
                key = (pack.rule, pack.language, form.lower())
                assert key not in seen or seen[key] == pack.id + entry.key, (key, seen.get(key))
                seen[key] = pack.id + entry.key


def test_inflected_forms() -> None:
    assert "Bonitätsprüfungen" in inflected_forms("Bonitätsprüfung", "de")
    assert "Deadlines" in inflected_forms("Deadline", "de")
    assert "unverzügliche" in inflected_forms("unverzüglich", "de")
    assert inflected_forms("ferner", "de") == []  # adverbs do not inflect
    assert set(inflected_forms("utilize", "en")) == {"utilizes", "utilized", "utilizing"}


def test_matcher_word_boundaries_umlauts_and_compounds() -> None:
    resources = PackResources.load(None)
    term = resources.term_matcher("jargon/term", "de")
    text = "Ihre Rufnummernportierung ist fertig. Die Portierungen laufen."
    found = [text[m.start : m.end] for m in term.find(text, "de")]
    assert found == ["Rufnummernportierung", "Portierungen"]
    angl = resources.term_matcher("jargon/anglicism", "de")
    assert angl.find("Ihr Accountmanager und der Account-Manager", "de") == []
    assert [m.form for m in angl.find("Ihr ACCOUNT ist da", "de")] == ["ACCOUNT"]


def test_matcher_ignores_other_languages() -> None:
    matcher = TermMatcher(PackResources.load(None).packs_for("jargon/officialese"))
    assert matcher.find("zwecks", "en") == []
    assert len(matcher.find("zwecks", "de-DE")) == 1


@pytest.mark.parametrize(
    "text",
    ["", "Wort", " -Account-Manager- und E-Mail\u00ad-Adresse, _x_ 42 ", "ÄÖÜ–über\n\nß-"],
)
def test_token_index_offsets_match_the_token_pattern(text: str) -> None:
    from msglint.packs import _TOKEN, _tokens

    words = _tokens(text)
    found = list(_TOKEN.finditer(text))
    assert words.words == [m.group() for m in found]
    assert list(zip(words.starts, words.ends, strict=True)) == [m.span() for m in found]


def test_matcher_compiled_after_a_text_was_indexed_finds_the_same() -> None:
    # Matchers of one language share where their forms may start, cached per text: a matcher
    # compiled after that text was indexed must still find its own terms in it.
    shipped = PackResources.load(None)
    resources = PackResources(shipped.packs, merged=True)
    text = "Zwecks Prüfung Ihres Accounts senden wir Ihnen die Deadline umgehend zu."
    first = resources.term_matcher("jargon/officialese", "de").find(text, "de")
    later = resources.term_matcher("jargon/anglicism", "de").find(text, "de")
    alone = TermMatcher(shipped.packs_for("jargon/anglicism", "de")).find(text, "de")
    assert [m.form for m in first] == ["Zwecks", "umgehend"]
    assert [(m.start, m.end, m.form) for m in later] == [(m.start, m.end, m.form) for m in alone]
    assert {m.form for m in later} >= {"Accounts", "Deadline"}
