"""The journal encrypted with age (https://age-encryption.org), in files any age tool opens.

* The **journal key** lives in ``journal.json.key``, an age file encrypted to the person's
  recipient (their identity file's public key) or to their passphrase (age's scrypt mode).
  Decrypted, it is an age identity file: an X25519 identity (the journal's own) and, in a
  comment line, a 256-bit key for the log's lines. During a key change it lists the new key
  first and the old one after it (either opens what was written with it).
* **Whole files** (the snapshot, backups, kept copies, temp files) are age files encrypted
  to the journal's identity and, with an identity file, to the person's recipient too:
  ``age -d -i KEY journal.json`` prints the journal's JSON.
* **Lines** (each change-log line) are ``nj2:``, the line key's id (:func:`key_id`: 8 hex
  digits) and ``:``, then the base64 of a 12-byte random nonce followed by AES-256-GCM of the
  line (associated data ``netjournal-line-v1``): saving a change stays one small append. (Lines
  written before key ids are ``nj1:`` and the base64: they are opened by trying each key.)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
from dataclasses import dataclass

import pyrage
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from netjournal.sealing import age_tool
from netjournal.sealing.codec import (
    AGE_MAGIC,
    FOREIGN,
    LINE_MARK,
    UNREADABLE,
    Codec,
    ForeignKey,
    SealingError,
    uses_passphrase,
)
from netjournal.sealing.keys import Keys, parse_identities

__all__ = ["AgeCodec", "JournalKey", "WrongKey", "uses_passphrase"]

LINE_AAD = b"netjournal-line-v1"
NONCE = 12
KEY_ID = 8  # hex digits of a line key's id (key_id)
_LINE_KEY = "# line-key: "
_CHANGED = "# changed: "


@dataclass(frozen=True)
class JournalKey:
    """The journal's own identity and its line key."""

    identity: pyrage.x25519.Identity
    line_key: bytes

    @classmethod
    def generate(cls) -> JournalKey:
        return cls(pyrage.x25519.Identity.generate(), AESGCM.generate_key(bit_length=256))


def key_text(keys: list[JournalKey], changed: str = "") -> bytes:
    """The key file's content once decrypted: an age identity file, newest key first, and when
    its newest key was made (``changed``, a UTC time: the newest key file wins between the
    devices of a shared journal, store/devicekeys.py)."""
    lines = ["# netjournal journal key: an age identity file (age -d -i THIS journal.json)"]
    if changed:
        lines.append(_CHANGED + changed)
    for key in keys:
        lines += [_LINE_KEY + base64.b64encode(key.line_key).decode(), str(key.identity)]
    return ("\n".join(lines) + "\n").encode()


def parse_key_text(text: bytes, where: str) -> list[JournalKey]:
    try:
        lines = text.decode("ascii").splitlines()
        line_keys = [base64.b64decode(x[len(_LINE_KEY) :], validate=True) for x in lines if x.startswith(_LINE_KEY)]
    except (UnicodeDecodeError, binascii.Error):
        raise SealingError(f"{where} is not a netjournal key file") from None
    ids = parse_identities("\n".join(lines), where)
    if len(ids) != len(line_keys) or any(len(k) != 32 for k in line_keys):
        raise SealingError(f"{where} is not a netjournal key file")
    return [JournalKey(i, k) for i, k in zip(ids, line_keys, strict=True)]


def key_changed(text: bytes) -> str:
    """When the newest key of a key file's text was made ("" if it does not say: older)."""
    for line in text.decode("ascii", "replace").splitlines():
        if line.startswith(_CHANGED):
            return line[len(_CHANGED) :].strip()
    return ""


def wrap(keys: list[JournalKey], unlock: Keys, changed: str = "") -> bytes:
    """The key file: ``keys`` encrypted to ``unlock``'s identity file or passphrase."""
    return seal_for(unlock, key_text(keys, changed))


def people(unlock: Keys, sealed_key: bytes | None = None) -> list[pyrage.x25519.Recipient]:
    """The person's recipients the files are sealed to besides the journal's own key: their
    identity file's (so ``age -d -i KEY journal.json`` opens the snapshot); none with a
    passphrase (a key file given as ``sealed_key`` says which of the two it is locked with)."""
    if unlock.identity is None or (sealed_key is not None and uses_passphrase(sealed_key)):
        return []
    return [i.to_public() for i in unlock.identities()]


def seal_for(unlock: Keys, data: bytes) -> bytes:
    """``data`` as an age file for the person: to their identity file's recipients, else to
    their passphrase (an encrypted export: ``age -d`` opens it)."""
    recipients = people(unlock)
    if recipients:
        return pyrage.encrypt(data, recipients)
    return pyrage.passphrase.encrypt(data, unlock.get_passphrase())


def unwrap(sealed_key: bytes, unlock: Keys, where: str) -> list[JournalKey]:
    """The journal keys in a key file; SealingError (one line) if ``unlock`` does not open it."""
    return parse_key_text(unwrap_text(sealed_key, unlock, where), where)


def unwrap_text(sealed_key: bytes, unlock: Keys, where: str) -> bytes:
    """A key file's text (see :func:`key_text`), opened with ``unlock`` (as :func:`unwrap`)."""
    if not sealed_key.startswith(AGE_MAGIC):
        raise SealingError(f"{where} is not an age file")
    try:
        if uses_passphrase(sealed_key):
            if unlock.passphrase is None:
                raise SealingError(f"{where} is locked with a passphrase: give it (NETJOURNAL_PASSPHRASE_COMMAND)")
            text = pyrage.passphrase.decrypt(sealed_key, unlock.get_passphrase())
        else:
            if unlock.identity is None:
                raise SealingError(f"{where} is locked with an identity file: give it (--identity FILE)")
            text = pyrage.decrypt(sealed_key, unlock.identities())
    except pyrage.DecryptError:
        raise WrongKey("the key given does not open this journal (wrong identity file or passphrase)") from None
    return text


