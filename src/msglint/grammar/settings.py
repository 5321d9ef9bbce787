"""The ``languagetool:`` config section: validated settings and where the server is."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from msglint.config import Config, ConfigError
from msglint.model import FACTORY_DEFAULT, dataclass_eq, dataclass_hash, dataclass_repr, set_field

ENV_URL = "MSGLINT_LANGUAGETOOL_URL"
# Hosts of LanguageTool's public service: template texts are confidential, so never by default.
PUBLIC_HOSTS = ("languagetool.org", "languagetoolplus.com")
DEFAULT_LANGUAGES = {"de": "de-DE", "en": "en-US"}
_KEYS = (
    "url",
    "allow_public",
    "local",
    "language_overrides",
    "disabled_rules",
    "disabled_categories",
    "enabled_rules",
    "enabled_only",
    "level",
    "timeout",
    "max_workers",
    "channels",
)
_CHANNEL_KEYS = ("disabled_rules", "disabled_categories")


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class LanguageToolSettings:
    url: str | None = None  # base URL (".../v2/" is added); None: env, then local
    allow_public: bool = False
    local: bool = True  # use a LanguageTool that language-tool-python has installed
    language_overrides: Mapping[str, str] = field(default_factory=dict)
    disabled_rules: tuple[str, ...] = ()
    disabled_categories: tuple[str, ...] = ()
    enabled_rules: tuple[str, ...] = ()
    enabled_only: bool = False
    level: str = "default"  # "default" | "picky"
    timeout: float = 10.0  # seconds per request
    max_workers: int = 4  # parallel requests
    # Per channel: extra disabled rules / categories.
    channels: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def __init__(
        self,
        url: str | None = None,
        allow_public: bool = False,
        local: bool = True,
        language_overrides: Mapping[str, str] = FACTORY_DEFAULT,
        disabled_rules: tuple[str, ...] = (),
        disabled_categories: tuple[str, ...] = (),
        enabled_rules: tuple[str, ...] = (),
        enabled_only: bool = False,
        level: str = "default",
        timeout: float = 10.0,
        max_workers: int = 4,
        channels: Mapping[str, Mapping[str, tuple[str, ...]]] = FACTORY_DEFAULT,
    ) -> None:
        set_field(self, "url", url)
        set_field(self, "allow_public", allow_public)
        set_field(self, "local", local)
        set_field(
            self,
            "language_overrides",
            {} if language_overrides is FACTORY_DEFAULT else language_overrides,
        )
        set_field(self, "disabled_rules", disabled_rules)
        set_field(self, "disabled_categories", disabled_categories)
        set_field(self, "enabled_rules", enabled_rules)
        set_field(self, "enabled_only", enabled_only)
        set_field(self, "level", level)
        set_field(self, "timeout", timeout)
        set_field(self, "max_workers", max_workers)
        set_field(self, "channels", {} if channels is FACTORY_DEFAULT else channels)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    def lt_language(self, language: str) -> str:
        """LanguageTool's language code for a message language (``de`` → ``de-DE``)."""
        return self.language_overrides.get(language, DEFAULT_LANGUAGES.get(language, language))

    def rule_settings(self, channel: str) -> dict[str, Any]:
        """Everything besides the text that changes the server's answer (for the cache key)."""
        extra = self.channels.get(channel, {})
        return {
            "disabledRules": sorted({*self.disabled_rules, *extra.get("disabled_rules", ())}),
            "disabledCategories": sorted(
                {*self.disabled_categories, *extra.get("disabled_categories", ())}
            ),
            "enabledRules": sorted(self.enabled_rules),
            "enabledOnly": self.enabled_only,
            "level": self.level,
        }


def _fail(config: Config, key: str, message: str) -> ConfigError:
    return ConfigError(f"'{key}': {message}", config.path)


