"""The app's benchmark: first frame with data, and a keystroke in the contacts filter.

    .venv/bin/python bench/bench_tui.py [--runs 5] [--start-runs 10] [--quick]

1. Start-up, measured from outside. Each run starts a fresh process in a pseudo-terminal
   (120x40) and records the wall-clock time from spawning it to the moment its output first
   holds a text that only a frame with data draws (the contacts pane's "· by name"); then it
   presses q. The floor is an empty Textual app timed the same way (to its one text),
   interleaved in the same run; netjournal on an empty journal is shown too.
2. Keystrokes (in-process, headless, 120x40): the time from a key press in the contacts filter
   to the last redraw of the contacts list, and from ``j`` in the interactions list (everyone,
   100,000 rows) to its redraw; the same keys on an empty journal are the baseline.

The seeded journal (bench/generate.py) is written once to --cache; results go to
bench/results/tui.md (or --results). Start-up figures are medians of --start-runs (>= 5;
this machine's start-ups vary by +-20% from run to run), the others of --runs (>= 5).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import platform
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

FULL = (2000, 100_000, 20_000)
QUICK = (200, 10_000, 2_000)
DATA_SHOWN = b"\xc2\xb7 by name"  # the contacts pane's subtitle, drawn with the journal's people
FLOOR_SHOWN = b"floor-ready"
FLOOR_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Floor(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Static("floor-ready")
        yield Footer()

Floor().run()
"""


# ------------------------------------------------------------------ start-up in a pty
def _watch(fd: int, marker: bytes, seen: threading.Event, at: list[float]) -> None:
    """Read the terminal's output until it ends; note when ``marker`` first appears."""
    tail = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        if not seen.is_set():
            tail = tail[-len(marker):] + chunk
            if marker in tail:
                at.append(time.time())
                seen.set()


def first_frame(argv: list[str], env: dict[str, str], marker: bytes) -> float:
    """Seconds from spawning ``argv`` in a 120x40 pseudo-terminal to ``marker`` in its output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen, at = threading.Event(), list[float]()
    reader = threading.Thread(target=_watch, args=(master, marker, seen, at), daemon=True)
    reader.start()
    start = time.time()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    try:
        seen.wait(timeout=60)
        os.write(master, b"q")  # quit as a person does: the journal closes cleanly
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    if not at:
        raise RuntimeError(f"{argv} exited with {proc.returncode} without drawing data")
    return at[0] - start


def startup(journal: Path, runs: int, work: Path) -> dict[str, list[float]]:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    results: dict[str, list[float]] = {"floor": [], "empty": [], "big": []}
    for n in range(runs + 1):  # the first round warms the disk cache and takes the day's backup
        empty = work / f"empty-{n}" / "journal.json"
        times = {
            "floor": first_frame([sys.executable, "-c", FLOOR_APP], env, FLOOR_SHOWN),
            "empty": first_frame([sys.executable, "-m", "netjournal", "--journal", str(empty)], env, DATA_SHOWN),
            "big": first_frame([sys.executable, "-m", "netjournal", "--journal", str(journal)], env, DATA_SHOWN),
        }
        if n:
            for key, value in times.items():
                results[key].append(value)
        print(f"  run {n}: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in times.items()), flush=True)
    return results


# ------------------------------------------------------------------ keystrokes, in-process
def make_app(journal: Path, today: date) -> Any:
    """The app as the command builds it (``create_app(settings, source, clock)``; before the
    rebuild, ``create_app(path, today=...)``: --code may point at an older package)."""
    from netjournal.tui.app import create_app

    try:
        from netjournal.config import Settings
        from netjournal.tui.state import JournalSource
    except ImportError:
        return create_app(journal, today=today)  # type: ignore[call-arg,arg-type]
    source = JournalSource(journal)
    return create_app(Settings.load(source.config_file), source, clock=lambda: today)



async def keystrokes(journal: Path, today: date) -> dict[str, list[float]]:
    from textual import events

    from netjournal.tui.widgets.lists import ContactList, InteractionList

    drawn: dict[str, float] = {}

    def timed(cls: Any, key: str) -> None:
        original = cls.render_line

        def render_line(self: object, y: int) -> object:
            result = original(self, y)
            drawn[key] = time.perf_counter()
            return result

        cls.render_line = render_line

    timed(ContactList, "contacts")
    timed(InteractionList, "interactions")
    app = make_app(journal, today)
    out: dict[str, list[float]] = {"filter": [], "move": [], "filter_settled": []}
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.loaded:
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        await pilot.press("slash")
        await pilot.pause(0.2)

        async def press(key: str, pane: str) -> float:
            """Post the key as the terminal driver does; wait for the list's redraw."""
            start = time.perf_counter()
            app.post_message(events.Key(key, key if len(key) == 1 else None))
            while drawn.get(pane, 0.0) < start:
                if time.perf_counter() - start > 2:
                    return float("nan")  # nothing to redraw (an empty list)
                await asyncio.sleep(0.0005)
            await asyncio.sleep(0.05)  # let the redraw finish; take its last line
            return drawn[pane] - start

        keys = [*"ana", "backspace", "backspace", "backspace", *"silva", *(["backspace"] * 5), *"chess"]
        for key in keys:  # right after the first frame, while a worker still loads the history
            out["filter"].append(await press(key, "contacts"))
        await pilot.press("escape", "o", "2")
        await pilot.pause(0.3)
        for _ in range(15 if app.main_screen.interactions.row_count else 0):
            out["move"].append(await press("j", "interactions"))
        count = app.main_screen.interactions.row_count
        waited = time.perf_counter()
        while any(not worker.is_finished for worker in app.workers) and time.perf_counter() - waited < 120:
            await pilot.pause(0.1)  # the history parsed, the insight views warmed
        await pilot.press("o", "slash")
        await pilot.pause(0.3)
        for key in keys:  # the same keys once nothing runs in the background
            out["filter_settled"].append(await press(key, "contacts"))
        await pilot.press("q")
    print(f"  keystrokes measured with {count:,} interactions in the list", flush=True)
    return out


