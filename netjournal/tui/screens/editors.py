"""The three editors: contact, interaction, favour. Each dismisses with a checked record."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime

from textual.app import ComposeResult

from netjournal.domain.dates import (
    format_minutes,
    format_when,
    parse_birthday,
    parse_cadence,
    parse_date,
    parse_duration,
    parse_when,
)
from netjournal.domain.model import CIRCLES, DIRECTIONS, FAVOUR_KINDS, INTERACTION_KINDS, Contact, Favour, Interaction
from netjournal.domain.text import clean_line, split_tags
from netjournal.errors import AmbiguousError, NotFoundError, ValidationError
from netjournal.tui.screens.form import FormScreen, NameSuggester, first_problem

Resolver = Callable[[str], Contact]
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

    def __init__(self, contact: Contact | None, *, today: date, errors: dict[str, str] | None = None) -> None:
        super().__init__(today=today, errors=errors)
        self.contact = contact or Contact()
        self.heading = f"Edit {clean_line(self.contact.name)}" if self.contact.id else "New contact"

    def fields(self) -> ComposeResult:
        c = self.contact
        yield self.field("name", "Name", self.text_input("name", c.name, "full name"))
        yield self.field("aliases", "Aliases", self.text_input("aliases", ", ".join(c.aliases), "nicknames, comma-separated"))
        yield self.field("org", "Organisation", self.text_input("org", c.org))
        yield self.field("role", "Role", self.text_input("role", c.role))
        yield self.field("circle", "Circle", self.choice("circle", CIRCLES, c.circle))
        yield self.field("cadence", "Keep in touch", self.text_input("cadence", cadence_text(c.cadence_days), "2w, monthly, 90d (empty: the circle's)"))
        yield self.field("birthday", "Birthday", self.text_input("birthday", c.birthday, "1990-04-15, --04-15 or 15 April"))
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
            birthday = parse_birthday(v["birthday"])
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
        return (None, errors) if errors else (record, {})


class InteractionForm(FormScreen[Interaction]):
    FIELD_OF = {"contact_ids": "people", "follow_up": "follow_up"}

    def __init__(
        self,
        entry: Interaction,
        *,
        names: dict[str, str],
        resolve: Resolver,
        today: date,
        dayfirst: bool = True,
        errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__(today=today, errors=errors)
        self.entry = entry
        self.names = names
        self.resolve = resolve
        self.dayfirst = dayfirst
        self.heading = "Edit interaction" if entry.id else "New interaction"

    def fields(self) -> ComposeResult:
        e = self.entry
        people = ", ".join(self.names.get(cid, cid) for cid in e.contact_ids)
        yield self.field("date", "Date", self.text_input("date", format_when(e.date) if e.date else "today", DATE_HINT))
        yield self.field("kind", "Kind", self.choice("kind", INTERACTION_KINDS, e.kind))
        yield self.field("people", "People", self.text_input(
            "people", people, "names, comma-separated", suggester=NameSuggester(self.names.values(), many=True)))
        yield self.field("minutes", "Time spent", self.text_input("minutes", format_minutes(e.minutes), "45m, 1h30, 2h"))
        yield self.field("follow_up", "Follow up", self.text_input("follow_up", e.follow_up, "a date, or empty"))
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
        now = datetime(self.today.year, self.today.month, self.today.day)
        when = follow = ""
        minutes = 0
        try:
            when = parse_when(v["date"], now, dayfirst=self.dayfirst, past=True)  # as in a capture line
        except ValidationError as exc:
            errors["date"] = first_problem(exc)
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


class FavourForm(FormScreen[Favour]):
    FIELD_OF = {"contact_id": "person"}

    def __init__(
        self,
        favour: Favour,
        *,
        names: dict[str, str],
        resolve: Resolver,
        today: date,
        dayfirst: bool = True,
        errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__(today=today, errors=errors)
        self.favour = favour
        self.names = names
        self.resolve = resolve
        self.dayfirst = dayfirst
        verb = "given" if favour.direction == "given" else "received"
        self.heading = "Edit favour" if favour.id else f"New favour {verb}"

    def start_field(self) -> str | None:
        """``g`` and ``r`` chose the direction, and the person is the selected one: start at What."""
        if self.favour.id or not self.favour.contact_id:
            return None if self.favour.id else "person"
        return "text"

    def fields(self) -> ComposeResult:
        f = self.favour
        yield self.field("direction", "Direction", self.choice("direction", DIRECTIONS, f.direction))
        yield self.field("person", "Person", self.text_input(
            "person", self.names.get(f.contact_id, ""), "a name", suggester=NameSuggester(self.names.values(), many=False)))
        yield self.field("kind", "Kind", self.choice("kind", FAVOUR_KINDS, f.kind))
        yield self.field("weight", "Weight", self.choice("weight", ["1", "2", "3", "4", "5"], str(f.weight)))
        yield self.field("date", "Date", self.text_input("date", f.date or "today", DATE_HINT))
        yield self.field("text", "What", self.text_input("text", f.text, "introduced them to…, advice on…"))

    def build(self) -> tuple[Favour | None, dict[str, str]]:
        v = self.values()
        errors: dict[str, str] = {}
        day = ""
        try:
            day = parse_date(v["date"], self.today, dayfirst=self.dayfirst, past=True).isoformat()
        except ValidationError as exc:
            errors["date"] = first_problem(exc)
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
            self.favour, direction=v["direction"], contact_id=cid, kind=v["kind"], weight=int(v["weight"] or 2),
            date=day or self.favour.date, text=v["text"].strip(),
        )
        for key, message in record.problems().items():
            errors.setdefault(self.FIELD_OF.get(key, key), message)
        return (None, errors) if errors else (record, {})
