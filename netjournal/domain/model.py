"""The records of a journal: contacts, interactions and favours.

Records are plain dataclasses. ``to_dict``/``from_dict`` give the stored and exchanged
shape (documented field by field in the README); ``from_dict`` validates and names the
field and the problem of anything wrong.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar

from netjournal.errors import ValidationError

CIRCLES: tuple[str, ...] = ("inner", "close", "active", "acquaintance")
CIRCLE_CADENCE_DAYS = {"inner": 14, "close": 30, "active": 91, "acquaintance": 365}
INTERACTION_KINDS: tuple[str, ...] = ("meal", "call", "meeting", "message", "event", "introduction", "other")
FAVOUR_KINDS: tuple[str, ...] = ("introduction", "advice", "time", "skill", "referral", "gift", "money", "other")
DIRECTIONS: tuple[str, ...] = ("given", "received")

_WHEN = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$")
_BDAY = re.compile(r"^(\d{4}|-)-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def utc_now() -> str:
    """A UTC timestamp, ISO 8601 with a Z: sortable as text, comparable across copies."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def new_id(prefix: str) -> str:
    """A stable, random record id ("c-5f0e9a1b2c3d4e5f"): never reused, safe to merge."""
    return f"{prefix}-{secrets.token_hex(8)}"


def _check_choice(value: str, choices: tuple[str, ...], name: str, errors: dict[str, str]) -> None:
    if value not in choices:
        errors[name] = f"must be one of {', '.join(choices)}, not {value!r}"


def _check_when(value: str, name: str, errors: dict[str, str], *, required: bool) -> None:
    if not value:
        if required:
            errors[name] = "a date is required"
        return
    if not _WHEN.match(value):
        errors[name] = f"not an ISO date: {value!r}"
        return
    try:
        if "T" in value:
            datetime.fromisoformat(value)
        else:
            date.fromisoformat(value)
    except ValueError:
        errors[name] = f"no such date: {value}"


