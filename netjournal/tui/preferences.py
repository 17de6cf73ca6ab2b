"""The person's settings applied to the app as it starts: the theme (and remembering the one
picked in the palette) and their own keys (:mod:`netjournal.tui.keymap`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netjournal.tui.keymap import apply_keymap

if TYPE_CHECKING:
    from textual.theme import Theme

    from netjournal.tui.app import NetjournalApp


def apply_preferences(app: NetjournalApp) -> None:
    """The theme and keys of the settings; a theme picked later is saved in the config file."""
    if app.settings.theme in app.available_themes:
        app.theme = app.settings.theme
    app.theme_changed_signal.subscribe(app, lambda theme: remember_theme(app, theme))
    apply_keymap(app)


def remember_theme(app: NetjournalApp, theme: Theme) -> None:
    settings = app.settings
    if theme.name != settings.theme:
        settings.theme = theme.name
        try:
            settings.save(app.source.config_file)
        except OSError as exc:
            app.notify(f"could not save the theme: {exc.strerror or exc}", severity="warning", markup=False)
