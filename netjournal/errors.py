"""Errors a person may meet. Each carries one clear sentence; none is a bug."""

from __future__ import annotations


class NetjournalError(Exception):
    """Base class for expected errors: the CLI prints them on one line and exits 2."""

    exit_code = 2


class ValidationError(NetjournalError):
    """One or more fields hold a bad value. ``errors`` maps field name to problem."""

    def __init__(self, errors: dict[str, str] | str, field: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {field or "value": errors}
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class NotFoundError(NetjournalError):
    """No record matches."""


class AmbiguousError(NetjournalError):
    """More than one record matches; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[object] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []
