"""This device's name (issue #14): kept in the user's state folder, made once and kept,
private; $NETJOURNAL_DEVICE overrides it; a bad one is refused in one line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from netjournal.device import ENV_DEVICE, device_name
from netjournal.errors import NetjournalError


def test_a_device_gets_a_name_once_and_keeps_it_privately(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "netjournal"
    first = device_name({}, folder)
    assert first and first == device_name({}, folder)  # kept, not made again
    assert stat.S_IMODE((folder / "device").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    other = device_name({}, tmp_path / "elsewhere")
    assert other != first  # the host's name and a random suffix: two machines, two devices


def test_netjournal_device_overrides_it(tmp_path: Path) -> None:
    assert device_name({ENV_DEVICE: "Ноутбук Ани"}, tmp_path) == "Ноутбук Ани"
    assert not (tmp_path / "device").exists()  # nothing made: the name is given
    with pytest.raises(NetjournalError, match=f"^{ENV_DEVICE}: .*control character"):
        device_name({ENV_DEVICE: "a\x1b[2Jb"}, tmp_path)
    with pytest.raises(NetjournalError, match="needs a name"):
        device_name({ENV_DEVICE: " "}, tmp_path)


def test_a_damaged_name_file_is_refused_naming_it(tmp_path: Path) -> None:
    (tmp_path / "device").write_text("x" * 100)
    with pytest.raises(NetjournalError, match="device: .*64 characters"):
        device_name({}, tmp_path)
