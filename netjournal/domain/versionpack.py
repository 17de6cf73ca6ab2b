"""A record's version (domain/versions.py) as the journal keeps it beside the record's
document: compact, the winning values left in the document, only what the document cannot
say written out. Pure: no I/O.

A packed version is a small dict (its keys are short: there is one per changed record):

* ``"s"``: the stamp every field without an entry of its own was written at, over nothing
  (a record added once and never edited is just ``{"s": stamp}``);
* ``"f"``: ``{field: [stamp, seen]}`` for a field written later (``seen``: the stamp of the
  value it replaced);
* ``"c"``: ``{field: [[value, stamp, seen], ...]}``: values that lost a clash (two devices
  wrote the field without seeing each other's value), kept until a later write sees them;
* ``"d"`` / ``"u"``: the deletions' stamps, and those of the deletions taken back by an undo;
* ``"v"``: the winning values the document does not show: all of them while the record is
  deleted (it has no document then), or the people an interaction names who were deleted
  on another device (devicemerge.shown_document).

A record that has no packed version (the journal as it was before it was shared between
devices) has the version :func:`derive` gives: every field written at the record's
``updated`` time by the device :data:`LEGACY`, the same on every device. A field whose
value is None was cleared (a person's empty fields are left out of the document).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from netjournal.domain.hlc import ZERO, Stamp
from netjournal.domain.versions import Value, Version, edit

LEGACY = "~legacy"  # the device of every change made before the journal was shared
HERE = "~here"  # the device of a deletion made in a journal not shared (its tombstone)
Doc = dict[str, Any]
Packed = dict[str, Any]
QUIET = frozenset({"updated"})  # a field two devices both write with every edit: no clash to tell


def legacy_stamp(doc: Mapping[str, Any]) -> Stamp:
    """The stamp of a record's values before the journal was shared: its ``updated`` time."""
    text = doc.get("updated") or doc.get("created") or ""
    try:
        when = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
        wall = int(when.timestamp() * 1000)
    except ValueError:
        wall = 0
    return Stamp(max(wall, 0), 0, LEGACY)


def derive(doc: Mapping[str, Any]) -> Version:
    """The version of a record that has none packed (see the module's docstring)."""
    stamp = legacy_stamp(doc)
    return Version({name: frozenset({Value(stamp, ZERO, value)}) for name, value in doc.items()})


def _stamp(text: Any) -> Stamp:
    if type(text) is not str:
        raise ValueError(f"not a clock stamp: {text!r}")
    return Stamp.parse(text)


def unpack(doc: Mapping[str, Any] | None, packed: Mapping[str, Any] | None) -> Version:
    """The version of a record from its document (None: deleted) and its packed version
    (None: it has none, see :func:`derive`). ValueError if ``packed`` is not one."""
    if packed is None:
        return derive(doc or {})
    if not isinstance(packed, Mapping):
        raise ValueError("a packed version is a JSON object")
    values: Mapping[str, Any] = {**(doc or {}), **(packed.get("v") or {})}
    base = _stamp(packed["s"]) if "s" in packed else None
    own: Mapping[str, Any] = packed.get("f") or {}
    fields: dict[str, set[Value]] = {}
    for name in set(values) | set(own):
        if name in own:
            stamp, seen = own[name]
            fields[name] = {Value(_stamp(stamp), _stamp(seen) if seen else ZERO, values.get(name))}
        else:
            fields[name] = {Value(base or legacy_stamp(values), ZERO, values[name])}
    for name, lost in (packed.get("c") or {}).items():
        for value, stamp, seen in lost:
            fields.setdefault(name, set()).add(Value(_stamp(stamp), _stamp(seen) if seen else ZERO, value))
    deleted = frozenset(_stamp(s) for s in packed.get("d") or ())
    undone = frozenset(_stamp(s) for s in packed.get("u") or ())
    return Version({n: frozenset(v) for n, v in fields.items()}, deleted, undone)


