"""People by what a person types: filtering as you type, and resolving a name in any script
(the domain's one resolver, as the capture line uses it) to the stored person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from netjournal.domain.model import Contact
from netjournal.domain.people import ContactIndex, ambiguous_message, contact_haystack, not_found_message, quoted
from netjournal.domain.text import fold
from netjournal.errors import AmbiguousError, NotFoundError


def filtered(people: list[Contact], text: str) -> list[Contact]:
    """The people whose name, aliases, organisation or tags contain ``text`` (folded)."""
    needle = fold(text.strip())
    if not needle:
        return people
    return [c for c in people if needle in contact_haystack(c)]


def resolve(raw: dict[str, dict[str, Any]], index: Callable[[], ContactIndex], ref: str) -> Contact:
    """The person ``ref`` names (an id, a name, an alias, a slug, a unique first word), a fresh
    copy; ``index`` is asked for only when ``ref`` is not an id (building it reads everyone).
    Raises NotFoundError with the closest names, or AmbiguousError listing candidates."""
    ref = ref.strip().lstrip("@").strip('"')
    if not ref:
        raise NotFoundError("no name given")
    if ref in raw:
        return Contact.from_dict(raw[ref])
    found = index()(ref)
    if found.contact is not None:
        return Contact.from_dict(raw[found.contact.id])
    if found.ambiguous:
        # People share names: a repeated name is told apart by its id (which resolves),
        # and its organisation when it has one.
        message = ambiguous_message(quoted(ref), found, "a shared name: give the id instead")
        raise AmbiguousError(message, [Contact.from_dict(raw[cid]) for cid in found.ids])
    raise NotFoundError(not_found_message(ref, found))
