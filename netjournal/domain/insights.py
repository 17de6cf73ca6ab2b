"""What the journal says about your network: pure functions over records.

Every function takes ``today`` (nothing reads the clock) and plain records, so each measure
is tested with fixed dates. Results are frozen dataclasses a screen or a command renders
as it likes (orjson serialises them as they are, dates as ISO strings).

Records may be the model's dataclasses (Contact, Interaction, Favour) or anything with the
same attributes (the store's cache keeps light tuples for 100,000 interactions): see
:class:`FavourLike` and :class:`InteractionLike`.

The measures, in one place (the README says the same in plain words):

* Reciprocity: :func:`reciprocity`. Keep in touch: :func:`touch_status`, :func:`overdue`.
* Follow-ups and birthdays due: :func:`follow_ups_due`, :func:`birthdays_due`.
* Time invested: :func:`time_invested`. Circles: :func:`circles`.
* Who knows what: :func:`who_knows`. Open asks and introductions: :func:`open_asks`, :func:`help_ideas`.
* Today: :func:`today_view`.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Protocol

from dateutil.relativedelta import relativedelta

from netjournal.domain import words as wd
from netjournal.domain.model import CIRCLES, Contact
from netjournal.domain.plans import UPCOMING_SHOWN, Plan
from netjournal.domain.text import first_words

# --- records as the measures see them ------------------------------------------------


class FavourLike(Protocol):
    @property
    def date(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def weight(self) -> int: ...


class InteractionLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def contact_ids(self) -> Sequence[str]: ...
    @property
    def minutes(self) -> int: ...
    @property
    def follow_up(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def asks(self) -> Sequence[str]: ...


def day_of(when: str) -> date:
    """The calendar day of a stored "YYYY-MM-DD[THH:MM]" value."""
    return date.fromisoformat(when[:10])


_fold = wd.folded
folded = wd.folded


# --- reciprocity --------------------------------------------------------------------------

HALF_LIFE_DAYS = 182.5
"""A favour loses half its value every six months: one from a year ago counts a quarter."""

ONE_SIDED_RATIO = 2.0
"""One side must weigh more than twice the other for a relationship to be called one-sided."""

INTERDEPENDENT = "interdependent"
YOU_MOSTLY_GIVE = "you mostly give"
YOU_MOSTLY_RECEIVE = "you mostly receive"
DORMANT = "dormant"
VERDICTS = (INTERDEPENDENT, YOU_MOSTLY_GIVE, YOU_MOSTLY_RECEIVE, DORMANT)


@dataclass(frozen=True, slots=True)
class Reciprocity:
    """The ledger with one person over the window. ``balance`` > 0: you gave more."""

    contact_id: str
    name: str
    given: float
    received: float
    balance: float
    given_count: int
    received_count: int
    verdict: str
    months: tuple[str, ...]  # "2024-03", oldest first: the sparkline's x axis
    given_by_month: tuple[int, ...]  # plain weights per month (the time axis already shows age)
    received_by_month: tuple[int, ...]

    @property
    def imbalance(self) -> float:
        return abs(self.balance)

    @property
    def net_by_month(self) -> tuple[int, ...]:
        return tuple(g - r for g, r in zip(self.given_by_month, self.received_by_month, strict=True))


@lru_cache(maxsize=64)
def window_start(today: date, months: int) -> date:
    """The first day of a window of ``months`` months ending ``today`` (both days included)."""
    return today - relativedelta(months=months)


def favour_value(weight: int, age_days: int) -> float:
    """``weight x 0.5 ** (age_days / HALF_LIFE_DAYS)``: a favour of today counts its full weight."""
    return weight * 0.5 ** (max(age_days, 0) / HALF_LIFE_DAYS)


def verdict(given: float, received: float, count: int) -> str:
    """Dormant when no favour falls in the window. One-sided when one side weighs more than
    twice the other (ONE_SIDED_RATIO): favours differ in weight and come in bursts, so a
    2:1 swing is ordinary give and take, while beyond it one person carries the
    relationship. Everything else is interdependent."""
    if count == 0:
        return DORMANT
    if given > ONE_SIDED_RATIO * received:
        return YOU_MOSTLY_GIVE
    if received > ONE_SIDED_RATIO * given:
        return YOU_MOSTLY_RECEIVE
    return INTERDEPENDENT


@lru_cache(maxsize=64)
def month_keys(today: date, months: int) -> tuple[str, ...]:
    """The ``months`` calendar months ending with today's, oldest first ("2024-03")."""
    first = date(today.year, today.month, 1)
    return tuple((first - relativedelta(months=k)).strftime("%Y-%m") for k in range(months - 1, -1, -1))


