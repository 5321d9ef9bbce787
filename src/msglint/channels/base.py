"""What a channel builder returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from msglint.model import Part
from msglint.templating.base import Problem


@dataclass
class ChannelBuild:
    """A message's parts for one rendered variant, with channel data and metrics.

    ``problems`` carry offsets in the template *file* (not in a part's source).
    """

    parts: dict[str, Part]
    channel_data: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
