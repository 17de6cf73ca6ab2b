"""Opening the insight views: ``t`` Today, ``C`` circles, ``w`` who knows what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from netjournal.tui.app_services import services

if TYPE_CHECKING:
    from textual.app import App

    from netjournal.store.views import Insights
    from netjournal.tui.screens.insight import InsightScreen
    from netjournal.tui.screens.journal_panes import JournalPanes

VIEWS = ("today", "circles", "who")


def make_view(name: str, today: date) -> InsightScreen:
    if name == "today":
        from netjournal.tui.screens.today import TodayScreen

        return TodayScreen(today=today)
    if name == "circles":
        from netjournal.tui.screens.circles import CirclesScreen

        return CirclesScreen(today=today)
    if name == "who":
        from netjournal.tui.screens.who import WhoScreen

        return WhoScreen(today=today)
    raise ValueError(f"no view named {name!r}")


def installed(app: App[Any], name: str, today: date) -> str:
    """The view's screen name, building it on first use. Views are installed, so going back
    keeps them composed: the next visit only swaps screens and, if the journal changed,
    recomputes (composing a screen with its footer costs more than the data)."""
    if not app.is_screen_installed(name):
        app.install_screen(make_view(name, today), name)
    return name


def open_view(main: JournalPanes, name: str) -> None:
    """Push the view over the main screen (once the journal is open)."""
    if main.journal is None:
        main.notify("The journal is still opening…", severity="warning")
        return
    bring_view(main.app, name, main.today, main.app.push_screen)


def bring_view(app: App[Any], name: str, today: date, swap: Callable[[str], object]) -> None:
    """Bring the view ``name`` to the front with ``swap`` (push, or switch from another view).
    A view built before comes with the journal as it is (see ``InsightScreen.bring``); a new
    one first gets its data in a worker, so its first frame shows it (composing a screen and
    drawing it again when a worker delivers costs twice). The swap is dropped if another screen
    came to the front meanwhile (a key was pressed)."""
    from functools import partial

    from netjournal.tui.screens.insight import InsightScreen

    insights, journal = services(app).insights, services(app).journal
    if app.is_screen_installed(name) or insights is None or journal is None:
        target = installed(app, name, today)
        view = app.get_screen(target)
        if isinstance(view, InsightScreen):
            view.bring(partial(swap, target))
        else:
            swap(target)
        return
    new = make_view(name, today)
    origin = app.screen

    def ready(data: Any, revision: int) -> None:
        if not app.is_screen_installed(name):
            if data is not None:
                new.preload(data, revision)
            app.install_screen(new, name)
        if app.screen is origin:
            swap(name)

    def fetch() -> None:
        revision = journal.revision
        try:
            data = new.compute(insights)
        except Exception:  # the view computes again when it mounts, and says what went wrong
            data = None
        app.call_from_thread(partial(ready, data, revision))

    app.run_worker(fetch, thread=True, group="insight-view-first", exclusive=True, exit_on_error=False)


def preinstall(main: JournalPanes, insights: Insights, names: tuple[str, ...] = ("today", "circles")) -> None:
    """Make the views a person opens most, with their data, while the app is idle after
    start-up: the first ``t`` then pushes a view that draws its data in its first frame,
    without a round trip to a worker."""
    app = main.app
    journal = main.journal
    if journal is None:
        return
    for name in names:
        if app.is_screen_installed(name):
            continue
        view = make_view(name, main.today)
        try:
            view.preload(view.compute(insights), journal.revision)  # cached by the warm-up: cheap
        except Exception:  # the view computes again when it mounts, and says what went wrong
            pass
        app.install_screen(view, name)


def view_sections() -> list[tuple[str, list[Any]]]:
    """The help screen's sections for the insight views."""
    from netjournal.tui.screens.circles import CirclesScreen
    from netjournal.tui.screens.today import TodayScreen
    from netjournal.tui.screens.who import WhoInput, WhoScreen
    from netjournal.tui.widgets.rows import RowList

    return [
        ("Today (t)", TodayScreen.BINDINGS),
        ("Circles (C)", CirclesScreen.BINDINGS),
        ("Who knows what (w)", [*WhoScreen.BINDINGS, *WhoInput.BINDINGS]),
        ("In a view's list", RowList.BINDINGS),
    ]
