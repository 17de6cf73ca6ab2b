"""The three big lists: contacts, interactions, favours. Each formats only visible rows."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding

from netjournal.domain.model import Contact, Interaction
from netjournal.domain.people import contact_haystack
from netjournal.domain.query import Query, match_spans
from netjournal.domain.text import clean_line, first_line, fold
from netjournal.services.ledger import Ledger, LedgerRow
from netjournal.tui.clashes import MARK
from netjournal.tui.widgets.line_list import LineList, fit

CIRCLE_SHORT = {"inner": "inner", "close": "close", "active": "active", "acquaintance": "acq."}
KIND_WIDTH = 12
BALANCE_WIDTH = 8
WHAT_WIDTH = 10  # the ledger's "what" gets at least this many cells, the optional columns going first
OPTIONAL_COLUMNS = (("weight", 6), ("date", 11), ("balance", BALANCE_WIDTH + 1))  # in the order they go


def days_since(when: str, today: date) -> int | None:
    if not when:
        return None
    try:
        return (today - date.fromisoformat(when[:10])).days
    except ValueError:
        return None


def format_days(days: int | None) -> str:
    if days is None:
        return "never"
    if days < 0:
        return "soon"
    if days == 0:
        return "today"  # as the card above says ("seen today"), not "0d"
    return f"{days}d"


class ContactFinder:
    """Filter as you type over one list of people: name, aliases, organisation and tags, case-
    and accent-insensitive, like ``Journal.find_contacts``, but each person's text is folded
    once per list instead of once per keystroke (2,000 people: 0.3 ms a key instead of 4 ms)."""

    def __init__(self) -> None:
        self._people: list[Contact] | None = None
        self._texts: list[str] = []

    def find(self, people: list[Contact], text: str) -> list[Contact]:
        """The people (in their order) whose text contains ``text``; all of them for blank text."""
        needle = fold(text.strip())
        if not needle:
            return people
        if people is not self._people:
            self._people = people
            self._texts = [contact_haystack(c) for c in people]
        return [c for c, hay in zip(people, self._texts, strict=True) if needle in hay]


class ContactList(LineList):
    """People: name, circle, days since the last interaction (overdue ones stand out); a
    person with a clash (two devices changed one field at once) is marked after the name."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(empty_text="No contacts yet: press c to add one", id=id)
        self.contacts: list[Contact] = []
        self.last_seen: dict[str, str] = {}
        self.today = date.today()
        self.finder = ContactFinder()
        self.marked: frozenset[str] = frozenset()  # the people with a clash

    def show(
        self, contacts: list[Contact], last_seen: dict[str, str], today: date, cursor: int | None = None,
        marked: frozenset[str] = frozenset(),
    ) -> None:
        """New people. The rows already drawn are kept when only which people show changed (a
        filter): a change to anyone comes with a fresh ``last_seen`` (``read_people``)."""
        same = last_seen is self.last_seen and today == self.today and marked == self.marked
        self.contacts = contacts
        self.last_seen = last_seen
        self.today = today
        self.marked = marked
        self.set_row_count(len(contacts), cursor, keep_rows=same)

    def row_key(self, index: int) -> Hashable:
        return self.contacts[index].id

    @property
    def current(self) -> Contact | None:
        return self.contacts[self.cursor] if self.contacts else None

    def render_row(self, index: int, width: int) -> Text:
        person = self.contacts[index]
        days = days_since(self.last_seen.get(person.id, ""), self.today)
        overdue = days is None or days > person.effective_cadence > 0
        day_style = self.style("warn") if overdue else self.style("dim")
        circle = width >= 36  # narrow terminals drop the circle column, never the name
        right = (7 if circle else 0) + 6
        name_w = max(width - right - 2, 4)
        parts: list[str | Text] = [" ", fit(person.name, name_w), " "]
        if person.id in self.marked:  # the mark in the name's last cells
            parts[1:] = [fit(person.name, name_w - 2), " ", Text(MARK, style=self.style("warn")), " "]
        if circle:
            parts += [fit(CIRCLE_SHORT.get(person.circle, person.circle), 6, style=self.style("dim")), " "]
        parts.append(fit(format_days(days), 6, style=day_style, right=True))
        return Text.assemble(*parts)