@lru_cache(maxsize=64)
def _month_slots(keys: tuple[str, ...]) -> Mapping[str, int]:
    return MappingProxyType({k: i for i, k in enumerate(keys)})


def reciprocity(
    contact_id: str, name: str, favours: Iterable[FavourLike], today: date, months: int = 12
) -> Reciprocity:
    """Weighted given and received over the last ``months`` months (window start and today
    included; favours dated after today are not counted yet).

    Each favour counts ``weight x 0.5 ** (age_in_days / 182.5)``: its weight (1 to 5) halved
    for every six months of age, so recent service counts more than old service and an old
    debt fades. ``balance = given - received``; see :func:`verdict` for the threshold."""
    start = window_start(today, months)
    lo, hi = start.isoformat(), today.isoformat()
    keys = month_keys(today, months)
    slot = _month_slots(keys)
    given = received = 0.0
    n_given = n_received = 0
    g_month = [0] * len(keys)
    r_month = [0] * len(keys)
    for f in favours:
        d = f.date[:10]
        if d < lo or d > hi:
            continue
        value = favour_value(f.weight, (today - date.fromisoformat(d)).days)
        i = slot.get(d[:7])
        if f.direction == "given":
            given += value
            n_given += 1
            if i is not None:
                g_month[i] += f.weight
        elif f.direction == "received":
            received += value
            n_received += 1
            if i is not None:
                r_month[i] += f.weight
    return Reciprocity(
        contact_id=contact_id, name=name, given=round(given, 2), received=round(received, 2),
        balance=round(given - received, 2), given_count=n_given, received_count=n_received,
        verdict=verdict(given, received, n_given + n_received), months=keys,
        given_by_month=tuple(g_month), received_by_month=tuple(r_month),
    )


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float]) -> str:
    """One block per value, scaled from min(0, lowest) to the highest: "▁▁▄█▁"."""
    if not values:
        return ""
    lo, hi = min(0.0, *values), max(0.0, *values)
    if hi == lo:
        return SPARK[0] * len(values)
    top = len(SPARK) - 1
    return "".join(SPARK[round((v - lo) / (hi - lo) * top)] for v in values)


def balance_sparkline(values: Sequence[float]) -> str:
    """A month-by-month balance: "·" for an even month, upper blocks (▅▆▇█) for months you
    gave more, lower blocks (▄▃▂▁) for months you received more, scaled by the largest."""
    top = max((abs(v) for v in values), default=0)
    out = []
    for v in values:
        if v == 0 or top == 0:
            out.append("·")
        elif v > 0:
            out.append(SPARK[4 + min(3, int(v / top * 3.999))])
        else:
            out.append(SPARK[3 - min(3, int(-v / top * 3.999))])
    return "".join(out)


def by_imbalance(rows: Iterable[Reciprocity]) -> list[Reciprocity]:
    """Most one-sided first (largest absolute balance), then by name."""
    return sorted(rows, key=lambda r: (-r.imbalance, _fold(r.name), r.contact_id))


# --- keep in touch ------------------------------------------------------------------------


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
    out.sort(key=lambda s: (-s.days_overdue, _fold(s.name), s.contact_id))
    return out


# --- follow-ups and birthdays ----------------------------------------------------------------

DUE_AHEAD_DAYS = 14


