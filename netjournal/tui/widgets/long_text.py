"""A long-text field (an interaction's text, a person's notes): a TextArea with ``F4``, the
person's own editor on its text (:mod:`netjournal.tui.external_editor`)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea

from netjournal.tui.app_services import services
from netjournal.tui.confirm import ConfirmScreen
from netjournal.tui.external_editor import run_editor


class LongText(TextArea):
    """``F4``: edit the text in ``$VISUAL`` / ``$EDITOR``; what the editor saved replaces the
    text as one edit (``ctrl+z`` takes it back), and the form sees the change as typed."""

    BINDINGS = [Binding("f4", "external_editor", "Your editor", id="text.editor")]

    def action_external_editor(self) -> None:
        warning = services(self).editor_warning
        if not warning:
            self.edit_externally()
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self.edit_externally()

        self.app.push_screen(ConfirmScreen(warning, yes="Open the editor", no="Stay here"), answered)

    def edit_externally(self) -> None:
        edited = run_editor(self.app, self.text)
        if edited.problem is not None:
            self.notify(edited.problem, severity="error", markup=False)
        elif edited.text is not None and edited.text != self.text:
            self.replace(edited.text, (0, 0), self.document.end)
        self.focus()
