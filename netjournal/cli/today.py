"""netjournal today: overdue people, follow-ups and birthdays, plans, gestures, the week's time
and whom to serve first, one section after another."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from netjournal.cli.context import Context
from netjournal.cli.insight_output import (
    bar,
    day_asked,
    domain_insights,
    heading,
    jsonable,
    no_people,
    num,
    quick_today,
    table,
    text_cell,
)
from netjournal.domain.dates import format_ago, format_in_days, format_minutes, spell_day
from netjournal.domain.text import clean_line

if TYPE_CHECKING:
    from netjournal.domain.insights import TodayView


def cmd_today(args: argparse.Namespace, ctx: Context) -> int:
    today = day_asked(args, ctx)
    insights = quick_today(ctx, today)
    view = insights.today(today)
    if args.json:
        ctx.print_json({**jsonable(view), "budget_percent": ctx.settings.budget_percent})
        return 0
    heading(ctx, f"Today, {spell_day(today)}")
    ctx.console.print()
    if no_people(insights):
        return 0
    for section in (_overdue, _due, _upcoming, _gestures, _week, _serve_first):
        section(ctx, view)
    return 0


def _overdue(ctx: Context, view: TodayView) -> None:
    from rich.text import Text

    more = f"{view.overdue_total} in all: netjournal overdue" if view.overdue_total > len(view.overdue) else ""
    heading(ctx, "Overdue", more)
    if view.overdue:
        t = table("name", "circle", "last contact", "overdue", right=("overdue",))
        for s in view.overdue:
            t.add_row(text_cell(s.name), s.circle, format_ago(s.last_contact, view.today), f"{s.days_overdue} d")
        ctx.console.print(t)
    else:
        ctx.console.print(Text("nobody: you are in touch with everyone", "dim"))
    ctx.console.print()


def _due(ctx: Context, view: TodayView) -> None:
    """Follow-ups and birthdays."""
    from rich.text import Text

    heading(ctx, "Follow-ups and birthdays", f"next {domain_insights.DUE_AHEAD_DAYS} days")
    if view.follow_ups or view.birthdays:
        t = table("when", "who", "what")
        for f in view.follow_ups:
            t.add_row(format_in_days(f.days), text_cell(", ".join(f.names)), text_cell(f"follow up: {f.summary}"))
        for b in view.birthdays:
            what = f"birthday, turns {b.turns}" if b.turns is not None else "birthday"
            t.add_row(format_in_days(b.days), text_cell(b.name), what)
        ctx.console.print(t)
    else:
        ctx.console.print(Text("nothing due", "dim"))
    ctx.console.print()


def _upcoming(ctx: Context, view: TodayView) -> None:
    """Plans: entries dated after today, soonest first."""
    from rich.text import Text

    more = f"{len(view.upcoming)} of {view.upcoming_total}" if view.upcoming_total > len(view.upcoming) else ""
    heading(ctx, "Upcoming", more or "entries dated after today")
    if view.upcoming:
        t = table("when", "who", "what")
        for p in view.upcoming:
            what = f"{p.kind} on {spell_day(p.day, view.today)}" + (f": {p.summary}" if p.summary else "")
            t.add_row(format_in_days(p.days), text_cell(", ".join(p.names)), text_cell(what))
        ctx.console.print(t)
    else:
        ctx.console.print(Text("no plans", "dim"))
    ctx.console.print()


def _gestures(ctx: Context, view: TodayView) -> None:
    """People you mostly receive from."""
    from rich.text import Text

    heading(ctx, "Worth a gesture", "you mostly receive from them")
    if view.gestures:
        t = table("name", "received", "given", right=("received", "given"))
        for r in view.gestures:
            t.add_row(text_cell(r.name), num(r.received), num(r.given))
        ctx.console.print(t)
    else:
        ctx.console.print(Text("no one-sided debts", "dim"))
    ctx.console.print()


def _week(ctx: Context, view: TodayView) -> None:
    """This week's time against the budget."""
    from rich.text import Text

    heading(ctx, "This week")
    ctx.console.print(Text.assemble(
        bar(view.week_minutes, view.budget), "  ",
        f"{format_minutes(view.week_minutes) or '0m'} of {format_minutes(view.budget) or '0m'} "
        f"({ctx.settings.budget_percent:g}% of your working week)",
    ))
    ctx.console.print()


def _serve_first(ctx: Context, view: TodayView) -> None:
    from rich.text import Text

    heading(ctx, "Serve first")
    tip = view.suggestion
    if tip is None:
        ctx.console.print(Text("no one stands out: log a need with netjournal contact edit NAME --ask TEXT", "dim"))
    else:
        ctx.console.print(Text.assemble((clean_line(tip.name), "bold"), ": ", clean_line("; ".join(tip.reasons))))
