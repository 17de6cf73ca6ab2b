"""netjournal: a keyboard-driven journal of relationships."""

__version__ = "0.1.0"
