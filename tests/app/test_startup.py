"""The first screen comes from the snapshot's lines; the history is parsed after it.

The app shows people, their days since the last interaction and the first person's entries
before the interactions are parsed; the parse, the indexes and the insight views follow in
the opening worker. What the first screen showed must agree with the parsed journal.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest
from conftest import TODAY, make_app, ready, settle

from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.main import MainScreen

ANA = "c-demo01"


def _row(app: NetjournalApp, n: int) -> str:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen.contacts.render_row(n, 60).plain


async def test_the_history_is_parsed_after_the_first_screen_and_everything_follows(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert app.journal is not None and app.journal.history_loaded
        assert app.insights is not None
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.interactions.row_count == app.journal.interaction_count(screen.selected_id)
        # The verdict comes from the insights, made after the first frame.
        assert "interdependent" in str(screen.query_one("#ledger-summary").render())
        # Today and circles were made with their data while the app was idle (t brings them up
        # without computing: see test_today's first-visit test).
        assert app.is_screen_installed("today") and app.is_screen_installed("circles")


async def test_a_stale_record_of_last_dates_is_corrected_once_the_history_is_parsed(journal_path: Path) -> None:
    """The snapshot's record of last dates is a cache: if it is wrong (here: edited by hand; it is
    outside the checksum), the parsed history wins within the first second."""
    raw = journal_path.read_bytes()
    at = raw.index(b',"interactions":')
    head = orjson.loads(raw[:at] + b"}")
    last = head["_meta"]["snapshot"]["last"]
    right = last[ANA]
    last[ANA] = "2026-10-31"  # one day before TODAY: shows as 1d
    journal_path.write_bytes(orjson.dumps(head)[:-1] + raw[at:])
    app = make_app(journal_path, label="journal.json")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await settle(pilot)
            assert "Ana Silva" in _row(app, 0)
            days = (TODAY - date.fromisoformat(right[:10])).days
            assert f"{days}d" in _row(app, 0) and " 1d" not in _row(app, 0)
    finally:
        app.close_journal()


async def test_the_entry_is_drawn_as_markdown_once_the_renderer_is_loaded(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first frame draws the entry's words as written; the opening worker loads the
    Markdown renderer after it, and the entry is drawn again."""
    import sys

    from netjournal.domain.model import Interaction
    from netjournal.store import Journal
    from netjournal.tui.widgets.panes import EntryView

    with Journal.open(journal_path, today=TODAY) as journal:
        journal.add_interaction(Interaction(date=TODAY.isoformat(), contact_ids=[ANA], text="**Signed** the lease"))
    monkeypatch.delitem(sys.modules, "rich.markdown", raising=False)  # as in a fresh process
    app = make_app(journal_path, label="journal.json")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await settle(pilot)
            entry = app.screen.query_one("#entry", EntryView)
            assert entry.plain_entry is None
            lines = [strip.text for strip in entry.render_lines(entry.region.reset_offset)]
            shown = "\n".join(lines)
            assert "Signed the lease" in shown and "**" not in shown
    finally:
        app.close_journal()


async def test_after_a_change_the_views_catch_up_in_the_background(app: NetjournalApp) -> None:
    """Opening Today a while after an edit finds its data ready (computed in a worker)."""
    from netjournal.domain.model import Interaction

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert app.journal is not None and app.insights is not None
        app.journal.add_interaction(Interaction(date=TODAY.isoformat(), contact_ids=[ANA], text="coffee"))
        await pilot.pause(1.5)
        await app.workers.wait_for_complete()
        assert app.insights.refresh() is False  # nothing left to catch up with


async def test_a_journal_opened_while_the_app_loads_is_in_the_first_frame(journal_path: Path) -> None:
    """`netjournal` opens the journal in a thread while the app's modules load (EarlyOpen): the
    main screen is composed with the data, and the rest follows as usual."""
    from netjournal.tui.state import EarlyOpen

    app = make_app(journal_path, label="journal.json", early=EarlyOpen(journal_path, TODAY))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            assert screen.contacts.row_count == 12 and "Ana Silva" in _row(app, 0)
            await settle(pilot)
            assert app.journal is not None and app.journal.history_loaded and app.insights is not None
            assert screen.interactions.row_count == app.journal.interaction_count(screen.selected_id)
    finally:
        app.close_journal()


async def test_a_journal_that_cannot_be_opened_early_ends_the_app_with_its_reason(tmp_path: Path) -> None:
    from netjournal.tui.state import EarlyOpen

    bad = tmp_path / "journal.json"
    bad.write_text("{ not json")
    app = make_app(bad, early=EarlyOpen(bad, TODAY))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
    assert app.startup_error is not None and "damaged" in app.startup_error
    assert app.return_code == 2
    assert bad.read_text() == "{ not json"  # untouched


async def test_the_collector_paused_for_the_start_up_resumes_with_the_first_frame(journal_path: Path) -> None:
    """The command pauses Python's collector while the app starts (cli/app.py); the app must
    resume it once the journal is on screen, or a long session would never free a cycle."""
    import gc

    app = make_app(journal_path, label="journal.json")
    gc.disable()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_the_app_uses_the_settings_it_is_given_and_reads_none_itself(journal_path: Path) -> None:
    """create_app builds everything from what it is given: a config file beside the journal
    (read by the command, not by the app) does not override the settings passed in."""
    from netjournal.config import Settings
    from netjournal.tui.app import create_app
    from netjournal.tui.state import JournalSource

    source = JournalSource(journal_path, label="journal.json")
    Settings(theme="nord", dayfirst=False).save(source.config_file)
    app = create_app(Settings(theme="gruvbox"), source, clock=lambda: TODAY)
    try:
        assert app.today == TODAY and app.settings.dayfirst
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            assert app.theme == "gruvbox"
    finally:
        app.close_journal()


def test_building_the_app_touches_no_file(tmp_path: Path) -> None:
    from netjournal.config import Settings
    from netjournal.tui.app import create_app
    from netjournal.tui.state import JournalSource

    create_app(Settings(), JournalSource(tmp_path / "nowhere" / "journal.json"), clock=lambda: TODAY)
    assert list(tmp_path.iterdir()) == []


async def test_a_journal_that_opens_while_the_app_closes_is_closed_not_kept(journal_path: Path) -> None:
    """(The loader owns the journal until the app closes it.) The lock is released: the
    journal opens again for writing."""
    from netjournal.config import Settings
    from netjournal.store import Journal
    from netjournal.tui.loader import JournalLoader

    app = make_app(journal_path)
    loader = JournalLoader(app, journal_path, TODAY, Settings())
    assert loader.close() is None
    late = Journal.open(journal_path, today=TODAY)
    assert not loader.keep(late) and loader.journal is None
    with Journal.open(journal_path, today=TODAY) as again:
        assert not again.readonly


async def test_the_work_after_the_first_frame_never_cancels_the_opening(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by CI on a fresh clone (once in 1,474): the opening worker had handed the journal
    over but not yet ended when the work after the first frame started, exclusive in the same
    group, and cancelled it."""
    import time

    from netjournal.tui import loader

    opening = loader.JournalLoader._open

    def slow_to_end(self: loader.JournalLoader) -> None:
        opening(self)
        time.sleep(0.5)  # the journal is handed over; this worker has not ended yet

    monkeypatch.setattr(loader.JournalLoader, "_open", slow_to_end)
    app = make_app(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)  # waits for every worker: a cancelled one raises WorkerCancelled
        assert app.loaded and not app.startup_error
        assert all(w.state.name == "SUCCESS" for w in app.workers if w.group == "open")
    app.close_journal()