def _texts(config: Config, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(config, key, "must be a list of text")
    return tuple(v.strip() for v in value if v.strip())


def _flag(config: Config, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(config, key, "must be true or false")
    return value


def load_settings(config: Config) -> LanguageToolSettings:
    """Validate ``config.languagetool``; problems raise :class:`ConfigError` naming the key."""
    raw = config.languagetool or {}
    if not isinstance(raw, Mapping):
        raise _fail(config, "languagetool", "must be a mapping")
    for key in raw:
        if key not in _KEYS:
            raise _fail(config, f"languagetool.{key}", f"unknown key (allowed: {', '.join(_KEYS)})")
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not _is_http_url(url)):
        raise _fail(config, "languagetool.url", "must be an http:// or https:// URL")
    overrides = raw.get("language_overrides", {}) or {}
    if not isinstance(overrides, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in overrides.items()
    ):
        raise _fail(
            config, "languagetool.language_overrides", "must map languages to codes (de: de-AT)"
        )
    level = raw.get("level", "default")
    if level not in ("default", "picky"):
        raise _fail(config, "languagetool.level", "must be default or picky")
    timeout = raw.get("timeout", 10.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise _fail(config, "languagetool.timeout", "must be a positive number of seconds")
    workers = raw.get("max_workers", 4)
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 32:
        raise _fail(config, "languagetool.max_workers", "must be a whole number from 1 to 32")
    channels_raw = raw.get("channels", {}) or {}
    if not isinstance(channels_raw, Mapping):
        raise _fail(config, "languagetool.channels", "must be a mapping of channel names")
    channels: dict[str, dict[str, tuple[str, ...]]] = {}
    for channel, opts in channels_raw.items():
        key = f"languagetool.channels.{channel}"
        if not isinstance(opts, Mapping):
            raise _fail(config, key, "must be a mapping")
        for opt in opts:
            if opt not in _CHANNEL_KEYS:
                raise _fail(config, f"{key}.{opt}", f"unknown key ({', '.join(_CHANNEL_KEYS)})")
        channels[str(channel)] = {k: _texts(config, f"{key}.{k}", v) for k, v in opts.items()}
    return LanguageToolSettings(
        url=url,
        allow_public=_flag(config, "languagetool.allow_public", raw.get("allow_public", False)),
        local=_flag(config, "languagetool.local", raw.get("local", True)),
        language_overrides=dict(overrides),
        disabled_rules=_texts(config, "languagetool.disabled_rules", raw.get("disabled_rules")),
        disabled_categories=_texts(
            config, "languagetool.disabled_categories", raw.get("disabled_categories")
        ),
        enabled_rules=_texts(config, "languagetool.enabled_rules", raw.get("enabled_rules")),
        enabled_only=_flag(config, "languagetool.enabled_only", raw.get("enabled_only", False)),
        level=str(level),
        timeout=float(timeout),
        max_workers=workers,
        channels=channels,
    )


def _is_http_url(url: str) -> bool:
    parts = urllib.parse.urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_public_server(url: str) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in PUBLIC_HOSTS)


def configured_url(settings: LanguageToolSettings, config: Config) -> tuple[str | None, str]:
    """The server URL and where it came from (config, environment), or (None, "")."""
    env = os.environ.get(ENV_URL, "").strip()
    if settings.url:
        url, origin = settings.url.strip(), "languagetool.url"
    elif env:
        if not _is_http_url(env):
            raise ConfigError(f"{ENV_URL}={env!r} is not an http:// or https:// URL")
        url, origin = env, ENV_URL
    else:
        return None, ""
    if is_public_server(url) and not settings.allow_public:
        raise ConfigError(
            f"{origin} points to LanguageTool's public service ({url}); template texts would "
            "leave your network. Set 'languagetool.allow_public: true' to allow it",
            config.path if origin == "languagetool.url" else None,
        )
    return api_base(url), origin


def api_base(url: str) -> str:
    """``http://host:8081`` or ``.../v2`` → ``http://host:8081/v2/``."""
    url = url.strip().rstrip("/")
    if not url.endswith("/v2"):
        url += "/v2"
    return url + "/"
