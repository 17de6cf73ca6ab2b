"""The Syncthing-like simulator's own rules (tests/store/sync_sim.py), before it judges the store."""

from __future__ import annotations

from pathlib import Path

from sync_sim import SyncSim, conflict_name


def sim(tmp_path: Path, *names: str) -> SyncSim:
    return SyncSim(tmp_path, list(names))


def test_a_file_travels_only_when_sent(tmp_path: Path) -> None:
    s = sim(tmp_path, "a", "b")
    (s.folder("a") / "x.log").write_bytes(b"one\n")
    assert not (s.folder("b") / "x.log").exists()
    assert s.send("a", "b", "x.log")
    assert (s.folder("b") / "x.log").read_bytes() == b"one\n"
    assert not s.send("a", "b", "x.log")  # nothing new


def test_concurrent_changes_newer_wins_older_kept_as_a_conflict_copy_everywhere(tmp_path: Path) -> None:
    s = sim(tmp_path, "a", "b")
    (s.folder("a") / "j.json").write_bytes(b"base")
    s.settle()
    (s.folder("a") / "j.json").write_bytes(b"from a")
    s.scan("a")
    (s.folder("b") / "j.json").write_bytes(b"from b")  # later: wins
    s.settle()
    for dev in ("a", "b"):
        files = sorted(p.name for p in s.folder(dev).iterdir())
        assert (s.folder(dev) / "j.json").read_bytes() == b"from b"
        assert files == ["j.json", "j.sync-conflict-20261205-000004-A.json"]
        assert (s.folder(dev) / files[1]).read_bytes() == b"from a"
    assert s.conflicts == 1


def test_a_deletion_travels_but_loses_to_a_concurrent_change(tmp_path: Path) -> None:
    s = sim(tmp_path, "a", "b", "c")
    for name in ("gone", "kept"):
        (s.folder("a") / name).write_bytes(b"x")
    s.settle()
    (s.folder("b") / "gone").unlink()
    (s.folder("b") / "kept").unlink()
    s.scan("b")
    (s.folder("c") / "kept").write_bytes(b"changed")
    s.settle()
    for dev in ("a", "b", "c"):
        assert not (s.folder(dev) / "gone").exists()
        assert (s.folder(dev) / "kept").read_bytes() == b"changed"


def test_files_arrive_in_any_order_and_the_lock_is_never_synced(tmp_path: Path) -> None:
    s = sim(tmp_path, "a", "b")
    (s.folder("a") / "sub").mkdir()
    (s.folder("a") / "sub" / "late").write_bytes(b"2")
    (s.folder("a") / "early").write_bytes(b"1")
    (s.folder("a") / "journal.json.lock").write_bytes(b"")
    s.scan("a")
    assert s.files() == ["early", "sub/late"]
    s.send("a", "b", "sub/late")
    assert (s.folder("b") / "sub" / "late").exists() and not (s.folder("b") / "early").exists()


def test_conflict_names_are_syncthings() -> None:
    assert conflict_name("journal.json.log", "b", 12) == "journal.json.sync-conflict-20261205-000012-B.log"
    assert conflict_name("d/x", "b", 1) == "d/x.sync-conflict-20261205-000001-B"
