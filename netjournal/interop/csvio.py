"""CSV in (Google Contacts, LinkedIn Connections, netjournal's own) and out (contacts,
interactions, favours).

The layout is recognised from the header row, which may follow a few lines of notes
(LinkedIn's export starts with some). In netjournal's CSV, a cell holding a list (emails,
tags...) has one item per line, and a cell a spreadsheet would run as a formula is written
with a leading apostrophe (removed again on import).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from netjournal.domain.dates import parse_birthday
from netjournal.domain.model import CIRCLES, Contact, Favour, Interaction
from netjournal.domain.safe import printable
from netjournal.domain.text import clean_line, fold
from netjournal.errors import NetjournalError, ValidationError
from netjournal.interop.parsed import Parsed, Problem

CONTACT_COLUMNS = (
    "id", "name", "aliases", "org", "role", "emails", "phones", "birthday", "how_met", "circle",
    "cadence_days", "tags", "notes", "asks", "snoozed_until", "archived", "created", "updated",
)
INTERACTION_COLUMNS = (
    "id", "date", "people", "contact_ids", "kind", "minutes", "tags", "follow_up", "asks", "text", "created", "updated",
)
FAVOUR_COLUMNS = (
    "id", "date", "person", "contact_id", "direction", "kind", "weight", "text", "interaction_id", "created", "updated",
)
LINKEDIN = ("First Name", "Last Name", "Connected On")
GOOGLE_MULTI = " ::: "
_HEADER_SCAN_ROWS = 25
_SAFE_SIGNED = re.compile(r"^[+-][\d\s().+-]*$")
_OUR_ID = re.compile(r"^c-[0-9a-f]{16}$")


# ----------------------------------------------------------------------------- cells
def guard(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if not value:
        return value
    first = value[0]
    if first in "=@\t\r" or (first in "+-" and not _SAFE_SIGNED.match(value)):
        return "'" + value
    if first == "'" and value[1:2] and (value[1] in "=@+-'\t\r"):
        return "'" + value
    return value


def unguard(value: str) -> str:
    if value[:1] == "'" and value[1:2] and value[1] in "=@+-'\t\r":
        return value[1:]
    return value


def _list_cell(values: Iterable[str]) -> str:
    return "\n".join(v.replace("\r", " ").replace("\n", " ") for v in values)


def _cell_list(value: str) -> list[str]:
    return [v.strip() for v in value.splitlines() if v.strip()]


def decode_text(raw: bytes) -> str:
    """UTF-8 (BOM or not) or UTF-16 with a BOM; anything else is read as Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


# ----------------------------------------------------------------------------- reading
Reader = Callable[[dict[str, str]], Contact]


def _detect(header: Sequence[str]) -> tuple[str, Reader] | None:
    cols = {h.strip() for h in header}
    if {"id", "name", "emails"} <= cols:
        return "netjournal CSV", _read_own
    if all(c in cols for c in LINKEDIN):
        return "LinkedIn Connections CSV", _read_linkedin
    google_keys = [c for c in cols if re.match(r"^(E-mail|Phone) \d+ - (Value|Type|Label)$", c)]
    if google_keys and ({"Name", "Given Name", "Family Name"} & cols or {"First Name", "Last Name"} & cols):
        return "Google Contacts CSV", _read_google
    return None


def _multi(value: str) -> list[str]:
    return [v.strip() for v in value.split(GOOGLE_MULTI) if v.strip()]


def _join_name(*parts: str) -> str:
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def _read_google(row: dict[str, str]) -> Contact:
    g = row.get
    c = Contact()
    c.name = _join_name(g("Name", "")) or _join_name(
        g("Given Name", "") or g("First Name", ""), g("Additional Name", "") or g("Middle Name", ""),
        g("Family Name", "") or g("Last Name", ""), g("Name Suffix", ""),
    )
    c.aliases = _multi(g("Nickname", ""))
    c.org = g("Organization Name", "") or g("Organization 1 - Name", "")
    c.role = g("Organization Title", "") or g("Organization 1 - Title", "")
    for key in sorted(row, key=_numbered):
        if re.match(r"^E-mail \d+ - Value$", key):
            c.emails += _multi(row[key] or "")
        elif re.match(r"^Phone \d+ - Value$", key):
            c.phones += _multi(row[key] or "")
    c.birthday = g("Birthday", "").strip()
    c.notes = g("Notes", "").strip()
    labels = _multi(g("Labels", "") or g("Group Membership", ""))
    c.tags = [t for t in labels if not t.startswith("*") and fold(t) not in ("mycontacts", "starred")]
    c.name = c.name or (c.aliases[0] if c.aliases else "") or c.org or (c.emails[0] if c.emails else "")
    return c


def _numbered(key: str) -> tuple[int, str]:
    m = re.search(r"(\d+)", key)
    return (int(m.group(1)) if m else 0, key)