@dataclass(frozen=True, slots=True)
class FollowUp:
    interaction_id: str
    contact_ids: tuple[str, ...]
    names: tuple[str, ...]
    due: date
    days: int  # days from today: negative when late
    logged: date  # the day of the interaction that asked for it
    summary: str  # the interaction's first line


def follow_ups_due(
    interactions: Iterable[InteractionLike],
    names: Mapping[str, str],
    last_contact: Callable[[str], date | None],
    today: date,
    ahead: int = DUE_AHEAD_DAYS,
) -> list[FollowUp]:
    """Follow-ups due from today to ``ahead`` days on, and late ones still open, soonest first.

    A late follow-up is settled once any of its people was met after the interaction that
    set it (on a later day, up to today); follow-ups of archived people only (``names`` lacks
    them) are left out."""
    horizon = today + timedelta(days=ahead)
    out: list[FollowUp] = []
    for it in interactions:
        if not it.follow_up:
            continue
        due = day_of(it.follow_up)
        if due > horizon:
            continue
        people = tuple(c for c in it.contact_ids if c in names)
        if not people:
            continue
        logged = day_of(it.date)
        if due < today:
            lasts = [last_contact(c) for c in people]
            if any(d is not None and d > logged for d in lasts):
                continue
        out.append(FollowUp(
            interaction_id=it.id, contact_ids=people, names=tuple(names[c] for c in people), due=due,
            days=(due - today).days, logged=logged, summary=first_words(it.text)[:120],
        ))
    out.sort(key=lambda f: (f.due, f.names, f.interaction_id))
    return out


@dataclass(frozen=True, slots=True)
class Birthday:
    contact_id: str
    name: str
    day: date  # the next celebration, today or later
    days: int
    turns: int | None  # the age reached, when the year of birth is known


def next_birthday(birthday: str, today: date) -> tuple[date, int | None] | None:
    """The next celebration on or after today and the age then (None without a year).

    Someone born on 29 February celebrates on 28 February in years without one."""
    if not birthday:
        return None
    year = None if birthday.startswith("--") else int(birthday[:4])
    month, dd = int(birthday[-5:-3]), int(birthday[-2:])

    def on(y: int) -> date:
        if month == 2 and dd == 29 and not _leap(y):
            return date(y, 2, 28)
        return date(y, month, dd)

    day = on(today.year)
    if day < today:
        day = on(today.year + 1)
    return day, (day.year - year if year is not None else None)


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def birthdays_due(contacts: Iterable[Contact], today: date, ahead: int = DUE_AHEAD_DAYS) -> list[Birthday]:
    """Birthdays from today to ``ahead`` days on, soonest first (archived people left out)."""
    out: list[Birthday] = []
    for c in contacts:
        if c.archived or not c.birthday:
            continue
        nb = next_birthday(c.birthday, today)
        if nb is None:
            continue
        day, turns = nb
        days = (day - today).days
        if days <= ahead:
            out.append(Birthday(c.id, c.name, day, days, turns))
    out.sort(key=lambda b: (b.day, _fold(b.name), b.contact_id))
    return out


# --- time invested ---------------------------------------------------------------------------

TIME_WEEKS = 12


@dataclass(frozen=True, slots=True)
class WeekTime:
    start: date  # Monday
    minutes: int
    by_circle: tuple[tuple[str, int], ...]  # (circle, minutes) in CIRCLES order, zeros left out

    def circle(self, name: str) -> int:
        return dict(self.by_circle).get(name, 0)


@dataclass(frozen=True, slots=True)
class TimeInvested:
    weeks: tuple[WeekTime, ...]  # oldest first; the last is the current week (to today)
    budget: int  # minutes per week
    by_circle: tuple[tuple[str, int], ...]  # over all the weeks

    @property
    def this_week(self) -> WeekTime:
        return self.weeks[-1]

    @property
    def total(self) -> int:
        return sum(w.minutes for w in self.weeks)

    @property
    def average(self) -> int:
        """Mean minutes per full week (the current, unfinished week is left out)."""
        full = self.weeks[:-1]
        return round(sum(w.minutes for w in full) / len(full)) if full else self.this_week.minutes

    @property
    def weeks_on_budget(self) -> int:
        return sum(1 for w in self.weeks[:-1] if w.minutes >= self.budget)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def split_minutes(minutes: int, circles: Sequence[str]) -> list[tuple[str, int]]:
    """Share an interaction's minutes between its people's circles, in whole minutes that add
    up (the first people get the remainder)."""
    if not circles:
        return []
    share, rest = divmod(minutes, len(circles))
    return [(c, share + (1 if i < rest else 0)) for i, c in enumerate(circles)]


