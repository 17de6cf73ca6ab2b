"""The demo journal: a dozen people and a few months of life, so a newcomer sees the app
working (and the Today view has something to say: overdue people, one-sided ledgers,
follow-ups, a birthday and open asks). Deterministic for a given ``today``."""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from netjournal.domain.model import Contact, Favour, Interaction, Record
from netjournal.store import Journal

PEOPLE = [
    # name, aliases, org, role, circle, cadence, tags, how_met, asks, notes
    ("Ana Silva", ["Ana"], "Lumen Labs", "Product designer", "inner", 14, ["design", "ux", "climbing"],
     "Design meetup, 2019", ["looking for a frontend developer"], "Loves **good coffee**. Two kids."),
    ("Bruno Costa", ["Bru"], "Freelance", "Data engineer", "close", 30, ["python", "data", "cycling"],
     "University", [], "Moving to Lisbon next spring."),
    ("Carla Mendes", [], "Northwind", "CTO", "close", 30, ["leadership", "hiring", "python"],
     "Introduced by Ana", ["hiring a staff engineer"], ""),
    ("David Okafor", ["Dave"], "Okafor & Co", "Lawyer", "active", 91, ["law", "contracts", "chess"],
     "Neighbour", [], "Helped with the lease."),
    ("Éva Nagy", ["Eva"], "City Library", "Archivist", "active", 30, ["history", "books", "research"],
     "Book club", [], ""),
    ("Farid Haddad", [], "Haddad Ventures", "Investor", "acquaintance", 182, ["fundraising", "startups"],
     "Conference in Berlin", ["wants warm intros to climate startups"], ""),
    ("Grace Liu", ["Gracie"], "Bluebird", "Engineering manager", "close", 30, ["management", "mentoring", "rust"],
     "Former colleague", [], "Mentored me in 2021."),
    ("Hiro Tanaka", [], "Studio Kumo", "Illustrator", "active", 60, ["illustration", "design", "japan"],
     "Twitter", [], ""),
    ("Inês Rocha", ["Ines"], "Rocha Bakery", "Owner", "acquaintance", 60, ["food", "small business", "marketing"],
     "Local market", ["needs help with a website"], ""),
    ("Jonas Weber", [], "Helio Energy", "Founder", "active", 91, ["climate", "energy", "startups"],
     "Hackathon 2022", [], ""),
    ("Kemi Adeyemi", ["Kemi"], "Open Health", "Researcher", "active", 91, ["health", "research", "statistics"],
     "Podcast guest", [], ""),
    ("Luca Romano", [], "Romano Photo", "Photographer", "acquaintance", 365, ["photography", "travel"],
     "Wedding of a friend", [], ""),
]

TEXTS = {
    "meal": ["Lunch at the corner place. Talked about {t}.", "Dinner together; caught up on family and {t}.",
             "Coffee before work. Swapped notes on {t}."],
    "call": ["Quick call about {t}.", "Long call: career plans, and a question about {t}."],
    "meeting": ["Worked session on {t}.", "Met at their office to review {t}."],
    "message": ["Sent an article on {t}.", "Exchanged messages about {t}."],
    "event": ["Saw each other at a {t} meetup.", "Panel on {t}; chatted afterwards."],
    "introduction": ["Introduced them to someone in {t}."],
}


def build_demo(journal: Journal, today: date, seed: int = 7) -> None:
    """Fill an empty journal with the demo people and their last four months."""
    stamp = f"{today.isoformat()}T09:00:00.000000Z"
    contacts = _people(today, stamp)
    records: list[Record] = [*contacts, *_interactions(contacts, today, stamp, random.Random(seed))]
    records += _favours(contacts, today, stamp)
    records += _moments(contacts, today, stamp)
    journal.put_many(records)


def _people(today: date, stamp: str) -> list[Contact]:
    contacts: list[Contact] = []
    for n, (name, aliases, org, role, circle, cadence, tags, met, asks, notes) in enumerate(PEOPLE, 1):
        bday = ""
        if n == 1:
            soon = today + timedelta(days=5)
            bday = f"1988-{soon.month:02d}-{soon.day:02d}" if not (soon.month == 2 and soon.day == 29) else "1988-02-28"
        elif n == 4:
            soon = today + timedelta(days=11)
            bday = f"--{soon.month:02d}-{soon.day:02d}"
        contacts.append(Contact(
            id=f"c-demo{n:02d}", created=stamp, updated=stamp, name=name, aliases=aliases, org=org, role=role,
            circle=circle, cadence_days=cadence, tags=tags, how_met=met, asks=asks, notes=notes, birthday=bday,
            emails=[f"{name.split()[0].lower().replace('é', 'e').replace('ê', 'e')}@example.org"],
        ))
    return contacts


