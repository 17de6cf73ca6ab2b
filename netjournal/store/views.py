"""The insight views of a journal, kept up to date change by change.

``Insights(journal)`` answers the Today, keep-in-touch, reciprocity, time, circles,
who-knows-what and open-asks views (computed by :mod:`netjournal.domain.insights`) without
rescanning 100,000 records each time a screen asks:

* It keeps the index the views are computed from up to date with the journal, change by
  change (``insight_index.InsightIndex``, which it extends).
* Each view is computed from those indexes over its window only (a year of favours, twelve
  weeks of interactions) and cached until the next change, per ``today`` and settings.

Measured on the benchmark journal (bench/bench_insights.py, bench/results/insights.md).
Thread-safe: the app may ask from a worker thread while the UI thread writes.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from netjournal.domain import insights as ins
from netjournal.domain import plans, words
from netjournal.domain.model import Contact
from netjournal.domain.plans import Plan
from netjournal.errors import NotFoundError
from netjournal.store import summaries
from netjournal.store.insight_index import _MAX, FavourFact, InsightIndex, InteractionFact, _interaction_fact

__all__ = ["FavourFact", "Insights", "InteractionFact", "_interaction_fact"]

V = TypeVar("V")


class Insights(InsightIndex):
    """The insight views of ``journal``; pass the journal's settings (budget, window)."""

    def contacts(self) -> list[Contact]:
        """Everyone not archived, by name (shared records: copy one before changing it)."""
        with self._lock:
            self.refresh()
            return list(self._people())

    def _people(self) -> list[Contact]:
        if self._sorted_contacts is None:
            people = [c for c in self._contacts.values() if not c.archived]
            people.sort(key=lambda c: (ins._fold(c.name), c.id))
            self._sorted_contacts = people
        return self._sorted_contacts

    def contact(self, contact_id: str) -> Contact:
        with self._lock:
            self.refresh()
            c = self._contacts.get(contact_id)
        if c is None:
            raise NotFoundError(f"no contact with id {contact_id!r}")
        return c

    def last_contact(self, contact_id: str, today: date) -> date | None:
        """The day of the latest interaction with this person on or before ``today``."""
        with self._lock:
            self.refresh()
            return self._last(contact_id, today.isoformat())

    def _last(self, contact_id: str, today_iso: str) -> date | None:
        lst = self._inter_by_contact.get(contact_id)
        if not lst:
            return None
        i = bisect.bisect_right(lst, (today_iso, _MAX))
        return date.fromisoformat(lst[i - 1][0]) if i else None

    def _last_fn(self, today: date) -> Callable[[str], date | None]:
        iso = today.isoformat()
        known = self._per_person_map(("last", today), lambda c: self._last(c.id, iso))
        return lambda cid: known[cid] if cid in known else self._last(cid, iso)

    def _interactions_between(self, lo: date, hi: date) -> Iterable[InteractionFact]:
        ix = self._inter_by_date
        a = bisect.bisect_left(ix, (lo.isoformat(), ""))
        b = bisect.bisect_right(ix, (hi.isoformat(), _MAX))
        return (_interaction_fact(self._inter[rid]) for _, rid in ix[a:b])

    # ------------------------------------------------------------------ reciprocity
    def _months(self, months: int | None) -> int:
        return months or self.settings.reciprocity_months

    def _per_person_map(self, key: tuple[Any, ...], compute_one: Callable[[Contact], V]) -> dict[str, V]:
        """A result per person not archived, kept across changes except for the people touched."""
        values: dict[str, V] | None = self._per_person.get(key)
        if values is None:
            if len(self._per_person) >= 8:  # other days or windows: keep memory bounded
                self._per_person.clear()
            values = self._per_person[key] = {}
        for c in self._people():
            if c.id not in values:
                values[c.id] = compute_one(c)
        return values

    def _favours_of(self, contact_id: str, lo: str, hi: str) -> list[FavourFact]:
        ix = self._fav_by_contact.get(contact_id)
        if not ix:
            return []
        a = bisect.bisect_left(ix, (lo, ""))
        b = bisect.bisect_right(ix, (hi, _MAX))
        return [self._favs[rid] for _, rid in ix[a:b]]

    def ledgers(self, today: date, months: int | None = None) -> dict[str, ins.Reciprocity]:
        """Reciprocity with every person not archived, by contact id (dormant included)."""
        m = self._months(months)
        lo, hi = ins.window_start(today, m).isoformat(), today.isoformat()

        def compute() -> dict[str, ins.Reciprocity]:
            values = self._per_person_map(
                ("ledger", today, m), lambda c: ins.reciprocity(c.id, c.name, self._favours_of(c.id, lo, hi), today, m)
            )
            return {c.id: values[c.id] for c in self._people()}

        return self._cached(("ledgers", today, m), compute)

    def ledger_of(self, contact_id: str, today: date, months: int | None = None) -> ins.Reciprocity:
        """One person's reciprocity (archived people too), with the monthly series."""
        m = self._months(months)
        found = self.ledgers(today, m).get(contact_id)
        if found is not None:
            return found
        c = self.contact(contact_id)
        with self._lock:
            favs = self._favours_of(contact_id, ins.window_start(today, m).isoformat(), today.isoformat())
        return ins.reciprocity(c.id, c.name, favs, today, m)

    def reciprocity(self, today: date, months: int | None = None, *, dormant: bool = False) -> list[ins.Reciprocity]:
        """The table sorted by imbalance, most one-sided first (dormant people only if asked)."""
        m = self._months(months)

        def compute() -> list[ins.Reciprocity]:
            rows = self.ledgers(today, m).values()
            return ins.by_imbalance(r for r in rows if dormant or r.verdict != ins.DORMANT)

        return self._cached(("reciprocity", today, m, dormant), compute)

    # ------------------------------------------------------------------ keep in touch
    def _touch_map(self, today: date) -> dict[str, ins.TouchStatus | None]:
        last = self._last_fn(today)
        return self._per_person_map(("touch", today), lambda c: ins.touch_status(c, last(c.id), today))

    def overdue(self, today: date, *, snoozed: bool = False) -> list[ins.TouchStatus]:
        """People past their cadence, most overdue first (snoozed ones only if asked)."""

        def compute() -> list[ins.TouchStatus]:
            touch = self._touch_map(today)
            return ins.overdue(self._people(), self._last_fn(today), today, snoozed=snoozed, statuses=touch)

        return self._cached(("overdue", today, snoozed), compute)

    def touch(self, contact_id: str, today: date) -> ins.TouchStatus | None:
        c = self.contact(contact_id)
        return ins.touch_status(c, self.last_contact(contact_id, today), today)

    def follow_ups(self, today: date) -> list[ins.FollowUp]:
        def compute() -> list[ins.FollowUp]:
            names = {c.id: c.name for c in self._people()}
            return ins.follow_ups_due(list(self._follow.values()), names, self._last_fn(today), today)

        return self._cached(("follow_ups", today), compute)

    def upcoming(self, today: date) -> list[Plan]:
        """Plans: entries dated after ``today``, soonest first (domain.plans)."""

        def compute() -> list[Plan]:
            names = {c.id: c.name for c in self._people()}
            ix = self._inter_by_date
            after = bisect.bisect_right(ix, (today.isoformat(), _MAX))
            docs = [self._inter[rid] for _, rid in ix[after:]]
            return plans.upcoming(
                ((rid, d.get("date", ""), d.get("contact_ids") or (), d.get("kind") or "other", d.get("text") or "")
                 for (_, rid), d in zip(ix[after:], docs, strict=True)),
                names, today,
            )

        return self._cached(("upcoming", today), compute)

    def birthdays(self, today: date) -> list[ins.Birthday]:
        return self._cached(("birthdays", today), lambda: ins.birthdays_due(self._people(), today))

    # ------------------------------------------------------------------ time, circles
    def _day(self, day: date) -> ins.DayTime | None:
        key = day.isoformat()
        if key not in self._days:
            if self._circle_of is None:
                self._circle_of = {cid: c.circle for cid, c in self._contacts.items()}
            found = ins.day_times(self._interactions_between(day, day), self._circle_of)
            self._days[key] = found.get(key)
        return self._days[key]

    def time(self, today: date, weeks: int = ins.TIME_WEEKS) -> ins.TimeInvested:
        """Minutes per week against the budget; each day's sum is kept until that day changes."""
        budget = self.settings.weekly_budget_minutes
        return self._cached(("time", today, weeks, budget), lambda: ins.time_from_days(self._day, today, budget, weeks))

    def circles(self, today: date) -> list[ins.CircleGroup]:
        """People by circle; each person's row is kept until a change touches them."""
        m = self._months(None)

        def compute() -> list[ins.CircleGroup]:
            ledgers = self.ledgers(today)
            touch = self._touch_map(today)
            last = self._last_fn(today)
            members = self._per_person_map(
                ("member", today, m), lambda c: ins.circle_member(c, last(c.id), touch[c.id], ledgers[c.id], today)
            )
            return ins.group_circles((c.circle, members[c.id]) for c in self._people())

        return self._cached(("circles", today, m), compute)

    # ------------------------------------------------------------------ who knows what, asks
    def _profiles(self) -> dict[str, ins.Profile]:
        return self._per_person_map(("profile",), ins.profile)

    def _contact_text(self, contact_id: str) -> str:
        text = self._texts.get(contact_id)
        if text is None:
            if self._hay is None:
                self._hay = {rid: summaries.haystack(d) for rid, d in self._inter.items()}
            hay = self._hay
            text = "\n".join(hay[rid] for _, rid in self._inter_by_contact.get(contact_id, ()))
            self._texts[contact_id] = text
        return text

    def _mention_counts(self, terms: Sequence[str]) -> dict[str, Counter[str]]:
        """Mentions per person of each word, kept across changes (only the people a change
        touched are counted again); the last 16 words are kept."""
        out: dict[str, Counter[str]] = {}
        for t in terms:
            counts = self._mentions.pop(t, None)
            if counts is None:
                counts = {}
            self._mentions[t] = counts  # most recent last
            for c in self._people():
                if c.id not in counts:
                    counts[c.id] = words.count(t, self._contact_text(c.id))
            out[t] = Counter({cid: n for cid, n in counts.items() if n})
        while len(self._mentions) > 16:
            del self._mentions[next(iter(self._mentions))]
        return out

    def who(self, text: str, today: date, limit: int | None = 50) -> list[ins.WhoMatch]:
        """People who know about ``text``, ranked (see ``insights.rank_who``)."""
        terms = ins.query_terms(text)
        if not terms:
            return []

        def compute() -> list[ins.WhoMatch]:
            people = self._people()
            counts = self._mention_counts(terms)
            return ins.rank_who(terms, people, counts, self._last_fn(today), limit, self._profiles())

        with self._lock:
            self.refresh()
            # Only the latest few queries are kept: a search box asks once per keystroke.
            who_keys = [k for k in self._cache if k[0] == "who"]
            for k in who_keys[:-16]:
                del self._cache[k]
        return self._cached(("who", tuple(terms), today, limit), compute)

    def asks(self, today: date) -> list[ins.OpenAsk]:
        def compute() -> list[ins.OpenAsk]:
            return ins.open_asks(self._people(), list(self._with_asks.values()), today)

        return self._cached(("asks", today), compute)

    def help_ideas(self, today: date) -> list[ins.HelpIdea]:
        def compute() -> list[ins.HelpIdea]:
            asks = self.asks(today)  # (without any, no one's expertise is read)
            return ins.help_ideas(asks, self._people(), profiles=self._profiles()) if asks else []

        return self._cached(("ideas", today), compute)

    # ------------------------------------------------------------------ today
    def today(self, today: date) -> ins.TodayView:
        def compute() -> ins.TodayView:
            ledgers = self.ledgers(today)
            touch = self._touch_map(today)
            suggestion = ins.suggest(
                self._people(), self.asks(today), self.help_ideas(today), lambda c: ledgers[c.id],
                lambda c: touch[c.id], today,
            )
            return ins.today_view(
                today=today, overdue_people=self.overdue(today), follow_ups=self.follow_ups(today),
                birthdays=self.birthdays(today), ledgers=ledgers.values(), time=self.time(today),
                suggestion=suggestion, upcoming=self.upcoming(today),
            )

        key = ("today", today, self._months(None), self.settings.weekly_budget_minutes)
        return self._cached(key, compute)
