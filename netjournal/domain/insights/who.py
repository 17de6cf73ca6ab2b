"""Who knows what: people ranked by how their tags, role, notes and interactions match a query."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from netjournal.domain import words as wordforms
from netjournal.domain.insights.records import InteractionLike, folded
from netjournal.domain.model import Contact

TAG_EXACT = 10.0
TAG_PARTIAL = 6.0
ROLE_ORG = 5.0
NOTES = 3.0
MENTIONS = 2.0

STOPWORDS = frozenset(
    "a an and any are as at be but by can could for from get got has have help her him his i in into is it its "
    "looking look me my need needs of on or our out seeking some someone somebody the their them they this to "
    "up us want wants warm we with who would you your".split()
)
"""Words that say nothing about a need or a role ("looking for someone to help with")."""


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
    return list(dict.fromkeys(wordforms.words(text)))


def interaction_haystack(it: InteractionLike) -> str:
    """What an interaction says, folded, for :func:`mention_counts`."""
    return folded(" ".join([it.text, *it.tags]))


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
            n = wordforms.count(t, text)
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
    tags = tuple((t, ft, tuple(wordforms.WORD.findall(ft))) for t in c.tags for ft in (folded(t),))
    role = folded(f"{c.role} {c.org}")
    role_words = tuple(w for w in wordforms.words(c.role) if w not in STOPWORDS)
    return Profile(tags, role, role_words, folded(f"{c.notes} {c.how_met}"), "\n".join(t[1] for t in tags))


def _tag_score(term: str, p: Profile) -> tuple[float, str]:
    """TAG_EXACT for a tag holding the word itself, TAG_PARTIAL for one holding a form of it."""
    if not wordforms.found(term, p.tag_text):
        return 0.0, ""
    best, label = 0.0, ""
    for tag, ft, words in p.tags:
        if term in words:
            return TAG_EXACT, f"#{tag}"
        if best < TAG_PARTIAL and wordforms.found(term, ft):
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
            scored.append((-round(score, 2), -(last or date.min).toordinal(), folded(c.name), c.id, c, p))
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
        if wordforms.found(t, p.role):
            score += ROLE_ORG
            if reasons is not None:
                reasons.append("role")
        if wordforms.found(t, p.notes):
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

