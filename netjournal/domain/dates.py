"""Dates as people type them.

python-dateutil parses the absolute forms (ISO, "5 Mar", "june 9 2013", numeric dates);
this module adds only what it lacks: the relative phrases ("yesterday", "friday",
"3 days ago", "in 2 weeks") and strictness (an impossible date is an error, never a shift).

python-dateutil is imported on first use (dates are parsed in forms and commands, not at
start-up), so the app's first frame does not pay for loading it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from netjournal.errors import ValidationError

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
_UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "year": "years", "years": "years",
}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_AGO = re.compile(r"^(\d+|a|an|one|two|three|four|five|six)\s*([a-z]+)\s+ago$")
_IN = re.compile(r"^in\s+(\d+|a|an|one|two|three|four|five|six)\s*([a-z]+)$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ tT](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_HAS_TIME = re.compile(r"\d:\d{2}|\d\s*(am|pm)\b", re.I)
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?$")

DATE_HELP = (
    "try today, yesterday, friday, last friday, 3 days ago, 2024-03-05, 5 Mar or june 9 2013"
)


def _relative(text: str, today: date) -> date | None:
    t = text.strip().lower()
    if t in ("today", "now"):
        return today
    if t == "yesterday":
        return today - timedelta(days=1)
    if t == "tomorrow":
        return today + timedelta(days=1)
    words = t.split()
    if len(words) in (1, 2) and words[-1] in WEEKDAYS and (len(words) == 1 or words[0] in ("last", "next")):
        wd = WEEKDAYS[words[-1]]
        if len(words) == 2 and words[0] == "next":
            ahead = (wd - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
        back = (today.weekday() - wd) % 7 or 7
        return today - timedelta(days=back)
    for pattern, sign in ((_AGO, -1), (_IN, 1)):
        m = pattern.match(t)
        if m:
            n = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS[m.group(1)]
            unit = _UNITS.get(m.group(2))
            if unit is None:
                return None
            from dateutil.relativedelta import relativedelta

            shifted: date = today + sign * relativedelta(**{unit: n})
            return shifted
    return None


def _strict_iso(m: re.Match[str], text: str) -> datetime:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    hh = int(m.group(4) or 0)
    mm = int(m.group(5) or 0)
    ss = int(m.group(6) or 0)
    try:
        return datetime(y, mo, d, hh, mm, ss)
    except ValueError as exc:
        raise ValidationError(f"no such date: {text} ({exc})", field="date") from None


_YEAR = re.compile(r"\b\d{4}\b|'\d{2}\b")


def parse_datetime(
    text: str,
    now: datetime,
    *,
    dayfirst: bool = True,
    field: str = "date",
    past: bool = False,
    ahead: bool = False,
) -> tuple[datetime, bool]:
    """Parse ``text`` relative to ``now``. Returns (value, has_time).

    With ``past=True`` a date typed without a year ("5 Mar", "25/12") that would fall after
    ``now`` means the same day of the previous year: a journal records what happened. With
    ``ahead=True`` (a follow-up, the end of a snooze) it is the other way: a bare weekday
    ("friday") is the next one, and a date without a year already gone is next year's."""
    words = text.strip().lower().split()
    if ahead and len(words) == 1 and words[0] in WEEKDAYS:
        text = f"next {words[0]}"
    value, has_time = _parse_datetime(text, now, dayfirst=dayfirst, field=field)
    if (past or ahead) and _relative(text, now.date()) is None and not _has_year(text):
        shift = -1 if past and value.date() > now.date() else 1 if ahead and value.date() < now.date() else 0
        if shift:
            try:
                value = value.replace(year=value.year + shift)
            except ValueError:  # 29 February: that year has none
                year = value.year + shift
                raise ValidationError(f"no such date: {text.strip()} (no 29 February in {year})", field=field) from None
    return value, has_time


def _has_year(text: str) -> bool:
    raw = text.strip()
    if _ISO.match(raw):
        return True
    n = _NUMERIC.match(raw)
    if n:
        return n.group(3) is not None
    return bool(_YEAR.search(raw))


