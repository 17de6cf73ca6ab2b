"""Hybrid logical clocks and the merge of a record's versions (issue #14, the rules devices
sync by): stamps in one order everywhere; devices that exchange their changes in any order,
any number of times, end with the same record; a deletion never undone by an edit; no
change lost without a later change that saw it; a same-field clash kept visible."""

from __future__ import annotations

from dataclasses import dataclass, field

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from netjournal.domain.hlc import ZERO, Clock, Stamp, valid_device
from netjournal.domain.versions import Value, Version, delete, edit, merge, undelete

DEVICES = ("laptop", "desktop", "phone")
FIELDS = ("name", "role", "notes")


# ------------------------------------------------------------------ the clock
def test_a_clock_never_goes_back_and_comes_after_what_it_saw() -> None:
    wall = [1000]
    clock = Clock("laptop", lambda: wall[0])
    first = clock.stamp()
    wall[0] = 500  # the system clock set back
    second = clock.stamp()
    assert second > first and second.wall == 1000
    clock.see(Stamp(9000, 3, "desktop"))  # a device whose clock runs ahead
    third = clock.stamp()
    assert third > Stamp(9000, 3, "desktop") and third.device == "laptop"
    wall[0] = 20_000
    assert clock.stamp() == Stamp(20_000, 0, "laptop")  # back with the wall clock


@given(st.lists(st.tuples(st.integers(0, 10**14), st.integers(0, 2**24 - 1), st.text(min_size=1, max_size=8))))
def test_stamps_sort_as_text_as_they_sort_as_stamps(raw: list[tuple[int, int, str]]) -> None:
    stamps = [Stamp(w, c, d.replace("\n", " ")) for w, c, d in raw]
    assert sorted(stamps) == sorted(stamps, key=Stamp.text)
    assert all(Stamp.parse(s.text()) == s for s in stamps)


@pytest.mark.parametrize("text", ["", "12.000001.x", "000000000000001.00001.x", "00000000000000a.000001.x"])
def test_a_bad_stamp_is_refused_naming_it(text: str) -> None:
    with pytest.raises(ValueError, match="not a clock stamp"):
        Stamp.parse(text)


def test_device_names() -> None:
    assert valid_device("Ana's laptop") == "" and valid_device("ноутбук") == ""
    assert valid_device(" ") and valid_device("a\nb") and valid_device("x" * 65)
    with pytest.raises(ValueError):
        Clock("", lambda: 0)


# ------------------------------------------------------------------ devices exchanging changes
@dataclass
class Device:
    name: str
    clock: Clock
    version: Version = field(default_factory=Version)
    deleted_here: list[Stamp] = field(default_factory=list)

    def receive(self, other: Version) -> None:
        self.version = merge(self.version, other)
        self.clock.see(self.version.newest)


ops = st.lists(
    st.tuples(
        st.sampled_from(["edit", "edit", "edit", "delete", "restore", "sync", "sync"]),
        st.integers(0, 2), st.integers(0, 2), st.sampled_from(FIELDS), st.integers(0, 9),
        st.integers(-50, 50),  # how far this device's clock is off
    ),
    max_size=40,
)


def run(script: list[tuple[str, int, int, str, int, int]]) -> tuple[list[Device], list[Value], list[Stamp]]:
    now = [10_000]
    devices = [Device(d, Clock(d, lambda off=n: now[0] + off * 7)) for n, d in enumerate(DEVICES)]
    made: list[Value] = []
    deletions: list[Stamp] = []
    for what, a, b, name, value, step in script:
        now[0] += abs(step)
        dev = devices[a]
        if what == "edit":
            dev.version = edit(dev.version, {name: f"{dev.name}-{value}"}, dev.clock.stamp())
            made.append(next(iter(dev.version.fields[name])))
        elif what == "delete":
            stamp = dev.clock.stamp()
            dev.version = delete(dev.version, stamp)
            dev.deleted_here.append(stamp)
            deletions.append(stamp)
        elif what == "restore" and dev.deleted_here:
            stamp = dev.deleted_here.pop()  # the undo of its own newest deletion
            dev.version = undelete(dev.version, stamp)
            deletions.remove(stamp)
        elif what == "sync":
            devices[b].receive(dev.version)
    return devices, made, deletions