MINUTES = {"meal": 75, "call": 30, "meeting": 60, "message": 5, "event": 120, "introduction": 15}
# How recently each person was seen: some are overdue on purpose.
LAST_SEEN_DAYS = [3, 9, 20, 130, 40, 200, 48, 25, 70, 100, 15, 400]


def _interactions(contacts: list[Contact], today: date, stamp: str, rng: random.Random) -> list[Interaction]:
    out: list[Interaction] = []
    for idx, person in enumerate(contacts):
        gap = LAST_SEEN_DAYS[idx]
        day = today - timedelta(days=gap)
        count = {"inner": 9, "close": 6, "active": 4, "acquaintance": 2}[person.circle]
        for nth in range(count):
            if (today - day).days > 220:
                break
            kind = rng.choice(["meal", "call", "meeting", "message", "event", "meal"])
            topic = rng.choice(person.tags)
            text = rng.choice(TEXTS[kind]).format(t=topic)
            if kind == "meal" and rng.random() < 0.5:
                text += "\n\n- follow up on the book they mentioned\n- send the *slides*"
            others = [person.id]
            if rng.random() < 0.15:
                other = rng.choice(contacts)
                if other.id != person.id:
                    others.append(other.id)
            first_of_a_recent_third = gap < 30 and nth == 0 and idx % 3 == 0
            follow = (today + timedelta(days=rng.randint(1, 10))).isoformat() if first_of_a_recent_third else ""
            out.append(Interaction(
                id=f"i-demo{len(out) + 1:03d}", created=stamp, updated=stamp, date=day.isoformat(), contact_ids=others,
                kind=kind, text=text, minutes=MINUTES[kind], tags=[topic], follow_up=follow,
            ))
            day -= timedelta(days=rng.randint(6, 25))
    return out


# The ledger: Grace mostly gives to us (we owe), Inês only receives, Ana and Bruno are balanced.
LEDGER = [
    (0, "given", "introduction", "Introduced Ana to Carla", 3, 12),
    (0, "received", "advice", "Feedback on my portfolio", 3, 30),
    (0, "given", "time", "Helped move flat", 4, 70),
    (0, "received", "skill", "Designed my logo", 4, 100),
    (1, "given", "advice", "Reviewed his CV", 2, 15),
    (1, "received", "skill", "Fixed my data pipeline", 3, 50),
    (6, "received", "advice", "Advice on managing a team", 4, 20),
    (6, "received", "referral", "Referred me for the Bluebird role", 5, 60),
    (6, "received", "time", "Mock interview", 3, 90),
    (8, "given", "skill", "Built her a price list", 3, 72),
    (8, "given", "advice", "Marketing tips for the bakery", 2, 110),
    (2, "received", "introduction", "Introduced me to Jonas", 3, 40),
    (9, "given", "referral", "Sent a candidate his way", 3, 105),
    (3, "received", "advice", "Read the lease contract", 4, 135),
]


def _favours(contacts: list[Contact], today: date, stamp: str) -> list[Favour]:
    return [
        Favour(
            id=f"f-demo{n:02d}", created=stamp, updated=stamp, date=(today - timedelta(days=ago)).isoformat(),
            contact_id=contacts[idx].id, direction=direction, kind=kind, text=text, weight=weight,
        )
        for n, (idx, direction, kind, text, weight, ago) in enumerate(LEDGER, 1)
    ]


def _moments(contacts: list[Contact], today: date, stamp: str) -> list[Interaction]:
    """A few more moments for the Today view (added after the random ones, so those stay as
    they were): Luca last seen over a year ago, a late follow-up with Éva, and a need Kemi
    mentioned that Ana or Hiro could help with."""
    extra: list[tuple[str, int, int, str, str, int, int | None, list[str], list[str]]] = [
        ("i-demo901", 11, 400, "event", "Met at a friend's wedding; he shot the whole day.", 240, None, [],
         ["photography"]),
        ("i-demo902", 4, 40, "message", "Asked about the city archive's old maps.", 5, -5, [],
         ["history"]),
        ("i-demo903", 10, 15, "call", "Kemi's study needs a website that explains the results.", 30, None,
         ["looking for a designer for the study website"], ["research"]),
    ]
    return [
        Interaction(
            id=iid, created=stamp, updated=stamp, date=(today - timedelta(days=ago)).isoformat(),
            contact_ids=[contacts[idx].id], kind=kind, text=text, minutes=minutes, tags=tags, asks=asks,
            follow_up=(today + timedelta(days=follow)).isoformat() if follow is not None else "",
        )
        for iid, idx, ago, kind, text, minutes, follow, asks, tags in extra
    ]


def make_demo_journal(today: date | None = None) -> Path:
    """A new temporary folder (0700) holding a demo journal; the caller removes it."""
    folder = Path(tempfile.mkdtemp(prefix="netjournal-demo-"))
    with Journal.open(folder / "journal.json") as journal:
        build_demo(journal, today or date.today())
    return folder
