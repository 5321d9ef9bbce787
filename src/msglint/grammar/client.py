"""A small client for LanguageTool's HTTP API (``/v2/check``, ``/v2/languages``).

urllib rather than language-tool-python's client: one request per text with our own timeout,
no global server state, and a stub server in the tests speaks exactly the documented protocol.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from msglint import __version__


class LanguageToolError(Exception):
    """The server could not be reached or gave no usable answer (one clear line)."""


@dataclass(frozen=True, slots=True)
class LtMatch:
    """One match of ``/v2/check``; offsets are in the text that was sent."""

    offset: int
    length: int
    message: str
    short_message: str
    replacements: tuple[str, ...]
    rule_id: str
    rule_description: str
    issue_type: str
    category_id: str
    category_name: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LtMatch:
        rule = data.get("rule") or {}
        category = rule.get("category") or {}
        return cls(
            offset=int(data["offset"]),
            length=int(data["length"]),
            message=str(data.get("message", "")),
            short_message=str(data.get("shortMessage") or ""),
            replacements=tuple(
                str(r["value"]) for r in data.get("replacements") or () if "value" in r
            ),
            rule_id=str(rule.get("id", "")),
            rule_description=str(rule.get("description", "")),
            issue_type=str(rule.get("issueType", "")),
            category_id=str(category.get("id", "")),
            category_name=str(category.get("name", "")),
        )

    def to_json(self) -> dict[str, Any]:
        """The documented response shape, so cached entries parse like live ones."""
        return {
            "message": self.message,
            "shortMessage": self.short_message,
            "offset": self.offset,
            "length": self.length,
            "replacements": [{"value": r} for r in self.replacements],
            "rule": {
                "id": self.rule_id,
                "description": self.rule_description,
                "issueType": self.issue_type,
                "category": {"id": self.category_id, "name": self.category_name},
            },
        }


@dataclass(frozen=True)
class CheckResult:
    version: str  # software.version of the server
    matches: tuple[LtMatch, ...]


class LanguageToolClient:
    """Talks to one LanguageTool server; ``base`` ends in ``/v2/``."""

    def __init__(self, base: str, timeout: float = 10.0) -> None:
        self.base = base
        self.timeout = timeout

    def _request(self, path: str, form: dict[str, str] | None = None) -> Any:
        # Imported here: urllib.request pulls in http, ssl and email (~40 ms), which a run
        # without a LanguageTool server never needs.
        import urllib.error
        import urllib.parse
        import urllib.request

        url = urllib.parse.urljoin(self.base, path)
        data = urllib.parse.urlencode(form).encode("utf-8") if form is not None else None
        request = urllib.request.Request(
            url,
            data=data,
            headers={"Accept": "application/json", "User-Agent": f"msglint/{__version__}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
            hint = f": {detail[0]}" if detail else ""
            raise LanguageToolError(
                f"LanguageTool at {self.base} answered {exc.code}{hint}"
            ) from None
        except TimeoutError:
            raise LanguageToolError(
                f"LanguageTool at {self.base} did not answer within {self.timeout:g} s"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise LanguageToolError(
                f"LanguageTool at {self.base} is not reachable ({reason})"
            ) from None
        try:
            return json.loads(body)
        except ValueError:
            raise LanguageToolError(f"LanguageTool at {self.base} sent no JSON") from None

    def languages(self) -> set[str]:
        """Every language code the server knows (``code`` and ``longCode``)."""
        data = self._request("languages")
        if not isinstance(data, list):
            raise LanguageToolError(f"LanguageTool at {self.base}: unexpected /v2/languages answer")
        codes: set[str] = set()
        for item in data:
            if isinstance(item, dict):
                codes.update(str(item[k]) for k in ("code", "longCode") if item.get(k))
        return codes

    def check(self, text: str, language: str, rule_settings: dict[str, Any]) -> CheckResult:
        """``POST /v2/check`` with the documented form parameters."""
        form = {"text": text, "language": language}
        for key in ("disabledRules", "disabledCategories", "enabledRules"):
            if rule_settings.get(key):
                form[key] = ",".join(rule_settings[key])
        if rule_settings.get("enabledOnly"):
            form["enabledOnly"] = "true"
        if rule_settings.get("level", "default") != "default":
            form["level"] = str(rule_settings["level"])
        data = self._request("check", form)
        if not isinstance(data, dict) or not isinstance(data.get("matches"), list):
            raise LanguageToolError(f"LanguageTool at {self.base}: unexpected /v2/check answer")
        try:
            matches = tuple(LtMatch.from_json(m) for m in data["matches"])
        except (KeyError, TypeError, ValueError):
            raise LanguageToolError(f"LanguageTool at {self.base}: malformed match") from None
        version = str((data.get("software") or {}).get("version", "unknown"))
        return CheckResult(version, matches)