DayTime = tuple[int, Counter[str]]
"""One day's minutes: the total and the share of each circle."""


def day_times(interactions: Iterable[InteractionLike], circle_of: Mapping[str, str]) -> dict[str, DayTime]:
    """Minutes per day ("2024-06-12"): an interaction with several people counts once, its
    minutes shared between their circles (:func:`split_minutes`)."""
    out: dict[str, DayTime] = {}
    for it in interactions:
        if it.minutes <= 0:
            continue
        day = it.date[:10]
        total, circ = out.get(day) or (0, Counter())
        for circle, m in split_minutes(it.minutes, [circle_of.get(c, "other") for c in it.contact_ids]):
            circ[circle] += m
        out[day] = (total + it.minutes, circ)
    return out


def time_from_days(day: Callable[[date], DayTime | None], today: date, budget: int, weeks: int = TIME_WEEKS) -> TimeInvested:
    """Assemble :class:`TimeInvested` from each day's minutes (``day`` returns None for none)."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    order = [*CIRCLES, "other"]
    all_circ: Counter[str] = Counter()
    out: list[WeekTime] = []
    for k in range(weeks):
        start = first + timedelta(weeks=k)
        total = 0
        circ: Counter[str] = Counter()
        for i in range(7):
            d = start + timedelta(days=i)
            if d > today:
                break
            found = day(d)
            if found:
                total += found[0]
                circ.update(found[1])
        all_circ.update(circ)
        out.append(WeekTime(start, total, tuple((n, circ[n]) for n in order if circ[n])))
    return TimeInvested(tuple(out), budget, tuple((n, all_circ[n]) for n in order if all_circ[n]))


def time_invested(
    interactions: Iterable[InteractionLike],
    circle_of: Mapping[str, str],
    today: date,
    budget: int,
    weeks: int = TIME_WEEKS,
) -> TimeInvested:
    """Minutes of interactions per week (Monday to Sunday) for the last ``weeks`` weeks, the
    current one included up to today, against a weekly ``budget``. An interaction with
    several people counts once, its minutes shared between their circles; people since
    archived still count (the time was spent); days after today are not counted."""
    days = day_times(interactions, circle_of)
    return time_from_days(lambda d: days.get(d.isoformat()), today, budget, weeks)


# --- circles ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CircleMember:
    contact_id: str
    name: str
    last_contact: date | None
    days_since: int | None
    balance: float
    verdict: str
    cadence_days: int
    drifting: bool  # the cadence has lapsed
    snoozed: bool


@dataclass(frozen=True, slots=True)
class CircleGroup:
    circle: str
    members: tuple[CircleMember, ...]

    @property
    def drifting(self) -> int:
        return sum(1 for m in self.members if m.drifting)


def circle_member(
    c: Contact, last: date | None, status: TouchStatus | None, ledger: Reciprocity, today: date
) -> CircleMember:
    return CircleMember(
        contact_id=c.id, name=c.name, last_contact=last, days_since=(today - last).days if last is not None else None,
        balance=ledger.balance, verdict=ledger.verdict, cadence_days=c.effective_cadence,
        drifting=bool(status and status.drifting), snoozed=snoozed_until(c, today) is not None,
    )


def group_circles(members: Iterable[tuple[str, CircleMember]]) -> list[CircleGroup]:
    """(circle, member) pairs, in the order given, grouped by circle (inner first)."""
    groups: dict[str, list[CircleMember]] = {c: [] for c in CIRCLES}
    for circle, m in members:
        groups.setdefault(circle, []).append(m)
    return [CircleGroup(name, tuple(ms)) for name, ms in groups.items()]


def circles(
    contacts: Iterable[Contact],
    last_contact: Callable[[str], date | None],
    ledger: Callable[[Contact], Reciprocity],
    today: date,
) -> list[CircleGroup]:
    """People grouped by circle (inner first), by name within a circle, each with the last
    contact, the reciprocity balance and a drifting mark (cadence lapsed); archived left out."""
    people = sorted((c for c in contacts if not c.archived), key=lambda c: (_fold(c.name), c.id))
    return group_circles(
        (c.circle, circle_member(c, last, touch_status(c, last, today), ledger(c), today))
        for c in people for last in (last_contact(c.id),)
    )


# --- who knows what ---------------------------------------------------------------------------

TAG_EXACT = 10.0
TAG_PARTIAL = 6.0
ROLE_ORG = 5.0
NOTES = 3.0
MENTIONS = 2.0


@dataclass(frozen=True, slots=True)
class WhoMatch:
    contact_id: str
    name: str
    score: float
    reasons: tuple[str, ...]  # "#design", "role", "notes", "4 mentions"
    mentions: int  # how often your interactions with them mention the words
    last_contact: date | None


def query_terms(text: str) -> list[str]:
    """The folded words of a query, in order, without repeats ("UX, Design" -> ux, design)."""
    return list(dict.fromkeys(wd.words(text)))


def interaction_haystack(it: InteractionLike) -> str:
    """What an interaction says, folded, for :func:`mention_counts`."""
    return _fold(" ".join([it.text, *it.tags]))


def contact_texts(interactions: Iterable[InteractionLike]) -> dict[str, str]:
    """Everything said in each person's interactions, folded, one line per interaction."""
    parts: dict[str, list[str]] = {}
    for it in interactions:
        hay = interaction_haystack(it)
        for cid in it.contact_ids:
            parts.setdefault(cid, []).append(hay)
    return {cid: "\n".join(p) for cid, p in parts.items()}


