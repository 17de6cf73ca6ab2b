"""Each sealed change-log line names its key (``nj2:<key id>:``), so that a line sealed with a
key this device was not given (the journal's key changed on another device) is told apart from
a damaged one: the first is never passed over, the second is (store/devicesources.py). Lines
written before key ids (``nj1:``) still open."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from netjournal.sealing.age_codec import LINE_AAD, AgeCodec, JournalKey
from netjournal.sealing.codec import FOREIGN, UNREADABLE

LINE = '{"ops":[["contacts","c-1",{"name":"Иван Петров"}]]}'.encode()


def test_a_line_opens_with_its_key_and_names_it() -> None:
    old, new = JournalKey.generate(), JournalKey.generate()
    sealed = AgeCodec([new, old], []).seal_line(LINE)
    assert sealed.startswith(b"nj2:") and sealed.count(b":") == 2 and b"\n" not in sealed
    assert AgeCodec([new, old], []).unseal_line(sealed) == LINE
    assert AgeCodec([old, new], []).unseal_line(sealed) == LINE  # (any key held opens it)


def test_a_line_sealed_with_a_key_not_held_is_foreign_and_a_damaged_one_unreadable() -> None:
    old, new = JournalKey.generate(), JournalKey.generate()
    sealed = AgeCodec([new, old], []).seal_line(LINE)
    assert AgeCodec([old], []).unseal_line(sealed) == FOREIGN
    damaged = bytearray(sealed)
    damaged[-5] = ord("A") if damaged[-5] != ord("A") else ord("B")
    assert AgeCodec([new], []).unseal_line(bytes(damaged)) == UNREADABLE
    assert AgeCodec([new], []).unseal_line(b"nj2:zzzz") == UNREADABLE  # (cut short: damage, not a key)


def test_a_line_written_before_key_ids_still_opens() -> None:
    key = JournalKey.generate()
    nonce = os.urandom(12)
    legacy = b"nj1:" + base64.b64encode(nonce + AESGCM(key.line_key).encrypt(nonce, LINE, LINE_AAD))
    assert AgeCodec([JournalKey.generate(), key], []).unseal_line(legacy) == LINE
    assert AgeCodec([JournalKey.generate()], []).unseal_line(legacy) == UNREADABLE
