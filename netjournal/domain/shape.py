"""A fast check of stored records: is each one something netjournal could have written?

For data that did not come through netjournal's write path (a hand edit of the file, a
change-log line): every field of the right JSON type (a list of text, text, a whole
number, true/false; never null), the values netjournal never writes otherwise (a circle,
a kind, a direction, a date, a weight in range), and, between records, no favour or
interaction naming a person who is not in the journal. The store refuses a journal with
such a record as damaged; reading it would crash commands far from the cause.

It checks the stored documents as they are (no dataclass is built: about a microsecond a
record); :meth:`Record.from_dict` remains the full validation of what a person types.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from datetime import date, datetime
from itertools import chain
from operator import itemgetter
from typing import Any

from netjournal.domain import model

Problem = tuple[str, str]  # (field, what is wrong)
Found = tuple[str, str, str]  # (record id, field, what is wrong)

_JSON_NAMES = {list: "a list", str: "text", int: "a number", float: "a number", bool: "true or false",
               dict: "an object", type(None): "null"}


class _Missing:
    """A field that is not there (allowed: it takes its default), unlike a null."""


_MISSING = _Missing()


def _type_problem(kind: type, value: Any) -> str:
    if kind is list:
        if type(value) is str:
            return "must be a list of strings, not a string"
        return "must be a list of strings"
    if kind is int:
        return f"must be a whole number, not {value!r}"
    if kind is bool:
        return "must be true or false"
    return f"must be text, not {_JSON_NAMES.get(type(value), type(value).__name__)}"


def _day(value: str) -> str:
    """'' if ``value`` is a date or date-time netjournal writes, else the problem."""
    if not model._WHEN.match(value):
        return f"not an ISO date: {value!r}"
    try:
        (datetime.fromisoformat if "T" in value else date.fromisoformat)(value)
    except ValueError:
        return f"no such date: {value}"
    return ""


def _birthday(value: str) -> str:
    if not model._BDAY.match(value):
        return f"not a birthday: {value!r}"
    try:
        date(2000 if value.startswith("--") else int(value[:4]), int(value[-5:-3]), int(value[-2:]))
    except ValueError:
        return f"no such day: {value}"
    return ""


def _one_of(options: tuple[str, ...]) -> Callable[[Any], str]:
    allowed = frozenset(options)
    return lambda v: "" if v in allowed else f"must be one of {', '.join(options)}, not {v!r}"


def _between(low: int, high: int) -> Callable[[Any], str]:
    return lambda v: "" if low <= v <= high else f"must be from {low} to {high}, not {v}"


def _optional(check: Callable[[str], str]) -> Callable[[Any], str]:
    return lambda v: check(v) if v else ""


def _required(what: str, check: Callable[[str], str] | None = None) -> Callable[[Any], str]:
    return lambda v: (check(v) if check else "") if v else f"{what} is required"


_DATE = _required("a date", _day)
_NAME = _required("a name", lambda v: "" if v.strip() else "a name is required")
_VALUES: dict[str, dict[str, Callable[[Any], str]]] = {
    "contacts": {"name": _NAME, "circle": _one_of(model.CIRCLES), "cadence_days": _between(0, 3650),
                 "birthday": _optional(_birthday), "snoozed_until": _optional(_day)},
    "interactions": {"date": _DATE, "contact_ids": _required("a person"), "kind": _one_of(model.INTERACTION_KINDS),
                     "minutes": _between(0, 24 * 60), "follow_up": _optional(_day)},
    "favours": {"date": _DATE, "contact_id": _required("a person"), "direction": _one_of(model.DIRECTIONS),
                "kind": _one_of(model.FAVOUR_KINDS), "weight": _between(1, 5)},
}
# Fields that must be there: a record without them is not one netjournal writes.
_PRESENT = {"contacts": ("name",), "interactions": ("date", "contact_ids"), "favours": ("date", "contact_id")}


class _Table:
    """The checks of one table, worked out once."""

    def __init__(self, table: str) -> None:
        kinds = model._field_kinds(model.RECORD_TYPES[table])  # type: ignore[arg-type]  # (classes hash)
        self.names = tuple(name for name, _ in kinds)
        self.kinds = tuple(kind or str for _, kind in kinds)
        self.good: set[tuple[type, ...]] = set()  # field type signatures seen to be right
        self.lists = tuple(n for n, k in zip(self.names, self.kinds, strict=True) if k is list)
        self.values = tuple(_VALUES[table].items())
        texts = [n for n, k in zip(self.names, self.kinds, strict=True) if k is str]
        self.texts = itemgetter(*texts) if len(texts) > 1 else None
        self.others = tuple((itemgetter(n), k) for n, k in zip(self.names, self.kinds, strict=True) if k is not str)
        self.present = _PRESENT[table]

    def clean(self, docs: Mapping[str, Mapping[str, Any]], keyed: bool) -> bool:
        """Whether every record passes (the same checks as :meth:`problem`, a field at a time)."""
        try:
            return self._clean_whole(docs, keyed)
        except (KeyError, TypeError):  # a record without some field (older), or a wrong type
            return self._clean_sparse(docs, keyed)

    def _clean_whole(self, docs: Mapping[str, Mapping[str, Any]], keyed: bool) -> bool:
        """:meth:`clean` for records that have every field (as netjournal writes them), with
        C-level passes only (bench/results/code_notes.md). Raises KeyError if a field is missing."""
        values = docs.values()
        if self.texts and not set(map(type, chain.from_iterable(map(self.texts, values)))) <= {str}:
            return False
        for getter, kind in self.others:
            if not set(map(type, map(getter, values))) <= {kind}:
                return False
        for name, check in self.values:
            got = map(itemgetter(name), values)
            seen = set(map(bool, got) if name in self.lists else got)  # (of a list only its emptiness)
            if any(map(check, seen)):
                return False
        for name in self.lists:  # (each a list by now)
            if not set(map(type, chain.from_iterable(map(itemgetter(name), values)))) <= {str}:
                return False
        return not keyed or list(map(itemgetter("id"), values)) == list(docs)

    def _clean_sparse(self, docs: Mapping[str, Mapping[str, Any]], keyed: bool) -> bool:
        values = docs.values()
        names, missing = self.names, (_MISSING,) * len(self.names)
        sigs = {tuple(map(type, map(d.get, names, missing))) for d in values}
        for sig in sigs - self.good:
            if any(t is not k and t is not _Missing for t, k in zip(sig, self.kinds, strict=True)):
                return False
            self.good.add(sig)
        try:
            for name in self.lists:
                "".join(chain.from_iterable(d.get(name, ()) for d in values))
        except TypeError:
            return False
        for name, check in self.values:
            if name in self.lists:  # (of a list only its emptiness is checked)
                seen: set[Any] = {_MISSING if name not in d else bool(d[name]) for d in values}
            else:
                seen = {d.get(name, _MISSING) for d in values}
            for value in seen:
                if value is _MISSING:
                    if name in self.present:
                        return False
                elif check(value):
                    return False
        return not keyed or all(d.get("id", k) == k for k, d in docs.items())

    def problem(self, key: str, doc: Mapping[str, Any], keyed: bool) -> Problem | None:
        values = tuple(map(doc.get, self.names, (_MISSING,) * len(self.names)))
        sig = tuple(map(type, values))
        if sig not in self.good:
            for name, kind, value in zip(self.names, self.kinds, values, strict=True):
                if value is not _MISSING and type(value) is not kind:
                    return name, _type_problem(kind, value)
            self.good.add(sig)
        try:
            for name in self.lists:
                "".join(doc.get(name, ()))
        except TypeError:
            return name, _type_problem(list, doc[name])
        for name, check in self.values:
            value = doc.get(name, _MISSING)
            if value is _MISSING:
                if name in self.present:
                    return name, "is missing"
                continue
            wrong = check(value)
            if wrong:
                return name, wrong
        if keyed and doc.get("id", key) != key:
            return "id", f"{doc.get('id')!r} is not the record's key {key!r}"
        return None


_TABLES: dict[str, _Table] = {}


def _table(name: str) -> _Table:
    checks = _TABLES.get(name)
    if checks is None:
        checks = _TABLES[name] = _Table(name)
    return checks


def record_problem(table: str, key: str, doc: Mapping[str, Any], *, keyed: bool = True) -> Problem | None:
    """What is wrong with one stored record of ``table`` (None: nothing; a table that holds
    no records of ours is not checked). ``keyed``: records are keyed by their own id."""
    if table not in model.RECORD_TYPES:
        return None
    return _table(table).problem(key, doc, keyed)


def table_problem(table: str, docs: Mapping[str, Mapping[str, Any]], *, keyed: bool = True) -> Found | None:
    """The first record of ``docs`` that is wrong, as (id, field, problem). The whole table
    is checked field by field first (set-building passes, fast: bench/results/code_notes.md); only a
    table with a problem is walked record by record to name it."""
    if table not in model.RECORD_TYPES:
        return None
    checks = _table(table)
    if checks.clean(docs, keyed):
        return None
    for key, doc in docs.items():
        wrong = checks.problem(key, doc, keyed)
        if wrong is not None:
            return key, *wrong
    return None  # pragma: no cover (clean() is never stricter than problem())


def people_named(table: str, doc: Mapping[str, Any]) -> Iterable[str]:
    """The contact ids a (checked) record names."""
    if table == "interactions":
        return doc.get("contact_ids", ())  # type: ignore[no-any-return]
    if table == "favours":
        cid = doc.get("contact_id")
        return (cid,) if cid else ()
    return ()


def stranger(table: str, key: str, doc: Mapping[str, Any], people: Container[str]) -> Found | None:
    """(id, field, problem) if the record names a person not in ``people``."""
    for cid in people_named(table, doc):
        if cid not in people:
            return key, "contact_id" if table == "favours" else "contact_ids", f"no person with id {cid!r}"
    return None


def strangers(
    tables: Mapping[str, Mapping[str, Mapping[str, Any]]], people: Container[str]
) -> tuple[str, Found] | None:
    """The first (table, (id, field, problem)) whose record names a person not in ``people``."""
    for table in ("interactions", "favours"):
        docs = tables.get(table) or {}
        if table == "interactions":
            named: set[str] = set().union(*(d.get("contact_ids", ()) for d in docs.values()))
        else:
            named = {d.get("contact_id", "") for d in docs.values()}
        if all(cid in people for cid in named):
            continue
        for key, doc in docs.items():
            found = stranger(table, key, doc, people)
            if found is not None:
                return table, found
    return None
