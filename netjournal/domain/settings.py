"""A person's settings as values: the weekly budget, the reciprocity window, the date order,
the theme. Pure: reading and writing the file beside the journal is :mod:`netjournal.config`'s
(above the store), so the store and the insights take these values without reaching for a file."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

# One key as the app reads it: modifiers, then one character or a key's name ("x", "?", "f2",
# "ctrl+k", "shift+tab", "question_mark"); a keymap entry is one or more, separated by commas.
_KEY = re.compile(r"(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?:[^\s,+]|\+|[a-z][a-z0-9_]*)")


def bad_keys(keys: str) -> str | None:
    """Why ``keys`` (a keymap entry: "x", "ctrl+k,f2") is not keys the app can read, or None."""
    for key in (k.strip() for k in keys.split(",")):
        if not _KEY.fullmatch(key):
            shown = repr(key) if key else "an empty key"
            return f"{shown} is not a key: keys are names like x, ?, ctrl+k or f2, separated by commas"
    return None


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
