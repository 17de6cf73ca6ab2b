"""vCard 2.1, 3.0 and 4.0 in, vCard 4.0 out (vobject does the lexing and the writing).

Reading: the file is read a block at a time and cut into cards by their BEGIN/END lines as
they come (so a damaged card is named by its number and line, and a 50 MB file is never held
whole: interop/stream.py decodes its lines), each card's lines are unfolded and parsed by vobject (folding,
quoted-printable soft breaks, parameters, ``item1.`` groups, charsets), and the values are
decoded here (vobject's text decoding keeps only the first of several NICKNAMEs).
Photos, addresses and other properties without a place in a contact are ignored.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from netjournal.domain.dates import parse_birthday
from netjournal.domain.model import CIRCLES, Contact
from netjournal.domain.safe import printable
from netjournal.domain.text import fold
from netjournal.errors import NetjournalError, ValidationError
from netjournal.interop.parsed import Parsed, Problem
from netjournal.interop.stream import text_lines

_BEGIN = re.compile(r"^\s*begin\s*:\s*vcard\s*$", re.I)
_END = re.compile(r"^\s*end\s*:\s*vcard\s*$", re.I)
_OUR_ID = re.compile(r"^c-[0-9a-f]{16}$")
_BDAY_BASIC = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_BDAY_NOYEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
SYSTEM_GROUPS = {"mycontacts", "starred"}


# ----------------------------------------------------------------------------- values
def split_value(value: str, sep: str | None) -> list[str]:
    """Unescape a vCard value (\\n, \\, \\; \\\\) and split it on unescaped ``sep``."""
    parts: list[str] = []
    buf: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            buf.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        if sep is not None and ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return [p.replace("\r\n", "\n").replace("\r", "\n") for p in parts]


def unescape(value: str) -> str:
    return split_value(value, None)[0]


# ----------------------------------------------------------------------------- reading
def _cards(lines: Iterable[str], parsed: Parsed, skip_bad: bool) -> Iterator[tuple[int, int, list[str]]]:
    """(card number, first line number, the card's lines) for each BEGIN..END block, as
    each is read (one card's lines are held at a time)."""
    current: list[str] | None = None
    start = depth = count = 0
    for n, line in enumerate(lines, 1):
        if current is None:
            if _BEGIN.match(line):
                current, start, depth = [line], n, 1
            elif line.strip():
                parsed.fail_or_skip(Problem(f"line {n}", f"text outside a card: {line.strip()[:40]!r}"), skip_bad)
            continue
        current.append(line)
        if _BEGIN.match(line):
            depth += 1
        elif _END.match(line):
            depth -= 1
            if depth == 0:
                count += 1
                yield count, start, current
                current = None
    if current is not None:
        cut_short = Problem(f"card {count + 1} (line {start})", "no END:VCARD: the file is cut short")
        parsed.fail_or_skip(cut_short, skip_bad)


def _content_lines(card_lines: list[str], first_line: int) -> list[Any]:
    from vobject.base import getLogicalLines, textLineToContentLine

    out = []
    text = "\n".join(card_lines) + "\n"
    for logical, n in getLogicalLines(io.StringIO(text), True):
        lineno = first_line + max(n, 1) - 1
        try:
            out.append(textLineToContentLine(logical, lineno))
        except Exception as exc:  # vobject raises ParseError, codecs raise Unicode/Lookup errors
            shown = logical.split("\n")[0][:50]
            kind = exc.__class__.__name__
            reason = "unreadable" if kind == "ParseError" else f"undecodable ({kind})"
            raise _CardError(f"line {lineno}: {reason} property {shown!r}") from None
    return out


class _CardError(Exception):
    pass


def _birthday(value: str, params: dict[str, list[str]]) -> str:
    raw = value.strip()
    m = _BDAY_NOYEAR.match(raw)
    if m:
        return parse_birthday(f"--{m.group(1)}-{m.group(2)}")
    m2 = _BDAY_BASIC.match(raw)
    if m2:
        year, month, day = m2.groups()
        omit = params.get("X-APPLE-OMIT-YEAR", [])
        if year in omit or year == "0000":  # (Apple's 1604 means "no year" only with its mark)
            return parse_birthday(f"--{month}-{day}")
        return parse_birthday(f"{year}-{month}-{day}")
    return parse_birthday(raw)


def _card_to_contact(lines: list[Any]) -> Contact:
    card = _Card()
    for line in lines:
        read = _PROPERTIES.get(line.name.upper())
        if read is not None:
            value = line.value if isinstance(line.value, str) else ""
            read(card, value, {k.upper(): v for k, v in line.params.items()})
    return card.contact()


@dataclass
class _Card:
    """What a card's lines say, gathered line by line (the first FN, N, ORG, TITLE and ROLE win)."""

    c: Contact = field(default_factory=Contact)
    fn: str = ""
    n_name: str = ""
    title: str = ""
    role: str = ""
    notes: list[str] = field(default_factory=list)

    def contact(self) -> Contact:
        c = self.c
        c.role = self.title or self.role
        c.notes = "\n\n".join(self.notes)
        first_alias = c.aliases[0] if c.aliases else ""
        c.name = self.fn or self.n_name or first_alias or c.org or (c.emails[0] if c.emails else "")
        c.aliases = _dedupe([a for a in c.aliases if fold(a) != fold(c.name)])
        c.emails = _dedupe(c.emails)
        c.phones = _dedupe(c.phones)
        # Google puts every card in "myContacts" (and some in "starred"): groups, not tags. A
        # card netjournal wrote (its id) keeps them: there they are the person's own tags.
        ours = bool(_OUR_ID.match(c.id))
        c.tags = _dedupe([t for t in c.tags if ours or fold(t) not in SYSTEM_GROUPS])
        return c

    def read_fn(self, value: str, params: dict[str, Any]) -> None:
        self.fn = self.fn or " ".join(unescape(value).split())

    def read_n(self, value: str, params: dict[str, Any]) -> None:
        parts = [" ".join(p.replace(",", " ").split()) for p in split_value(value, ";")] + [""] * 5
        family, given, additional, _prefix, suffix = parts[:5]
        self.n_name = self.n_name or " ".join(p for p in (given, additional, family, suffix) if p)

    def read_nickname(self, value: str, params: dict[str, Any]) -> None:
        self.c.aliases += [a.strip() for a in split_value(value, ",") if a.strip()]

    def read_org(self, value: str, params: dict[str, Any]) -> None:
        org = ", ".join(p.strip() for p in split_value(value, ";") if p.strip())
        self.c.org = self.c.org or org

    def read_title(self, value: str, params: dict[str, Any]) -> None:
        self.title = self.title or unescape(value).strip()

    def read_role(self, value: str, params: dict[str, Any]) -> None:
        self.role = self.role or unescape(value).strip()

    def read_email(self, value: str, params: dict[str, Any]) -> None:
        email = unescape(value).strip()
        email = email[7:] if email.lower().startswith("mailto:") else email
        if email:
            self.c.emails.append(email)

    def read_tel(self, value: str, params: dict[str, Any]) -> None:
        tel = unescape(value).strip()
        tel = tel[4:] if tel.lower().startswith("tel:") else tel
        if tel:
            self.c.phones.append(tel)

    def read_bday(self, value: str, params: dict[str, Any]) -> None:
        text = unescape(value).strip()
        if not text:
            return
        if "TEXT" in [v.upper() for v in params.get("VALUE", [])]:
            self.notes.append(f"Birthday: {text}")
            return
        try:
            self.c.birthday = _birthday(text, params)
        except ValidationError:
            raise _CardError(f"not a birthday: {text!r}") from None

    def read_note(self, value: str, params: dict[str, Any]) -> None:
        note = unescape(value).strip()
        if note:
            self.notes.append(note)

    def read_categories(self, value: str, params: dict[str, Any]) -> None:
        tags = (t.strip() for t in split_value(value, ","))
        self.c.tags += [t for t in tags if t]  # (Google's system groups are dropped at the end)

    def read_uid(self, value: str, params: dict[str, Any]) -> None:
        uid = unescape(value).strip()
        if _OUR_ID.match(uid):
            self.c.id = uid

    def read_how_met(self, value: str, params: dict[str, Any]) -> None:
        self.c.how_met = unescape(value).strip()

    def read_circle(self, value: str, params: dict[str, Any]) -> None:
        circle = unescape(value).strip().lower()
        if circle in CIRCLES:
            self.c.circle = circle

    def read_cadence(self, value: str, params: dict[str, Any]) -> None:
        days = unescape(value).strip()
        self.c.cadence_days = int(days) if days.isascii() and days.isdigit() and int(days) <= 3650 else 0

    def read_ask(self, value: str, params: dict[str, Any]) -> None:
        ask = unescape(value).strip()
        if ask:
            self.c.asks.append(ask)


# Each property a card may hold, and what reads it; others are left out.
_PROPERTIES: dict[str, Callable[[_Card, str, dict[str, Any]], None]] = {
    "FN": _Card.read_fn, "N": _Card.read_n, "NICKNAME": _Card.read_nickname, "ORG": _Card.read_org,
    "TITLE": _Card.read_title, "ROLE": _Card.read_role, "EMAIL": _Card.read_email, "TEL": _Card.read_tel,
    "BDAY": _Card.read_bday, "NOTE": _Card.read_note, "CATEGORIES": _Card.read_categories, "UID": _Card.read_uid,
    "X-NETJOURNAL-HOW-MET": _Card.read_how_met, "X-NETJOURNAL-CIRCLE": _Card.read_circle,
    "X-NETJOURNAL-CADENCE": _Card.read_cadence, "X-NETJOURNAL-ASK": _Card.read_ask,
}


def _dedupe(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for v in values:
        if fold(v) not in seen:
            seen.add(fold(v))
            out.append(v)
    return out


def iter_vcards(lines: Iterable[str], parsed: Parsed, *, skip_bad: bool = False) -> Iterator[tuple[str, Contact]]:
    """Every card of a vCard file's ``lines`` as (where, contact), each as soon as it is read.
    A damaged card refuses the file (NetjournalError naming the card and line), or with
    ``skip_bad`` is listed in ``parsed.skipped``; so does a file with no card at all (at its end)."""
    found = False
    for number, first, card_lines in _cards(lines, parsed, skip_bad):
        where = f"card {number} (line {first})"
        try:
            contact = _card_to_contact(_content_lines(card_lines, first))
        except _CardError as exc:
            parsed.fail_or_skip(Problem(where, str(exc)), skip_bad)
            continue
        if contact.name:
            where = f"card {number} (line {first}, {contact.name})"
        if parsed.accepts(where, contact, "no name (no FN, N, NICKNAME, ORG or EMAIL)", skip_bad):
            found = True
            yield where, contact
    if not found and not parsed.skipped:
        raise NetjournalError(f"{parsed.source} holds no vCard (no BEGIN:VCARD line)")


def parse_vcards(raw: bytes, *, source: str, skip_bad: bool = False) -> Parsed:
    """Every card of a vCard file, in a list (:func:`iter_vcards` reads a file as it goes)."""
    parsed = Parsed(source, "vCard")
    parsed.people = list(iter_vcards(text_lines(io.BytesIO(raw), source), parsed, skip_bad=skip_bad))
    return parsed


# ----------------------------------------------------------------------------- writing
def _escape_list(values: Iterable[str]) -> str:
    return ",".join(
        v.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
        for v in values
    )


def _printable_contact(c: Contact) -> Contact:
    """A copy of ``c`` whose text holds no control character (a vCard value may hold none):
    newlines and tabs stay (vobject escapes newlines), others become visible stand-ins."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(c):
        value = getattr(c, f.name)
        if isinstance(value, str):
            changes[f.name] = printable(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            changes[f.name] = [printable(v) for v in value]
    return dataclasses.replace(c, **changes)


def contact_to_vcard(c: Contact) -> str:
    """One vCard 4.0 (CRLF line ends, folded at 75 octets by vobject)."""
    import vobject
    from vobject.vcard import Name

    c = _printable_contact(c)
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("uid").value = c.id
    card.add("fn").value = c.name
    words = c.name.split()
    card.add("n").value = Name(family=words[-1] if len(words) > 1 else c.name, given=" ".join(words[:-1]))
    if c.aliases:
        nick = card.add("nickname")
        nick.value = _escape_list(c.aliases)
        nick.encoded = True
    if c.org:
        card.add("org").value = [c.org]
    if c.role:
        card.add("title").value = c.role
    for e in c.emails:
        card.add("email").value = e
    for p in c.phones:
        card.add("tel").value = p
    if c.birthday:
        day = c.birthday
        card.add("bday").value = "--" + day[2:].replace("-", "") if day.startswith("--") else day.replace("-", "")
    if c.notes:
        card.add("note").value = c.notes
    if c.tags:
        card.add("categories").value = list(c.tags)
    if c.how_met:
        card.add("x-netjournal-how-met").value = c.how_met
    if c.circle != "active":
        card.add("x-netjournal-circle").value = c.circle
    if c.cadence_days:
        card.add("x-netjournal-cadence").value = str(c.cadence_days)
    for ask in c.asks:
        card.add("x-netjournal-ask").value = ask
    text: str = card.serialize()
    return text


def dump_vcards(contacts: Iterable[Contact]) -> bytes:
    return "".join(contact_to_vcard(c) for c in contacts).encode("utf-8")