class InteractionList(LineList):
    """The journal, newest first: fetches only the rows it draws. ``/`` searches the whole
    journal (the screen's search); a search's words are highlighted (``highlight``)."""

    COMPONENT_CLASSES = LineList.COMPONENT_CLASSES | {"line-list--match"}
    BINDINGS = [
        Binding("slash", "screen.search_journal", "Search", key_display="/", id="journal.search"),
        Binding("escape", "screen.end_search", "Back", key_display="esc", id="search.back"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(empty_text="No interactions yet: press n to log one", id=id)
        self.highlight: Query | None = None  # a search's words, marked in the text column
        self.fetch: Callable[[int], Interaction] | None = None
        self.names: dict[str, str] = {}
        self.today = ""  # "YYYY-MM-DD": an entry dated after it is a plan, shown as upcoming

    def show(
        self, count: int, fetch: Callable[[int], Interaction], names: dict[str, str], cursor: int | None = 0,
        today: date | None = None,
    ) -> None:
        self.fetch = fetch
        self.names = names
        self.today = (today or date.today()).isoformat()
        self.set_row_count(count, cursor)

    @property
    def current(self) -> Interaction | None:
        if self.fetch is None or not self.row_count:
            return None
        return self.fetch(self.cursor)

    def render_row(self, index: int, width: int) -> Text:
        assert self.fetch is not None
        entry = self.fetch(index)
        people = ", ".join(self.names.get(cid, "?") for cid in entry.contact_ids)
        people_w = max(min(24, width // 4), 6)
        text_w = max(width - 1 - 10 - 1 - 9 - 1 - people_w - 2, 0)
        plan = entry.date[:10] > self.today
        text: str | Text = f"upcoming · {first_line(entry.text)}" if plan else first_line(entry.text)
        if self.highlight is not None and isinstance(text, str):
            text = self.marked(clean_line(text), self.highlight)
        return Text.assemble(
            " ",
            fit(entry.date[:10], 10, style=self.style("good") if plan else self.style("dim")),
            " ",
            fit(entry.kind, 8, style=self.style("accent")),
            " ",
            fit(people, people_w),
            "  ",
            fit(text, text_w, style=self.style("dim") if not entry.text and not plan else ""),
        )


    def marked(self, line: str, query: Query) -> Text:
        """``line`` (already clean) with the query's words in the match style."""
        out = Text(line)
        style = self.style("match")
        for start, end in match_spans(line, query):
            out.stylize(style, start, end)
        return out


class FavourList(LineList):
    """Favours newest first with the running balance after each one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(empty_text="No favours yet: g records one given, r one received", id=id)
        self.ledger = Ledger()
        self.names: dict[str, str] = {}
        self.show_person = True

    def show(self, ledger: Ledger, names: dict[str, str], show_person: bool, cursor: int | None = 0) -> None:
        self.ledger = ledger
        self.names = names
        self.show_person = show_person
        self.set_row_count(len(ledger.rows), cursor)

    @property
    def current(self) -> LedgerRow | None:
        rows = self.ledger.rows
        return rows[self.cursor] if rows else None

    def person_width(self, width: int) -> int:
        return min(18, max(10, width // 6)) if self.show_person else 0

    def columns(self, width: int) -> frozenset[str]:
        """The optional columns that fit beside who and what (at least WHAT_WIDTH cells of
        it): the weight goes first, then the date, then the running balance. Chosen from the
        list's own width less a scrollbar's cell, so the rows and the header (drawn before the
        scrollbar shows) choose alike."""
        width = min(width, self.size.width - 1) if self.size.width else width
        person_w = self.person_width(width)
        need = 1 + 7 + 1 + KIND_WIDTH + 1 + 2 + (person_w + 1 if person_w else 0)
        shown = dict(OPTIONAL_COLUMNS)
        need += sum(shown.values())
        for name, cells in OPTIONAL_COLUMNS:
            if width - need >= WHAT_WIDTH:
                break
            del shown[name]
            need -= cells
        return frozenset(shown)

    def header(self, width: int) -> str:
        """The column names, aligned with the rows once drawn after one cell of padding
        ("balance": the running balance after each favour, counted from the oldest, so the top
        row's is the balance today)."""
        person_w, shown = self.person_width(width), self.columns(width)
        head = f"{'date':<10} " if "date" in shown else ""
        head += f"{'':<7} {'kind':<{KIND_WIDTH}} "
        head += f"{'weight':<6}" if "weight" in shown else ""
        head += f"{'balance':>{BALANCE_WIDTH}}  " if "balance" in shown else " "
        if person_w:
            head += f"{'with':<{person_w}} "
        return head + "what"

    def render_row(self, index: int, width: int) -> Text:
        row = self.ledger.rows[index]
        fav = row.favour
        given = fav.direction == "given"
        person_w, shown = self.person_width(width), self.columns(width)
        parts: list[Text | str] = [" "]
        if "date" in shown:
            parts += [fit(fav.date[:10], 10, style=self.style("dim")), " "]
        arrow = Text("→ gave " if given else "← got  ", style=self.style("good") if given else self.style("bad"))
        parts += [arrow, " ", fit(fav.kind, KIND_WIDTH), " "]
        if "weight" in shown:
            weight = Text("●" * fav.weight, style=self.style("accent"))
            weight.append("○" * (5 - fav.weight), style=self.style("dim"))
            parts += [weight, " "]
        if "balance" in shown:
            balance = f"{row.balance:+d}" if row.balance else "0"
            parts += [fit(balance, BALANCE_WIDTH, style=self.style("dim"), right=True), "  "]
        else:
            parts.append(" ")
        if person_w:
            parts += [fit(self.names.get(fav.contact_id, "?"), person_w), " "]
        used = sum(cell_len(p.plain if isinstance(p, Text) else p) for p in parts)
        parts.append(fit(fav.text, max(width - used, 0)))
        return Text.assemble(*parts)
