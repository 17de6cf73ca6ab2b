"""Widgets of the app. The big lists draw only the rows on screen (Textual's line API)."""
