"""Small user settings kept beside the journal (``journal.config.json``, 0600).

The values and their rules are :class:`netjournal.domain.settings.Settings` (what the store
and the insights take); this module reads and writes the file, above the store."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import orjson

from netjournal.domain import settings
from netjournal.store import files


class Settings(settings.Settings):
    """The settings, read from and saved to the file beside the journal."""

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw: object = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return cls()
        return cls.from_mapping(raw)

    def save(self, path: Path) -> None:
        files.ensure_private_dir(path.parent)
        files.atomic_write(path, orjson.dumps(dataclasses.asdict(self), option=orjson.OPT_INDENT_2))
