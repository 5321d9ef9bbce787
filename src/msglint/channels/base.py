"""What a channel builder returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from msglint.model import FACTORY_DEFAULT, Part, dataclass_eq, dataclass_repr
from msglint.templating.base import Problem


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class ChannelBuild:
    """A message's parts for one rendered variant, with channel data and metrics.

    ``problems`` carry offsets in the template *file* (not in a part's source).
    """

    parts: dict[str, Part]
    channel_data: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def __init__(
        self,
        parts: dict[str, Part],
        channel_data: dict[str, Any] = FACTORY_DEFAULT,
        metrics: dict[str, Any] = FACTORY_DEFAULT,
        problems: list[Problem] = FACTORY_DEFAULT,
    ) -> None:
        self.parts = parts
        self.channel_data = {} if channel_data is FACTORY_DEFAULT else channel_data
        self.metrics = {} if metrics is FACTORY_DEFAULT else metrics
        self.problems = [] if problems is FACTORY_DEFAULT else problems

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
