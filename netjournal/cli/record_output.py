"""How the capture and reading commands print records: names by id, JSON, and plain grids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from netjournal.cli.context import Context
from netjournal.domain.dates import parse_date
from netjournal.domain.model import Favour, Interaction
from netjournal.domain.text import clean_line, first_line, isolate
from netjournal.errors import ValidationError

if TYPE_CHECKING:
    from netjournal.store import Journal


class ContactNames:
    """Contact names by id, read lazily from the stored documents."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._names: dict[str, str] = {}

    def __call__(self, cid: str) -> str:
        name = self._names.get(cid)
        if name is None:
            doc = self.journal.document("contacts", cid)
            name = self._names[cid] = doc.get("name", cid) if doc else cid
        return name


def interaction_json(i: Interaction, names: ContactNames) -> dict[str, Any]:
    return {**i.to_dict(), "people": [names(c) for c in i.contact_ids]}


def favour_json(f: Favour, names: ContactNames) -> dict[str, Any]:
    return {**f.to_dict(), "person": names(f.contact_id)}


def day_option(text: str | None, ctx: Context, field: str) -> str:
    if not text:
        return ""
    return parse_date(text, ctx.now().date(), dayfirst=ctx.settings.dayfirst, field=field, past=True).isoformat()


def check_limit(limit: int) -> None:
    if limit < 0:
        raise ValidationError(f"must be 0 (all) or more, not {limit}", field="limit")


def print_rows(ctx: Context, rows: Iterable[tuple[str, str]]) -> None:
    from rich.text import Text

    for label, value in rows:
        if value:
            ctx.console.print(Text.assemble((f"{label:>14}  ", "dim"), clean_line(value)))


GRID_CHUNK = 500


def grid(ctx: Context, headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> None:
    """Columns sized to their content (at most 28 cells); the last one takes the rest of the
    line and is cut with an ellipsis, so each record stays on one line. Cells are plain text."""
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    n = len(headers)
    rows = [[clean_line(v) for v in r] for r in rows]  # measured as they will show
    widths = [min(28, max([cell_len(headers[k]), *(cell_len(r[k]) for r in rows)])) for k in range(n - 1)]
    last = max(20, ctx.console.width - sum(widths) - 2 * (n - 1))

    def fit(value: str, k: int) -> str:
        width = widths[k] if k < n - 1 else last
        if cell_len(value) > width:
            value = set_cell_size(value, width - 1) + "…"
        pad = " " * (width - cell_len(value)) if k < n - 1 or k in right else ""
        return pad + isolate(value) if k in right else isolate(value) + pad  # isolated once cut

    lines = [Text("  ".join(fit(h, k) for k, h in enumerate(headers)).rstrip(), style="bold")]
    lines += [Text("  ".join(fit(v, k) for k, v in enumerate(r)).rstrip()) for r in rows]
    # A render per few hundred rows: a print per row is slow, and one print for the whole table
    # costs Rich a pass over the rest of the text for every line.
    for start in range(0, len(lines), GRID_CHUNK):
        chunk = Text("\n").join(lines[start : start + GRID_CHUNK])
        ctx.console.print(chunk, no_wrap=True, crop=True, overflow="ellipsis")


def favour_table(ctx: Context, favours: Sequence[Favour]) -> None:
    cells = [
        (f.date, "gave" if f.direction == "given" else "got", f.kind, str(f.weight), first_line(f.text))
        for f in favours
    ]
    grid(ctx, ("date", "", "kind", "weight", "what"), cells, right=(3,))