def _parse_datetime(text: str, now: datetime, *, dayfirst: bool, field: str) -> tuple[datetime, bool]:
    raw = text.strip()
    if not raw:
        raise ValidationError("a date is required", field=field)
    rel = _relative(raw, now.date())
    if rel is not None:
        return datetime(rel.year, rel.month, rel.day), False
    m = _ISO.match(raw)
    if m:
        try:
            return _strict_iso(m, raw), m.group(4) is not None
        except ValidationError as exc:
            raise ValidationError(str(exc.errors["date"]), field=field) from None
    n = _NUMERIC.match(raw)
    if n:
        a, b = int(n.group(1)), int(n.group(2))
        if a > 12 and b > 12:
            raise ValidationError(f"no such date: {raw}", field=field)
        # Unambiguous day-first (25/12) or month-first (12/25) forms win over the setting.
        day_first = True if a > 12 else False if b > 12 else dayfirst
        day, month = (a, b) if day_first else (b, a)
        year_s = n.group(3)
        year = now.year if year_s is None else int(year_s) + (2000 if len(year_s) == 2 else 0)
        try:
            return datetime(year, month, day), False
        except ValueError as exc:
            raise ValidationError(f"no such date: {raw} ({exc})", field=field) from None
    from dateutil import parser as _du

    try:
        default = datetime(now.year, now.month, now.day)
        value = _du.parse(raw, default=default, dayfirst=dayfirst)
    except (ValueError, OverflowError) as exc:
        detail = str(exc).split(":")[0]
        if "out of range" in detail or "must be in" in detail:
            raise ValidationError(f"no such date: {raw} ({detail})", field=field) from None
        raise ValidationError(f"not a date I understand: {raw!r} ({DATE_HELP})", field=field) from None
    return value.replace(tzinfo=None, microsecond=0), bool(_HAS_TIME.search(raw))


def parse_date(
    text: str, today: date, *, dayfirst: bool = True, field: str = "date", past: bool = False, ahead: bool = False
) -> date:
    now = datetime(today.year, today.month, today.day)
    return parse_datetime(text, now, dayfirst=dayfirst, field=field, past=past, ahead=ahead)[0].date()


def parse_when(text: str, now: datetime, *, dayfirst: bool = True, field: str = "date", past: bool = False) -> str:
    """The ISO string an interaction stores: "2024-03-05" or "2024-03-05T15:30"."""
    value, has_time = parse_datetime(text, now, dayfirst=dayfirst, field=field, past=past)
    return value.strftime("%Y-%m-%dT%H:%M") if has_time else value.date().isoformat()


def when_to_date(when: str) -> date:
    """The calendar day of a stored "YYYY-MM-DD[THH:MM]" value."""
    return date.fromisoformat(when[:10])


def format_when(when: str) -> str:
    return when.replace("T", " ")


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def spell_day(day: date, today: date | None = None) -> str:
    """How a date was read, in words: "Friday 27 November 2026" ("Friday 27 November" in
    ``today``'s year). Not locale-dependent, so it reads the same everywhere."""
    text = f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]}"
    return text if today is not None and today.year == day.year else f"{text} {day.year}"


def spell_when(when: str, today: date | None = None) -> str:
    """A stored "YYYY-MM-DD[THH:MM]" in words, with its time: "Friday 27 November 15:30"."""
    text = spell_day(when_to_date(when), today)
    return f"{text} {when[11:16]}" if len(when) > 10 else text


def future_favour(day: str, today: date) -> str:
    """The problem with a favour dated ``day`` ("YYYY-MM-DD..."), if it is after ``today``: a
    favour is something done, so it cannot be a plan ("" when the date is fine)."""
    if not day or day[:10] <= today.isoformat():
        return ""
    return f"a favour is recorded once done: {spell_day(when_to_date(day), today)} is after today"


def spell_birthday(birthday: str) -> str:
    """A stored birthday in words: "6 December" (no year) or "6 December 1990"."""
    md = birthday_month_day(birthday)
    if md is None:
        return ""
    text = f"{md[1]} {_MONTH_NAMES[md[0] - 1]}"
    return text if birthday.startswith("--") else f"{text} {birthday[:4]}"


# --- birthdays --------------------------------------------------------------------

_BDAY_NOYEAR = re.compile(r"^(?:--(\d{2})-?(\d{2})|(\d{1,2})-(\d{1,2}))$")