def pack(version: Version, shown: Mapping[str, Any] | None) -> Packed:
    """The packed form of ``version`` beside ``shown``, the document kept for it (None: none):
    the winning values the document does not hold go in ``"v"``."""
    out: Packed = {}
    winners = {name: max(values) for name, values in version.fields.items() if values}
    plain = {w.stamp for w in winners.values() if w.seen == ZERO}
    base = max(plain, key=lambda s: sum(1 for w in winners.values() if w.stamp == s and w.seen == ZERO), default=None)
    if base is not None:
        out["s"] = base.text()
    own = {
        name: [w.stamp.text(), _seen(w)]
        for name, w in sorted(winners.items())
        if not (w.stamp == base and w.seen == ZERO)
    }
    if own:
        out["f"] = own
    lost = {
        name: [[v.value, v.stamp.text(), _seen(v)] for v in sorted(values, reverse=True)[1:]]
        for name, values in sorted(version.fields.items())
        if len(values) > 1
    }
    if lost:
        out["c"] = lost
    if version.deleted:
        out["d"] = sorted(s.text() for s in version.deleted)
    hidden = {name: w.value for name, w in sorted(winners.items()) if shown is None or shown.get(name) != w.value}
    if hidden:
        out["v"] = hidden
    if version.undone:
        out["u"] = sorted(s.text() for s in version.undone)
    return out


def kept(version: Version, shown: Mapping[str, Any] | None) -> Packed | None:
    """What is kept of ``version`` beside ``shown``: its packed form, or None when the
    document says it all (the version :func:`derive` gives: a record untouched since the
    journal was shared, as every device derives it alike)."""
    packed = pack(version, shown)
    if shown is not None and len(packed) == 1 and packed.get("s") == legacy_stamp(shown).text():
        return None
    return packed


def _seen(value: Value) -> str | None:
    return value.seen.text() if value.seen != ZERO else None


def document(version: Version) -> Doc | None:
    """The record as a person sees it (each field's latest value; a cleared field left
    out), or None while it is deleted."""
    if not version.alive:
        return None
    return {name: value for name, value in version.document().items() if value is not None}


def changed_fields(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, Any]:
    """The fields ``new`` writes over ``old`` (a field left out of ``new`` is cleared: None)."""
    old = old or {}
    out = {name: value for name, value in new.items() if old.get(name) != value or name not in old}
    out.update({name: None for name in old if name not in new and old[name] is not None})
    return out


def written(
    version: Version | None, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, stamp: Stamp,
    *, undoing: bool = False,
) -> Version:
    """The version after this device changed a record from ``old`` to ``new`` (None: absent)
    at ``stamp``: a deletion is a tombstone; an edit writes the fields that changed. A record
    put back while deleted stays deleted (an import, a merge: nothing deleted comes back),
    unless ``undoing``: the undo of a deletion takes back the deletions this device made
    (another device's deletion still stands, see :func:`stays_deleted`)."""
    held = version if version is not None else (derive(old) if old is not None else Version())
    if new is None:
        return Version(held.fields, held.deleted | {stamp}, held.undone)
    if not held.alive:
        if undoing:
            held = taken_back(held, stamp.device)
        old = {name: w.value for name, values in held.fields.items() if values for w in [max(values)]}
    return edit(held, changed_fields(old, new), stamp)


def taken_back(version: Version, device: str) -> Version:
    """``version`` with the deletions ``device`` made taken back (the undo of a deletion)."""
    mine = {s for s in version.deleted if s.device == device}
    return Version(version.fields, version.deleted, version.undone | mine)


def stays_deleted(version: Version, device: str) -> bool:
    """Whether a record ``device`` puts back stays deleted: another device deleted it too."""
    return not taken_back(version, device).alive


def clashes(version: Version) -> dict[str, list[Value]]:
    """The fields two devices changed without seeing each other's change, with the values
    that lost (newest first); a clash of equal values, or of :data:`QUIET` fields, is none."""
    out = {}
    for name, values in version.conflicts().items():
        winner = version.winner(name)
        lost = [v for v in values if winner is None or v.value != winner.value]
        if lost and name not in QUIET:
            out[name] = lost
    return out


__all__ = ["HERE", "LEGACY", "Packed", "clashes", "derive", "document", "kept", "pack", "unpack", "written"]