def mention_counts(terms: Sequence[str], texts: Iterable[tuple[str, str]]) -> dict[str, Counter[str]]:
    """For each term, how often each person's interactions mention it (the word or a form
    of it: :mod:`netjournal.domain.words`). ``texts`` yields (contact id, folded text)
    pairs as :func:`contact_texts` makes them."""
    counts: dict[str, Counter[str]] = {t: Counter() for t in terms}
    for cid, text in texts:
        for t in terms:
            n = wd.count(t, text)
            if n:
                counts[t][cid] = n
    return counts


@dataclass(frozen=True, slots=True)
class Profile:
    """A person's expertise, folded once: tags (as typed, folded, words), role and
    organisation, notes and how you met."""

    tags: tuple[tuple[str, str, tuple[str, ...]], ...]
    role: str
    role_words: tuple[str, ...]
    notes: str
    tag_text: str  # the folded tags, one per line: a quick first test


def profile(c: Contact) -> Profile:
    tags = tuple((t, ft, tuple(wd.WORD.findall(ft))) for t in c.tags for ft in (_fold(t),))
    role = _fold(f"{c.role} {c.org}")
    role_words = tuple(w for w in wd.words(c.role) if w not in STOPWORDS)
    return Profile(tags, role, role_words, _fold(f"{c.notes} {c.how_met}"), "\n".join(t[1] for t in tags))


def _tag_score(term: str, p: Profile) -> tuple[float, str]:
    """TAG_EXACT for a tag holding the word itself, TAG_PARTIAL for one holding a form of it."""
    if not wd.found(term, p.tag_text):
        return 0.0, ""
    best, label = 0.0, ""
    for tag, ft, words in p.tags:
        if term in words:
            return TAG_EXACT, f"#{tag}"
        if best < TAG_PARTIAL and wd.found(term, ft):
            best, label = TAG_PARTIAL, f"#{tag}"
    return best, label


