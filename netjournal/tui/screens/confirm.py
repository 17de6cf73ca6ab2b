"""The yes/no question moved to :mod:`netjournal.tui.confirm` (widgets ask too: the capture
line, F4 on an encrypted journal, and widgets may not import screens); this name stays for
code written against it."""

from netjournal.tui.confirm import ConfirmScreen

__all__ = ["ConfirmScreen"]
