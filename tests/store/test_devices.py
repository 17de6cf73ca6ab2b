"""One journal on several devices, carried by a file-sync engine (issue #14 part 2).

Each device keeps the journal in its copy of a synced folder, with the journal open all along
(an app window). The engine is tests/store/sync_sim.py: it behaves as Syncthing does (per file
the newer wins and the older is kept as a ``.sync-conflict-`` copy; files travel one at a time,
after any delay, in any order). After random adds, edits of fields, deletes, undos, folds and
reopens on two or three devices, with random transfers between them, the engine settles and
every device catches up. Then:

* every device holds the same journal;
* no record whose deletion was acknowledged (and not taken back by its own undo) is there;
* every acknowledged add that no device deleted is there, and every field holds a value some
  device wrote to it.

These tests state what the store must do (NOTES-devices.md, step 3); they fail on the store of
today (one ``journal.json`` and one ``journal.json.log`` shared by every device: concurrent
appends make the engine keep one device's log as a conflict copy, which nothing reads, and an
open journal finds its log replaced under it), so they are marked ``xfail(strict=True)``: the
day the store passes them, the mark must go.

On the store of today Hypothesis shrinks every failure to two steps: device 0 adds a person,
device 1 adds a person; once the engine settles, one of them is lost (the other device's log
is now a ``journal.json.sync-conflict-…log`` that nothing reads). Another it finds: a person
deleted on one device and edited on the other comes back.
"""

from __future__ import annotations

import dataclasses
import errno
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from devicetools import acting_as
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_sim import SyncSim
from test_faults import Fault

import netjournal.store.folding as folding
from netjournal.domain.model import Contact
from netjournal.errors import NetjournalError
from netjournal.store import Journal, devicemode, devicesources
from netjournal.store.devicesources import Reader
from netjournal.store.loglines import with_sum
from netjournal.store.undo import UndoConflict

FIELDS = ("org", "notes", "role")


@dataclasses.dataclass
class Model:
    """What the devices were told was saved."""

    added: set[str] = dataclasses.field(default_factory=set)
    deletions: dict[str, set[tuple[str, int]]] = dataclasses.field(default_factory=dict)  # id -> standing deletions
    written: dict[tuple[str, str], set[str]] = dataclasses.field(default_factory=dict)  # (id, field) -> values
    steps: dict[str, list[tuple[str, str, object]]] = dataclasses.field(default_factory=dict)  # undo stack per device
    count: int = 0

    def token(self, device: str) -> tuple[str, int]:
        self.count += 1
        return device, self.count


