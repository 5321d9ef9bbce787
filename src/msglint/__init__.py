"""msglint: a linter for customer-communication templates."""

from __future__ import annotations

__version__ = "0.1.0"

from msglint import recache as _recache

# Before msglint's modules and PyYAML compile their patterns.
_recache.install()