def _read_linkedin(row: dict[str, str]) -> Contact:
    g = row.get
    c = Contact(name=_join_name(g("First Name", ""), g("Last Name", "")))
    c.org = (g("Company", "") or "").strip()
    c.role = (g("Position", "") or "").strip()
    email = (g("Email Address", "") or "").strip()
    c.emails = [email] if email else []
    connected = (g("Connected On", "") or "").strip()
    if connected:
        when = connected
        for fmt in ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y"):
            try:
                when = datetime.strptime(connected, fmt).date().isoformat()
                break
            except ValueError:
                continue
        c.how_met = f"LinkedIn (connected {when})"
    url = (g("URL", "") or "").strip()
    if url:
        c.notes = f"LinkedIn: {url}"
    c.name = c.name or (c.emails[0] if c.emails else "")
    return c


def _read_own(row: dict[str, str]) -> Contact:
    v = {k: unguard(row.get(k) or "") for k in CONTACT_COLUMNS}
    cadence = v["cadence_days"].strip()
    if cadence and not (cadence.isascii() and cadence.isdigit()):
        raise ValidationError(f"not a number of days: {cadence!r}", field="cadence_days")
    circle = v["circle"].strip().lower() or "active"
    if circle not in CIRCLES:
        raise ValidationError(f"must be one of {', '.join(CIRCLES)}, not {v['circle']!r}", field="circle")
    return Contact(
        id=v["id"].strip() if _OUR_ID.match(v["id"].strip()) else "",
        name=" ".join(v["name"].split()),
        aliases=_cell_list(v["aliases"]),
        org=v["org"].strip(),
        role=v["role"].strip(),
        emails=_cell_list(v["emails"]),
        phones=_cell_list(v["phones"]),
        birthday=v["birthday"].strip(),
        how_met=v["how_met"].strip(),
        circle=circle,
        cadence_days=int(cadence or 0),
        tags=_cell_list(v["tags"]),
        notes=v["notes"].strip(),
        asks=_cell_list(v["asks"]),
        snoozed_until=v["snoozed_until"].strip(),
        archived=v["archived"].strip().lower() in ("yes", "true", "1"),
    )


def parse_contacts_csv(raw: bytes, *, source: str, skip_bad: bool = False) -> Parsed:
    """People of a Google, LinkedIn or netjournal CSV; the layout is found from the header."""
    text = decode_text(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    detected: tuple[str, Reader] | None = None
    first_seen: list[str] | None = None
    try:
        for _ in range(_HEADER_SCAN_ROWS):
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue
            first_seen = first_seen or row
            detected = _detect(row)
            if detected:
                header = [h.strip() for h in row]
                break
        if detected is None or header is None:
            if first_seen is None:
                raise NetjournalError(f"{source} is empty: no header row")
            shown = ", ".join(clean_line(c).strip()[:20] for c in first_seen[:6])
            shown += ", ..." if len(first_seen) > 6 else ""
            raise NetjournalError(
                f"{source}: unknown CSV layout (first row: {shown}); netjournal reads Google Contacts, "
                "LinkedIn Connections and its own contacts CSV"
            )
        kind, read = detected
        parsed = Parsed(source, kind)
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = dict(zip(header, row, strict=False))
            where = f"line {line}"
            try:
                contact = read(cells)
                where = f"line {line} ({contact.name})" if contact.name else where
                if contact.birthday:
                    contact.birthday = parse_birthday(contact.birthday)
            except ValidationError as exc:
                parsed.fail_or_skip(Problem(where, str(exc)), skip_bad)
                continue
            if parsed.accepts(where, contact, "no name, email or organisation", skip_bad):
                parsed.people.append((where, contact))
    except csv.Error as exc:
        raise NetjournalError(f"{source}: line {reader.line_num}: not readable as CSV ({exc})") from None
    return parsed


# ----------------------------------------------------------------------------- writing
def _write(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        # A cell keeps its newlines (quoted) and tabs; other control characters are shown visibly.
        writer.writerow([guard(printable(v)) if isinstance(v, str) else v for v in row])
    return buf.getvalue().encode("utf-8")


def dump_contacts_csv(contacts: Iterable[Contact]) -> bytes:
    def row(c: Contact) -> list[Any]:
        return [
            c.id, c.name, _list_cell(c.aliases), c.org, c.role, _list_cell(c.emails), _list_cell(c.phones),
            c.birthday, c.how_met, c.circle, c.cadence_days or "", _list_cell(c.tags), c.notes, _list_cell(c.asks),
            c.snoozed_until, "yes" if c.archived else "", c.created, c.updated,
        ]

    return _write(CONTACT_COLUMNS, (row(c) for c in contacts))


def dump_interactions_csv(interactions: Iterable[Interaction], names: dict[str, str]) -> bytes:
    def row(i: Interaction) -> list[Any]:
        return [
            i.id, i.date, _list_cell(names.get(c, c) for c in i.contact_ids), _list_cell(i.contact_ids), i.kind,
            i.minutes or "", _list_cell(i.tags), i.follow_up, _list_cell(i.asks), i.text, i.created, i.updated,
        ]

    return _write(INTERACTION_COLUMNS, (row(i) for i in interactions))


def dump_favours_csv(favours: Iterable[Favour], names: dict[str, str]) -> bytes:
    def row(f: Favour) -> list[Any]:
        return [
            f.id, f.date, names.get(f.contact_id, f.contact_id), f.contact_id, f.direction, f.kind, f.weight, f.text,
            f.interaction_id, f.created, f.updated,
        ]

    return _write(FAVOUR_COLUMNS, (row(f) for f in favours))
