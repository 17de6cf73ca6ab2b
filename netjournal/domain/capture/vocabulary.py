"""The capture line's words: what names a kind of interaction or favour, and what looks like a date."""

from __future__ import annotations

import re

from netjournal.domain.text import fold

KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(
        "lunch lunches dinner dinners breakfast brunch coffee coffees drinks drink beer beers tea meal".split(), "meal"
    ),
    **dict.fromkeys("call called phone phoned rang ring zoom facetime videocall".split(), "call"),
    **dict.fromkeys("meeting meet met 1:1 standup".split(), "meeting"),
    **dict.fromkeys("message messaged email emailed mail text texted dm wrote letter chat".split(), "message"),
    **dict.fromkeys("event party conference meetup wedding concert talk workshop".split(), "event"),
    **dict.fromkeys("intro introduction introduced introducing".split(), "introduction"),
}
FAVOUR_KIND_WORDS: dict[str, str] = {
    **dict.fromkeys("intro intros introduction introductions introduced connected".split(), "introduction"),
    **dict.fromkeys("advice feedback tip tips mentoring review reviewed coaching guidance".split(), "advice"),
    **dict.fromkeys("time help helped hand ride lift moving".split(), "time"),
    **dict.fromkeys("skill skills design code coding fixed translation repair".split(), "skill"),
    **dict.fromkeys("referral reference recommendation recommended referred endorsement".split(), "referral"),
    **dict.fromkeys("gift present book flowers presents gifts".split(), "gift"),
    **dict.fromkeys("money loan lent paid cash".split(), "money"),
}
FAVOUR_VERBS: dict[str, str] = {
    "gave": "given", "give": "given", "given": "given",
    "got": "received", "get": "received", "received": "received", "receive": "received",
}
DEFAULT_WEIGHT = 2
KIND_PHRASES = {
    "meal": "a meal", "call": "a call", "meeting": "a meeting", "message": "a message", "event": "an event",
    "introduction": "an introduction",
}

_MONTHS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september "
    "oct october nov november dec december"
).split()
_WEEKDAYS = (
    "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday"
).split()
STRONG_DATE_WORDS = frozenset([*_MONTHS, *_WEEKDAYS, "today", "yesterday", "tomorrow", "ago", "now"])
DATE_WORDS = STRONG_DATE_WORDS | frozenset(
    "last next in a an one two three four five six d day days w wk week weeks m mo month months y yr year years "
    "h hour hours min mins minute minutes am pm at of the on".split()
)


def word_key(text: str) -> str:
    """A word as the vocabulary compares it: lower case, folded when it is not ASCII."""
    return text.lower() if text.isascii() else fold(text)


def _words(text: str) -> list[str]:
    return [word_key(w) for w in re.findall(r"[^\W_]+(?::\d+)?", text)]


def guess_favour_kind(text: str) -> str:
    """The favour kind named by the first telling word of ``text`` ("intro to Carla": introduction)."""
    for w in _words(text):
        if w in FAVOUR_KIND_WORDS:
            return FAVOUR_KIND_WORDS[w]
    return "other"


def guess_kind(plain: str) -> str:
    """The kind named by one of the first three words (tokens removed): "quick call @ana": call."""
    for w in _words(plain)[:3]:
        if w in KIND_WORDS:
            return KIND_WORDS[w]
    return "other"


def is_date_prefix(prefix: str) -> bool:
    """Does the text before ``: `` try to be a date? ("Lunch with Ana: ..." does not.)"""
    if any(ch in prefix for ch in "@#+\"") or len(prefix) > 40:
        return False
    words = [w.strip(".,").lower() for w in prefix.replace(",", " ").split()]
    if not words:
        return False
    strong = False
    for w in words:
        if any(ch.isdigit() for ch in w):
            strong = True
        elif w in STRONG_DATE_WORDS:
            strong = True
        elif w not in DATE_WORDS:
            return False
    return strong
