"""Screens of the app: the main screen, the forms, confirmation and help."""
