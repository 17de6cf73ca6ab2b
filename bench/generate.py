"""A seeded synthetic journal of the benchmark's size.

    python bench/generate.py OUT.json [--contacts 2000 --interactions 100000 --favours 20000]

Writes a netjournal snapshot directly (orjson, no per-record saves), so every benchmark
starts from the same data in a second or two. ``generate_records`` gives the same records as
dicts, for benchmarks that load them elsewhere (stock TinyDB, jrnl).
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

WORDS = (
    "coffee lunch project design hiring python climate startup advice intro career book family travel "
    "pricing product launch investor meetup conference mentoring research data contract marketing "
    "website photography health energy music garden running chess podcast article feedback strategy"
).split()
FIRST = "Ana Bruno Carla David Eva Farid Grace Hiro Ines Jonas Kemi Luca Maya Nils Olga Pedro Quinn Rosa Sami Tariq Uma Vera Wen Xavi Yara Zoe".split()
LAST = "Silva Costa Mendes Okafor Nagy Haddad Liu Tanaka Rocha Weber Adeyemi Romano Berg Novak Ito Khan Dubois Moreau Lindqvist Ortiz".split()
KINDS = ["meal", "call", "meeting", "message", "event", "introduction", "other"]
FKINDS = ["introduction", "advice", "time", "skill", "referral", "gift", "money", "other"]
CIRCLES = ["inner", "close", "active", "acquaintance"]
STAMP = "2026-01-01T00:00:00.000000Z"


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate_records(
    contacts: int = 2000, interactions: int = 100_000, favours: int = 20_000, seed: int = 1, today: date | None = None
) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(seed)
    today = today or date(2026, 11, 1)
    people: list[dict[str, Any]] = []
    for n in range(contacts):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
        people.append({
            "id": f"c-{n:016x}", "created": STAMP, "updated": STAMP, "name": name, "aliases": [],
            "org": rng.choice(LAST) + " Inc", "role": "", "emails": [f"p{n}@example.org"], "phones": [],
            "birthday": "", "how_met": "", "circle": rng.choice(CIRCLES), "cadence_days": 0,
            "tags": rng.sample(WORDS, 3), "notes": _sentence(rng, 8), "asks": [], "snoozed_until": "", "archived": False,
        })
    inter: list[dict[str, Any]] = []
    for n in range(interactions):
        day = today - timedelta(days=rng.randint(0, 365 * 8))
        who = [people[rng.randrange(contacts)]["id"]]
        if rng.random() < 0.1:
            who.append(people[rng.randrange(contacts)]["id"])
        inter.append({
            "id": f"i-{n:016x}", "created": STAMP, "updated": STAMP, "date": day.isoformat(), "contact_ids": who,
            "kind": rng.choice(KINDS), "text": _sentence(rng, 14), "minutes": rng.choice([0, 15, 30, 60, 90]),
            "follow_up": "", "tags": rng.sample(WORDS, 2), "asks": [],
        })
    favs: list[dict[str, Any]] = []
    for n in range(favours):
        day = today - timedelta(days=rng.randint(0, 365 * 8))
        favs.append({
            "id": f"f-{n:016x}", "created": STAMP, "updated": STAMP, "date": day.isoformat(),
            "contact_id": people[rng.randrange(contacts)]["id"], "direction": rng.choice(["given", "received"]),
            "kind": rng.choice(FKINDS), "text": _sentence(rng, 6), "weight": rng.randint(1, 5), "interaction_id": "",
        })
    return {"contacts": people, "interactions": inter, "favours": favs}


def write_journal(path: Path, records: dict[str, list[dict[str, Any]]]) -> Path:
    """Write ``records`` as a netjournal snapshot (schema 2) at ``path``."""
    from netjournal.store.migrate import SCHEMA_VERSION

    data: dict[str, Any] = {"_meta": {"schema": {"version": SCHEMA_VERSION, "created": STAMP}}}
    for table, rows in records.items():
        data[table] = {r["id"]: r for r in rows}
    path.parent.mkdir(parents=True, exist_ok=True)
    from netjournal.store.snapshot import serialise

    path.write_bytes(serialise(data))  # exactly as netjournal writes a snapshot
    path.chmod(0o600)
    # A new journal: the change log of one generated here before is not its log.
    path.with_name(path.name + ".log").unlink(missing_ok=True)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--contacts", type=int, default=2000)
    ap.add_argument("--interactions", type=int, default=100_000)
    ap.add_argument("--favours", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    write_journal(a.out, generate_records(a.contacts, a.interactions, a.favours, a.seed))
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
