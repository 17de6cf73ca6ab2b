"""The shell's tables (netjournal/cli/listing.py): aligned columns, cut to the terminal."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from netjournal.cli.listing import Listing


def _print(listing: Listing, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, highlight=False, soft_wrap=False, color_system=None).print(listing)
    return out.getvalue().splitlines()


def test_columns_line_up_under_their_headers() -> None:
    t = Listing("name", "circle", "overdue", right=("overdue",))
    t.add_row(Text("Ana Silva"), "inner", "3 d")
    t.add_row(Text("Bo"), "acquaintance", "120 d")
    assert _print(t, 100) == [
        "name       circle        overdue",
        "Ana Silva  inner             3 d",
        "Bo         acquaintance    120 d",
    ]


def test_a_narrow_terminal_cuts_the_widest_columns_with_an_ellipsis() -> None:
    t = Listing("name", "tags", "last contact")
    t.add_row(Text("Anastasia Papadopoulou-Smith"), Text("#design #python #climbing #travel"), "3 days ago")
    lines = _print(t, 50)
    assert all(len(line) <= 50 for line in lines)
    assert lines[1].endswith("3 days ago")  # the short column is whole
    assert "…" in lines[1] and lines[1].startswith("Anastasia")


def test_cells_are_text_not_markup_and_stay_on_one_line() -> None:
    t = Listing("name", "notes")
    t.add_row(Text("[bold red]x[/]"), Text("two\nlines"))
    lines = _print(t, 80)
    assert lines[1].startswith("[bold red]x[/]")
    assert len(lines) == 2 and "two" in lines[1] and "lines" in lines[1]
