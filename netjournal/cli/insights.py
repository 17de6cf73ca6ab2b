"""netjournal today / overdue / who / circles / time / reciprocity / asks / snooze / config.

The measures live in :mod:`netjournal.domain.insights` and are computed through
:class:`netjournal.store.views.Insights`; this module only reads arguments and prints. Rich
is imported inside handlers; every piece of user text is printed as ``rich.text.Text``.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from netjournal.cli.context import Context
from netjournal.domain.dates import (
    format_ago,
    format_cadence,
    format_in_days,
    format_minutes,
    parse_cadence,
    parse_date,
    spell_day,
)
from netjournal.domain.text import clean_line, counted
from netjournal.errors import ValidationError

if TYPE_CHECKING:
    from netjournal.domain import insights as ins
else:

    class _LazyInsights:
        """The insights module, imported on first use: commands that do not need it start faster."""

        def __getattr__(self, name: str) -> Any:
            from netjournal.domain import insights

            return getattr(insights, name)

    ins = _LazyInsights()

TIME_WEEKS = 12  # the default of `netjournal time --weeks` (domain.insights.TIME_WEEKS)

if TYPE_CHECKING:
    from rich.text import Text

    from netjournal.cli.listing import Listing
    from netjournal.store.views import Insights

SETTING_KEYS = {
    "budget_percent": "share of working time for your network, in % (default 5)",
    "work_hours_per_week": "working hours in a week (default 40)",
    "reciprocity_months": "months of favours the reciprocity counts (default 12)",
    "dayfirst": "03/05 is 3 May: true or false",
    "theme": "the app's Textual theme",
}


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


# --- helpers -------------------------------------------------------------------------------------


def _today(args: argparse.Namespace, ctx: Context) -> date:
    now = ctx.now().date()
    on = getattr(args, "on", None)
    return parse_date(on, now, dayfirst=ctx.settings.dayfirst, field="on") if on else now


def _insights(ctx: Context) -> Insights:
    from netjournal.store.views import Insights

    return Insights(ctx.journal(readonly=True), ctx.settings)


def _quick(ctx: Context, today: date, *, favours: bool = True) -> Insights:
    """For overdue and circles: without reading the interactions when each person's latest
    date is enough (store.quick), else the full Insights."""
    from netjournal.store.quick import quick_insights

    return quick_insights(ctx.journal(readonly=True), ctx.settings, today, favours=favours) or _insights(ctx)


def _quick_today(ctx: Context, today: date) -> Insights:
    """For today and asks: reading only the interactions they need (store.quick), else the full Insights."""
    from netjournal.store.quick import today_insights

    return today_insights(ctx.journal(readonly=True), ctx.settings, today) or _insights(ctx)


def _check_limit(limit: int, name: str = "limit") -> None:
    if limit < 0:
        raise ValidationError(f"must be 0 (all) or more, not {limit}", field=name)


def _limit(rows: list[Any], limit: int) -> list[Any]:
    return rows[:limit] if limit else rows


def _jsonable(value: Any) -> Any:
    """Dataclasses as dicts (orjson writes dates as ISO); (name, value) pairs as objects."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value):
            return {k: _jsonable(v) for k, v in value}
        return [_jsonable(v) for v in value]
    return value


def _text(value: str) -> Text:
    from rich.text import Text

    return Text(clean_line(value))


def _table(*columns: str, right: Sequence[str] = ()) -> Listing:
    from netjournal.cli.listing import Listing

    return Listing(*columns, right=right)


_ago = format_ago
_in_days = format_in_days


def _num(value: float) -> str:
    return f"{value:.1f}"


def _bar(minutes: int, budget: int, width: int = 20) -> str:
    if budget <= 0:
        return ""
    filled = min(width, round(width * minutes / budget))
    return "█" * filled + "·" * (width - filled)


NO_PEOPLE = "no people yet: add one with netjournal contact add NAME"


def _no_people(insights: Insights) -> bool:
    """True (and says how to start) when the journal has nobody in it yet."""
    if insights.contacts():
        return False
    print(NO_PEOPLE)
    return True


def _heading(ctx: Context, title: str, note: str = "") -> None:
    from rich.text import Text

    ctx.console.print(Text.assemble((title, "bold"), (f"  {note}" if note else "", "dim")))


# --- today ------------------------------------------------------------------------------------------


