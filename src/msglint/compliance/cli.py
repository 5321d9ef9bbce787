"""``msglint compliance audit`` and ``msglint compliance validate`` (click wiring only).

Exit codes as elsewhere: 0 all good; 1 the audit found required blocks not in order (or packs
have problems); 2 usage, configuration or pack-loading error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from msglint.compliance.audit import FORMATS, audit, render
from msglint.compliance.packs import (
    CompliancePackError,
    check_date,
    compliance_settings,
    config_pack_paths,
    entry_point_paths,
    load_compliance,
    read_packs,
    shipped_pack_dir,
)
from msglint.config import ConfigError
from msglint.yamlsource import YamlError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@click.group("compliance")
def compliance() -> None:
    """Compliance packs: audit templates for required blocks, validate packs."""


@compliance.command("audit")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--exit-zero", is_flag=True, help="Exit 0 even if required blocks are not ok.")
def audit_command(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    config_path: Path | None,
    exit_zero: bool,
) -> None:
    """Template × required block matrix with status and approval data."""
    sys.exit(run_audit(list(paths), fmt, output, config_path, exit_zero=exit_zero))


@compliance.command("validate")
@click.argument("packs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
def validate_command(packs: tuple[Path, ...], config_path: Path | None) -> None:
    """Check compliance packs (default: every pack msglint would load) and list problems."""
    sys.exit(run_validate(list(packs), config_path))


def _error(message: str) -> int:
    click.echo(f"msglint: error: {message}", err=True)
    return EXIT_ERROR


def run_audit(
    paths: Sequence[Path],
    fmt: str = "text",
    output: Path | None = None,
    config_path: Path | None = None,
    *,
    exit_zero: bool = False,
) -> int:
    """Audit the templates under ``paths``; returns the exit code."""
    from msglint.config import load_config
    from msglint.lint import build_messages

    try:
        config = load_config(config_path)
        cset = load_compliance(config)
    except (ConfigError, YamlError) as exc:
        return _error(str(exc))
    from msglint.lint import template_suppressions

    messages = list(build_messages(list(paths) or [Path.cwd()], config))
    # Every suppression counts: comments, front matter and the config's `suppress:` entries.
    suppressions = {
        m.template.display_path: template_suppressions(m.template, config) for m in messages
    }
    matrix = audit(messages, cset, suppressions=suppressions)
    text = render(matrix, fmt)
    if output is not None:
        from msglint.atomic import write_atomically

        write_atomically(output, text)
    else:
        click.echo(text, nl=False)
    return EXIT_OK if exit_zero or matrix.passed else EXIT_FINDINGS


def run_validate(packs: Sequence[Path], config_path: Path | None = None) -> int:
    """Validate packs (all that would load when none are named); returns the exit code."""
    from msglint.config import load_config

    try:
        config = load_config(config_path)
        check_date(compliance_settings(config))
    except ConfigError as exc:
        return _error(str(exc))
    if packs:
        found, problems = read_packs(packs, all_files=True)
    else:
        sources = [shipped_pack_dir(), *entry_point_paths(), *config_pack_paths(config)]
        found, problems = read_packs([s for s in sources if s.exists()])
    for problem in problems:
        click.echo(str(problem))
    blocks = sum(len(p.blocks) for p in found)
    requirements = sum(len(p.requirements) for p in found)
    claims = sum(len(p.forbidden) for p in found)
    status = f"{len(problems)} problem(s)" if problems else "OK"
    click.echo(
        f"{len(found)} compliance pack(s), {blocks} blocks, {requirements} requirements, "
        f"{claims} forbidden claims: {status}",
        err=bool(problems),
    )
    return EXIT_FINDINGS if problems else EXIT_OK


__all__ = ["CompliancePackError", "compliance", "run_audit", "run_validate"]
