"""Disk cache of LanguageTool answers, so re-runs on unchanged text need no server call.

Entries are keyed by the text, language, rule settings, server URL and the server's
LanguageTool version. The version is only known from an answer, so the last version seen per
server is remembered too: a warm run computes every key without asking the server, and the
first answer from an upgraded server switches to new keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from msglint.cachedir import ENV_CACHE_DIR, cache_root
from msglint.grammar.client import CheckResult, LtMatch

__all__ = ["ENV_CACHE_DIR", "CheckCache", "default_cache_dir"]
_FORMAT = 1  # bump when the stored shape changes


def default_cache_dir() -> Path:
    """``$MSGLINT_CACHE_DIR/languagetool`` or the user cache directory (platformdirs)."""
    return cache_root() / "languagetool"


def _digest(*parts: Any) -> str:
    raw = json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


class CheckCache:
    """A folder of small JSON files; unreadable entries are misses, write errors are ignored."""

    def __init__(self, folder: Path, server: str) -> None:
        self.folder = folder
        self.server = server
        self._version_file = folder / "servers" / f"{_digest(server)[:24]}.json"
        self.version: str | None = self._read_version()

    def _read_version(self) -> str | None:
        try:
            data = json.loads(self._version_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        version = data.get("version") if isinstance(data, dict) else None
        return str(version) if version else None

    def _path(self, text: str, language: str, settings: dict[str, Any], version: str) -> Path:
        key = _digest(_FORMAT, self.server, version, language, settings, text)
        return self.folder / key[:2] / f"{key}.json"

    def get(self, text: str, language: str, settings: dict[str, Any]) -> CheckResult | None:
        if self.version is None:
            return None
        try:
            data = json.loads(
                self._path(text, language, settings, self.version).read_text(encoding="utf-8")
            )
            return CheckResult(self.version, tuple(LtMatch.from_json(m) for m in data["matches"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, text: str, language: str, settings: dict[str, Any], result: CheckResult) -> None:
        if result.version != self.version:
            self.version = result.version
            _write(self._version_file, {"server": self.server, "version": result.version})
        payload = {"matches": [m.to_json() for m in result.matches]}
        _write(self._path(text, language, settings, result.version), payload)


def _write(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write-then-rename: parallel msglint processes never read half an entry.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs speed