def cmd_today(args: argparse.Namespace, ctx: Context) -> int:
    today = _today(args, ctx)
    insights = _quick_today(ctx, today)
    view = insights.today(today)
    if args.json:
        ctx.print_json({**_jsonable(view), "budget_percent": ctx.settings.budget_percent})
        return 0
    from rich.text import Text

    c = ctx.console
    _heading(ctx, f"Today, {spell_day(today)}")
    c.print()
    if _no_people(insights):
        return 0
    more = f"{view.overdue_total} in all: netjournal overdue" if view.overdue_total > len(view.overdue) else ""
    _heading(ctx, "Overdue", more)
    if view.overdue:
        t = _table("name", "circle", "last contact", "overdue", right=("overdue",))
        for s in view.overdue:
            t.add_row(_text(s.name), s.circle, _ago(s.last_contact, today), f"{s.days_overdue} d")
        c.print(t)
    else:
        c.print(Text("nobody: you are in touch with everyone", "dim"))
    c.print()
    _heading(ctx, "Follow-ups and birthdays", f"next {ins.DUE_AHEAD_DAYS} days")
    if view.follow_ups or view.birthdays:
        t = _table("when", "who", "what")
        for f in view.follow_ups:
            t.add_row(_in_days(f.days), _text(", ".join(f.names)), _text(f"follow up: {f.summary}"))
        for b in view.birthdays:
            what = f"birthday, turns {b.turns}" if b.turns is not None else "birthday"
            t.add_row(_in_days(b.days), _text(b.name), what)
        c.print(t)
    else:
        c.print(Text("nothing due", "dim"))
    c.print()
    _upcoming(ctx, view)
    _heading(ctx, "Worth a gesture", "you mostly receive from them")
    if view.gestures:
        t = _table("name", "received", "given", right=("received", "given"))
        for r in view.gestures:
            t.add_row(_text(r.name), _num(r.received), _num(r.given))
        c.print(t)
    else:
        c.print(Text("no one-sided debts", "dim"))
    c.print()
    _heading(ctx, "This week")
    c.print(Text.assemble(
        _bar(view.week_minutes, view.budget), "  ",
        f"{format_minutes(view.week_minutes) or '0m'} of {format_minutes(view.budget) or '0m'} "
        f"({ctx.settings.budget_percent:g}% of your working week)",
    ))
    c.print()
    _heading(ctx, "Serve first")
    tip = view.suggestion
    if tip is None:
        c.print(Text("no one stands out: log a need with netjournal contact edit NAME --ask TEXT", "dim"))
    else:
        c.print(Text.assemble((clean_line(tip.name), "bold"), ": ", clean_line("; ".join(tip.reasons))))
    return 0


def _upcoming(ctx: Context, view: ins.TodayView) -> None:
    """Plans: entries dated after today, soonest first."""
    from rich.text import Text

    more = f"{len(view.upcoming)} of {view.upcoming_total}" if view.upcoming_total > len(view.upcoming) else ""
    _heading(ctx, "Upcoming", more or "entries dated after today")
    if view.upcoming:
        t = _table("when", "who", "what")
        for p in view.upcoming:
            what = f"{p.kind} on {spell_day(p.day, view.today)}" + (f": {p.summary}" if p.summary else "")
            t.add_row(_in_days(p.days), _text(", ".join(p.names)), _text(what))
        ctx.console.print(t)
    else:
        ctx.console.print(Text("no plans", "dim"))
    ctx.console.print()


# --- keep in touch ----------------------------------------------------------------------------------