def rank_who(
    terms: Sequence[str],
    contacts: Iterable[Contact],
    mentions: Mapping[str, Counter[str]],
    last_contact: Callable[[str], date | None],
    limit: int | None = None,
    profiles: Mapping[str, Profile] | None = None,
) -> list[WhoMatch]:
    """Score each person, per query word, and add the words up:

    Words match whole words and their forms (:mod:`netjournal.domain.words`): "ai" is not
    in "fundraising", "designer" is a form of "design".

    * a tag holding the word: 10; a tag holding a form of it ("designer" for "design"): 6.
      Tags are what you chose to record about someone's interests and expertise, so they
      weigh most;
    * the word or a form of it in their role or organisation: 5; in your notes or how you
      met: 3;
    * the n words of your interactions with them (text or tags) that are the word or a form
      of it: 2 x log2(1 + n),
      so evidence grows with every mention but one chatty relationship cannot drown a
      tagged expert.

    Ties go to the person seen most recently, then by name. Archived people are left out."""
    counts = [(t, mentions.get(t) or Counter()) for t in terms]
    scored: list[tuple[float, int, str, str, Contact, Profile]] = []
    for c in contacts:
        if c.archived:
            continue
        p = profiles[c.id] if profiles is not None else profile(c)
        score = _who_score(counts, p, c.id, None)
        if score > 0:
            last = last_contact(c.id)
            scored.append((-round(score, 2), -(last or date.min).toordinal(), _fold(c.name), c.id, c, p))
    chosen = heapq.nsmallest(limit, scored) if limit is not None else sorted(scored)
    out: list[WhoMatch] = []
    for neg_score, neg_day, _, _, c, p in chosen:
        reasons: list[str] = []
        n_mentions = 0
        _who_score(counts, p, c.id, reasons)
        for _, per in counts:
            n_mentions += per.get(c.id, 0)
        if n_mentions:
            reasons.append(f"{n_mentions} mention{'s' if n_mentions != 1 else ''}")
        last = date.fromordinal(-neg_day) if neg_day != -date.min.toordinal() else None
        out.append(WhoMatch(c.id, c.name, -neg_score, tuple(dict.fromkeys(reasons)), n_mentions, last))
    return out


def _who_score(counts: Sequence[tuple[str, Counter[str]]], p: Profile, cid: str, reasons: list[str] | None) -> float:
    score = 0.0
    for t, per in counts:
        s, label = _tag_score(t, p)
        if s:
            score += s
            if reasons is not None:
                reasons.append(label)
        if wd.found(t, p.role):
            score += ROLE_ORG
            if reasons is not None:
                reasons.append("role")
        if wd.found(t, p.notes):
            score += NOTES
            if reasons is not None:
                reasons.append("notes")
        n = per.get(cid, 0)
        if n:
            score += MENTIONS * math.log2(1 + n)
    return score


def who_knows(
    text: str,
    contacts: Sequence[Contact],
    interactions: Iterable[InteractionLike],
    last_contact: Callable[[str], date | None],
    limit: int | None = None,
) -> list[WhoMatch]:
    """People whose tags, role, notes or interactions mention ``text``, ranked (:func:`rank_who`)."""
    terms = query_terms(text)
    if not terms:
        return []
    mentions = mention_counts(terms, contact_texts(interactions).items())
    return rank_who(terms, contacts, mentions, last_contact, limit)


# --- open asks and introductions ----------------------------------------------------------------

ASK_FRESH_DAYS = 180
"""An ask noted in an interaction stays open this long; asks on a person stay until removed."""

STOPWORDS = frozenset(
    "a an and any are as at be but by can could for from get got has have help her him his i in into is it its "
    "looking look me my need needs of on or our out seeking some someone somebody the their them they this to "
    "up us want wants warm we with who would you your".split()
)


@dataclass(frozen=True, slots=True)
class OpenAsk:
    contact_id: str
    name: str
    text: str
    source: str  # "contact", or the id of the interaction it was noted in
    since: date | None  # the interaction's day (None for asks kept on the person)


