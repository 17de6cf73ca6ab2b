"""The journal's search as you type, on the benchmark journal: each keystroke to its results.

    .venv/bin/python bench/bench_search.py [--runs 5] [--journal PATH] [--quick] [--results FILE]

Two measures, both typing the queries of TYPED one character at a time (so each keystroke's
query is the text so far, a half-typed ``@name`` included):

1. the search alone: ``parse_query`` and ``Journal.find`` (the word index), as the app's worker
   runs them, after a first search that builds the index; medians of --runs per keystroke;
2. in the app (headless, 120x40, Pilot, today fixed at 2026-11-01): ``2`` then ``/`` in the
   interactions pane, then each key posted as the terminal driver posts it; the clock stops at
   the first refresh after the list shows the answer for the whole text typed so far (the
   worker's answer, a message, handled). The first row is ``/`` itself: the index is built
   then (once per session), while the box is empty and the pane shows everything. The floor,
   in the same app: keys typed in the contacts filter (filtered on the UI thread, in the frame
   of the key), from the key to that frame: what any keystroke costs on this machine now.

The journal comes from bench/generate.py (2,000 contacts, 100,000 interactions, 20,000
favours: texts of 14 words from a vocabulary of 37, so one letter starts a word of nearly every
text: the widest results a keystroke can have). Results go to bench/results/search.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

TODAY = date(2026, 11, 1)
FULL = (2000, 100_000, 20_000)
QUICK = (200, 10_000, 2_000)
TYPED = ["pricing coffee #design 2024..2025", "@ana-silva-1771 coff"]
FLOOR = "silva"  # typed in the contacts filter: the app's other as-you-type list, for comparison


def store_keystrokes(journal: Path, runs: int) -> tuple[float, dict[str, list[float]], dict[str, int]]:
    """(seconds of the first search, building the index; seconds per keystroke's query; matches)."""
    from netjournal.domain.query import parse_query
    from netjournal.store import Journal

    times: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    with Journal.open(journal, readonly=True, today=TODAY) as j:
        j.load_history()
        start = time.perf_counter()
        j.find(parse_query("", j.people_index()))
        first = time.perf_counter() - start
        for _ in range(runs):
            for typed in TYPED:
                for n in range(1, len(typed) + 1):
                    text = typed[:n]
                    start = time.perf_counter()
                    query = parse_query(text, j.people_index())
                    found = [] if query.error else j.find(query)
                    times.setdefault(text, []).append(time.perf_counter() - start)
                    counts[text] = len(found)
    return first, times, counts


async def app_keystrokes(journal: Path) -> tuple[float, dict[str, float], list[float]]:
    """(``/`` to the first results, seconds; each keystroke to its results drawn, seconds; the
    floor: each key of FLOOR in the contacts filter to its frame, seconds)."""
    from bench_tui import make_app
    from textual import events

    from netjournal.tui.screens.journal_search import JournalSearch
    from netjournal.tui.widgets.search import JournalSearched

    shown: dict[str, float] = {}
    original = JournalSearch.on_journal_searched

    def handled(self: JournalSearch, message: JournalSearched) -> None:
        original(self, message)
        if message.text == self.search_box.value:
            self.call_after_refresh(lambda: shown.setdefault(message.text, time.perf_counter()))

    JournalSearch.on_journal_searched = handled  # type: ignore[method-assign]
    out: dict[str, float] = {}
    floor: list[float] = []
    app: Any = make_app(journal, TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while not app.loaded:
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()  # the history and the insights, loaded at start-up
            await pilot.press("2")
            await pilot.pause(0.2)

            async def press(key: str, char: str | None, text: str) -> float:
                start = time.perf_counter()
                app.post_message(events.Key(key, char))
                while text not in shown:
                    await asyncio.sleep(0.0005)
                    if time.perf_counter() - start > 30:
                        raise TimeoutError(text)
                elapsed = shown[text] - start
                await asyncio.sleep(0.05)  # a person's next key comes later
                return elapsed

            async def filter_key(char: str, text: str) -> float:
                """The floor: a key typed in the contacts filter (filtered in the same frame)."""
                start = time.perf_counter()
                app.post_message(events.Key(char, char))
                box = app.main_screen.query_one("#filter")
                while box.value != text:
                    await asyncio.sleep(0.0005)
                done: list[float] = []
                app.screen.call_after_refresh(lambda: done.append(time.perf_counter()))
                while not done:
                    await asyncio.sleep(0.0005)
                await asyncio.sleep(0.05)
                return done[0] - start

            await pilot.press("1", "slash")
            for n, ch in enumerate(FLOOR, 1):
                floor.append(await filter_key(ch, FLOOR[:n]))
            await pilot.press("escape", "2")
            await pilot.pause(0.3)
            opened = await press("slash", "/", "")
            for typed in TYPED:
                shown.clear()
                for n, ch in enumerate(typed, 1):
                    key = {" ": "space", "@": "at", "#": "number_sign", ".": "full_stop", "-": "minus"}.get(ch, ch)
                    out[typed[:n]] = await press(key, ch, typed[:n])
                app.main_screen.search_box.value = ""
                await app.workers.wait_for_complete()
                await pilot.pause(0.3)
    finally:
        JournalSearch.on_journal_searched = original  # type: ignore[method-assign]
        app.close_journal()
    return opened, out, floor


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--journal", type=Path, help="a benchmark journal already generated (copied first)")
    ap.add_argument("--quick", action="store_true", help="a tenth of the size")
    ap.add_argument("--results", type=Path, default=HERE / "results" / "search.md")
    args = ap.parse_args()
    from generate import generate_records, write_journal

    size = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="nj-search-bench-") as folder:
        big = Path(folder) / "bench.json"
        if args.journal:
            shutil.copy(args.journal, big)
        else:
            write_journal(big, generate_records(*size, today=TODAY))
        load_before = os.getloadavg()[0]
        first, store, counts = store_keystrokes(big, args.runs)
        opened, app, floor = asyncio.run(app_keystrokes(big))
    store_med = {text: statistics.median(v) for text, v in store.items()}
    lines = [
        "# Searching the journal as you type",
        "",
        f"`python bench/bench_search.py --runs {args.runs}` on {date.today().isoformat()}: Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores (shared with other work), "
        f"load {load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after. Benchmark journal: "
        f"{size[0]:,} people, {size[1]:,} interactions, {size[2]:,} favours. Each query typed one character "
        "at a time; the search alone is `parse_query` + `Journal.find` (medians of "
        f"{args.runs} runs per keystroke); in the app, from posting the key to the first refresh showing its "
        "results (one run).",
        "",
        f"- first search of a session (builds the word index): {ms(first)} alone; `/` to the first results "
        f"in the app: {ms(opened)}",
        f"- the search alone, over {len(store_med)} keystrokes: median {ms(statistics.median(store_med.values()))}, "
        f"slowest {ms(max(store_med.values()))}",
        f"- in the app, over {len(app)} keystrokes: median {ms(statistics.median(app.values()))}, "
        f"slowest {ms(max(app.values()))}; {sum(v > 0.05 for v in app.values())} over 50 ms",
        f"- the floor, in the same app: a key typed in the contacts filter (`/` in the contacts pane, "
        f"filtered on the UI thread) to its frame, over {len(floor)} keys: median {ms(statistics.median(floor))}, "
        f"slowest {ms(max(floor))}",
        "",
        "| typed so far | matches | search alone | in the app, key to results drawn |",
        "|---|---:|---:|---:|",
    ]
    for text in store_med:
        shown = text.replace("|", "\\|")
        lines.append(f"| `{shown}` | {counts[text]:,} | {ms(store_med[text])} | {ms(app[text]) if text in app else ''} |")
    lines += [
        "",
        "Target: <= 50 ms from each keystroke to its results at 100,000 interactions; typing never waits (the "
        "search runs in a worker, a newer keystroke's search replacing an older one). A half-typed `@name` "
        "is a query that cannot run: its line says who it could be (the closest names, difflib over every "
        "name: the slower rows of the second query).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text)


if __name__ == "__main__":
    main()
