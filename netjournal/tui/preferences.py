"""The person's settings applied to the app as it starts: the theme (and remembering the one
picked in the palette) and their own keys (:mod:`netjournal.tui.keymap`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netjournal.tui.app_services import services
from netjournal.tui.keymap import apply_keymap, keymap_problems

if TYPE_CHECKING:
    from textual.app import App
    from textual.theme import Theme


def apply_preferences(app: App[Any]) -> None:
    """The theme and keys of the settings; a theme picked later is saved in the config file."""
    theme = services(app).settings.theme
    if theme in app.available_themes:
        app.theme = theme
    app.theme_changed_signal.subscribe(app, lambda picked: remember_theme(app, picked))
    apply_keymap(app)


def remember_theme(app: App[Any], theme: Theme) -> None:
    nj = services(app)
    if theme.name != nj.settings.theme:
        nj.settings.theme = theme.name
        try:
            nj.settings.save(nj.source.config_file)
        except OSError as exc:
            app.notify(f"could not save the theme: {exc.strerror or exc}", severity="warning", markup=False)


def report_keymap(app: App[Any]) -> None:
    """Say, once the first frame is up, what in the person's keymap cannot work (one line each)."""
    nj = services(app)
    if not nj.settings.keymap:
        return
    from netjournal.tui.screens.help import HelpScreen, help_sections  # every screen's bindings (for a keymap only)

    sections = [*help_sections(app.BINDINGS), ("In the help", HelpScreen.BINDINGS)]
    problems = keymap_problems(nj.settings.keymap, sections, nj.source.config_file.name)
    if problems:  # one notification (the newest replaces the one showing): every line in it
        app.notify("\n".join(problems), severity="warning", timeout=15, markup=False)
