"""Open asks and introductions: the needs of people you know, and who could help."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from netjournal.domain import words as wordforms
from netjournal.domain.insights.records import InteractionLike, day_of, folded
from netjournal.domain.insights.who import STOPWORDS, Profile, profile, query_terms
from netjournal.domain.model import Contact

ASK_FRESH_DAYS = 180
"""An ask noted in an interaction stays open this long; asks on a person stay until removed."""


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
            key = (c.id, folded(text.strip()))
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
            key = (who, folded(text.strip()))
            if key not in seen:
                seen.add(key)
                out.append(OpenAsk(who, people[who].name, text.strip(), it.id, day))
    out.sort(key=lambda a: (-(a.since or today).toordinal(), folded(a.name), folded(a.text)))
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
                if tag_words and all(any(wordforms.same_word(tw, w) for w in words) for tw in tag_words):
                    matched.append(f"#{tag}")
                    score += 2
            for rw in p.role_words:
                if any(wordforms.same_word(rw, w) for w in words):
                    matched.append(rw)
                    score += 1
            if score:
                found.append(HelpIdea(ask, c.id, c.name, tuple(matched), score))
        found.sort(key=lambda h: (-h.score, folded(h.helper_name), h.helper_id))
        out.extend(found[:per_ask])
    return out