class WrongKey(SealingError):
    """The identity file or passphrase given does not open the journal's key file."""


class AgeCodec(Codec):
    """Seals with the first journal key (and the person's recipients); opens with any."""

    name = "age"
    encrypted = True

    def __init__(self, keys: list[JournalKey], people: list[pyrage.x25519.Recipient]) -> None:
        """``keys``: the journal's keys, newest first; ``people``: the person's recipients
        (none for a passphrase: the key file opens the snapshot then)."""
        self.keys = keys
        self.people = people
        self.to_take: object = None  # (a journal shared between devices: store/devicekeys.Taken)
        self._recipients = [keys[0].identity.to_public(), *people]
        self._aeads = [AESGCM(k.line_key) for k in keys]
        self._ids = {key_id(k.line_key): aead for k, aead in zip(keys, self._aeads, strict=True)}
        self._id = key_id(keys[0].line_key)

    def seal(self, data: bytes) -> bytes:
        return pyrage.encrypt(data, self._recipients)

    def unseal(self, data: bytes, file: int | None = None) -> bytes:
        """A whole file: a big one by the age tool when it is installed (see age_tool)."""
        if not data.startswith(AGE_MAGIC):
            raise SealingError("a file of this encrypted journal is not encrypted (put there by something else)")
        opened = age_tool.decrypt(data, "\n".join(str(k.identity) for k in self.keys), file)
        if opened is not None:
            return opened
        try:
            return pyrage.decrypt(data, [k.identity for k in self.keys])
        except pyrage.DecryptError as exc:
            raise _refused(exc) from None

    def unseal_head(self, data: bytes, upto: int | None = None) -> tuple[bytes, bool]:
        """The file's first bytes, decrypted only as far as its first newline (a snapshot's
        head: see Codec.unseal_head); a few milliseconds where the whole takes a tenth of a
        second. Each 64 KiB chunk of an age file is authenticated on its own."""
        if not data.startswith(AGE_MAGIC):
            raise SealingError("a file of this encrypted journal is not encrypted (put there by something else)")
        out = _UntilNewline(upto)
        try:
            pyrage.decrypt_io(io.BytesIO(data), out, [k.identity for k in self.keys])
        except _Enough:
            return out.getvalue(), False
        except pyrage.DecryptError as exc:
            raise _refused(exc) from None
        return out.getvalue(), True

    def seal_line(self, line: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return LINE_MARK + self._id + b":" + base64.b64encode(nonce + self._aeads[0].encrypt(nonce, line, LINE_AAD))

    def unseal_line(self, line: bytes) -> bytes:
        """The line; a line that is not sealed, or does not open with the journal's keys,
        reads as :data:`UNREADABLE`, which the store refuses as damage at that line; one
        sealed with a key this codec does not hold (its id says so) as :data:`FOREIGN`."""
        if line.startswith(LINE_MARK):
            aead = self._ids.get(line[len(LINE_MARK) : len(LINE_MARK) + KEY_ID])
            if aead is None:
                return FOREIGN if line[len(LINE_MARK) + KEY_ID : len(LINE_MARK) + KEY_ID + 1] == b":" else UNREADABLE
            try:
                raw = base64.b64decode(line[len(LINE_MARK) + KEY_ID + 1 :], validate=True)
                return aead.decrypt(raw[:NONCE], raw[NONCE:], LINE_AAD)
            except (binascii.Error, InvalidTag, ValueError):
                return UNREADABLE
        if not line.startswith(b"nj1:"):
            if line.startswith(b'{"log"'):
                return line  # a plain log's header: the log `encrypt` folded (killed before replacing it)
            return UNREADABLE
        try:
            raw = base64.b64decode(line[4:], validate=True)
        except binascii.Error:
            return UNREADABLE
        for aead in self._aeads:
            try:
                return aead.decrypt(raw[:NONCE], raw[NONCE:], LINE_AAD)
            except (InvalidTag, ValueError):
                continue
        return UNREADABLE


class _Enough(Exception):
    """Raised from inside pyrage's stream once the head is decrypted: it stops there."""


class _UntilNewline(io.BytesIO):
    """Keeps what pyrage writes until a newline arrives, or ``upto`` bytes (pyrage may hand
    a chunk over again as it stops: only the first time counts)."""

    def __init__(self, upto: int | None) -> None:
        super().__init__()
        self.upto = upto
        self.enough = False

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        if not self.enough:
            super().write(chunk)
            self.enough = b"\n" in chunk or (self.upto is not None and self.tell() >= self.upto)
        if self.enough:
            raise _Enough
        return len(chunk)


def key_id(line_key: bytes) -> bytes:
    """A line key's id, written before each line it seals (so that a line sealed with a key
    this device was not given is told apart from a damaged one): 8 hex digits of SHA-256."""
    return hashlib.sha256(b"netjournal line key id\0" + line_key).hexdigest()[:KEY_ID].encode()


def _refused(exc: Exception) -> SealingError:
    """pyrage's refusal as netjournal says it: sealed to none of the keys held (its header's
    recipients: the journal's key was changed elsewhere), or damaged."""
    if "no matching keys" in str(exc).lower():
        return ForeignKey("a file of this journal is sealed with a key this device was not given")
    return SealingError("a file of this journal does not open with its key (damaged?)")
