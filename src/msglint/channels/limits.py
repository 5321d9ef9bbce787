"""Default length limits per channel, read from ``rules/channels/limits.yaml``.

Each limit carries its documented source; rule options override the values.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from msglint.channels.shipped import channel_pack_path, load_channel_pack
from msglint.yamlsource import YamlError


class Limit(NamedTuple):
    value: int
    source: str


@lru_cache(maxsize=1)
def all_limits() -> dict[str, dict[str, Limit]]:
    """Every shipped limit: channel → name → :class:`Limit`."""
    data = load_channel_pack("limits", "channel-limits")
    path = channel_pack_path("limits")
    channels = data.get("limits")
    if not isinstance(channels, dict):
        raise YamlError(path, None, "'limits' must be a mapping of channels")
    result: dict[str, dict[str, Limit]] = {}
    for channel, limits in channels.items():
        if not isinstance(limits, dict):
            raise YamlError(path, None, f"limits of {channel!r} must be a mapping")
        result[channel] = {}
        for name, entry in limits.items():
            value = entry.get("value") if isinstance(entry, dict) else None
            source = entry.get("source") if isinstance(entry, dict) else None
            if not isinstance(value, int) or isinstance(value, bool) or not isinstance(source, str):
                raise YamlError(
                    path, None, f"{channel}.{name} needs an integer 'value' and a 'source'"
                )
            result[channel][name] = Limit(value, " ".join(source.split()))
    return result


def channel_limits(channel: str) -> dict[str, Limit]:
    """The limits of one channel (empty for channels without any)."""
    return dict(all_limits().get(channel, {}))


def default_limit(channel: str, name: str) -> int:
    """The shipped value of one limit; KeyError names the missing limit."""
    try:
        return all_limits()[channel][name].value
    except KeyError:
        raise KeyError(f"no shipped limit {channel}.{name}") from None
