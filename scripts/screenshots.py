"""Regenerate screenshots/*.svg from the demo journal at 120x40 (and 80x24 for SMALL) with a fixed today.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]

The app is built by the same factory ``netjournal`` uses (netjournal.tui.app.create_app).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date
from pathlib import Path

from textual.app import App
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled

from netjournal.config import Settings
from netjournal.demo import build_demo
from netjournal.store import Journal
from netjournal.tui.app import create_app
from netjournal.tui.state import JournalSource

TODAY = date(2026, 11, 1)
SIZE = (120, 40)
SHOTS: dict[str, list[str]] = {
    "main": [],
    "contact-editor": ["e"],
    "interaction-editor": ["2", "e"],
    "ledger": ["j", "3"],
    "help": ["question_mark"],
    "today": ["t"],
    "circles": ["C"],
    "capture": ["a", *"friday: coffee with @bruno 45m #design +gave intro to Carla"],
    "search": ["2", "slash", *"coff @ana"],
}
SMALL_SIZE = (80, 24)
SMALL: dict[str, list[str]] = {"card-80x24": ["p"], "today-80x24": ["t"]}  # p: the card beside the contacts


async def settle(app: App[None]) -> None:
    """Wait for the app's workers; one cancelled on the way (an exclusive worker replaced by a
    newer one) is not an error: wait for what replaced it."""
    for _ in range(50):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def shoot(journal: Path, name: str, keys: list[str], out: Path, size: tuple[int, int] = SIZE) -> Path:
    source = JournalSource(journal, label="~/.local/share/netjournal/journal.json")
    app = create_app(Settings.load(source.config_file), source, clock=lambda: TODAY)
    async with app.run_test(size=size) as pilot:
        while not app.loaded:
            await pilot.pause(0.02)
        for key in keys:
            await pilot.press(key)
            await settle(app)
            await pilot.pause()
        for widget in app.screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
        await pilot.pause()
        target = out / f"{name}.svg"
        target.write_text(app.export_screenshot(title="netjournal"))
    return target


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="netjournal-shots-") as folder:
        journal = Path(folder) / "journal.json"
        with Journal.open(journal, today=TODAY) as j:
            build_demo(j, TODAY)
        for name, keys in SHOTS.items():
            print(await shoot(journal, name, keys, out))
        for name, keys in SMALL.items():
            print(await shoot(journal, name, keys, out, SMALL_SIZE))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "screenshots"))
