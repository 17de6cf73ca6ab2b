"""Records as the measures see them, and the helpers every measure uses.

Records may be the model's dataclasses (Contact, Interaction, Favour) or anything with the
same attributes: the store's cache keeps light tuples for 100,000 interactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from netjournal.domain.words import folded


class FavourLike(Protocol):
    @property
    def date(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def weight(self) -> int: ...


class InteractionLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def contact_ids(self) -> Sequence[str]: ...
    @property
    def minutes(self) -> int: ...
    @property
    def follow_up(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def asks(self) -> Sequence[str]: ...


def day_of(when: str) -> date:
    """The calendar day of a stored "YYYY-MM-DD[THH:MM]" value."""
    return date.fromisoformat(when[:10])


__all__ = ["FavourLike", "InteractionLike", "day_of", "folded"]
