"""The person's own keys: ``keymap.<binding-id> KEYS`` in the config file
(``netjournal config set keymap.capture.open x``), applied with Textual's keymap.

Every binding of the app has an id (``capture.open``, ``contact.new``...; the README lists
them); :func:`apply_keymap` hands the person's keymap to ``App.set_keymap``, so the keys work
and the footer shows them. The help screen and the palette read the keys through
:func:`keys_for`. Once the first frame is drawn, :func:`keymap_problems` says what in the
keymap cannot work, one line each: an id no binding has (left out), and a key given to two
bindings that apply at the same time (Textual keeps one of them; the person should choose).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType
from textual.keys import KEY_NAME_REPLACEMENTS

from netjournal.domain.settings import bad_keys
from netjournal.tui.app_services import services

Section = tuple[str, Sequence[BindingType]]

# The sections of the help screen whose keys apply at once, beside "Everywhere" (the app's):
# the main screen's keys apply in its lists, its filter and the capture line; a modal dialog
# (a form, a question, import and merge) hides the keys of the screens beneath it.
WITH_MAIN = frozenset({"In a list", "In the filter", "Quick capture", "In the interactions pane", "In the search"})
MODAL = frozenset({"In a form", "In a question", "Import and merge dialogs", "In the help"})


def key_name(key: str) -> str:
    """One key as Textual names it in its bindings: a lone character other than a letter or
    digit by its Unicode name (``?`` is ``question_mark``, ``/`` is ``slash``)."""
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key
    return KEY_NAME_REPLACEMENTS.get(name, name)


def normalized(keymap: Mapping[str, str]) -> dict[str, str]:
    """The keymap as Textual reads it: each key by its name, spaces around commas gone."""
    return {bid: ",".join(key_name(k.strip()) for k in keys.split(",")) for bid, keys in keymap.items()}


def usable(keymap: Mapping[str, str]) -> dict[str, str]:
    """The entries whose keys the app can read (the others are told at start, and left out:
    their bindings keep their own keys)."""
    return {bid: keys for bid, keys in keymap.items() if bad_keys(keys) is None}


def apply_keymap(app: App[Any]) -> None:
    """Use the person's keys (nothing to do without a keymap: nothing is imported then)."""
    keymap = usable(services(app).settings.keymap)
    if keymap:
        app.set_keymap(normalized(keymap))


def keys_for(app: App[Any], binding: Binding) -> str:
    """The binding's keys as the keymap sets them (its own if the keymap leaves it alone)."""
    keymap = usable(services(app).settings.keymap)
    if binding.id and binding.id in keymap:
        return normalized({binding.id: keymap[binding.id]})[binding.id]
    return binding.key


def _bindings(items: Iterable[BindingType]) -> list[Binding]:
    return [b for b in items if isinstance(b, Binding)]


def _remapped_to(binding: Binding, key: str, keys: Mapping[str, str]) -> bool:
    """True if the keymap gives ``binding`` this key, which is not one of its own (keys a
    screen means to share, as / in the contacts and in the interactions pane, are not clashes)."""
    own = [k.strip() for k in binding.key.split(",")]
    return binding.id in keys and key not in own


def _contexts(sections: Sequence[Section]) -> list[list[Binding]]:
    """The sets of bindings that apply together."""
    by_title = {title: _bindings(items) for title, items in sections}
    everywhere, main = by_title.get("Everywhere", []), by_title.get("Main screen", [])
    out: list[list[Binding]] = []
    for title, bindings in by_title.items():
        if title == "Everywhere":
            continue
        if title in MODAL:
            out.append(bindings)
        elif title == "In the interactions pane":  # a list too
            out.append([*everywhere, *main, *by_title.get("In a list", []), *bindings])
        elif title in WITH_MAIN:
            out.append([*everywhere, *main, *bindings])
        else:
            out.append([*everywhere, *bindings])
    return out


def keymap_problems(keymap: Mapping[str, str], sections: Sequence[Section], where: str) -> list[str]:
    """One line per problem of ``keymap`` (binding id -> keys) against the bindings of
    ``sections`` (the help screen's): ids no binding has, and keys two bindings would share.
    ``where`` names the config file in the lines."""
    keys = normalized(usable(keymap))
    known = {b.id for _title, items in sections for b in _bindings(items) if b.id}
    problems = [
        f"Your keys: no binding has the id {binding_id!r} (in {where}; left out; the README lists the ids)"
        for binding_id in keymap
        if binding_id not in known
    ]
    problems += [
        f"Your keys for {bid}: {why} (in {where}; left out, its own keys kept)"
        for bid, k in keymap.items() if (why := bad_keys(k))
    ]
    clashes: dict[tuple[str, str, str], None] = {}  # (key, one id, the other), in order, once
    for bindings in _contexts(sections):
        holders: dict[str, list[Binding]] = {}
        for binding in bindings:
            own = keys.get(binding.id or "", binding.key)
            for key in own.split(","):
                found = holders.setdefault(key.strip(), [])
                if all(b.id != binding.id for b in found):
                    found.append(binding)
        for key, found in holders.items():
            for i, one in enumerate(found):
                for other in found[i + 1 :]:
                    if _remapped_to(one, key, keys) or _remapped_to(other, key, keys):
                        a, b = sorted((one.id or one.description, other.id or other.description))
                        clashes.setdefault((key, a, b), None)
    problems += [
        f"Your keys clash: {key} is set for both {a} and {b} (in {where}; give one of them another key)"
        for key, a, b in clashes
    ]
    return problems
