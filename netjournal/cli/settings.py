"""netjournal config show / set: the settings (weekly budget, reciprocity window, date order, theme)
and the app's keys (``keymap.<binding-id>``)."""

from __future__ import annotations

import argparse
import dataclasses
import re
from typing import Any

from netjournal import paths
from netjournal.cli.context import Context
from netjournal.domain.dates import format_minutes
from netjournal.domain.settings import bad_keys
from netjournal.errors import ValidationError

SETTING_KEYS = {
    "budget_percent": "share of working time for your network, in % (default 5)",
    "work_hours_per_week": "working hours in a week (default 40)",
    "reciprocity_months": "months of favours the reciprocity counts (default 12)",
    "dayfirst": "03/05 is 3 May: true or false",
    "theme": "the app's Textual theme",
    "keymap.<binding-id>": "the app's keys for one binding (README: Your keys); empty: back to the default",
}
KEYMAP_PREFIX = "keymap."
_BINDING_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")


def cmd_config_show(args: argparse.Namespace, ctx: Context) -> int:
    s = ctx.settings
    values = {**dataclasses.asdict(s), "weekly_budget_minutes": s.weekly_budget_minutes}
    if args.json:
        ctx.print_json(values)
        return 0
    from rich.text import Text

    keymap = values.pop("keymap")
    lines = [*values.items(), *((f"{KEYMAP_PREFIX}{k}", v) for k, v in sorted(keymap.items()))]
    for key, value in lines:
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        ctx.console.print(Text.assemble((f"{key:>22}  ", "dim"), shown))
    return 0


def _set_keys(ctx: Context, asked: str, raw: str) -> int:
    """``config set keymap.<binding-id> KEYS``: the keys of one binding (empty: its default again).
    The id's shape is checked here; whether a binding has it, the app says when it starts."""
    binding_id = asked.strip()[len(KEYMAP_PREFIX) :]
    if not _BINDING_ID.fullmatch(binding_id):
        raise ValidationError(f"not a binding id: {binding_id!r} (ids look like capture.open; README: Your keys)",
                              field="key")
    keys = [k.strip() for k in raw.split(",")]
    problem = bad_keys(raw) if raw.strip() else None
    if problem:
        raise ValidationError(problem, field="keys")
    keymap = dict(ctx.settings.keymap)
    if raw.strip():
        keymap[binding_id] = ",".join(keys)
    else:
        keymap.pop(binding_id, None)
    dataclasses.replace(ctx.settings, keymap=keymap).save(paths.config_path(ctx.journal_path))
    print(f"{KEYMAP_PREFIX}{binding_id} = {keymap[binding_id]}" if raw.strip() else
          f"{KEYMAP_PREFIX}{binding_id}: back to its default key")
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
    if args.key.strip().lower().startswith(KEYMAP_PREFIX):
        return _set_keys(ctx, args.key, args.value)
    key = args.key.strip().lower().replace("-", "_")
    if key not in SETTING_KEYS or key.startswith(KEYMAP_PREFIX):
        raise ValidationError(f"unknown setting {args.key!r} (one of {', '.join(SETTING_KEYS)})", field="key")
    value = _setting_value(key, args.value)
    settings = dataclasses.replace(ctx.settings, **{key: value})
    settings.save(paths.config_path(ctx.journal_path))
    extra = f" (weekly budget {format_minutes(settings.weekly_budget_minutes) or '0m'})" if key in (
        "budget_percent", "work_hours_per_week") else ""
    print(f"{key} = {str(value).lower() if isinstance(value, bool) else value}{extra}")
    return 0