def _str_list(value: Any, name: str, errors: dict[str, str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        errors[name] = "must be a list of strings, not a string"
        return []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        errors[name] = "must be a list of strings"
        return []
    out: list[str] = []
    for v in value:
        v = v.strip()
        if v and v not in out:
            out.append(v)
    return out


T = TypeVar("T", bound="Record")


@functools.cache
def _field_kinds(cls: type) -> tuple[tuple[str, type | None], ...]:
    """Each field of a record class with the type of its default (list, bool, int, str):
    what from_dict checks a stored value against. Worked out once per class."""
    kinds: list[tuple[str, type | None]] = []
    for f in dataclasses.fields(cls):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        kind = next((k for k in (list, bool, int, str) if isinstance(default, k)), None)
        kinds.append((f.name, kind))
    return tuple(kinds)


@dataclass(slots=True)
class Record:
    """Fields every record has. Subclasses declare their own fields and checks."""

    PREFIX: ClassVar[str] = "r"
    id: str = ""
    created: str = ""
    updated: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _copy(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def to_stored(self) -> dict[str, Any]:
        """The document the journal keeps (in memory and on disk): :meth:`to_dict`, except
        that a Contact leaves out its empty fields (see SPARSE_FIELDS)."""
        return self.to_dict()

    @classmethod
    def from_dict(cls: type[T], data: Any) -> T:
        """Build and validate a record; missing fields take their defaults, unknown ones are ignored."""
        if not isinstance(data, dict):
            raise ValidationError({"record": "must be a JSON object"})
        errors: dict[str, str] = {}
        kwargs: dict[str, Any] = {}
        for name, kind in _field_kinds(cls):  # type: ignore[arg-type]  # classes hash
            value = data.get(name)
            if value is None:
                continue
            if kind is list:
                kwargs[name] = _str_list(value, name, errors)
            elif kind is bool:
                if value is not True and value is not False:
                    errors[name] = "must be true or false"
                else:
                    kwargs[name] = value
            elif kind is int:
                if type(value) is not int and (isinstance(value, bool) or not isinstance(value, int)):
                    errors[name] = f"must be a whole number, not {value!r}"
                else:
                    kwargs[name] = value
            elif kind is str:
                if type(value) is not str and not isinstance(value, str):
                    errors[name] = f"must be text, not {type(value).__name__}"
                else:
                    kwargs[name] = value
        if errors:
            raise ValidationError(errors)
        record = cls(**kwargs)
        record.validate()
        return record

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for name in ("created", "updated"):
            value = getattr(self, name)
            if value:
                try:
                    datetime.fromisoformat(value.replace("Z", "+00:00"))
                except ValueError:
                    errors[name] = f"not an ISO timestamp: {value!r}"
        return errors

    def validate(self) -> None:
        errors = self.problems()
        if errors:
            raise ValidationError(errors)

    def stamped(self: T, *, now: str | None = None) -> T:
        """A copy with an id (if it had none) and created/updated timestamps set."""
        now = now or utc_now()
        rec = dataclasses.replace(self)
        if not rec.id:
            rec.id = new_id(self.PREFIX)
        if not rec.created:
            rec.created = now
        rec.updated = now
        return rec


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


@dataclass(slots=True)
class Contact(Record):
    PREFIX: ClassVar[str] = "c"
    name: str = ""
    aliases: list[str] = field(default_factory=list)
    org: str = ""
    role: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    birthday: str = ""  # "1990-04-15", or "--04-15" when the year is unknown
    how_met: str = ""
    circle: str = "active"
    cadence_days: int = 0  # keep in touch every N days; 0: the circle's default
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    asks: list[str] = field(default_factory=list)  # open needs: "looking for a designer"
    snoozed_until: str = ""
    archived: bool = False

    def problems(self) -> dict[str, str]:
        errors = Record.problems(self)
        if not self.name.strip():
            errors["name"] = "a name is required"
        elif len(self.name) > 200:
            errors["name"] = "longer than 200 characters"
        _check_choice(self.circle, CIRCLES, "circle", errors)
        if self.birthday:
            if not _BDAY.match(self.birthday):
                errors["birthday"] = f"not a birthday: {self.birthday!r} (1990-04-15 or --04-15)"
            else:
                y = 2000 if self.birthday.startswith("--") else int(self.birthday[:4])
                try:
                    date(y, int(self.birthday[-5:-3]), int(self.birthday[-2:]))
                except ValueError:
                    errors["birthday"] = f"no such day: {self.birthday}"
        for e in self.emails:
            if not _EMAIL.match(e):
                errors["emails"] = f"not an email address: {e!r}"
                break
        if self.cadence_days < 0 or self.cadence_days > 3650:
            errors["cadence_days"] = "must be between 0 and 3650 days"
        _check_when(self.snoozed_until, "snoozed_until", errors, required=False)
        return errors

    def to_stored(self) -> dict[str, Any]:
        # Built anew, not by deleting keys from to_dict(): a dict never shrinks when keys go.
        doc: dict[str, Any] = {}
        for name in _CONTACT_FIELDS:
            value = getattr(self, name)
            if name not in _SPARSE or value != _CONTACT_DEFAULTS[name]:
                doc[name] = _copy(value)
        return doc

    @property
    def effective_cadence(self) -> int:
        return self.cadence_days or CIRCLE_CADENCE_DAYS.get(self.circle, 0)


@dataclass(slots=True)
class Interaction(Record):
    PREFIX: ClassVar[str] = "i"
    date: str = ""  # "2024-03-05" or "2024-03-05T15:30"
    contact_ids: list[str] = field(default_factory=list)
    kind: str = "other"
    text: str = ""  # Markdown
    minutes: int = 0
    follow_up: str = ""
    tags: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)

    def problems(self) -> dict[str, str]:
        errors = Record.problems(self)
        _check_when(self.date, "date", errors, required=True)
        if not self.contact_ids:
            errors["contact_ids"] = "at least one person is required"
        _check_choice(self.kind, INTERACTION_KINDS, "kind", errors)
        if self.minutes < 0 or self.minutes > 24 * 60:
            errors["minutes"] = "must be between 0 and 1440"
        _check_when(self.follow_up, "follow_up", errors, required=False)
        return errors


@dataclass(slots=True)
class Favour(Record):
    PREFIX: ClassVar[str] = "f"
    date: str = ""
    contact_id: str = ""
    direction: str = "given"
    kind: str = "other"
    text: str = ""
    weight: int = 2
    interaction_id: str = ""

    def problems(self) -> dict[str, str]:
        errors = Record.problems(self)
        _check_when(self.date, "date", errors, required=True)
        if not self.contact_id:
            errors["contact_id"] = "a person is required"
        if self.direction not in DIRECTIONS:
            errors["direction"] = f"must be given or received, not {self.direction!r}"
        _check_choice(self.kind, FAVOUR_KINDS, "kind", errors)
        if not 1 <= self.weight <= 5:
            errors["weight"] = f"must be from 1 to 5, not {self.weight}"
        return errors


RECORD_TYPES: dict[str, type[Record]] = {
    "contacts": Contact,
    "interactions": Interaction,
    "favours": Favour,
}

# Contact fields a stored document leaves out while they hold their default ("", [], 0,
# false, circle "active"): a journal of 600,000 people from a phone's address book holds
# mostly names and emails, and each default field costs its dict slot (an empty list more;
# five keys or fewer make a smaller dict), so leaving them out more than halves a person's
# document (bench/results/code_notes.md). Every reader fills them back in (``from_dict``,
# ``complete``, or ``.get`` with the default), as it always has for documents written before
# a field existed.
SPARSE_FIELDS: tuple[str, ...] = (
    "aliases", "org", "role", "emails", "phones", "birthday", "how_met", "circle", "cadence_days", "tags", "notes",
    "asks", "snoozed_until", "archived",
)


def complete(table: str, doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document with every field of its record (a copy): missing ones get their default."""
    if RECORD_TYPES.get(table) is not Contact or len(doc) >= len(_CONTACT_DEFAULTS):
        return dict(doc)
    out = {name: doc[name] if name in doc else _copy(default) for name, default in _CONTACT_DEFAULTS.items()}
    out.update(doc)  # keys the record does not know are kept, as dict(doc) keeps them
    return out


_CONTACT_DEFAULTS: dict[str, Any] = Contact().to_dict()
_CONTACT_FIELDS: tuple[str, ...] = tuple(_CONTACT_DEFAULTS)
_SPARSE = frozenset(SPARSE_FIELDS)