class Fleet:
    """The devices, each with its journal open, and the engine between them."""

    def __init__(self, root: Path, names: list[str]) -> None:
        self.sim = SyncSim(root, names)
        self.model = Model(steps={name: [] for name in names})
        # As a person does: the journal made on one device and shared between devices
        # (`netjournal devices on`), then its folder shared.
        with acting_as(self.sim.root / names[0], names[0]):
            devicemode.turn_on(self.sim.folder(names[0]) / "journal.json", names[0])
        self.journals = {names[0]: self._open(names[0])}
        self.sim.settle()
        self.journals.update({name: self._open(name) for name in names[1:]})

    def _open(self, device: str, *, readonly: bool = False) -> Journal:
        with acting_as(self.sim.root / device, device):
            return Journal.open(self.sim.folder(device) / "journal.json", readonly=readonly, device=device)

    def close(self) -> None:
        for device, journal in self.journals.items():
            with acting_as(self.sim.root / device, device):
                journal.close()

    def people(self, device: str) -> list[Contact]:
        journal = self.journals[device]
        journal.catch_up()
        return sorted(journal.contacts(archived=True), key=lambda c: c.id)

    def act(self, step: tuple[object, ...]) -> None:
        kind, device = str(step[0]), self.sim.names[int(step[1]) % len(self.sim.names)]  # type: ignore[call-overload]
        with acting_as(self.sim.root / device, device):
            getattr(self, f"_{kind}")(device, *step[2:])

    def _add(self, device: str, n: int) -> None:
        c = self.journals[device].add_contact(Contact(name=f"P{n}"))
        self.model.added.add(c.id)
        for name in FIELDS:
            self.model.written.setdefault((c.id, name), set()).add("")
        self.model.steps[device].append(("add", c.id, self.model.token(device)))

    def _edit(self, device: str, pick: int, field: int, value: str) -> None:
        people = self.people(device)
        if not people:
            return
        c = people[pick % len(people)]
        name = FIELDS[field % len(FIELDS)]
        self.journals[device].update_contact(dataclasses.replace(c, **{name: value}))
        self.model.written.setdefault((c.id, name), set()).add(value)
        self.model.steps[device].append(("edit", c.id, (name, getattr(c, name))))

    def _delete(self, device: str, pick: int) -> None:
        people = self.people(device)
        if not people:
            return
        c = people[pick % len(people)]
        self.journals[device].delete_contact(c.id)
        token = self.model.token(device)
        self.model.deletions.setdefault(c.id, set()).add(token)
        self.model.steps[device].append(("delete", c.id, token))

    def _undo(self, device: str) -> None:
        stack = self.model.steps[device]
        if not stack:
            return
        kind, rid, what = stack.pop()
        try:
            label = self.journals[device].undo()
        except (UndoConflict, NetjournalError):
            return  # refused, the step dropped: nothing changed
        assert label is not None
        if kind == "add":  # the undo of an add deletes the record
            self.model.deletions.setdefault(rid, set()).add(what)  # type: ignore[arg-type]
        elif kind == "delete":
            self.model.deletions[rid].discard(what)  # type: ignore[arg-type]
        # (the undo of an edit writes the old value back: it is in ``written`` already)

    def _fold(self, device: str) -> None:
        self.journals[device].compact()

    def _reopen(self, device: str) -> None:
        self.journals[device].close()
        self.journals[device] = self._open(device)
        self.model.steps[device].clear()  # (undo is per window)

    def _settle(self, device: str) -> None:
        self.sim.settle()

    def _send(self, device: str, to: int, pick: int) -> None:
        self.sim.scan(device)
        files = sorted(self.sim.index[device])
        if files:
            self.sim.send(device, self.sim.names[to % len(self.sim.names)], files[pick % len(files)])

    def check(self) -> None:
        """Settle, catch up, and hold the journal to what was acknowledged."""
        self.sim.settle()
        seen = {}
        for device in self.sim.names:
            with acting_as(self.sim.root / device, device):
                seen[device] = {c.id: {name: getattr(c, name) for name in FIELDS} for c in self.people(device)}
        first = seen[self.sim.names[0]]
        for device, people in seen.items():
            assert people == first, f"{device} differs from {self.sim.names[0]}"
        for rid in self.model.added:
            dead = bool(self.model.deletions.get(rid))
            assert (rid in first) != dead, f"{rid}: {'deleted, yet back' if dead else 'acknowledged, yet lost'}"
        for rid, fields in first.items():
            for name, value in fields.items():
                assert value in self.model.written.get((rid, name), set()), f"{rid}.{name}: {value!r} never written"


def steps(devices: int) -> st.SearchStrategy[list[tuple[object, ...]]]:
    dev = st.integers(0, devices - 1)
    small = st.integers(0, 20)
    step = st.one_of(
        st.tuples(st.just("add"), dev, st.integers(0, 10_000)),
        st.tuples(st.just("edit"), dev, small, small, st.sampled_from(["a", "b", "Ωмега", "東京"])),
        st.tuples(st.just("delete"), dev, small),
        st.tuples(st.just("undo"), dev),
        st.tuples(st.just("fold"), dev),
        st.tuples(st.just("reopen"), dev),
        st.tuples(st.just("settle"), dev),
        *[st.tuples(st.just("send"), dev, dev, small)] * 4,  # transfers as often as edits
    )
    return st.lists(step, max_size=40)


@pytest.fixture
def fleet_root() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="netjournal-devices-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def run(root: Path, devices: int, script: list[tuple[object, ...]]) -> None:
    folder = Path(tempfile.mkdtemp(dir=root))
    fleet = Fleet(folder, [f"dev{n}" for n in range(devices)])
    try:
        for step in script:
            fleet.act(step)
        fleet.check()
    finally:
        fleet.close()


