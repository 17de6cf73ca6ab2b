"""The journal as Markdown anyone can read without netjournal.

* :func:`journal_document`: one document: the people, then every interaction and favour by
  month and day, oldest first.
* :func:`contact_documents`: one file per person (their details, favours and interactions)
  plus an ``index.md`` linking them.

Interaction texts are Markdown already and are kept as written; names and other one-line
fields are escaped so that a ``*`` or ``[`` in a name prints as itself. No control character
reaches the file: one-line fields go through ``clean_line`` and each document through
``printable`` (newlines and tabs kept, anything else shown by a visible stand-in).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from netjournal.domain.dates import format_cadence, format_minutes, format_when
from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.domain.safe import printable
from netjournal.domain.text import clean_line, counted, slug
from netjournal.interop.export_records import stored_records

if TYPE_CHECKING:
    from netjournal.store.journal import Journal

_BLANKS = re.compile(r"\n{3,}")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


@lru_cache(maxsize=65536)
def esc(text: str) -> str:
    """One line of user text, safe inline in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", clean_line(text)).strip()


def _day_title(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _birthday(value: str) -> str:
    if value.startswith("--"):
        d = date(2000, int(value[2:4]), int(value[5:7]))
        return f"{d.day} {d:%B}"
    d = date.fromisoformat(value)
    return f"{d.day} {d:%B %Y}"


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.strip().splitlines())


def contact_details(c: Contact, favours: Sequence[Favour] = ()) -> list[str]:
    """The bullet lines describing a person."""
    lines: list[str] = []

    def add(label: str, value: str) -> None:
        if value:
            lines.append(f"- **{label}:** {value}")

    add("Also known as", ", ".join(esc(a) for a in c.aliases))
    add("Organisation", " — ".join(esc(v) for v in (c.org, c.role) if v))
    add("Email", ", ".join(esc(e) for e in c.emails))
    add("Phone", ", ".join(esc(p) for p in c.phones))
    add("Birthday", _birthday(c.birthday) if c.birthday else "")
    add("How we met", esc(c.how_met))
    cadence = format_cadence(c.effective_cadence)
    add("Circle", c.circle + (f", keep in touch {cadence}" if cadence else ""))
    add("Tags", " ".join(f"#{esc(t)}" for t in c.tags))
    add("Asks", "; ".join(esc(a) for a in c.asks))
    if favours:
        given = sum(1 for f in favours if f.direction == "given")
        add("Favours", f"{given} given, {len(favours) - given} received")
    add("Archived", "yes" if c.archived else "")
    return lines


def _interaction_lines(i: Interaction, names: dict[str, str], *, with_date: bool = False) -> list[str]:
    who = ", ".join(esc(names.get(cid, cid)) for cid in i.contact_ids)
    bits = [f"**{i.kind.capitalize()}** with {who}"]
    if with_date:
        bits.insert(0, format_when(i.date))
    elif "T" in i.date:
        bits.insert(0, i.date[11:16])
    if i.minutes:
        bits.append(format_minutes(i.minutes))
    if i.tags:
        bits.append(" ".join(f"#{esc(t)}" for t in i.tags))
    out = ["- " + " · ".join(bits)]
    if i.text.strip():
        out += ["", _indent(i.text), ""]
    if i.follow_up:
        out.append(f"  - follow up on {i.follow_up}")
    for ask in i.asks:
        out.append(f"  - asks: {esc(ask)}")
    return out


def _favour_line(f: Favour, names: dict[str, str], *, with_date: bool = False) -> str:
    arrow = "given to" if f.direction == "given" else "received from"
    text = f": {esc(f.text)}" if f.text.strip() else ""
    when = f"{f.date} · " if with_date else ""
    return f"- {when}Favour {arrow} {esc(names.get(f.contact_id, f.contact_id))} ({f.kind}, weight {f.weight}){text}"


