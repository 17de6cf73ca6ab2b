"""The optional copy of an unlocked journal key in the system keyring (``NETJOURNAL_KEYRING=1``):
a journal locked with a passphrase then opens without asking it and without scrypt's cost.

Only when the person asks for it: the copy is as secret as the passphrase. It is kept with the
digest of the key file it came from, so a changed key (``encrypt`` again) is never taken from
a stale copy. A keyring that cannot be used (none on a server) is passed over in silence: the
passphrase is asked as without it.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from netjournal.sealing.age_codec import JournalKey, key_text, parse_key_text

SERVICE = "netjournal"


def _entry(where: Path) -> str:
    return str(where.absolute())


def recall(where: Path, sealed_key: bytes) -> list[JournalKey] | None:
    """The journal keys kept for the key file ``where`` (whose bytes are ``sealed_key``), if any."""
    text = recall_text(where, sealed_key)
    return None if text is None else parse_key_text(text, "the keyring's copy")


def recall_text(where: Path, sealed_key: bytes) -> bytes | None:
    """The key file's text (age_codec.key_text) kept for ``where`` and these bytes, if any."""
    import keyring

    try:
        value = keyring.get_password(SERVICE, _entry(where))
    except Exception:  # (keyring.errors.KeyringError, or a backend's own: no keyring to use)
        return None
    digest, _, text = (value or "").partition(":")
    if digest != hashlib.sha256(sealed_key).hexdigest():
        return None
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        return None


def keep(where: Path, sealed_key: bytes, keys: list[JournalKey]) -> None:
    keep_text(where, sealed_key, key_text(keys))


def keep_text(where: Path, sealed_key: bytes, text: bytes) -> None:
    import keyring

    value = hashlib.sha256(sealed_key).hexdigest() + ":" + base64.b64encode(text).decode()
    try:
        keyring.set_password(SERVICE, _entry(where), value)
    except Exception:  # (no keyring to use: the passphrase is asked next time, as without one)
        return
