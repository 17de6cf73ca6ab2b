"""The capture line: one line of text becomes an interaction and its favours.

    [DATE: ]TEXT with @people, #tags, a duration and +favours

Examples (with "now" on Sunday 10 March 2024)::

    lunch with @ana #pricing 1h30            meal with Ana today, 90 minutes, tag pricing
    yesterday: call with @"Ana Silva" 45m     a call on 9 March
    friday: coffee with @ana +gave intro to Carla
                                              a meal on 8 March and a favour given to Ana
    2024-03-05 15:30: meeting @bruno +got!4 advice on pricing
                                              a meeting and a favour received from Bruno, weight 4
    dinner with @ana and @bruno +got advice from @bruno
                                              the favour is Bruno's only: he is named after +got

The parts:

- DATE (optional) before the first ``: ``: ``today``, ``yesterday``, weekday names or
  abbreviations (the most recent one before today), ``last friday``, ``3 days ago``,
  ``2 weeks ago``, ``2024-03-05``, ``2024-03-05 15:30``, ``5 Mar``, ``june 9 2013``, ``5/3``
  (day first unless the setting says month first). A date without a year that would be in
  the future means last year. An impossible date (``2019-02-29``) is an error. A plan (a
  date after today) is written ``tomorrow``, ``next tuesday``, ``in 2 weeks`` or with its
  year; a favour on a plan is an error (it is recorded once done).
- ``@name`` or ``@"Full Name"``: a contact, by name, alias or slug (``@ana-silva``), ignoring
  case and accents, in any script (``@Ольга``, ``@प्रिया``: netjournal.domain.people). At least one person is needed.
- ``#tag``: tags. A duration: ``45m``, ``1h30``, ``2h``, ``90 min``.
- The first words set the kind: lunch, dinner, coffee... meal; call; meeting; message;
  event; intro... introduction; otherwise other.
- ``+gave TEXT`` / ``+got TEXT``: a favour given or received, up to the next ``+gave``/``+got``
  or the end of the line (put favours last). It goes to the people named after the
  ``+word``, or else to everyone in the line. ``+gave!4``: weight 1-5 (default 2). Words in
  TEXT set its kind: intro, advice, time, skill, referral, gift, money, or other.

The note saved (``Capture.note``) is the line as prose: see :mod:`netjournal.domain.prose`.

:func:`parse_capture` (:mod:`.line`) is pure and never raises on bad input: it returns a :class:`Capture`
with every problem in ``errors`` (each with the span of the line it is about), so the app
can preview a line as it is typed. :func:`capture_records` turns a clean capture into the
records to save.

The package: :mod:`.vocabulary` (the words that set kinds and look like dates),
:mod:`.tokens` (a small parser per token), :mod:`.line` (the whole line and its records),
:mod:`.results` (what a reading gives).
"""

from __future__ import annotations

from netjournal.domain.capture.line import CaptureRecords, capture_records, parse_capture
from netjournal.domain.capture.results import Capture, CaptureError, FavourDraft, Mention
from netjournal.domain.capture.vocabulary import (
    DEFAULT_WEIGHT,
    FAVOUR_KIND_WORDS,
    FAVOUR_VERBS,
    KIND_WORDS,
    guess_favour_kind,
)

# The people index lives in netjournal.domain.people (one resolver for the line, the shell and
# the forms); it is re-exported here for the callers that read it with the parser.
from netjournal.domain.people import ContactIndex, Resolution, Resolver

__all__ = [
    "DEFAULT_WEIGHT", "FAVOUR_KIND_WORDS", "FAVOUR_VERBS", "KIND_WORDS",
    "Capture", "CaptureError", "CaptureRecords", "ContactIndex", "FavourDraft", "Mention", "Resolution", "Resolver",
    "capture_records", "guess_favour_kind", "parse_capture",
]
