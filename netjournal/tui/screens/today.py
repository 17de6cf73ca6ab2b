"""``t``: Today. Whom to serve first, who is overdue, what is due in the next two weeks,
where you mostly receive, whom you could help, and this week's time against the budget.

The words are the shell's (``netjournal today``); the numbers come from Insights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.renderables.sparkline import Sparkline as SparklineRenderable
from textual.widget import Widget
from textual.widgets import Header

from netjournal.domain import insights as domain_insights
from netjournal.domain.dates import format_cadence, format_minutes, spell_day
from netjournal.domain.text import counted
from netjournal.services.snooze import SNOOZE_DAYS
from netjournal.tui.insight_data import NO_PEOPLE, TodayData, ago, in_days, load_today
from netjournal.tui.screens.insight import InsightScreen, ViewRows, view_bindings
from netjournal.tui.widgets.footer import KeyFooter
from netjournal.tui.widgets.lists import CIRCLE_SHORT
from netjournal.tui.widgets.rows import Cell, Row, blank, heading, note
from netjournal.tui.writes import Snooze

if TYPE_CHECKING:
    from netjournal.store.views import Insights

NAME_W = 20
NAME_LEAST = 12  # a narrow terminal: names narrow to this before a line loses its meaning
BAR_W = 20


def _num(value: float) -> str:
    return f"{value:.1f}"


def idea_rows(
    asks: Sequence[domain_insights.OpenAsk], ideas: Sequence[domain_insights.HelpIdea], section: str = "help"
) -> list[Row]:
    """"Whom can I help": each open need and who could help (introduction ideas)."""
    by_ask: dict[domain_insights.OpenAsk, list[domain_insights.HelpIdea]] = {}
    for h in ideas:
        by_ask.setdefault(h.ask, []).append(h)
    rows = [heading("Whom can I help", "open needs, and who you know could help: introduction ideas", section)]
    if not asks:
        rows.append(note("no open needs: add one on a person (e, then asks)", section))
    for a in asks:
        helpers = "; ".join(f"{h.helper_name} ({', '.join(h.matched)})" for h in by_ask.get(a, []))
        rows.append(Row((Cell(a.name, NAME_W), Cell(f"needs: {a.text}", 0)), a.contact_id, section))
        could = Cell(
            f"could help: {helpers}" if helpers else "nobody you know matches yet", 0, "good" if helpers else "dim"
        )
        rows.append(Row((Cell("", NAME_W), could), section=section))
    return rows


def today_rows(data: TodayData) -> list[Row]:
    view = data.view
    if not data.people:
        return [
            heading("Nobody here yet", "Today fills in as you add people and log time with them", "serve"),
            note(NO_PEOPLE, "serve"),
            note("then n logs an interaction with them, g and r a favour given or received", "serve"),
        ]
    rows: list[Row] = [heading("Serve first", "a person to serve this week, and why", "serve")]
    tip = view.suggestion
    if tip is None:
        rows.append(note("no one stands out: note someone's need (e, then asks)", "serve"))
    else:
        reasons = tip.reasons or ("",)
        rows.append(Row((Cell(tip.name, NAME_W, least=NAME_LEAST), Cell(reasons[0], 0, least=30)), tip.contact_id,
                        "serve"))
        rows += [Row((Cell("", NAME_W, least=NAME_LEAST), Cell(r, 0, "dim", least=30)), section="serve")
                 for r in reasons[1:]]
    rows.append(blank())
    rows += overdue_rows(view)
    rows += due_rows(view)
    rows += upcoming_rows(view)
    rows += gesture_rows(view)
    rows += idea_rows(data.asks, data.ideas)
    return rows


def overdue_rows(view: domain_insights.TodayView) -> list[Row]:
    today = view.today
    rows: list[Row] = []
    more = (
        f"{len(view.overdue)} of {view.overdue_total}: C shows everyone drifting"
        if view.overdue_total > len(view.overdue)
        else ""
    )
    rows.append(heading("Overdue", more or f"most overdue first · z snoozes for {SNOOZE_DAYS // 7} weeks", "overdue"))
    if not view.overdue:
        rows.append(note("nobody: you are in touch with everyone", "overdue"))
    for s in view.overdue:
        rows.append(Row((
            Cell(s.name, NAME_W, least=NAME_LEAST), Cell(CIRCLE_SHORT.get(s.circle, s.circle), 6, "dim", drop=2),
            Cell(format_cadence(s.cadence_days), 14, "dim", drop=3),
            Cell(f"seen {ago(s.last_contact, today)}" if s.last_contact else "never seen", 0, "dim", drop=1, least=17),
            Cell(f"{s.days_overdue} d overdue", 14, "warn", right=True),
        ), s.contact_id, "overdue"))
    rows.append(blank())
    return rows


def due_rows(view: domain_insights.TodayView) -> list[Row]:
    rows: list[Row] = []
    rows.append(heading("Follow-ups and birthdays", f"next {domain_insights.DUE_AHEAD_DAYS} days", "due"))
    if not view.follow_ups and not view.birthdays:
        rows.append(note("nothing due", "due"))
    for f in view.follow_ups:
        rows.append(Row((
            Cell(", ".join(f.names), NAME_W, least=NAME_LEAST),
            Cell(in_days(f.days), 12, "bad" if f.days < 0 else "accent"), Cell(f"follow up: {f.summary}", 0, least=24),
        ), f.contact_ids[0], "due", extra=f.contact_ids))
    for b in view.birthdays:
        what = f"birthday, turns {b.turns}" if b.turns is not None else "birthday"
        rows.append(
            Row(
                (Cell(b.name, NAME_W, least=NAME_LEAST), Cell(in_days(b.days), 12, "accent"),
                 Cell(f"{what} ({b.day:%a %d %b})", 0, least=24)),
                b.contact_id,
                "due",
            )
        )
    rows.append(blank())
    return rows


def gesture_rows(view: domain_insights.TodayView) -> list[Row]:
    rows: list[Row] = []
    rows.append(heading("Worth a gesture", "you mostly receive from them · favours by month", "gesture"))
    if not view.gestures:
        rows.append(note("no one-sided debts", "gesture"))
    for r in view.gestures:
        rows.append(Row((
            Cell(r.name, NAME_W), Cell(f"received {_num(r.received)} · gave {_num(r.given)}", 26),
            Cell(domain_insights.balance_sparkline(r.net_by_month), 0, "bad", drop=1),
        ), r.contact_id, "gesture"))
    rows.append(blank())
    return rows


def upcoming_rows(view: domain_insights.TodayView) -> list[Row]:
    """"Upcoming": plans (entries dated after today), soonest first."""
    more = (
        f"{len(view.upcoming)} of {view.upcoming_total}, soonest first"
        if view.upcoming_total > len(view.upcoming)
        else ""
    )
    rows = [heading("Upcoming", more or "plans: entries dated after today", "upcoming")]
    if not view.upcoming:
        rows.append(note("no plans: a line dated ahead records one (tomorrow: lunch with @ana)", "upcoming"))
    for p in view.upcoming:
        what = f"{p.kind} on {spell_day(p.day, view.today)}" + (f": {p.summary}" if p.summary else "")
        rows.append(Row((Cell(", ".join(p.names), NAME_W), Cell(in_days(p.days), 12, "accent"), Cell(what, 0)),
                        p.contact_ids[0], "upcoming", extra=p.contact_ids))
    rows.append(blank())
    return rows


def bar(minutes: int, budget: int, width: int = BAR_W) -> str:
    if budget <= 0:
        return ""
    filled = min(width, round(width * minutes / budget))
    return "█" * filled + "·" * (width - filled)


class WeekPane(Widget):
    """This week's minutes against the budget, the last twelve weeks (a sparkline), and the
    split by circle: one widget drawing one Text (a screen brought to the front restyles each
    of its widgets: the four this pane had cost about 4 ms a visit)."""

    COMPONENT_CLASSES = {"week-pane--muted", "week-pane--spark-min", "week-pane--spark-max"}
    DEFAULT_CSS = """
    WeekPane { text-wrap: nowrap; text-overflow: ellipsis; }
    WeekPane > .week-pane--muted { color: $text-muted; }
    WeekPane > .week-pane--spark-min { color: $primary 30%; }
    WeekPane > .week-pane--spark-max { color: $primary; }
    """
    SPARK_W = 36

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.shown: tuple[domain_insights.TimeInvested, float, float] | None = None

    def show_time(self, time: domain_insights.TimeInvested, percent: float, hours: float) -> None:
        if self.shown != (time, percent, hours):
            self.shown = (time, percent, hours)
            self.refresh()  # the same size: no layout

    def render(self) -> Text:
        if self.shown is None:
            return Text()
        time, percent, hours = self.shown
        week, budget = time.this_week, time.budget
        muted = Style(
            color=self.get_component_rich_style("week-pane--muted").color, dim=True
        )  # resolved: keeps the alpha
        done = week.minutes >= budget > 0
        summary = Text()
        summary.append(bar(week.minutes, budget), style="green" if done else "yellow")
        summary.append("\n")
        summary.append(f"{format_minutes(week.minutes) or '0m'} of {format_minutes(budget) or '0m'} ", style="bold")
        summary.append(f"({percent:g}% of a {hours:g} h week)\n", style="dim")
        left = budget - week.minutes
        summary.append(f"{format_minutes(left)} to go this week" if left > 0 else "budget met this week", style="dim")
        full = len(time.weeks) - 1
        axis = Text(f"{len(time.weeks)} weeks, this week last\n", style=muted)
        average = format_minutes(time.average) or "0m"
        axis.append(f"average {average} a week\non budget {time.weeks_on_budget} of {full}")
        table = self._circle_table(time)
        _, base = self.background_colors
        spark = SparklineRenderable(
            [w.minutes for w in time.weeks], width=min(self.SPARK_W, self.content_size.width), height=3,
            min_color=(base + self.get_component_styles("week-pane--spark-min").color).rich_color,
            max_color=(base + self.get_component_styles("week-pane--spark-max").color).rich_color,
        )
        console = self.app.console
        bars = Text()
        for line in console.render_lines(spark, console.options, pad=False):
            for segment in Segment.simplify(line):
                bars.append(segment.text, segment.style)
            bars.append("\n")
        # One Text: the cheapest thing for Textual to draw (a rich Group is measured line by line).
        return Text.assemble(summary, "\n\n", bars, axis, "\n\n", table, no_wrap=True, overflow="ellipsis")


    def _circle_table(self, time: domain_insights.TimeInvested) -> Text:
        """The time by circle, this week and over the weeks shown; narrower (circles
        abbreviated) where the pane has not room for the whole names."""
        name_w = max(6, min(13, self.content_size.width - 16))
        short = name_w < 13
        table = Text(f"{'by circle':<{name_w}}{'week':>6}{f'{len(time.weeks)} weeks':>10}", style="bold")
        total = dict(time.by_circle)
        for n in [n for n, _ in time.by_circle] or ["inner"]:
            name = CIRCLE_SHORT.get(n, n) if short else n
            week, weeks = format_minutes(time.this_week.circle(n)) or "·", format_minutes(total.get(n, 0)) or "·"
            table.append(f"\n{name:<{name_w}}{week:>6}{weeks:>10}")
        return table


class TodayScreen(InsightScreen):
    view_name = "today"
    data: TodayData | None = None  # what the screen shows (set on the UI thread)
    DEFAULT_CSS = """
    TodayScreen { layout: horizontal; }
    TodayScreen #today-pane { width: 1fr; height: 1fr; }
    TodayScreen #week-pane { width: 42; max-width: 36%; height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar = view_bindings(
        "today", "escape,t",
        before_log=(Binding("z", "snooze", "Snooze 2w", id="today.snooze"),),
        after_log=(
            Binding("u", "undo", "Undo", id="today.undo"),
            Binding("U,ctrl+r", "redo", "Redo", show=False, id="today.redo"),
        ),
    )

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        # The list is its own pane: no container around it (one widget fewer to restyle).
        yield ViewRows(empty_text="Working it out…", id="today-pane", classes="pane")
        yield WeekPane(id="week-pane", classes="pane")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#today-pane").border_title = f"Today · {self.today:%A} {self.today.day} {self.today:%B %Y}"
        self.query_one("#week-pane").border_title = "This week"
        self.view_list.focus()
        # (Textual calls InsightScreen.on_mount itself, after this one: not again here.)

    def compute(self, insights: Insights) -> tuple[TodayData, list[Row]]:
        data = load_today(insights, self.today)
        return data, today_rows(data)

    def show(self, data: tuple[TodayData, list[Row]]) -> None:
        today, rows = data
        self.data = today
        current = self.view_list.current
        self.view_list.show_rows(rows, current.contact_id if current else None, current.section if current else None)
        settings = self.app_services.settings
        self.query_one(WeekPane).show_time(today.time, settings.budget_percent, settings.work_hours_per_week)
        view = today.view
        self.subtitle(
            "#today-pane",
            f"{view.overdue_total} overdue · {len(view.follow_ups) + len(view.birthdays)} due · "
            f"{counted(len(today.asks), 'open need')}",
        )

    def action_snooze(self) -> None:
        row = self.view_list.current
        journal = self.writable()
        if row is not None and journal is not None:
            self.ask(Snooze(row.contact_id, self.today))

