"""The messages that carry changes and start-up through the app.

Widgets and screens post :class:`Write` (it bubbles up to the app, the one place that writes
the journal, see :mod:`netjournal.tui.writes`); the app answers with :class:`Written`, to
whoever asked and to the screens that show the journal. Screens ask each other for nothing
directly: :class:`JumpTo` and :class:`OpenEditor` go through the app to the main screen.
The loader (:mod:`netjournal.tui.loader`) posts the start-up messages as the journal opens.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from netjournal.services.people import People
    from netjournal.store.journal import Journal
    from netjournal.store.views import Insights
    from netjournal.tui.writes import Change, Outcome, Record


@dataclass
class Write(Message):
    """Make this change in the journal (handled by the app)."""

    change: Change
    origin: MessagePump  # who hears the outcome as theirs (says it, reopens its form)


@dataclass
class Written(Message, bubble=False):
    """A change was made (or refused). ``asked``: the receiver is the one who asked for it."""

    outcome: Outcome
    _: KW_ONLY
    asked: bool


@dataclass
class JournalChanged(Message, bubble=False):
    """Another process changed the journal, and this one applied it (see tui/following.py):
    show the journal as it is now, keeping what is selected."""


@dataclass
class JumpTo(Message):
    """Back on the main screen, select this person (from a view or the palette)."""

    contact_id: str


@dataclass
class OpenEditor(Message):
    """Open the main screen's form for this record (a view's ``n``)."""

    record: Record


# ---------------------------------------------------------------------- start-up (posted by the loader)
@dataclass
class JournalOpened(Message):
    journal: Journal
    people: People


@dataclass
class OpenFailed(Message):
    """The journal could not be opened: the app ends, saying this line."""

    problem: str


class FirstFrame(Message):
    """The main screen has drawn the journal's data for the first time (posted by it)."""


@dataclass
class HistoryLoaded(Message):
    """Every interaction is parsed and indexed. ``people_changed``: the snapshot's record of
    last dates was overtaken by an edit it could not see; the panes read people again."""

    people_changed: bool


@dataclass
class LoadProblem(Message):
    """The history could not be read (the app goes on with what it has, and says this)."""

    problem: str


@dataclass
class InsightsReady(Message):
    insights: Insights


@dataclass
class ViewsWarm(Message):
    """The views a person opens most have their data computed (cached by the insights)."""

    insights: Insights
