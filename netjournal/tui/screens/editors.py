"""The three editors: contact, interaction, favour. Each dismisses with a checked record."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import NotRequired, TypedDict, TypeVar, Unpack

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select

from netjournal.domain.capture import guess_favour_kind
from netjournal.domain.dates import (
    format_minutes,
    format_when,
    future_favour,
    parse_birthday,
    parse_cadence,
    parse_date,
    parse_duration,
    parse_when,
    spell_birthday,
    spell_day,
    spell_when,
)
from netjournal.domain.duplicates import same_person
from netjournal.domain.model import CIRCLES, DIRECTIONS, FAVOUR_KINDS, INTERACTION_KINDS, Contact, Favour, Interaction
from netjournal.domain.text import clean_line, split_tags
from netjournal.errors import AmbiguousError, NotFoundError, ValidationError
from netjournal.tui.screens.form import FormScreen, NameSuggester, first_problem

Resolver = Callable[[str], Contact]
R = TypeVar("R")
DATE_HINT = "today, yesterday, friday, 2024-03-05, 5 Mar"
_CADENCE_WORDS = {7: "weekly", 30: "monthly", 91: "quarterly", 365: "yearly"}


def cadence_text(days: int) -> str:
    """A cadence as parse_cadence reads it back."""
    if not days:
        return ""
    if days in _CADENCE_WORDS:
        return _CADENCE_WORDS[days]
    return f"{days // 7}w" if days % 7 == 0 else f"{days}d"


def _words(text: str, sep: str = ",") -> list[str]:
    out: list[str] = []
    for part in text.split(sep):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


class ContactForm(FormScreen[Contact]):
    FIELD_OF = {"cadence_days": "cadence"}

    def __init__(
        self,
        contact: Contact | None,
        *,
        today: date,
        dayfirst: bool = True,
        others: list[Contact] | None = None,
        errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__(today=today, dayfirst=dayfirst, errors=errors)
        self.contact = contact or Contact()
        self.others = [c for c in others or () if c.id != self.contact.id]  # everyone else, for the namesake warning
        self._warned: tuple[str, tuple[str, ...]] | None = None  # the name and emails a warning was shown for
        self.heading = f"Edit {clean_line(self.contact.name)}" if self.contact.id else "New contact"

    def reading(self, name: str, value: str) -> str:
        if name != "birthday" or not value.strip():
            return ""
        try:
            return spell_birthday(parse_birthday(value, dayfirst=self.dayfirst))
        except ValidationError:
            return "?"

    def fields(self) -> ComposeResult:
        c = self.contact
        yield self.field("name", "Name", self.text_input("name", c.name, "full name"))
        yield self.field(
            "aliases", "Aliases", self.text_input("aliases", ", ".join(c.aliases), "nicknames, comma-separated")
        )
        yield self.field("org", "Organisation", self.text_input("org", c.org))
        yield self.field("role", "Role", self.text_input("role", c.role))
        yield self.field("circle", "Circle", self.choice("circle", CIRCLES, c.circle))
        yield self.field(
            "cadence",
            "Keep in touch",
            self.text_input("cadence", cadence_text(c.cadence_days), "2w, monthly, 90d (empty: the circle's)"),
        )
        yield self.field(
            "birthday",
            "Birthday",
            self.text_input("birthday", c.birthday, "1990-04-15, 15 April or 04-15"),
            reading=True,
        )
        yield self.field("emails", "Emails", self.text_input("emails", ", ".join(c.emails), "comma-separated"))
        yield self.field("phones", "Phones", self.text_input("phones", ", ".join(c.phones), "comma-separated"))
        yield self.field("tags", "Tags", self.text_input("tags", " ".join(c.tags), "words: design python climbing"))
        yield self.field("how_met", "How we met", self.text_input("how_met", c.how_met))
        yield self.field("asks", "Their asks", self.text_input("asks", "; ".join(c.asks), "open needs, separated by ;"))
        yield self.field("notes", "Notes", self.text_area("notes", c.notes), tall=True)

    def build(self) -> tuple[Contact | None, dict[str, str]]:
        v = self.values()
        errors: dict[str, str] = {}
        birthday = cadence = None
        try:
            birthday = parse_birthday(v["birthday"], dayfirst=self.dayfirst)
        except ValidationError as exc:
            errors["birthday"] = first_problem(exc)
        try:
            cadence = parse_cadence(v["cadence"])
        except ValidationError as exc:
            errors["cadence"] = first_problem(exc)
        record = dataclasses.replace(
            self.contact,
            name=v["name"].strip(),
            aliases=_words(v["aliases"]),
            org=v["org"].strip(),
            role=v["role"].strip(),
            circle=v["circle"],
            cadence_days=cadence or 0,
            birthday=birthday or "",
            emails=_words(v["emails"].replace(" ", ",")),
            phones=_words(v["phones"]),
            tags=split_tags(v["tags"]),
            how_met=v["how_met"].strip(),
            asks=_words(v["asks"], ";"),
            notes=v["notes"].rstrip(),
        )
        for key, problem in record.problems().items():
            errors.setdefault(self.FIELD_OF.get(key, key), problem)
        if not errors:
            errors = self._namesakes(record)
        return (None, errors) if errors else (record, {})

    def _namesakes(self, record: Contact) -> dict[str, str]:
        """A word beside the name or the emails about someone already there with the same one,
        once: a second ctrl+s with the same name and emails saves (people do share names)."""
        shown = (record.name, tuple(record.emails))
        if self._warned == shown:
            return {}
        found = same_person(self.others, record)
        if not found:
            return {}
        self._warned = shown
        return {field: f"{message}: ctrl+s again saves all the same" for field, message in found.items()}


class PeopleFormArgs(TypedDict):
    """What a form that names people is given besides its record."""

    names: dict[str, str]  # every person's name by id, for the suggestions
    resolve: Resolver  # a typed name to the person
    today: date
    dayfirst: NotRequired[bool]
    errors: NotRequired[dict[str, str] | None]


class PeopleForm(FormScreen[R]):
    """A form whose record names people: an interaction's, a favour's."""

    def __init__(self, **args: Unpack[PeopleFormArgs]) -> None:
        super().__init__(today=args["today"], dayfirst=args.get("dayfirst", True), errors=args.get("errors"))
        self.names = args["names"]
        self.resolve = args["resolve"]


class InteractionForm(PeopleForm[Interaction]):
    FIELD_OF = {"contact_ids": "people", "follow_up": "follow_up"}

    def __init__(self, entry: Interaction, *, favours: int = 0, **args: Unpack[PeopleFormArgs]) -> None:
        super().__init__(**args)
        self.entry = entry
        self.favours = favours  # recorded with this entry: they move with its date
        self.heading = "Edit interaction" if entry.id else "New interaction"

    def when(self, text: str) -> str:
        now = datetime(self.today.year, self.today.month, self.today.day)
        return parse_when(text, now, dayfirst=self.dayfirst, past=True)  # as in a capture line

    def reading(self, name: str, value: str) -> str:
        if not value.strip():
            return ""
        try:
            if name == "date":
                when = self.when(value)
                plan = when[:10] > self.today.isoformat()
                return spell_when(when, self.today) + (", upcoming" if plan else "")
            if name == "follow_up":
                return spell_day(parse_date(value, self.today, dayfirst=self.dayfirst, ahead=True), self.today)
        except ValidationError:
            return "?"
        return ""

    def fields(self) -> ComposeResult:
        e = self.entry
        people = ", ".join(self.names.get(cid, cid) for cid in e.contact_ids)
        yield self.field(
            "date", "Date", self.text_input("date", format_when(e.date) if e.date else "today", DATE_HINT), reading=True
        )
        yield self.field("kind", "Kind", self.choice("kind", INTERACTION_KINDS, e.kind))
        yield self.field("people", "People", self.text_input(
            "people", people, "names, comma-separated", suggester=NameSuggester(self.names.values(), many=True)))
        yield self.field(
            "minutes", "Time spent", self.text_input("minutes", format_minutes(e.minutes), "45m, 1h30, 2h")
        )
        yield self.field(
            "follow_up", "Follow up", self.text_input("follow_up", e.follow_up, "a date, or empty"), reading=True
        )
        yield self.field("tags", "Tags", self.text_input("tags", " ".join(e.tags), "words: design python"))
        yield self.field("text", "Notes", self.text_area("text", e.text), tall=True)

    def people_ids(self, text: str) -> tuple[list[str], str]:
        known = {name: cid for cid, name in self.names.items() if cid in self.entry.contact_ids}
        ids: list[str] = []
        for token in _words(text):
            cid = known.get(token)
            if cid is None:
                try:
                    cid = self.resolve(token).id
                except (NotFoundError, AmbiguousError) as exc:
                    return ids, str(exc)
            if cid not in ids:
                ids.append(cid)
        return ids, ""

    def build(self) -> tuple[Interaction | None, dict[str, str]]:
        v = self.values()
        errors: dict[str, str] = {}
        when = follow = ""
        minutes = 0
        try:
            when = self.when(v["date"])
        except ValidationError as exc:
            errors["date"] = first_problem(exc)
        if self.favours and future_favour(when, self.today):
            n = self.favours
            errors["date"] = (
                f"{n} favour{'s' if n != 1 else ''} recorded with it would move after today: "
                "a favour is recorded once done"
            )
        try:
            minutes = parse_duration(v["minutes"])
        except ValidationError as exc:
            errors["minutes"] = first_problem(exc)
        if v["follow_up"].strip():
            try:
                follow = parse_date(v["follow_up"], self.today, dayfirst=self.dayfirst, ahead=True).isoformat()
            except ValidationError as exc:
                errors["follow_up"] = first_problem(exc)
        ids, problem = self.people_ids(v["people"])
        if problem:
            errors["people"] = problem
        record = dataclasses.replace(
            self.entry, date=when or self.entry.date, kind=v["kind"], contact_ids=ids, minutes=minutes,
            follow_up=follow, tags=split_tags(v["tags"]), text=v["text"].rstrip(),
        )
        for key, message in record.problems().items():
            errors.setdefault(self.FIELD_OF.get(key, key), message)
        return (None, errors) if errors else (record, {})


class FavourForm(PeopleForm[Favour]):
    FIELD_OF = {"contact_id": "person"}

    def __init__(self, favour: Favour, **args: Unpack[PeopleFormArgs]) -> None:
        super().__init__(**args)
        self.favour = favour
        verb = "given" if favour.direction == "given" else "received"
        self.heading = "Edit favour" if favour.id else f"New favour {verb}"
        # The kind follows the words (as in a capture line) until it is chosen by hand.
        self.kind_by_hand = bool(favour.id) and favour.kind != "other"
        self._kind_set = favour.kind  # the value the form itself last put in the kind field

    def day(self, text: str) -> str:
        return parse_date(text, self.today, dayfirst=self.dayfirst, past=True).isoformat()

    def reading(self, name: str, value: str) -> str:
        if name != "date" or not value.strip():
            return ""
        try:
            day = self.day(value)
        except ValidationError:
            return "?"
        spelled = spell_day(date.fromisoformat(day), self.today)
        return f"{spelled}: after today" if future_favour(day, self.today) else spelled

    @on(Select.Changed, "#f-kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        if event.value != self._kind_set:
            self.kind_by_hand = True

    @on(Input.Changed, "#f-text")
    def _text_typed(self, event: Input.Changed) -> None:
        if not self.kind_by_hand and event.value != self.favour.text:  # typed, not the form opening
            kind = guess_favour_kind(event.value)
            if kind != self._kind_set:
                self._kind_set = kind
                self.query_one("#f-kind", Select).value = kind

    def start_field(self) -> str | None:
        """``g`` and ``r`` chose the direction, and the person is the selected one: start at What."""
        if self.favour.id or not self.favour.contact_id:
            return None if self.favour.id else "person"
        return "text"

    def fields(self) -> ComposeResult:
        f = self.favour
        yield self.field("direction", "Direction", self.choice("direction", DIRECTIONS, f.direction))
        yield self.field(
            "person",
            "Person",
            self.text_input(
                "person",
                self.names.get(f.contact_id, ""),
                "a name",
                suggester=NameSuggester(self.names.values(), many=False),
            ),
        )
        yield self.field("kind", "Kind", self.choice("kind", FAVOUR_KINDS, f.kind))
        yield self.field("weight", "Weight", self.choice("weight", ["1", "2", "3", "4", "5"], str(f.weight)))
        yield self.field("date", "Date", self.text_input("date", f.date or "today", DATE_HINT), reading=True)
        yield self.field("text", "What", self.text_input("text", f.text, "introduced them to…, advice on…"))

    def build(self) -> tuple[Favour | None, dict[str, str]]:
        v = self.values()
        errors: dict[str, str] = {}
        day = ""
        try:
            day = self.day(v["date"])
        except ValidationError as exc:
            errors["date"] = first_problem(exc)
        if future_favour(day, self.today):
            errors["date"] = future_favour(day, self.today)
        person = v["person"].strip()
        cid = ""
        if person and person == self.names.get(self.favour.contact_id):
            cid = self.favour.contact_id
        elif person:
            try:
                cid = self.resolve(person).id
            except (NotFoundError, AmbiguousError) as exc:
                errors["person"] = str(exc)
        else:
            errors["person"] = "a person is required"
        if not v["text"].strip():
            errors["text"] = "say what it was: introduced them to…, advice on…"
        record = dataclasses.replace(
            self.favour, direction=v["direction"], contact_id=cid,
            kind=v["kind"] if self.kind_by_hand else guess_favour_kind(v["text"]), weight=int(v["weight"] or 2),
            date=day or self.favour.date, text=v["text"].strip(),
        )
        for key, message in record.problems().items():
            errors.setdefault(self.FIELD_OF.get(key, key), message)
        return (None, errors) if errors else (record, {})
