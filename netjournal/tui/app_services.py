"""What screens and widgets may use of the app: its services, reached through a typed
property (``app_services``), never ``getattr``. The app (:class:`netjournal.tui.app.NetjournalApp`)
provides them; naming them here lets a screen use them without importing the app, which
imports the screens."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from netjournal.config import Settings
    from netjournal.store.journal import Journal
    from netjournal.store.views import Insights
    from netjournal.tui.state import JournalSource


class AppServices(Protocol):
    settings: Settings
    source: JournalSource  # which journal, its config file, where the app's private state goes
    today: date
    insights: Insights | None  # made after the first frame
    # Said (and answered yes) before a text leaves the journal for an editor's file (F4): the
    # hook for an encrypted journal, whose services set it; None: nothing to say.
    editor_warning: str | None

    @property
    def journal(self) -> Journal | None:
        """The open journal (None while it opens, and once closed)."""

    def writable(self) -> Journal | None:
        """The journal, if changes can be saved now; else None, and the person is told why."""


def services(node: DOMNode) -> AppServices:
    """The services of the app ``node`` belongs to."""
    return cast("AppServices", node.app)
