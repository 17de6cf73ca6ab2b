"""netjournal config show / set: the settings (weekly budget, reciprocity window, date order, theme)."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from netjournal import paths
from netjournal.cli.context import Context
from netjournal.domain.dates import format_minutes
from netjournal.errors import ValidationError

SETTING_KEYS = {
    "budget_percent": "share of working time for your network, in % (default 5)",
    "work_hours_per_week": "working hours in a week (default 40)",
    "reciprocity_months": "months of favours the reciprocity counts (default 12)",
    "dayfirst": "03/05 is 3 May: true or false",
    "theme": "the app's Textual theme",
}


def cmd_config_show(args: argparse.Namespace, ctx: Context) -> int:
    s = ctx.settings
    values = {**dataclasses.asdict(s), "weekly_budget_minutes": s.weekly_budget_minutes}
    if args.json:
        ctx.print_json(values)
        return 0
    from rich.text import Text

    for key, value in values.items():
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        ctx.console.print(Text.assemble((f"{key:>22}  ", "dim"), shown))
    return 0


def _setting_value(key: str, raw: str) -> Any:
    text = raw.strip()
    if key == "dayfirst":
        if text.lower() not in ("true", "false", "yes", "no", "1", "0"):
            raise ValidationError(f"must be true or false, not {raw!r}", field=key)
        return text.lower() in ("true", "yes", "1")
    if key == "theme":
        if not text:
            raise ValidationError("a theme name is required", field=key)
        return text
    try:
        number = float(text.rstrip("%"))
    except ValueError:
        raise ValidationError(f"must be a number, not {raw!r}", field=key) from None
    bounds = {"budget_percent": (0, 100), "work_hours_per_week": (0, 168), "reciprocity_months": (1, 120)}[key]
    if not bounds[0] <= number <= bounds[1] or number != number:
        raise ValidationError(f"must be from {bounds[0]} to {bounds[1]}, not {raw!r}", field=key)
    if key == "reciprocity_months":
        if number != int(number):
            raise ValidationError(f"must be a whole number of months, not {raw!r}", field=key)
        return int(number)
    return number


def cmd_config_set(args: argparse.Namespace, ctx: Context) -> int:
    key = args.key.strip().lower().replace("-", "_")
    if key not in SETTING_KEYS:
        raise ValidationError(f"unknown setting {args.key!r} (one of {', '.join(SETTING_KEYS)})", field="key")
    value = _setting_value(key, args.value)
    settings = dataclasses.replace(ctx.settings, **{key: value})
    settings.save(paths.config_path(ctx.journal_path))
    extra = f" (weekly budget {format_minutes(settings.weekly_budget_minutes) or '0m'})" if key in (
        "budget_percent", "work_hours_per_week") else ""
    print(f"{key} = {str(value).lower() if isinstance(value, bool) else value}{extra}")
    return 0
