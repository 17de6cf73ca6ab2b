"""Journal.find: the search grammar's queries, through the word index (the app) and by a scan
(a one-off command, also while the interactions are still bytes): the same answers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from netjournal.domain.model import Contact, Interaction
from netjournal.domain.query import parse_query
from netjournal.store import Journal

QUERIES = [
    "", "pric", "PRICING", "résumé", "resume rev", "ricing", "e", "python", "#work", "#WORK python",
    "@ana", "@bruno python", "@ana @bruno", "2024-01", "2024-01-15..", "..2023", "2023..2024-01-14", "小明", "प्रि",
    "@bruno 2024-01-15", "nothing",
]


@pytest.fixture
def timeline(journal: Journal) -> dict[str, Interaction]:
    ana, bruno = journal.resolve_contact("ana"), journal.resolve_contact("bruno")
    recs = {
        "old": Interaction(date="2023-12-31", contact_ids=[ana.id], kind="call", text="Talked Pricing, python", tags=["Work"]),
        "mid": Interaction(date="2024-01-15T09:00", contact_ids=[bruno.id], text="Café au lait, PYTHON again"),
        "mid2": Interaction(date="2024-01-15", contact_ids=[ana.id, bruno.id], text="Résumé review", tags=["work"]),
        "new": Interaction(date="2024-02-01", contact_ids=[bruno.id], text="今天和王小明吃饭, प्रिया से मिले"),
    }
    return {k: journal.add_interaction(v) for k, v in recs.items()}


def found(journal: Journal, text: str, **kw: object) -> list[str]:
    query = parse_query(text, journal.people_index())
    assert not query.error, query.error
    return journal.find(query, **kw)  # type: ignore[arg-type]


def test_find_reads_words_as_word_prefixes_newest_first(journal: Journal, timeline: dict[str, Interaction]) -> None:
    t = {k: v.id for k, v in timeline.items()}
    assert found(journal, "pric") == [t["old"]]
    assert found(journal, "ricing") == []
    assert found(journal, "python") == [t["mid"], t["old"]]
    assert found(journal, "resume rev") == [t["mid2"]]
    assert found(journal, "#WORK") == [t["mid2"], t["old"]]
    assert found(journal, "@ana @bruno") == [t["mid2"]]
    assert found(journal, "2024-01-15") == [t["mid"], t["mid2"]]
    assert found(journal, "小明") == found(journal, "प्रि") == [t["new"]]
    assert found(journal, "") == [t["new"], t["mid"], t["mid2"], t["old"]]
    assert found(journal, "", limit=2) == [t["new"], t["mid"]]


def test_the_index_and_the_scan_agree_before_and_after_changes(journal: Journal, timeline: dict[str, Interaction]) -> None:
    def agree() -> None:
        for text in QUERIES:
            assert found(journal, text) == found(journal, text, indexed=False), text
            assert found(journal, text, limit=1) == found(journal, text, limit=1, indexed=False), text

    agree()  # (the index is built now: it must follow what comes)
    journal.update_interaction(dataclasses.replace(timeline["old"], text="Now about Rust", tags=["rust"]))
    journal.delete_interaction(timeline["mid"].id)
    journal.add_interaction(Interaction(date="2022-06-01", contact_ids=[timeline["old"].contact_ids[0]],
                                        text="pricey pricing", tags=["Work"]))
    agree()
    assert found(journal, "pric") != [] and found(journal, "rust") == [timeline["old"].id]
    journal.undo()
    journal.undo()
    agree()


def test_a_one_off_search_reads_the_unparsed_lines_as_the_index_would(
    journal_path: Path, journal: Journal, timeline: dict[str, Interaction],
) -> None:
    journal.add_contact(Contact(name="Zoë Ångström"))
    journal.close()
    with Journal.open(journal_path, readonly=True) as cold:
        assert cold.storage.lazy  # the interactions are still the snapshot's bytes
        answers = {text: found(cold, text, limit=2, indexed=False) for text in QUERIES}
    with Journal.open(journal_path, readonly=True) as warm:
        assert answers == {text: found(warm, text, limit=2) for text in QUERIES}


def test_common_words_kept_as_masks_answer_as_the_scan_does(journal: Journal) -> None:
    """Enough interactions that common words and tags are kept as bit masks: prefixes, tags,
    people and periods still agree with the scan, before and after edits and deletes."""
    import random

    rng = random.Random(7)
    vocab = "pricing price coffee design data python climbing résumé café panel lunch zebra".split()
    people = [journal.resolve_contact("ana").id, journal.resolve_contact("bruno").id]
    with journal.transaction():
        made = [journal.add_interaction(Interaction(
            date=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", contact_ids=rng.sample(people, rng.randint(1, 2)),
            text=" ".join(rng.choice(vocab) for _ in range(6)), tags=rng.sample(["work", "fun", "rare"], 1),
        )) for _ in range(400)]
    queries = ["p", "pri", "price", "c", "caf", "z", "résumé", "#work", "#rare p", "@ana", "@ana @bruno pr",
               "2024-03..2024-05 c", "@bruno 2024-06", "data python", "", "nothing"]

    def agree() -> None:
        for text in queries:
            assert found(journal, text) == found(journal, text, indexed=False), text

    agree()
    assert isinstance(journal._ix.word_index().words["pricing"], int)  # a mask, not a list
    for entry in made[:50]:
        journal.update_interaction(dataclasses.replace(entry, text="zebra crossing", tags=["rare"]))
    for entry in made[50:80]:
        journal.delete_interaction(entry.id)
    for n, entry in enumerate(made[80:120]):  # moved in time: they leave their place in the index's order
        journal.update_interaction(dataclasses.replace(entry, date=f"2024-{n % 12 + 1:02d}-15"))
    for n in range(30):  # and new ones, on days the others have too
        journal.add_interaction(Interaction(date=f"2024-0{n % 9 + 1}-15", contact_ids=people[:1], text="price of coffee"))
    agree()
    assert journal._ix.word_index().built < len(journal._ix.word_index().rids)  # the tail was merged in
