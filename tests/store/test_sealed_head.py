"""A big encrypted journal opens head first (store/sealed_head.py): its people decrypted at
once, its years of history on first use, by the standard age tool when it is installed
(sealing/age_tool.py). What a person sees is the same as from the plain journal, whichever
way it was opened; saving a new entry never waits for the history; a history changed outside
netjournal (by someone holding the key) is read as found; another process's fold meanwhile
changes nothing of what was opened."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyrage
import pytest
from sealed import head_first_always

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.domain.query import parse_query
from netjournal.sealing import Keys
from netjournal.sealing.age_codec import AgeCodec
from netjournal.store import Journal, encryption, folding, loading
from netjournal.store.snapshot import HEAD_PROBE, serialise

NAMES = ("Zebulon Quartz", "Иван Петров", "王小明", "نور الهدى", "דוד לוי", "अर्जुन शर्मा", "สมชาย ใจดี")
HAS_TOOL = shutil.which("age") is not None


def identity(tmp_path: Path) -> Keys:
    path = tmp_path / "key.txt"
    path.write_text(f"# created: now\n{pyrage.x25519.Identity.generate()}\n")
    return Keys(identity=path)


def fill(j: Journal, entries: int = 60) -> None:
    people = [j.add_contact(Contact(name=n, tags=["friend"])) for n in NAMES]
    for n in range(entries):
        who = people[n % len(people)]
        j.add_interaction(
            Interaction(date=f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}", contact_ids=[who.id], text=f"talk {n} about {who.name}")
        )
        if n % 3 == 0:
            j.add_favour(Favour(date=f"2024-{1 + n % 12:02d}-10", contact_id=who.id, text=f"lift {n}"))


def changes(j: Journal) -> None:
    """Changes that stay in the log, over the history (an edit, a deletion, new records)."""
    first = sorted(j.interactions(), key=lambda i: i.id)[0]
    j.update_interaction(dataclasses.replace(first, text="edited: chemotherapy news"))
    j.delete_interaction(sorted(j.interactions(), key=lambda i: i.id)[1].id)
    zeb = j.resolve_contact("Zebulon")
    j.add_interaction(Interaction(date="2025-01-05", contact_ids=[zeb.id], text="new after the fold"))
    j.add_favour(Favour(date="2025-01-06", contact_id=zeb.id, text="new favour"))


def seen(j: Journal) -> tuple[object, ...]:
    """What a person sees of the history: every entry and favour, a search, a person's own."""
    zeb = j.resolve_contact("Zebulon")
    return (
        sorted((i.date, i.text, tuple(i.contact_ids)) for i in j.interactions()),
        sorted((f.date, f.text, f.contact_id) for f in j.favours()),
        [i.text for i in j.search_query(parse_query("about"), limit=10)],
        [i.text for i in j.search("chemotherapy")],
        [f.text for f in j.favours(zeb.id)],
        j.interaction_count(zeb.id),
    )


@pytest.fixture
def twins(tmp_path: Path) -> Iterator[tuple[Path, Path, Keys]]:
    """The same journal twice, plain and encrypted, each with changes in its log."""
    keys = identity(tmp_path)
    plain, sealed = tmp_path / "plain" / "journal.json", tmp_path / "sealed" / "journal.json"
    plain.parent.mkdir()
    with Journal.open(plain) as j:
        fill(j)
    shutil.copytree(plain.parent, sealed.parent, dirs_exist_ok=True)
    with Journal.open(sealed) as j:
        encryption.encrypt(j, keys)
    small, folding.SMALL_SNAPSHOT = folding.SMALL_SNAPSHOT, 0  # (the changes stay in the logs)
    try:
        for path, k in ((plain, None), (sealed, keys)):
            with Journal.open(path, keys=k) as j:
                changes(j)
        yield plain, sealed, keys
    finally:
        folding.SMALL_SNAPSHOT = small