def parse_birthday(text: str, *, field: str = "birthday", dayfirst: bool = True) -> str:
    """"1990-04-15", "--04-15" or "04-15" (no year: month then day, always), "15 April",
    "April 15 1990"; ``dayfirst`` reads only numbers that could be either ("5/3", "05.03.1990")."""
    raw = text.strip()
    if not raw:
        return ""
    m = _BDAY_NOYEAR.match(raw)
    if m:
        month, day = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
        try:
            date(2000, month, day)  # a leap year, so 29 February is allowed
        except ValueError:
            raise ValidationError(f"no such day: {raw}", field=field) from None
        return f"--{month:02d}-{day:02d}"
    m2 = _ISO.match(raw)
    if m2:
        return _strict_iso(m2, raw).date().isoformat()
    has_year = bool(re.search(r"\b\d{4}\b", raw))
    from dateutil import parser as _du

    try:
        value = _du.parse(raw, default=datetime(2000, 1, 1), dayfirst=dayfirst)
    except (ValueError, OverflowError):
        problem = f"not a birthday I understand: {raw!r} (try 1990-04-15, 04-15 or 15 April)"
        raise ValidationError(problem, field=field) from None
    return value.date().isoformat() if has_year else f"--{value.month:02d}-{value.day:02d}"


def birthday_month_day(birthday: str) -> tuple[int, int] | None:
    if not birthday:
        return None
    if birthday.startswith("--"):
        return int(birthday[2:4]), int(birthday[5:7])
    return int(birthday[5:7]), int(birthday[8:10])


# --- durations and cadences ----------------------------------------------------------

_DURATION = re.compile(r"^(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*(?:m|min|mins|minutes?)?)?$", re.I)


def parse_duration(text: str, *, field: str = "minutes") -> int:
    """"45m", "1h30", "2h", "90" -> minutes."""
    raw = text.strip().lower().replace(" ", "")
    if not raw:
        return 0
    m = _DURATION.match(raw)
    if not m or not (m.group(1) or m.group(2)):
        raise ValidationError(f"not a duration: {text!r} (try 45m, 1h30 or 2h)", field=field)
    hours = int(m.group(1) or 0)
    mins = int(m.group(2) or 0)
    if m.group(1) is None and raw.isdigit():
        mins = int(raw)
    total = hours * 60 + mins
    if total > 24 * 60:
        raise ValidationError(f"{text!r} is longer than a day", field=field)
    return total


_CADENCE_WORDS = {
    "weekly": 7, "fortnightly": 14, "biweekly": 14, "monthly": 30, "quarterly": 91,
    "yearly": 365, "annually": 365, "never": 0, "none": 0, "": 0,
}
_CADENCE = re.compile(r"^(\d+)\s*(d|days?|w|weeks?|m|months?|y|years?)$")


def parse_cadence(text: str, *, field: str = "cadence") -> int:
    """"2w", "monthly", "quarterly", "30d", "6 months" -> days (0: no cadence)."""
    raw = text.strip().lower()
    if raw in _CADENCE_WORDS:
        return _CADENCE_WORDS[raw]
    m = _CADENCE.match(raw)
    if not m:
        raise ValidationError(f"not a cadence: {text!r} (try 2w, monthly, quarterly or 90d)", field=field)
    n = int(m.group(1))
    unit = m.group(2)[0]
    days = n * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]
    if days <= 0 or days > 3650:
        raise ValidationError(f"a cadence must be between 1 day and 10 years, not {text!r}", field=field)
    return days


def format_cadence(days: int) -> str:
    if not days:
        return ""
    for word, n in (("weekly", 7), ("every 2 weeks", 14), ("monthly", 30), ("quarterly", 91), ("yearly", 365)):
        if days == n:
            return word
    if days == 1:
        return "every day"
    if days % 7 == 0:
        return f"every {days // 7} weeks"
    return f"every {days} days"


def format_minutes(minutes: int) -> str:
    if minutes <= 0:
        return ""
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m}m"
    return f"{h}h{m:02d}" if m else f"{h}h"


def format_ago(day: date | None, today: date) -> str:
    """"today", "yesterday", "3 days ago" ("tomorrow", "in 2 days" for a future day, "never" for None)."""
    if day is None:
        return "never"
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    return f"{days} days ago" if days > 0 else f"in {-days} days"


def format_in_days(days: int) -> str:
    """A due date relative to today: "today", "tomorrow", "in 5 days", "2 days late"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 0:
        return f"in {days} days"
    return f"{-days} day{'s' if days != -1 else ''} late"