def test_two_devices_each_add_a_person_and_both_keep_both(fleet_root: Path) -> None:
    run(fleet_root, 2, [("add", 0, 1), ("add", 1, 2)])


def test_a_deletion_travels_and_an_edit_made_meanwhile_does_not_bring_it_back(fleet_root: Path) -> None:
    run(fleet_root, 2, [("add", 0, 1), ("settle", 0), ("delete", 0, 0), ("edit", 1, 0, 0, "a")])


def test_a_person_deleted_on_two_devices_stays_deleted_when_one_undoes_its_deletion(fleet_root: Path) -> None:
    run(fleet_root, 2, [("add", 0, 1), ("settle", 0), ("delete", 0, 0), ("delete", 1, 0), ("settle", 0), ("undo", 1)])


@pytest.mark.parametrize("devices", [2, 3])
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(script=st.data())
def test_devices_behind_a_syncthing_like_engine_converge_and_lose_nothing(
    fleet_root: Path, devices: int, script: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folding, "wants_folding", lambda storage: False)  # (fold only when asked, as a big journal)
    run(fleet_root, devices, script.draw(steps(devices)))


def test_edits_of_one_field_on_two_devices_keep_the_later_and_show_the_other_as_a_clash(fleet_root: Path) -> None:
    fleet = Fleet(fleet_root, ["laptop", "desk"])
    try:
        fleet.act(("add", 0, 1))
        fleet.sim.settle()
        fleet.act(("edit", 0, 0, 0, "Ωмега"))  # org, on the laptop
        fleet.act(("edit", 1, 0, 1, "東京"))  # notes, on the desk: another field, both survive
        fleet.act(("edit", 1, 0, 0, "b"))  # org again, on the desk, later, not having seen the laptop's
        fleet.check()
        for device in ("laptop", "desk"):
            (person,) = fleet.people(device)
            assert (person.org, person.notes) == ("b", "東京")
            (clash,) = fleet.journals[device].clashes()
            assert (clash.rid, clash.field, clash.shown) == (person.id, "org", "b")
            assert [(value, who) for value, who, _ in clash.others] == [("Ωмега", "laptop")]
    finally:
        fleet.close()


def test_a_change_another_device_folded_before_its_log_line_arrived_is_read_from_its_snapshot(
    fleet_root: Path,
) -> None:
    fleet = Fleet(fleet_root, ["laptop", "desk"])
    try:
        fleet.act(("add", 0, 1))
        fleet.sim.settle()
        assert len(fleet.people("desk")) == 1
        fleet.act(("add", 0, 2))  # a line of the laptop's log the desk never gets...
        fleet.act(("fold", 0))  # ...for the laptop folds it into its snapshot first
        fleet.check()
        assert len(fleet.people("desk")) == 2
    finally:
        fleet.close()