def journal_document(
    contacts: Sequence[Contact],
    interactions: Iterable[Interaction],
    favours: Iterable[Favour],
    *,
    today: date,
    names: dict[str, str] | None = None,
) -> str:
    """One readable document: people, then the journal by month and day (oldest first)."""
    names = names if names is not None else {c.id: c.name for c in contacts}
    ix = sorted(interactions, key=lambda i: (i.date, i.id))
    favs = sorted(favours, key=lambda f: (f.date, f.id))
    fav_by_person: dict[str, list[Favour]] = {}
    for f in favs:
        fav_by_person.setdefault(f.contact_id, []).append(f)
    out = [
        "# Journal",
        "",
        f"Written by netjournal on {today.isoformat()}: {counted(len(contacts), 'person')}, "
        f"{counted(len(ix), 'interaction')}, {counted(len(favs), 'favour')}.",
        "",
        "## People",
        "",
    ]
    for c in contacts:
        out += [f"### {esc(c.name)}", "", *contact_details(c, fav_by_person.get(c.id, []))]
        if c.notes.strip():
            out += ["", c.notes.strip()]
        out.append("")
    days: dict[str, tuple[list[Interaction], list[Favour]]] = {}
    for i in ix:
        days.setdefault(i.date[:10], ([], []))[0].append(i)
    for f in favs:
        days.setdefault(f.date[:10], ([], []))[1].append(f)
    month = ""
    for day in sorted(days):
        d = date.fromisoformat(day)
        if day[:7] != month:
            month = day[:7]
            out += [f"## {d:%B %Y}", ""]
        out += [f"### {_day_title(d)}", ""]
        day_ix, day_favs = days[day]
        for i in day_ix:
            out += _interaction_lines(i, names)
        for f in day_favs:
            out.append(_favour_line(f, names))
        out.append("")
    return _tidy(out)


def _tidy(lines: list[str]) -> str:
    """Join lines with at most one blank line between blocks; no control character but newline and tab."""
    return printable(_BLANKS.sub("\n\n", "\n".join(lines)).rstrip() + "\n")


FILE_NAME_BYTES = 120  # of a name's part of a file name (UTF-8): disks take 255, the id may follow


def _file_base(c: Contact) -> str:
    """The name's slug in its own script ("ольга-петрова", "王小明"), at most FILE_NAME_BYTES,
    never cut between a letter and its marks; the id for a name with no letters or digits."""
    base = slug(c.name)
    if len(base.encode()) > FILE_NAME_BYTES:
        cut = len(base.encode()[:FILE_NAME_BYTES].decode(errors="ignore"))
        # Back to before a letter whose marks would be cut off, or that a virama joins to the one before.
        while cut > 0 and (unicodedata.category(base[cut])[0] == "M" or unicodedata.combining(base[cut - 1]) == 9):
            cut -= 1
        base = base[:cut].rstrip("-")
    return base or c.id


def contact_file_names(contacts: Sequence[Contact]) -> dict[str, str]:
    """Contact id -> file name ("ana-silva.md"); a name shared by two gets the id too."""
    bases = {c.id: _file_base(c) for c in contacts}
    taken: dict[str, int] = {"index": 1}
    for base in bases.values():
        taken[base] = taken.get(base, 0) + 1
    return {cid: f"{base}-{cid}.md" if taken[base] > 1 else f"{base}.md" for cid, base in bases.items()}


def contact_document(
    c: Contact, interactions: Iterable[Interaction], favours: Sequence[Favour], names: dict[str, str]
) -> str:
    out = [f"# {esc(c.name)}", "", *contact_details(c, favours)]
    if c.notes.strip():
        out += ["", "## Notes", "", c.notes.strip()]
    if favours:
        out += ["", "## Favours", ""]
        out += [_favour_line(f, names, with_date=True) for f in sorted(favours, key=lambda f: (f.date, f.id))]
    ix = sorted(interactions, key=lambda i: (i.date, i.id))
    if ix:
        out += ["", "## Interactions", ""]
        for i in ix:
            out += _interaction_lines(i, names, with_date=True)
    return _tidy(out)


def contact_documents(journal: Journal, contacts: Sequence[Contact], *, today: date) -> dict[str, str]:
    """File name -> Markdown: one file per person, and ``index.md`` linking them."""
    names = {c.id: c.name for c in journal.contacts(archived=True)}
    wanted = {c.id for c in contacts}
    ix_of: dict[str, list[Interaction]] = {}
    for i in stored_records(journal, Interaction):  # one pass, not one query per person
        for cid in i.contact_ids:
            if cid in wanted:
                ix_of.setdefault(cid, []).append(i)
    fav_of: dict[str, list[Favour]] = {}
    for f in stored_records(journal, Favour):
        if f.contact_id in wanted:
            fav_of.setdefault(f.contact_id, []).append(f)
    files = contact_file_names(contacts)
    docs: dict[str, str] = {}
    index = ["# People", "", f"Written by netjournal on {today.isoformat()}: {counted(len(contacts), 'person')}.", ""]
    for c in contacts:
        docs[files[c.id]] = contact_document(c, ix_of.get(c.id, []), fav_of.get(c.id, []), names)
        index.append(f"- [{esc(c.name)}]({files[c.id]})")
    docs["index.md"] = "\n".join(index) + "\n"
    return docs