@dataclass(frozen=True, slots=True)
class HelpIdea:
    """An introduction idea: ``helper`` knows about what ``ask`` needs."""

    ask: OpenAsk
    helper_id: str
    helper_name: str
    matched: tuple[str, ...]  # the tags or role words that matched
    score: float


def open_asks(
    contacts: Iterable[Contact], interactions: Iterable[InteractionLike], today: date, fresh_days: int = ASK_FRESH_DAYS
) -> list[OpenAsk]:
    """Needs on people (until removed) and needs noted in interactions of the last
    ``fresh_days`` days (credited to the interaction's first person); archived people left
    out, the same need from the same person once (dated by its latest mention). Newest first, then by name."""
    people = {c.id: c for c in contacts if not c.archived}
    out: list[OpenAsk] = []
    seen: set[tuple[str, str]] = set()
    for c in people.values():
        for text in c.asks:
            key = (c.id, _fold(text.strip()))
            if key not in seen:
                seen.add(key)
                out.append(OpenAsk(c.id, c.name, text.strip(), "contact", None))
    oldest = today - timedelta(days=fresh_days)
    # Newest first, so a need noted twice is dated by its latest mention.
    for it in sorted((it for it in interactions if it.asks), key=lambda it: (it.date, it.id), reverse=True):
        day = day_of(it.date)
        if day < oldest or day > today:
            continue
        who = next((c for c in it.contact_ids if c in people), None)
        if who is None:
            continue
        for text in it.asks:
            key = (who, _fold(text.strip()))
            if key not in seen:
                seen.add(key)
                out.append(OpenAsk(who, people[who].name, text.strip(), it.id, day))
    out.sort(key=lambda a: (-(a.since or today).toordinal(), _fold(a.name), _fold(a.text)))
    return out


def ask_words(text: str) -> list[str]:
    return [w for w in query_terms(text) if len(w) >= 3 and w not in STOPWORDS]


def help_ideas(
    asks: Iterable[OpenAsk],
    contacts: Sequence[Contact],
    per_ask: int = 3,
    profiles: Mapping[str, Profile] | None = None,
) -> list[HelpIdea]:
    """Pair each open need with people whose expertise matches: a tag whose words are all
    words of the ask or forms of them ("design" and "designer", "startup" and "startups",
    but not "partner" and "partnerships": :mod:`netjournal.domain.words`) scores 2, a word
    of their role 1. The asker is never their own helper; archived people are left out. At
    most ``per_ask`` helpers per ask, best first, then by name."""
    asks = list(asks)
    if not asks:
        return []
    expertise: list[tuple[Contact, Profile]] = []
    for c in contacts:
        if c.archived:
            continue
        p = profiles[c.id] if profiles is not None else profile(c)
        if p.tags or p.role_words:
            expertise.append((c, p))
    out: list[HelpIdea] = []
    for ask in asks:
        words = ask_words(ask.text)
        if not words:
            continue
        found: list[HelpIdea] = []
        for c, p in expertise:
            if c.id == ask.contact_id:
                continue
            matched: list[str] = []
            score = 0.0
            for tag, _, tag_words in p.tags:
                if tag_words and all(any(wd.same_word(tw, w) for w in words) for tw in tag_words):
                    matched.append(f"#{tag}")
                    score += 2
            for rw in p.role_words:
                if any(wd.same_word(rw, w) for w in words):
                    matched.append(rw)
                    score += 1
            if score:
                found.append(HelpIdea(ask, c.id, c.name, tuple(matched), score))
        found.sort(key=lambda h: (-h.score, _fold(h.helper_name), h.helper_id))
        out.extend(found[:per_ask])
    return out


# --- today ------------------------------------------------------------------------------------------

