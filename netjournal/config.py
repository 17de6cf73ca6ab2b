"""Small user settings kept beside the journal (``journal.config.json``, 0600)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from netjournal.store import files


@dataclass
class Settings:
    theme: str = "textual-dark"
    dayfirst: bool = True  # 03/05/2024 is 3 May (False: 5 March)
    work_hours_per_week: float = 40.0
    budget_percent: float = 5.0  # the rule of thumb: about 5% of working time
    reciprocity_months: int = 12

    @property
    def weekly_budget_minutes(self) -> int:
        return round(self.work_hours_per_week * 60 * self.budget_percent / 100)

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw: Any = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in raw.items():
            f = known.get(key)
            if f is None:
                continue
            default = getattr(cls(), key)
            if isinstance(default, bool):
                if isinstance(value, bool):
                    kwargs[key] = value
            elif isinstance(default, (int, float)) and isinstance(value, (int, float)) and not isinstance(value, bool):
                kwargs[key] = type(default)(value)
            elif isinstance(default, str) and isinstance(value, str):
                kwargs[key] = value
        return cls(**kwargs)

    def save(self, path: Path) -> None:
        files.ensure_private_dir(path.parent)
        files.atomic_write(path, orjson.dumps(dataclasses.asdict(self), option=orjson.OPT_INDENT_2))
