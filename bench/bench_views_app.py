"""The app's Today view on the benchmark journal: from pressing ``t`` to the view showing data.

    .venv/bin/python bench/bench_views_app.py [--runs 7] [--journal PATH] [--quick]
        [--save-json FILE] [--before FILE] [--code DIR]

In-process and headless (Textual's Pilot, 120x40, today fixed at 2026-11-01). The app opens
the journal, warms the insights in a worker, then, per run, ``t`` is pressed and the clock
stops at the first refresh after the view received its data (the worker computed it from
Insights, cached by the journal's revision) and the screen refreshed (the key is posted as the
terminal driver posts it, as bench_tui.py does); ``escape`` goes back.
The view stays installed, so a visit with nothing changed only swaps screens. Measured:

1. warm: Today visited again with nothing changed (the cache answers);
2. after one added interaction: an interaction is logged (through the Journal, as the editor
   does) before each visit, so Insights catches up with one change and recomputes.

The baseline is the same keys on the demo journal (12 people, 54 interactions), in the same
run. The journal comes from bench/generate.py (2,000 contacts, 100,000 interactions, 20,000
favours); results go to bench/results/views_app.md. Medians of --runs (>= 5).

Before and after a change: ``--code DIR`` measures the netjournal package found in DIR (for
example ``git archive COMMIT | tar -x -C DIR``) and ``--save-json FILE`` keeps the medians;
a later run with ``--before FILE`` adds them to the table, with the ratio after/before.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

TODAY = date(2026, 11, 1)
FULL = (2000, 100_000, 20_000)
QUICK = (200, 10_000, 2_000)


def _stamp(into: list[float]) -> None:
    into.append(time.perf_counter())


async def press_t(app: Any) -> float:
    """Post ``t`` as the terminal driver does; the seconds to the first refresh once Today is in
    front showing the journal as it is (a revisit with nothing changed draws from Textual's
    cache, so the clock stops at that refresh, not a list line)."""
    from textual import events

    from netjournal.tui.screens.today import TodayScreen

    assert app.journal is not None
    start = time.perf_counter()
    app.post_message(events.Key("t", "t"))
    while not (isinstance(app.screen, TodayScreen) and app.screen.shown_revision == app.journal.revision):
        await asyncio.sleep(0.0005)
    stamps: list[float] = []
    app.screen.call_after_refresh(partial(_stamp, stamps))
    while not stamps:
        await asyncio.sleep(0.0005)
    return stamps[0] - start


async def measure(journal: Path, runs: int) -> dict[str, list[float]]:
    from bench_tui import make_app
    from textual.app import ComposeResult
    from textual.screen import Screen
    from textual.widget import Widget
    from textual.widgets import Header, Static

    from netjournal.domain.model import Interaction
    from netjournal.tui.screens.today import TodayScreen

    footer: type[Widget]
    try:
        from netjournal.tui.widgets.footer import KeyFooter as footer  # the app's footer
    except ImportError:  # --code: a checkout from before it
        from textual.widgets import Footer as footer

    class Floor(Screen[None]):
        """The floor: an installed screen with a header and the app's footer, no data."""

        BINDINGS = TodayScreen.BINDINGS

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("floor")
            yield footer()

    delivered = [0.0]
    original = TodayScreen.show

    def show(self: TodayScreen, data: object) -> None:
        original(self, data)  # type: ignore[arg-type]
        delivered[0] = time.perf_counter()

    TodayScreen.show = show  # type: ignore[method-assign]
    out: dict[str, list[float]] = {
        "open": [], "warm-up": [], "first": [], "warm": [], "changed": [], "changed-data": [], "floor": [],
    }
    app = make_app(journal, TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            start = time.perf_counter()
            while not app.loaded:
                await pilot.pause(0.005)
            out["open"].append(time.perf_counter() - start)
            start = time.perf_counter()
            while app.insights is None:  # made in a worker started once the first frame is drawn
                await pilot.pause(0.005)
            await app.workers.wait_for_complete()  # the insights warm-up
            out["warm-up"].append(time.perf_counter() - start)

            async def visit() -> float:
                """Post ``t`` as the terminal driver does; stop at the first refresh once the view
                is in front showing the journal as it is (a revisit with nothing changed draws
                from Textual's cache, so the clock stops at that refresh, not a list line)."""
                elapsed = await press_t(app)
                await pilot.press("escape")
                await app.workers.wait_for_complete()
                await pilot.pause(0.1)
                return elapsed

            out["first"].append(await visit())
            for _ in range(runs):
                out["warm"].append(await visit())
            assert app.journal is not None
            people = [c.id for c in app.journal.contacts()][:runs]
            for cid in people:
                app.journal.add_interaction(Interaction(date=TODAY.isoformat(), contact_ids=[cid], kind="call", minutes=20))
                start = time.perf_counter()
                out["changed"].append(await visit())
                out["changed-data"].append(delivered[0] - start)
            app.install_screen(Floor(), "floor")
            for _ in range(runs):
                start = time.perf_counter()
                app.push_screen("floor")
                floor_done: list[float] = []
                while not isinstance(app.screen, Floor):
                    await asyncio.sleep(0.0005)
                app.screen.call_after_refresh(partial(floor_done.append, 0.0))
                while not floor_done:
                    await asyncio.sleep(0.0005)
                out["floor"].append(time.perf_counter() - start)
                await pilot.press("escape")
                app.pop_screen() if isinstance(app.screen, Floor) else None
                await pilot.pause(0.1)
    finally:
        TodayScreen.show = original  # type: ignore[method-assign]
        app.close_journal()
    return out


async def first_visits(journal: Path, count: int) -> list[float]:
    """The first visit of Today in ``count`` more fresh apps (one per app: it happens once)."""

    from bench_tui import make_app

    out: list[float] = []
    for _ in range(count):
        app = make_app(journal, TODAY)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                while app.insights is None:  # made in a worker started once the first frame is drawn
                    await pilot.pause(0.005)
                await app.workers.wait_for_complete()
                await pilot.pause(0.5)
                out.append(await press_t(app))
                await pilot.press("q")
        finally:
            app.close_journal()
    return out


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--journal", type=Path, help="a benchmark journal already generated (copied first)")
    ap.add_argument("--quick", action="store_true", help="a tenth of the size")
    ap.add_argument("--first-visits", type=int, default=5, help="fresh apps whose first visit is timed")
    ap.add_argument("--results", type=Path, default=HERE / "results" / "views_app.md")
    ap.add_argument("--save-json", type=Path, help="also write the medians (ms) to this file")
    ap.add_argument("--before", type=Path, help="medians saved by --save-json: add them as a 'before' column")
    ap.add_argument("--code", type=Path, help="measure the netjournal package in this folder (another checkout)")
    args = ap.parse_args()
    if args.runs < 5:
        ap.error("--runs must be 5 or more")
    if args.code:
        sys.path.insert(0, str(args.code.resolve()))
    before: dict[str, float] = json.loads(args.before.read_text()) if args.before else {}
    import shutil

    from generate import generate_records, write_journal

    from netjournal.demo import build_demo
    from netjournal.store import Journal

    with tempfile.TemporaryDirectory(prefix="nj-views-bench-") as folder:
        big = Path(folder) / "bench.json"
        if args.journal:
            shutil.copy(args.journal, big)
        else:
            write_journal(big, generate_records(*(QUICK if args.quick else FULL), today=TODAY))
        demo = Path(folder) / "demo.json"
        with Journal.open(demo, today=TODAY) as j:
            build_demo(j, TODAY)
        load_before = os.getloadavg()[0]
        base = asyncio.run(measure(demo, args.runs))
        result = asyncio.run(measure(big, args.runs))
        base["first"] += asyncio.run(first_visits(demo, args.first_visits - 1))
        result["first"] += asyncio.run(first_visits(big, args.first_visits - 1))

    size = QUICK if args.quick else FULL
    rows = [
        ("insights warm-up after opening (worker)", "warm-up"),
        ("`t` -> Today with data, first visit (after warm-up)", "first"),
        ("`t` -> Today with data, warm (visited before)", "warm"),
        ("`t` -> Today with data, after one added interaction", "changed"),
        ("  of which: `t` -> the view has its new data (worker done)", "changed-data"),
        ("floor: swap to an installed empty screen with header and footer", "floor"),
    ]
    medians = {key: statistics.median(result[key]) * 1000 for _, key in rows}
    if args.save_json:
        args.save_json.write_text(json.dumps(medians, indent=1) + "\n")
    lines = [
        "# The Today view in the app",
        "",
        f"`python bench/bench_views_app.py --runs {args.runs}` on {date.today().isoformat()}: Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores (shared with other work), "
        f"load {load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after. Headless at 120x40; time from "
        "posting `t` (as the terminal driver does) to the first refresh once the view is in front showing the "
        f"journal as it is. Medians of {args.runs} runs (one run for open and warm-up; the first visit in "
        f"{args.first_visits} fresh apps).",
        "",
        f"| measure | benchmark journal ({size[0]:,} people, {size[1]:,} interactions, {size[2]:,} favours) "
        "| demo journal (baseline) | ratio |" + (" before (--before) | after/before |" if before else ""),
        "|---|---:|---:|---:|" + ("---:|---:|" if before else ""),
    ]
    for label, key in rows:
        b, r = statistics.median(base[key]), statistics.median(result[key])
        line = f"| {label} | {ms(result[key])} | {ms(base[key])} | " + (f"{r / b:.1f}x |" if b > 0.0005 else "|")
        if before:
            was = before.get(key)
            line += f" {was:.1f} ms | {r * 1000 / was:.2f}x |" if was else " | |"
        lines.append(line)
    lines += [
        "",
        "Target: <= 100 ms for the Today view once warm and after one change. A view visited before stays "
        "installed: with nothing changed, `t` only swaps screens (the warm row; the floor row is a bare "
        "screen with a header and the app's footer). After a change the view first asks Insights for its "
        "new data (the 'of which' row: from the key to the data, computed in a worker) and comes to the "
        "front when it has it (0.1 s at most; past that it shows the old data until the new arrives), so it "
        "is restyled and drawn once; the rest of the row is Textual restyling the screen's widgets and "
        "drawing the rows that changed. The first computation over the big journal runs in a worker as "
        "soon as the journal opens (the warm-up row), so the first visit after start-up finds it done; a "
        "visit during the warm-up shows \"Working it out…\" until it is, and the UI stays responsive. "
        "The machine is shared: back-to-back runs of the same code differ by up to a third, so compare "
        "figures measured in one session.",
        "",
        "Every run of the changed row adds one interaction through the Journal (as the editor does); "
        "Insights applies the change the Journal published (Journal.changes_since) and recomputes only the "
        "people touched.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text)


if __name__ == "__main__":
    main()