def cmd_overdue(args: argparse.Namespace, ctx: Context) -> int:
    _check_limit(args.limit)
    today = _today(args, ctx)
    insights = _quick(ctx, today, favours=False)
    rows = _limit(insights.overdue(today, snoozed=args.snoozed), args.limit)
    if args.json:
        ctx.print_json([{**_jsonable(s), "overdue": s.overdue} for s in rows])
        return 0
    if not rows and _no_people(insights):
        return 0
    if not rows:
        print("nobody is overdue")
        return 0
    t = _table("name", "circle", "every", "last contact", "overdue", "snoozed", right=("overdue",))
    for s in rows:
        t.add_row(
            _text(s.name), s.circle, format_cadence(s.cadence_days), _ago(s.last_contact, today),
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
    person = journal.resolve_contact(args.name)
    person.snoozed_until = end.isoformat() if end else ""
    saved = journal.update_contact(person)
    if args.json:
        ctx.print_json(saved.to_dict())
    elif end is None:
        print(f"{saved.name} is no longer snoozed")
    else:
        print(f"snoozed {saved.name} until {spell_day(end)}")
    return 0


# --- who, circles, time, reciprocity, asks ----------------------------------------------------------------


def cmd_who(args: argparse.Namespace, ctx: Context) -> int:
    _check_limit(args.limit)
    text = " ".join(args.text)
    if not ins.query_terms(text):
        raise ValidationError("give a word to look for, e.g. netjournal who design", field="text")
    today = _today(args, ctx)
    insights = _insights(ctx)
    rows = insights.who(text, today, limit=args.limit or None)
    if args.json:
        ctx.print_json(_jsonable(rows))
        return 0
    if not rows and _no_people(insights):
        return 0
    if not rows:
        print(f"nobody you know mentions {text!r} yet")
        return 0
    t = _table("name", "score", "why", "last contact", right=("score",))
    for m in rows:
        t.add_row(_text(m.name), _num(m.score), _text(", ".join(m.reasons)), _ago(m.last_contact, today))
    ctx.console.print(t)
    return 0


def cmd_circles(args: argparse.Namespace, ctx: Context) -> int:
    today = _today(args, ctx)
    insights = _quick(ctx, today)
    groups = insights.circles(today)
    if args.json:
        ctx.print_json([{**_jsonable(g), "drifting": g.drifting} for g in groups])
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
        _heading(ctx, g.circle, f"{n} {'person' if n == 1 else 'people'}, {g.drifting} drifting")
        t = _table("", "name", "last contact", "balance", "verdict", right=("balance",))
        for m in g.members:
            mark = Text("drifting", "yellow") if m.drifting and not m.snoozed else Text("snoozed", "dim") if m.snoozed else Text("")
            t.add_row(mark, _text(m.name), _ago(m.last_contact, today), f"{m.balance:+.1f}", m.verdict)
        ctx.console.print(t)
    if not shown:
        print(NO_PEOPLE)
    return 0


def cmd_time(args: argparse.Namespace, ctx: Context) -> int:
    if not 1 <= args.weeks <= 520:
        raise ValidationError(f"must be from 1 to 520, not {args.weeks}", field="weeks")
    today = _today(args, ctx)
    view = _insights(ctx).time(today, args.weeks)
    if args.json:
        ctx.print_json({
            **_jsonable(view), "this_week": view.this_week.minutes, "average": view.average, "total": view.total,
            "weeks_on_budget": view.weeks_on_budget, "budget_percent": ctx.settings.budget_percent,
        })
        return 0
    from rich.text import Text

    circles = [name for name, _ in view.by_circle]
    t = _table("week of", "time", f"against {format_minutes(view.budget) or '0m'}", *circles,
               right=("time", *circles))
    for w in view.weeks:
        t.add_row(
            w.start.strftime("%d %b"), format_minutes(w.minutes) or "0m", _bar(w.minutes, view.budget),
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
    _check_limit(args.limit)
    if args.months and not 1 <= args.months <= 120:
        raise ValidationError(f"must be from 1 to 120, not {args.months}", field="months")
    today = _today(args, ctx)
    insights = _insights(ctx)
    rows = _limit(insights.reciprocity(today, args.months or None, dormant=args.all), args.limit)
    if args.json:
        ctx.print_json([_jsonable(r) for r in rows])
        return 0
    if not rows and _no_people(insights):
        return 0
    if not rows:
        print("no favours in the window: netjournal give NAME TEXT or netjournal receive NAME TEXT")
        return 0
    t = _table("name", "given", "received", "balance", "verdict", "by month", right=("given", "received", "balance"))
    for r in rows:
        t.add_row(
            _text(r.name), _num(r.given), _num(r.received), f"{r.balance:+.1f}", r.verdict, ins.balance_sparkline(r.net_by_month)
        )
    ctx.console.print(t)
    return 0


def cmd_asks(args: argparse.Namespace, ctx: Context) -> int:
    today = _today(args, ctx)
    insights = _quick_today(ctx, today)
    asks = insights.asks(today)
    ideas = insights.help_ideas(today)
    if args.json:
        ctx.print_json({"asks": _jsonable(asks), "ideas": _jsonable(ideas)})
        return 0
    from rich.text import Text

    if not asks and _no_people(insights):
        return 0
    if not asks:
        print("no open needs: add one with netjournal contact edit NAME --ask TEXT")
        return 0
    by_ask: dict[ins.OpenAsk, list[ins.HelpIdea]] = {}
    for h in ideas:
        by_ask.setdefault(h.ask, []).append(h)
    t = _table("who", "needs", "could help")
    for a in asks:
        helpers = "; ".join(f"{h.helper_name} ({', '.join(h.matched)})" for h in by_ask.get(a, []))
        t.add_row(_text(a.name), _text(a.text), _text(helpers) if helpers else Text("nobody yet", "dim"))
    ctx.console.print(t)
    return 0


# --- settings -----------------------------------------------------------------------------------------------


def cmd_config_show(args: argparse.Namespace, ctx: Context) -> int:
    s = ctx.settings
    values = {**dataclasses.asdict(s), "weekly_budget_minutes": s.weekly_budget_minutes}
    if args.json:
        ctx.print_json(values)
        return 0
    from rich.text import Text

    for key, value in values.items():
        ctx.console.print(Text.assemble((f"{key:>22}  ", "dim"), str(value).lower() if isinstance(value, bool) else str(value)))
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
    from netjournal import paths

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
