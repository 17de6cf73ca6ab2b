"""What reading a contacts file (vCard, CSV) gives: the people and the entries that could not be read.

Kept apart from the readers so that :mod:`.vcard` and :mod:`.csvio` fill it without importing
the module that chooses between them (:mod:`.contact_files`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from netjournal.domain.model import Contact
from netjournal.domain.text import clean_line
from netjournal.errors import NetjournalError


@dataclass
class Problem:
    """A card or row that could not be read: where it is and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Parsed:
    """What a vCard or CSV file holds: people (each with where it came from) and bad entries."""

    source: str
    kind: str  # "vCard", "Google Contacts CSV", ...
    people: list[tuple[str, Contact]] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    # Instead of ``people``: the people as they are read from the file (a big file is never
    # held whole). Bad entries land in ``skipped`` (or raise) as the reading reaches them.
    stream: Iterator[tuple[str, Contact]] | None = None

    def entries(self) -> Iterator[tuple[str, Contact]]:
        """The people, read from the file as they are consumed if streamed (then only once)."""
        if self.stream is not None:
            stream, self.stream = self.stream, None
            return stream
        return iter(self.people)

    def fail_or_skip(self, problem: Problem, skip_bad: bool) -> None:
        """A damaged entry: by default the whole file is refused, naming the entry."""
        if not skip_bad:
            raise NetjournalError(
                clean_line(f"{self.source}: {problem} (nothing was imported; --skip-bad imports the good entries)")
            )
        self.skipped.append(problem)

    def accepts(self, where: str, contact: Contact, no_name: str, skip_bad: bool) -> bool:
        """Whether a person read from the file can be imported: one with no name (``no_name``
        says what the format would have named them by) or a field that would not save is a
        damaged entry (see :meth:`fail_or_skip`)."""
        if not contact.name:
            self.fail_or_skip(Problem(where, no_name), skip_bad)
            return False
        problems = contact.problems()
        if problems:
            self.fail_or_skip(Problem(where, "; ".join(f"{k}: {v}" for k, v in problems.items())), skip_bad)
            return False
        return True
