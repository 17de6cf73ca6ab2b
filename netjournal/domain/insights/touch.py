"""Keep in touch: where each person stands against their cadence, and who is overdue."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from netjournal.domain.insights.records import day_of, folded
from netjournal.domain.model import Contact


@dataclass(frozen=True, slots=True)
class TouchStatus:
    """Where one person stands against their keep-in-touch cadence."""

    contact_id: str
    name: str
    circle: str
    cadence_days: int
    last_contact: date | None  # the latest interaction on or before today
    due: date  # last contact (or the day they were added) + cadence
    days_overdue: int  # > 0: overdue by that many days; <= 0: due in -days_overdue days
    snoozed_until: date | None  # set while a snooze is running

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def drifting(self) -> bool:
        """The cadence has lapsed (whether or not a snooze hides it from the overdue list)."""
        return self.days_overdue > 0

    @property
    def snoozed(self) -> bool:
        return self.snoozed_until is not None


def snoozed_until(contact: Contact, today: date) -> date | None:
    """The snooze end if a snooze is running today (it ends at the start of that day)."""
    if not contact.snoozed_until:
        return None
    end = day_of(contact.snoozed_until)
    return end if end > today else None


def touch_status(contact: Contact, last_contact: date | None, today: date) -> TouchStatus | None:
    """None when the person has no cadence. Any interaction restarts the clock; someone never
    met is counted from the day they were added (or is due today if that is unknown)."""
    cadence = contact.effective_cadence
    if cadence <= 0:
        return None
    if last_contact is not None:
        start = last_contact
    elif contact.created:
        start = day_of(contact.created)
    else:
        start = today - timedelta(days=cadence)
    due = start + timedelta(days=cadence)
    return TouchStatus(
        contact_id=contact.id, name=contact.name, circle=contact.circle, cadence_days=cadence,
        last_contact=last_contact, due=due, days_overdue=(today - due).days,
        snoozed_until=snoozed_until(contact, today),
    )


def overdue(
    contacts: Iterable[Contact],
    last_contact: Callable[[str], date | None],
    today: date,
    *,
    snoozed: bool = False,
    statuses: Mapping[str, TouchStatus | None] | None = None,
) -> list[TouchStatus]:
    """People past their cadence, most overdue first (then by name). Archived people never
    appear; snoozed people only with ``snoozed=True``. ``statuses`` may hold each person's
    :func:`touch_status` already computed."""
    out: list[TouchStatus] = []
    for c in contacts:
        if c.archived:
            continue
        st = statuses[c.id] if statuses is not None else touch_status(c, last_contact(c.id), today)
        if st is None or not st.overdue or (st.snoozed and not snoozed):
            continue
        out.append(st)
    out.sort(key=lambda s: (-s.days_overdue, folded(s.name), s.contact_id))
    return out
