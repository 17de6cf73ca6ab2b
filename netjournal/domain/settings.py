"""A person's settings as values: the weekly budget, the reciprocity window, the date order,
the theme. Pure: reading and writing the file beside the journal is :mod:`netjournal.config`'s
(above the store), so the store and the insights take these values without reaching for a file."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self


@dataclass
class Settings:
    theme: str = "textual-dark"
    dayfirst: bool = True  # 03/05/2024 is 3 May (False: 5 March)
    work_hours_per_week: float = 40.0
    budget_percent: float = 5.0  # the rule of thumb: about 5% of working time
    reciprocity_months: int = 12
    keymap: dict[str, str] = field(default_factory=dict)  # the person's keys: binding id -> keys ("x", "ctrl+k,f2")

    @property
    def weekly_budget_minutes(self) -> int:
        return round(self.work_hours_per_week * 60 * self.budget_percent / 100)

    @classmethod
    def from_mapping(cls, raw: object) -> Self:
        """The settings a decoded file holds: unknown keys and values of the wrong type are
        left out (their defaults stay); anything but a mapping gives the defaults."""
        if not isinstance(raw, Mapping):
            return cls()
        known = {f.name for f in dataclasses.fields(cls)}
        defaults = cls()
        kwargs: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known:
                continue
            default = getattr(defaults, key)
            if isinstance(default, bool):
                if isinstance(value, bool):
                    kwargs[key] = value
            elif isinstance(default, (int, float)) and isinstance(value, (int, float)) and not isinstance(value, bool):
                kwargs[key] = type(default)(value)
            elif isinstance(default, str) and isinstance(value, str):
                kwargs[key] = value
            elif isinstance(default, dict) and isinstance(value, Mapping):
                kwargs[key] = {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str) and v}
        return cls(**kwargs)