def test_a_snapshot_whose_log_was_read_to_its_end_is_not_read_again(
    fleet_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fleet = Fleet(fleet_root, ["laptop", "desk"])
    try:
        fleet.act(("add", 0, 1))
        fleet.sim.settle()
        fleet.people("desk")
        fleet.act(("add", 0, 2))
        fleet.sim.settle()
        assert len(fleet.people("desk")) == 2  # (the line read)
        read: list[str] = []
        original = Reader._snapshot
        monkeypatch.setattr(
            Reader,
            "_snapshot",
            lambda self, source, f, c: read.append(source.path.name) or original(self, source, f, c),
        )
        fleet.act(("fold", 0))
        fleet.act(("add", 0, 3))
        fleet.check()
        assert len(fleet.people("desk")) == 3
        assert "laptop.json" not in read
    finally:
        fleet.close()


def test_a_snapshot_seen_before_its_log_is_read_whole_when_the_log_shows_a_gap(fleet_root: Path) -> None:
    """(Found by Hypothesis.) The snapshot arrives first and is skipped (its log was read to
    its end, as far as was known); the log that follows shows a gap, so it must be read."""
    run(fleet_root, 2, [("settle", 0), ("add", 1, 0), ("fold", 1), ("send", 1, 0, 8), ("add", 0, 0)])


def test_a_record_another_device_could_not_have_written_is_told_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    devicemode.turn_on(path, "laptop")
    laptop = Journal.open(path, device="laptop")
    laptop.add_contact(Contact(name="Ana"))
    laptop.close()
    lines = [
        [["contacts", "c-bad", {"id": "c-bad", "name": 42}]],  # a name that is not text
        [
            ["contacts", "c-ok", {"id": "c-ok", "name": "Bo"}],
            ["_versions", "contacts:c-ok", {"s": 7}],
        ],  # (not a version)
        [["contacts", "c-fine", {"id": "c-fine", "name": "Cy"}]],
    ]
    with open(tmp_path / "journal.d" / "laptop.json.log", "ab") as f:
        for ops in lines:
            f.write(with_sum(orjson.dumps({"ops": ops})) + b"\n")
    desk = Journal.open(path, device="desk")
    try:
        assert sorted(c.name for c in desk.contacts()) == ["Ana", "Cy"]
        problems = desk._sharing.devices.reader.problems  # type: ignore[union-attr]
        assert any("c-bad" in p for p in problems) and any("c-ok" in p for p in problems)
    finally:
        desk.close()
    with Journal.open(path, device="desk") as again:  # (nothing bad was kept: it opens)
        assert sorted(c.name for c in again.contacts()) == ["Ana", "Cy"]


def test_an_edit_made_from_a_copy_read_before_another_devices_edit_keeps_both_fields(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    devicemode.turn_on(path, "laptop")
    laptop = Journal.open(path, device="laptop")
    desk = Journal.open(path, device="desk")
    try:
        ana = laptop.add_contact(Contact(name="Ана"))
        desk.catch_up()
        seen = laptop.contact(ana.id)  # (a form opens on the laptop)
        desk.update_contact(dataclasses.replace(desk.contact(ana.id), org="Lumen"))
        laptop.update_contact(dataclasses.replace(seen, role="Head of design"), base=seen)
        desk.catch_up()
        for journal in (laptop, desk):
            person = journal.contact(ana.id)
            assert (person.org, person.role) == ("Lumen", "Head of design")
    finally:
        laptop.close()
        desk.close()


def test_a_device_reopened_reads_nothing_whole_it_read_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another device's journal file read when this device joined is not read again at its
    next open (nothing changed): what was read of each file is kept."""
    path = tmp_path / "journal.json"
    with Journal.open(path) as before:  # (a journal of one device, then shared: its file has no log yet)
        before.add_contact(Contact(name="Ana"))
        before.compact()
    devicemode.turn_on(path, "laptop")
    whole: list[str] = []
    original = devicesources.records_of
    monkeypatch.setattr(devicesources, "records_of", lambda data, tell: whole.append("read") or original(data, tell))
    with Journal.open(path, device="desk") as desk:
        assert [c.name for c in desk.contacts()] == ["Ana"]
    assert whole == ["read"]
    with Journal.open(path, device="desk") as desk:
        assert [c.name for c in desk.contacts()] == ["Ana"]
        assert not desk.changed_elsewhere()
    assert whole == ["read"]


def test_another_devices_changes_show_even_when_the_disk_is_full_and_are_kept_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keeping what was folded in from another device fails (a full disk): the window still
    shows it, says why once, and keeps it with its next change."""
    path = tmp_path / "journal.json"
    devicemode.turn_on(path, "laptop")
    laptop = Journal.open(path, device="laptop")
    desk = Journal.open(path, device="desk")
    try:
        ana = desk.add_contact(Contact(name="Ана"))
        with monkeypatch.context() as m:
            Fault(m, "write", errno.ENOSPC, times=100)
            assert laptop.catch_up()
            assert [c.name for c in laptop.contacts()] == ["Ана"]
        assert any("disk" in n or "space" in n for n in laptop.notices)
        laptop.add_contact(Contact(name="Bo"))
        laptop.close()
        laptop = Journal.open(path, device="laptop", readonly=True)
        assert laptop.contact(ana.id).name == "Ана"
    finally:
        laptop.close()
        desk.close()
