"""netjournal today / overdue / who / circles / time / reciprocity / asks / snooze / config.

The measures live in :mod:`netjournal.domain.insights` and are computed through
:class:`netjournal.store.views.Insights`; this module reads the arguments of every insight
command and prints most of them (``today`` is in :mod:`.today`, ``config`` in :mod:`.settings`,
what they share in :mod:`.insight_output`). Rich is imported inside handlers; every piece of
user text is printed as ``rich.text.Text``.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta

from netjournal.cli.context import Context
from netjournal.cli.insight_output import (
    NO_PEOPLE,
    answered,
    bar,
    check_limit,
    day_asked,
    domain_insights,
    full_insights,
    heading,
    jsonable,
    limited,
    num,
    quick,
    quick_today,
    quick_who,
    table,
    text_cell,
)
from netjournal.cli.settings import SETTING_KEYS, cmd_config_set, cmd_config_show
from netjournal.cli.today import cmd_today
from netjournal.domain.dates import format_ago, format_cadence, format_minutes, parse_cadence, parse_date, spell_day
from netjournal.domain.text import clean_line, counted
from netjournal.errors import ValidationError
from netjournal.services.snooze import snooze

TIME_WEEKS = 12  # the default of `netjournal time --weeks` (domain.insights.TIME_WEEKS)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    def view(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--on", metavar="DATE", help="as it stands on this day (default: today)")
        p.add_argument("--json", action="store_true", help="print the view as JSON")
        return p

    view("today", "overdue people, follow-ups, birthdays, gestures, this week's time and whom to serve").set_defaults(
        func=cmd_today
    )

    p = view("overdue", "people past their keep-in-touch cadence, most overdue first")
    p.add_argument("--snoozed", action="store_true", help="include snoozed people")
    p.add_argument("--limit", type=int, default=0, help="at most this many (default: all)")
    p.set_defaults(func=cmd_overdue)

    p = view("who", "who knows about TEXT: tags, role, notes and interactions, ranked")
    p.add_argument("text", nargs="+", help="an interest or expertise: 'design', 'python data'")
    p.add_argument("--limit", type=int, default=20, help="at most this many (default 20; 0: all)")
    p.set_defaults(func=cmd_who)

    view("circles", "people by circle with last contact, balance and who is drifting").set_defaults(func=cmd_circles)

    p = view("time", "minutes spent with people per week against your weekly budget")
    p.add_argument("--weeks", type=int, default=TIME_WEEKS, help=f"how many weeks (default {TIME_WEEKS})")
    p.set_defaults(func=cmd_time)

    p = view("reciprocity", "weighted favours given and received per person, most one-sided first")
    p.add_argument("--months", type=int, default=0, help="the window in months (default: the setting, 12)")
    p.add_argument("--all", action="store_true", help="include dormant people (no favours in the window)")
    p.add_argument("--limit", type=int, default=0, help="at most this many (default: all)")
    p.set_defaults(func=cmd_reciprocity)

    view("asks", "open needs of the people you know, and who could help (introduction ideas)").set_defaults(
        func=cmd_asks
    )

    p = sub.add_parser("snooze", help="hide someone from the overdue list for a while")
    p.add_argument("name", help="name, alias or id")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--until", metavar="DATE", help="until this day (they come back on it)")
    when.add_argument("--for", dest="for_", metavar="DURATION", help="for 3d, 2w, 1m or 1y (default 2w)")
    when.add_argument("--clear", action="store_true", help="end the snooze now")
    p.add_argument("--json", action="store_true", help="print the updated person as JSON")
    p.set_defaults(func=cmd_snooze)

    if "config" not in sub.choices:
        p = sub.add_parser("config", help="show or change settings (weekly budget, reciprocity window, ...)")
        csub = p.add_subparsers(dest="config_command", metavar="ACTION", parser_class=type(p))
        show = csub.add_parser("show", help="print the settings")
        show.add_argument("--json", action="store_true")
        show.set_defaults(func=cmd_config_show)
        setp = csub.add_parser("set", help="change one setting: " + ", ".join(SETTING_KEYS))
        setp.add_argument("key", help=", ".join(SETTING_KEYS))
        setp.add_argument("value")
        setp.set_defaults(func=cmd_config_set)
        p.set_defaults(func=cmd_config_show, json=False)



# --- keep in touch ----------------------------------------------------------------------------------


def cmd_overdue(args: argparse.Namespace, ctx: Context) -> int:
    check_limit(args.limit)
    today = day_asked(args, ctx)
    insights = quick(ctx, today, favours=False)
    rows = limited(insights.overdue(today, snoozed=args.snoozed), args.limit)
    if answered(ctx, args, insights, rows, lambda: [{**jsonable(s), "overdue": s.overdue} for s in rows],
                "nobody is overdue"):
        return 0
    t = table("name", "circle", "every", "last contact", "overdue", "snoozed", right=("overdue",))
    for s in rows:
        t.add_row(
            text_cell(s.name), s.circle, format_cadence(s.cadence_days), format_ago(s.last_contact, today),
            f"{s.days_overdue} d", f"until {s.snoozed_until}" if s.snoozed_until else "",
        )
    ctx.console.print(t)
    return 0


def _snooze_end(args: argparse.Namespace, ctx: Context, today: date) -> date:
    if args.until:
        end = parse_date(args.until, today, dayfirst=ctx.settings.dayfirst, field="until", ahead=True)
        if end <= today:
            raise ValidationError(f"{end} is not in the future: give a later day", field="until")
        return end
    text = args.for_ or "2w"
    try:
        days = parse_cadence(text, field="for")
    except ValidationError:
        raise ValidationError(f"not a duration: {text!r} (try 3d, 2w, 1m or 1y)", field="for") from None
    if days <= 0:
        raise ValidationError(f"not a duration: {text!r} (try 3d, 2w, 1m or 1y)", field="for")
    return today + timedelta(days=days)


def cmd_snooze(args: argparse.Namespace, ctx: Context) -> int:
    today = ctx.now().date()
    end = None if args.clear else _snooze_end(args, ctx, today)  # bad input fails before the lock
    journal = ctx.journal()
    saved = snooze(journal, journal.resolve_contact(args.name).id, end)
    if args.json:
        ctx.print_json(saved.to_dict())
    elif end is None:
        print(f"{saved.name} is no longer snoozed")
    else:
        print(f"snoozed {saved.name} until {spell_day(end)}")
    return 0


# --- who, circles, time, reciprocity, asks ----------------------------------------------------------------


def cmd_who(args: argparse.Namespace, ctx: Context) -> int:
    check_limit(args.limit)
    text = " ".join(args.text)
    if not domain_insights.query_terms(text):
        raise ValidationError("give a word to look for, e.g. netjournal who design", field="text")
    today = day_asked(args, ctx)
    insights = quick_who(ctx, today, text)
    rows = insights.who(text, today, limit=args.limit or None)
    if answered(ctx, args, insights, rows, lambda: jsonable(rows), f"nobody you know mentions {text!r} yet"):
        return 0
    t = table("name", "score", "why", "last contact", right=("score",))
    for m in rows:
        t.add_row(text_cell(m.name), num(m.score), text_cell(", ".join(m.reasons)), format_ago(m.last_contact, today))
    ctx.console.print(t)
    return 0


def cmd_circles(args: argparse.Namespace, ctx: Context) -> int:
    today = day_asked(args, ctx)
    insights = quick(ctx, today)
    groups = insights.circles(today)
    if args.json:
        ctx.print_json([{**jsonable(g), "drifting": g.drifting} for g in groups])
        return 0
    from rich.text import Text

    shown = False
    for g in groups:
        if not g.members:
            continue
        if shown:
            ctx.console.print()
        shown = True
        n = len(g.members)
        heading(ctx, g.circle, f"{n} {'person' if n == 1 else 'people'}, {g.drifting} drifting")
        t = table("", "name", "last contact", "balance", "verdict", right=("balance",))
        for m in g.members:
            mark = (  # (plain strings where there is no style: the same cells, cheaper for 2,000 rows)
                Text("drifting", "yellow") if m.drifting and not m.snoozed
                else Text("snoozed", "dim") if m.snoozed
                else ""
            )
            t.add_row(mark, clean_line(m.name), format_ago(m.last_contact, today), f"{m.balance:+.1f}", m.verdict)
        ctx.console.print(t)
    if not shown:
        print(NO_PEOPLE)
    return 0


def cmd_time(args: argparse.Namespace, ctx: Context) -> int:
    if not 1 <= args.weeks <= 520:
        raise ValidationError(f"must be from 1 to 520, not {args.weeks}", field="weeks")
    today = day_asked(args, ctx)
    view = full_insights(ctx).time(today, args.weeks)
    if args.json:
        ctx.print_json({
            **jsonable(view), "this_week": view.this_week.minutes, "average": view.average, "total": view.total,
            "weeks_on_budget": view.weeks_on_budget, "budget_percent": ctx.settings.budget_percent,
        })
        return 0
    from rich.text import Text

    circles = [name for name, _ in view.by_circle]
    t = table("week of", "time", f"against {format_minutes(view.budget) or '0m'}", *circles,
               right=("time", *circles))
    for w in view.weeks:
        t.add_row(
            w.start.strftime("%d %b"), format_minutes(w.minutes) or "0m", bar(w.minutes, view.budget),
            *(format_minutes(w.circle(cn)) for cn in circles),
        )
    ctx.console.print(t)
    ctx.console.print()
    ctx.console.print(Text(
        f"this week {format_minutes(view.this_week.minutes) or '0m'}, average {format_minutes(view.average) or '0m'} "
        f"a week, budget {format_minutes(view.budget) or '0m'} ({ctx.settings.budget_percent:g}% of "
        f"{ctx.settings.work_hours_per_week:g} h); on budget {view.weeks_on_budget} of "
        f"{counted(len(view.weeks) - 1, 'full week')}"
    ))
    if not view.total:
        print(f"no time logged in these {counted(len(view.weeks), 'week')}: give it when you log, "
              'as in netjournal log "coffee with @ana 45m"')
    return 0


def cmd_reciprocity(args: argparse.Namespace, ctx: Context) -> int:
    check_limit(args.limit)
    if args.months and not 1 <= args.months <= 120:
        raise ValidationError(f"must be from 1 to 120, not {args.months}", field="months")
    today = day_asked(args, ctx)
    insights = full_insights(ctx)
    rows = limited(insights.reciprocity(today, args.months or None, dormant=args.all), args.limit)
    empty = "no favours in the window: netjournal give NAME TEXT or netjournal receive NAME TEXT"
    if answered(ctx, args, insights, rows, lambda: [jsonable(r) for r in rows], empty):
        return 0
    t = table("name", "given", "received", "balance", "verdict", "by month", right=("given", "received", "balance"))
    for r in rows:
        t.add_row(
            text_cell(r.name), num(r.given), num(r.received), f"{r.balance:+.1f}", r.verdict,
            domain_insights.balance_sparkline(r.net_by_month),
        )
    ctx.console.print(t)
    return 0


def cmd_asks(args: argparse.Namespace, ctx: Context) -> int:
    today = day_asked(args, ctx)
    insights = quick_today(ctx, today)
    asks = insights.asks(today)
    ideas = insights.help_ideas(today)
    empty = "no open needs: add one with netjournal contact edit NAME --ask TEXT"
    if answered(ctx, args, insights, asks, lambda: {"asks": jsonable(asks), "ideas": jsonable(ideas)}, empty):
        return 0
    from rich.text import Text

    by_ask: dict[domain_insights.OpenAsk, list[domain_insights.HelpIdea]] = {}
    for h in ideas:
        by_ask.setdefault(h.ask, []).append(h)
    t = table("who", "needs", "could help")
    for a in asks:
        helpers = "; ".join(f"{h.helper_name} ({', '.join(h.matched)})" for h in by_ask.get(a, []))
        t.add_row(text_cell(a.name), text_cell(a.text), text_cell(helpers) if helpers else Text("nobody yet", "dim"))
    ctx.console.print(t)
    return 0
