"""What the insight commands share: the day asked for, the Insights to read, and how rows print.

Rich is imported inside the helpers; every piece of user text is printed as ``rich.text.Text``.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable, Sequence, Sized
from datetime import date
from typing import TYPE_CHECKING, Any

from netjournal.cli.context import Context
from netjournal.domain.dates import parse_date
from netjournal.domain.text import clean_line
from netjournal.errors import ValidationError

if TYPE_CHECKING:
    from rich.text import Text

    from netjournal.cli.listing import Listing
    from netjournal.domain import insights as domain_insights
    from netjournal.store.views import Insights
else:

    class _LazyInsights:
        """The insights module, imported on first use: commands that do not need it start faster."""

        def __getattr__(self, name: str) -> Any:
            from netjournal.domain import insights

            return getattr(insights, name)

    domain_insights = _LazyInsights()

__all__ = [
    "NO_PEOPLE", "bar", "check_limit", "day_asked", "domain_insights", "full_insights", "heading", "jsonable",
    "answered", "limited", "no_people", "num", "quick", "quick_today", "table", "text_cell",
]


def day_asked(args: argparse.Namespace, ctx: Context) -> date:
    now = ctx.now().date()
    on = getattr(args, "on", None)
    return parse_date(on, now, dayfirst=ctx.settings.dayfirst, field="on") if on else now


def full_insights(ctx: Context) -> Insights:
    from netjournal.store.views import Insights

    return Insights(ctx.journal(readonly=True), ctx.settings)


def quick(ctx: Context, today: date, *, favours: bool = True) -> Insights:
    """For overdue and circles: without reading the interactions when each person's latest
    date is enough (store.quick), else the full Insights."""
    from netjournal.store.quick import quick_insights

    return quick_insights(ctx.journal(readonly=True), ctx.settings, today, favours=favours) or full_insights(ctx)


def quick_today(ctx: Context, today: date) -> Insights:
    """For today and asks: reading only the interactions they need (store.quick), else the full Insights."""
    from netjournal.store.quick import today_insights

    return today_insights(ctx.journal(readonly=True), ctx.settings, today) or full_insights(ctx)


def quick_who(ctx: Context, today: date, text: str) -> Insights:
    """For who: the words counted when the snapshot was written (store.quick), else the full Insights."""
    from netjournal.store.quick import who_insights

    return who_insights(ctx.journal(readonly=True), ctx.settings, today, text) or full_insights(ctx)


def check_limit(limit: int, name: str = "limit") -> None:
    if limit < 0:
        raise ValidationError(f"must be 0 (all) or more, not {limit}", field=name)


def limited(rows: list[Any], limit: int) -> list[Any]:
    return rows[:limit] if limit else rows


def jsonable(value: Any) -> Any:
    """Dataclasses as dicts (orjson writes dates as ISO); (name, value) pairs as objects."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value):
            return {k: jsonable(v) for k, v in value}
        return [jsonable(v) for v in value]
    return value


def text_cell(value: str) -> Text:
    from rich.text import Text

    return Text(clean_line(value))


def table(*columns: str, right: Sequence[str] = ()) -> Listing:
    from netjournal.cli.listing import Listing

    return Listing(*columns, right=right)


def num(value: float) -> str:
    return f"{value:.1f}"


def bar(minutes: int, budget: int, width: int = 20) -> str:
    if budget <= 0:
        return ""
    filled = min(width, round(width * minutes / budget))
    return "█" * filled + "·" * (width - filled)


NO_PEOPLE = "no people yet: add one with netjournal contact add NAME"


def no_people(insights: Insights) -> bool:
    """True (and says how to start) when the journal has nobody in it yet."""
    if insights.contacts():
        return False
    print(NO_PEOPLE)
    return True


def answered(
    ctx: Context, args: argparse.Namespace, insights: Insights, rows: Sized, as_json: Callable[[], object], empty: str
) -> bool:
    """Whether a listing's answer is given already: as JSON (``--json``), or, with no rows, as
    the line ``empty`` (or how to start, in a journal with nobody in it)."""
    if args.json:
        ctx.print_json(as_json())
        return True
    if rows:
        return False
    if not no_people(insights):
        print(empty)
    return True


def heading(ctx: Context, title: str, note: str = "") -> None:
    from rich.text import Text

    ctx.console.print(Text.assemble((title, "bold"), (f"  {note}" if note else "", "dim")))