TODAY_OVERDUE = 7
TODAY_GESTURES = 5


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A person to serve this week, and why."""

    contact_id: str
    name: str
    reasons: tuple[str, ...]
    idea: HelpIdea | None  # an introduction you could make for them


@dataclass(frozen=True, slots=True)
class TodayView:
    today: date
    overdue: tuple[TouchStatus, ...]  # the most overdue few
    overdue_total: int
    follow_ups: tuple[FollowUp, ...]
    birthdays: tuple[Birthday, ...]
    gestures: tuple[Reciprocity, ...]  # people you mostly receive from, most one-sided first
    week_minutes: int
    budget: int
    suggestion: Suggestion | None
    upcoming: tuple[Plan, ...] = ()  # plans (entries dated after today), soonest first
    upcoming_total: int = 0


_CLOSENESS = {"inner": 1.0, "close": 0.75, "active": 0.5, "acquaintance": 0.25}


def suggest(
    contacts: Sequence[Contact],
    asks: Sequence[OpenAsk],
    ideas: Sequence[HelpIdea],
    ledger: Callable[[Contact], Reciprocity],
    status: Callable[[Contact], TouchStatus | None],
    today: date,
) -> Suggestion | None:
    """Whom to serve first. Points: an open need 3, and 2 more if someone you know matches it
    (an introduction you can make); you mostly receive from them 2 (time to give back);
    overdue 1; closeness of the circle 0.25 to 1. Snoozed and archived people are skipped;
    a person with none of the first three is never suggested. Ties: larger debt, then name."""
    asks_of: dict[str, list[OpenAsk]] = {}
    for a in asks:
        asks_of.setdefault(a.contact_id, []).append(a)
    idea_of: dict[str, HelpIdea] = {}
    for h in ideas:
        idea_of.setdefault(h.ask.contact_id, h)
    best: tuple[tuple[float, float, str, str], Contact] | None = None
    for c in contacts:
        if c.archived or (c.snoozed_until and snoozed_until(c, today) is not None):
            continue
        score = 0.0
        if c.id in asks_of:
            score += 5 if c.id in idea_of else 3
        rec = ledger(c)
        if rec.verdict == YOU_MOSTLY_RECEIVE:
            score += 2
        st = status(c)
        if st is not None and st.overdue:
            score += 1
        if not score:
            continue
        score += _CLOSENESS.get(c.circle, 0.0)
        key = (-score, rec.balance, c.name, c.id)
        if best is None or key < best[0]:
            best = (key, c)
    if best is None:
        return None
    c = best[1]
    reasons: list[str] = []
    mine = asks_of.get(c.id, [])
    idea = idea_of.get(c.id)
    if mine:
        reasons.append(f"needs: {mine[0].text}")
        if idea is not None:
            reasons.append(f"{idea.helper_name} could help ({', '.join(idea.matched)})")
    rec = ledger(c)
    if rec.verdict == YOU_MOSTLY_RECEIVE:
        reasons.append(f"you received {rec.received:g} and gave {rec.given:g} in the last months")
    st = status(c)
    if st is not None and st.overdue:
        since = f"for {(today - st.last_contact).days} days" if st.last_contact else "yet"
        reasons.append(f"not in touch {since} (overdue by {st.days_overdue})")
    return Suggestion(c.id, c.name, tuple(reasons), idea)


def today_view(
    *,
    today: date,
    overdue_people: Sequence[TouchStatus],
    follow_ups: Sequence[FollowUp],
    birthdays: Sequence[Birthday],
    ledgers: Iterable[Reciprocity],
    time: TimeInvested,
    suggestion: Suggestion | None,
    upcoming: Sequence[Plan] = (),
) -> TodayView:
    """Assemble the Today view from the measures above (the store's cache computes each once)."""
    gestures = by_imbalance(r for r in ledgers if r.verdict == YOU_MOSTLY_RECEIVE)[:TODAY_GESTURES]
    return TodayView(
        today=today, overdue=tuple(overdue_people[:TODAY_OVERDUE]), overdue_total=len(overdue_people),
        follow_ups=tuple(follow_ups), birthdays=tuple(birthdays), gestures=tuple(gestures),
        week_minutes=time.this_week.minutes, budget=time.budget, suggestion=suggestion,
        upcoming=tuple(upcoming[:UPCOMING_SHOWN]), upcoming_total=len(upcoming),
    )
