"""The messages that carry changes and start-up through the app.

Widgets and screens post :class:`Write` (it bubbles up to the app, the one place that writes
the journal, see :mod:`netjournal.tui.writes`); the app answers with :class:`Written`, to
whoever asked and to the screens that show the journal. Screens ask each other for nothing
directly: :class:`JumpTo` and :class:`OpenEditor` go through the app to the main screen.
The loader (:mod:`netjournal.tui.loader`) posts the start-up messages as the journal opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from netjournal.services.people import People
    from netjournal.store.journal import Journal
    from netjournal.store.views import Insights
    from netjournal.tui.writes import Change, Outcome, Record


class Write(Message):
    """Make this change in the journal (handled by the app)."""

    def __init__(self, change: Change, origin: MessagePump) -> None:
        super().__init__()
        self.change = change
        self.origin = origin  # who hears the outcome as theirs (says it, reopens its form)


class Written(Message, bubble=False):
    """A change was made (or refused). ``asked``: the receiver is the one who asked for it."""

    def __init__(self, outcome: Outcome, *, asked: bool) -> None:
        super().__init__()
        self.outcome = outcome
        self.asked = asked


class JumpTo(Message):
    """Back on the main screen, select this person (from a view or the palette)."""

    def __init__(self, contact_id: str) -> None:
        super().__init__()
        self.contact_id = contact_id


class OpenEditor(Message):
    """Open the main screen's form for this record (a view's ``n``)."""

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record


# ---------------------------------------------------------------------- start-up (posted by the loader)
class JournalOpened(Message):
    def __init__(self, journal: Journal, people: People) -> None:
        super().__init__()
        self.journal = journal
        self.people = people


class OpenFailed(Message):
    """The journal could not be opened: the app ends, saying this line."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class FirstFrame(Message):
    """The main screen has drawn the journal's data for the first time (posted by it)."""


class HistoryLoaded(Message):
    """Every interaction is parsed and indexed. ``people_changed``: the snapshot's record of
    last dates was overtaken by an edit it could not see; the panes read people again."""

    def __init__(self, people_changed: bool) -> None:
        super().__init__()
        self.people_changed = people_changed


class LoadProblem(Message):
    """The history could not be read (the app goes on with what it has, and says this)."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class InsightsReady(Message):
    def __init__(self, insights: Insights) -> None:
        super().__init__()
        self.insights = insights


class ViewsWarm(Message):
    """The views a person opens most have their data computed (cached by the insights)."""

    def __init__(self, insights: Insights) -> None:
        super().__init__()
        self.insights = insights