def keystrokes_in_subprocess(journal: Path, today: date) -> dict[str, list[float]]:
    """Run :func:`keystrokes` in a fresh process (the patched classes stay out of this one)."""
    code = (
        "import asyncio, json, sys; from datetime import date; from pathlib import Path; "
        f"sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent)!r}]; import bench_tui; "
        f"print(json.dumps(asyncio.run(bench_tui.keystrokes(Path({str(journal)!r}), date.fromisoformat({today.isoformat()!r})))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"the keystrokes run failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
    import json

    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    print("\n".join(line for line in proc.stdout.splitlines() if not line.startswith("{")))
    result: dict[str, list[float]] = json.loads(lines[-1])
    return result


def keys_only(journal: Path, today: date, runs: int) -> int:
    """Only the keystrokes: ``runs`` fresh processes on each journal, interleaved; printed, not written."""
    load_before = os.getloadavg()[0]
    big: dict[str, list[float]] = {"filter": [], "move": [], "filter_settled": []}
    empty: dict[str, list[float]] = {"filter": [], "move": [], "filter_settled": []}
    with tempfile.TemporaryDirectory(prefix="netjournal-bench-keys-") as folder:
        for n in range(runs):
            for into, path in ((big, journal), (empty, Path(folder) / f"empty-{n}" / "journal.json")):
                for key, values in keystrokes_in_subprocess(path, today).items():
                    into[key] += values
    load_after = os.getloadavg()[0]
    filt, filt_empty = statistics.median(big["filter"]), statistics.median(empty["filter"])
    print(f"filter keystroke, benchmark journal: median {ms(filt)}, worst {ms(max(big['filter']))} "
          f"({len(big['filter'])} keys in {runs} runs)")
    settled = big["filter_settled"]
    print(f"  same, once the background loading is done: median {ms(statistics.median(settled))}, worst {ms(max(settled))}")
    print(f"filter keystroke, empty journal:     median {ms(filt_empty)} ({filt / filt_empty:.2f}x empty)")
    print(f"j in the interactions list:          median {ms(statistics.median(big['move']))}")
    print(f"load average {load_before:.1f} before, {load_after:.1f} after")
    return 0


# ------------------------------------------------------------------ report
def ms(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value >= 0.1 else f"{value * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--start-runs", type=int, default=10, help="start-up rounds (floor, empty, benchmark journal)")
    parser.add_argument("--quick", action="store_true", help="200 / 10,000 / 2,000 records")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "netjournal-bench-tui")
    parser.add_argument("--results", type=Path, default=HERE / "results" / "tui.md")
    parser.add_argument("--keys-only", action="store_true", help="measure only the keystrokes (--runs processes each); print, write nothing")
    args = parser.parse_args()
    if args.runs < 5 or args.start_runs < 5:
        parser.error("--runs and --start-runs must be at least 5")
    size = QUICK if args.quick else FULL
    from generate import generate_records, write_journal  # type: ignore[import-not-found]

    args.cache.mkdir(parents=True, exist_ok=True)
    journal = args.cache / f"journal-{size[1]}.json"
    today = date(2026, 11, 1)
    if not journal.exists():
        print(f"generating {journal}", flush=True)
        write_journal(journal, generate_records(*size, today=today))
    if args.keys_only:
        return keys_only(journal, today, args.runs)
    load_before = os.getloadavg()[0]
    from bench.bytecode import compile_package

    compile_package()  # the command starts from bytecode, as installed (see bench/bytecode.py)
    with tempfile.TemporaryDirectory(prefix="netjournal-bench-tui-") as folder:
        work = Path(folder)
        print("start-up (process start to first frame with data):", flush=True)
        starts = startup(journal, args.start_runs, work)
        print("keystrokes:", flush=True)
        empty = work / "keys-empty" / "journal.json"
        big_keys = [keystrokes_in_subprocess(journal, today) for _ in range(1)]
        empty_keys = [keystrokes_in_subprocess(empty, today) for _ in range(1)]
        shutil.rmtree(work / "keys-empty", ignore_errors=True)
    load_after = os.getloadavg()[0]
    med = {k: statistics.median(v) for k, v in starts.items()}
    filt = statistics.median(big_keys[0]["filter"])
    filt_max = max(big_keys[0]["filter"])
    filt_empty = statistics.median(empty_keys[0]["filter"])
    move = statistics.median(big_keys[0]["move"])
    move_empty = 0.0  # an empty journal has no rows to move through
    ratio = med["big"] / med["floor"]
    rows = [
        ("first frame with data, empty Textual app (the floor)", ms(med["floor"]), "1.0x", ""),
        ("first frame with data, netjournal, empty journal", ms(med["empty"]), f"{med['empty'] / med['floor']:.1f}x", ""),
        ("first frame with data, netjournal, benchmark journal", ms(med["big"]), f"{ratio:.1f}x", "<= 800 ms and <= 4x"),
        ("filter keystroke to redrawn contacts list (median)", ms(filt), f"{filt / filt_empty:.1f}x empty" if filt_empty else "", "<= 30 ms"),
        ("filter keystroke to redrawn contacts list (worst)", ms(filt_max), "", ""),
        ("same keys once the history is loaded (median)", ms(statistics.median(big_keys[0]["filter_settled"])), "", ""),
        ("j in the interactions list (everyone) to redraw (median)", ms(move), f"{move / move_empty:.1f}x empty" if move_empty else "", ""),
        ("filter keystroke, empty journal (baseline)", ms(filt_empty), "", ""),
    ]
    width = max(len(r[0]) for r in rows)
    table = [f"| {'measure'.ljust(width)} | time | vs floor | target |", f"|{'-' * (width + 2)}|------|----------|--------|"]
    table += [f"| {a.ljust(width)} | {b} | {c} | {d} |" for a, b, c, d in rows]
    text = "\n".join([
        "# App benchmark",
        "",
        f"`python bench/bench_tui.py` on {date.today().isoformat()}: Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}.",
        "",
        f"Journal: {size[0]:,} contacts, {size[1]:,} interactions, {size[2]:,} favours "
        f"({journal.stat().st_size / 1e6:.1f} MB). Start-up: median of {args.start_runs} runs, each a fresh process (modules "
        "compiled to bytecode, as installed) in a 120x40 pseudo-terminal, timed from spawning it to the moment its output "
        "first holds the contacts pane's subtitle (drawn only with the journal's people), read from the terminal; the floor is an empty Textual app (Header, Static, Footer) timed the same "
        "way in the same run. Keystrokes: headless, 120x40, each key posted to the app as the terminal driver posts it, "
        "timed to the last line the list redraws "
        f"({len(big_keys[0]['filter'])} filter keys: typing and erasing 'ana', 'silva', 'chess', right after the first "
        "frame while a worker still loads the history, and again once it is done; 15 cursor moves).",
        "",
        *table,
        "",
        "Start-up runs (ms): " + "; ".join(f"{k}: " + ", ".join(f"{v * 1000:.0f}" for v in vs) for k, vs in starts.items()) + ".",
        f"Load average {load_before:.1f} before the run, {load_after:.1f} after (2 cores shared with other work: "
        "absolute figures move; ratios are from the same run).",
        "",
    ])
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
