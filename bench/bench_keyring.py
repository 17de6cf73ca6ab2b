"""A keyring backend for the benchmark only: one private file in a temporary folder, so that
``NETJOURNAL_KEYRING=1`` can be measured across processes on a machine without a system
keyring (a server, CI). Chosen with PYTHON_KEYRING_BACKEND=bench_keyring.FileKeyring and
BENCH_KEYRING_FILE; never used by netjournal itself. A real keyring (Secret Service over D-Bus,
macOS Keychain) adds its own lookup on top of what is measured with it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _load(self) -> dict[str, str]:
        path = Path(os.environ["BENCH_KEYRING_FILE"])
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\0{username}"] = password
        path = Path(os.environ["BENCH_KEYRING_FILE"])
        path.write_text(json.dumps(data))
        path.chmod(0o600)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}\0{username}", None)
        Path(os.environ["BENCH_KEYRING_FILE"]).write_text(json.dumps(data))
