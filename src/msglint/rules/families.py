"""Imports every rule family module so that its rules register themselves."""

from __future__ import annotations

import importlib

# One module per family; a module that is not there yet is simply not loaded.
FAMILY_MODULES = (
    "msglint.rules.loading",
    "msglint.rules.template_rules",
    "msglint.rules.length",
    "msglint.rules.channel",
    "msglint.rules.email",
    "msglint.rules.email_stage",
    "msglint.rules.readability",
    "msglint.rules.jargon",
    "msglint.rules.tone",
    "msglint.rules.personalisation",
    "msglint.rules.clarity",
    "msglint.rules.compliance",
    "msglint.rules.grammar",
    "msglint.rules.spelling",
    "msglint.rules.journey",
)

_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for name in FAMILY_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