@pytest.mark.parametrize("tool", ["age", "off"])
def test_head_first_shows_what_the_plain_journal_shows(
    twins: tuple[Path, Path, Keys], tool: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if tool == "age" and not HAS_TOOL:
        pytest.skip("the age tool is not installed (.ci/run installs it)")
    plain, sealed, keys = twins
    monkeypatch.setenv("NETJOURNAL_AGE_TOOL", tool)
    head_first_always(monkeypatch)
    with Journal.open(plain) as p, Journal.open(sealed, keys=keys) as s:
        assert s.storage.lazy, "the encrypted journal opened with its history still sealed"
        assert seen(s) == seen(p)
        assert "edited: chemotherapy news" in {i.text for i in s.interactions()}
        assert s.storage.integrity == "ok"  # (the rest matched the head's checksums)


def test_saving_new_entries_never_decrypts_the_history(
    twins: tuple[Path, Path, Keys], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, sealed, keys = twins
    head_first_always(monkeypatch)

    def refuse(self: AgeCodec, data: bytes, file: int | None = None) -> bytes:
        raise AssertionError("the whole snapshot was decrypted")

    with Journal.open(sealed, keys=keys) as j:
        with monkeypatch.context() as m:
            m.setattr(AgeCodec, "unseal", refuse)
            zeb = j.resolve_contact("Zebulon")
            entry = Interaction(date="2025-02-01", contact_ids=[zeb.id], text="lunch").stamped()
            favour = Favour(date="2025-02-01", contact_id=zeb.id, text="advice").stamped()
            j.apply([entry, favour], undo_label="log", new=True)
            assert j.storage.lazy and j.storage.favours_lazy  # (both still sealed)
    with Journal.open(sealed, keys=keys) as j:
        assert {"lunch", "new after the fold"} <= {i.text for i in j.interactions()}
        assert "advice" in {f.text for f in j.favours()}


def _reseal(path: Path, keys: Keys, change: tuple[bytes, bytes], *, where: str) -> None:
    """Fold, then decrypt the snapshot with the person's identity, change it (in its head, the
    people: up to its first newline; or in its history, after it) and encrypt it again to the
    same recipients (as the person could with the age tool)."""
    with Journal.open(path, keys=keys) as j:
        j.compact()
        codec = j.storage.codec
    plain = pyrage.decrypt(path.read_bytes(), keys.identities())
    nl = plain.index(b"\n")
    head, rest = plain[:nl], plain[nl:]
    if where == "head":
        assert change[0] in head
        head = head.replace(*change)
    else:
        assert change[0] in rest
        rest = rest.replace(*change)
    path.write_bytes(codec.seal(head + rest))


def test_a_history_changed_outside_netjournal_is_read_as_found(
    twins: tuple[Path, Path, Keys], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, sealed, keys = twins
    head_first_always(monkeypatch)
    _reseal(sealed, keys, (b"about Zebulon Quartz", b"about Zed"), where="history")
    with Journal.open(sealed, keys=keys, readonly=True) as j:
        assert j.storage.lazy
        texts = {i.text for i in j.interactions()}
        assert any(t.endswith("about Zed") for t in texts)
        assert not any(t.endswith("about Zebulon Quartz") for t in texts)
        assert any("changed outside netjournal" in n for n in j.notices)  # (told, once read)
        assert j.storage.integrity == "changed"


def test_a_head_changed_outside_netjournal_opens_whole_and_says_so(
    twins: tuple[Path, Path, Keys], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, sealed, keys = twins
    head_first_always(monkeypatch)
    _reseal(sealed, keys, ('"name":"Иван Петров"'.encode(), '"name":"Иван Сидоров"'.encode()), where="head")
    with Journal.open(sealed, keys=keys, readonly=True) as j:
        assert j.storage.integrity == "changed"
        assert any("changed outside netjournal" in n for n in j.notices)
        assert "Иван Сидоров" in {c.name for c in j.contacts()}


def test_a_fold_by_another_writer_before_the_history_is_read_changes_nothing_opened(
    twins: tuple[Path, Path, Keys], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, sealed, keys = twins
    head_first_always(monkeypatch)
    with Journal.open(sealed, keys=keys, readonly=True) as reader:
        assert reader.storage.lazy  # (its history not read yet)
        with Journal.open(sealed, keys=keys) as writer:
            zeb = writer.resolve_contact("Zebulon")
            writer.add_interaction(Interaction(date="2025-03-01", contact_ids=[zeb.id], text="after the reader"))
            writer.compact()  # (a new snapshot file: the reader's is gone from the folder)
        texts = {i.text for i in reader.interactions()}
        assert "new after the fold" in texts and "edited: chemotherapy news" in texts
    with Journal.open(sealed, keys=keys) as j:
        assert "after the reader" in {i.text for i in j.interactions()}


def test_another_process_fold_is_seen_from_the_first_chunks_of_a_big_sealed_snapshot(
    twins: tuple[Path, Path, Keys],
) -> None:
    _, sealed, keys = twins
    with Journal.open(sealed, keys=keys) as j:
        fill(j, entries=2000)  # (a snapshot of several age chunks)
        j.compact()
        j.compact()
        assert sealed.stat().st_size > 2 * HEAD_PROBE
        found = loading.generation_on_disk(j.storage)
        assert found is not None and found[1] == j.storage.generation >= 2


def test_a_snapshot_sealed_before_heads_had_their_own_checksum_is_rewritten_once(
    twins: tuple[Path, Path, Keys], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, sealed, keys = twins
    head_first_always(monkeypatch)
    with monkeypatch.context() as m:  # (a fold as netjournal wrote them before: no head checksum)
        m.setattr(folding, "serialise", lambda data, generation, head_check=False: serialise(data, generation))
        with Journal.open(sealed, keys=keys) as j:
            j.compact()
    with Journal.open(sealed, keys=keys, readonly=True) as j:
        assert j.storage.reseal  # (decrypted whole: its head cannot be trusted alone)
        before = seen(j)
    with Journal.open(sealed, keys=keys) as j:  # (a writer folds it at once)
        assert seen(j) == before
    with Journal.open(sealed, keys=keys, readonly=True) as j:
        assert not j.storage.reseal and seen(j) == before