def exchange(devices: list[Device], order: list[int]) -> None:
    """Every device sends to every other, in an order (twice round: all have all)."""
    for _ in range(2):
        for i in order:
            for other in devices:
                other.receive(devices[i].version)


@settings(max_examples=300, deadline=None)
@given(ops, st.permutations([0, 1, 2]))
def test_devices_that_exchange_their_changes_hold_the_same_record(
    script: list[tuple[str, int, int, str, int, int]], order: list[int]
) -> None:
    devices, made, deletions = run(script)
    exchange(devices, order)
    final = devices[0].version
    assert all(d.version == final for d in devices)
    assert final.document() == devices[2].version.document()
    # A deletion not undone by the device that made it keeps the record deleted everywhere,
    # and one undone everywhere it was made brings it back.
    assert final.alive == (not deletions)
    # No change is lost unless a later change saw it: it is the value, or a visible conflict.
    for value in made:
        name = next(n for n, vs in final.fields.items() if value in vs) if any(
            value in vs for vs in final.fields.values()) else None
        replaced = any(other.seen >= value.stamp for other in made if other is not value)
        assert name is not None or replaced, value


@settings(max_examples=200, deadline=None)
@given(ops, ops, ops)
def test_merge_is_commutative_associative_and_idempotent(
    one: list[tuple[str, int, int, str, int, int]],
    two: list[tuple[str, int, int, str, int, int]],
    three: list[tuple[str, int, int, str, int, int]],
) -> None:
    a, b, c = (run(s)[0][n].version for n, s in enumerate((one, two, three)))
    assert merge(a, b) == merge(b, a)
    assert merge(merge(a, b), c) == merge(a, merge(b, c))
    assert merge(a, a) == a


def test_concurrent_edits_of_different_fields_both_survive_and_of_one_field_the_later_wins_visibly() -> None:
    laptop, desktop = Clock("laptop", lambda: 1000), Clock("desktop", lambda: 1000)
    base = edit(Version(), {"name": "Ana", "role": "", "notes": ""}, laptop.stamp())
    desktop.see(base.newest)
    on_laptop = edit(base, {"role": "Designer", "notes": "from the fair"}, laptop.stamp())
    on_desktop = edit(base, {"notes": "met at the fair"}, desktop.stamp())
    both = merge(on_laptop, on_desktop)
    assert both == merge(on_desktop, on_laptop)
    assert both.document() == {"name": "Ana", "role": "Designer", "notes": "from the fair"}
    lost = both.conflicts()
    assert list(lost) == ["notes"] and [v.value for v in lost["notes"]] == ["met at the fair"]
    # A later edit made having seen both settles it: no conflict left.
    laptop.see(both.newest)
    settled = edit(both, {"notes": "met at the fair, twice"}, laptop.stamp())
    assert settled.conflicts() == {} and merge(settled, on_desktop) == settled


def test_an_edit_never_brings_a_deleted_record_back_but_undoing_the_deletion_does() -> None:
    laptop, desktop = Clock("laptop", lambda: 1000), Clock("desktop", lambda: 5000)  # desktop's clock ahead
    base = edit(Version(), {"name": "Ana"}, laptop.stamp())
    gone = delete(base, laptop.stamp())
    edited = edit(base, {"name": "Ana Silva"}, desktop.stamp())  # later, but never saw the deletion
    assert not merge(gone, edited).alive and not merge(edited, gone).alive
    (deletion,) = gone.deleted
    undone = undelete(gone, deletion)
    assert merge(undone, edited).alive and merge(undone, edited).document() == {"name": "Ana Silva"}
    # Deleted on both: undoing one deletion leaves the record deleted.
    also = delete(edited, desktop.stamp())
    assert not merge(undone, also).alive and ZERO < deletion
