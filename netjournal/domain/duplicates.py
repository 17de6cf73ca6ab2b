"""Someone already in the journal under the same name or email (a warning, never a refusal:
people do share names)."""

from __future__ import annotations

from collections.abc import Iterable

from netjournal.domain.model import Contact
from netjournal.domain.text import fold


def name_key(name: str) -> str:
    """A name up to case, accents and spacing."""
    return fold(" ".join(name.split()))


def same_person(others: Iterable[Contact], contact: Contact) -> dict[str, str]:
    """A sentence per field ("name", "emails") naming the people in ``others`` who have the
    same name or one of the same email addresses as ``contact`` (empty: nobody)."""
    key = name_key(contact.name)
    emails = {e.strip().lower() for e in contact.emails}
    by_name = [c for c in others if name_key(c.name) == key]
    by_email = [c for c in others if emails & {e.strip().lower() for e in c.emails}]
    out: dict[str, str] = {}
    if by_name:
        out["name"] = f"you already have {_who(by_name)} named {by_name[0].name}"
    if by_email:
        shared = sorted(emails & {e.strip().lower() for c in by_email for e in c.emails})
        out["emails"] = f"{', '.join(shared)} is already {_names(by_email)}'s"
    return out


def _who(people: list[Contact]) -> str:
    ids = ", ".join(f"{c.id}, archived" if c.archived else c.id for c in people)
    return f"a contact ({ids})" if len(people) == 1 else f"{len(people)} contacts ({ids})"


def _names(people: list[Contact]) -> str:
    return " and ".join(c.name for c in people)
