"""Hybrid logical clocks: a stamp for every change, in one order on every device.

A stamp is (wall-clock milliseconds, a counter, the device). A device's clock never goes back:
each stamp it makes comes after every stamp it made or read from another device (Kulkarni et
al., "Logical Physical Clocks", 2014), yet stays at the wall clock while the clocks agree. So
"the later change wins" means what a person expects, and when two devices' clocks disagree
the order is still one order, the same everywhere: ties are broken by the counter, then by the
device's name.

Stamps are written as text that sorts as they do (``"001733400000000.000000.laptop"``): fixed
widths for the numbers, the device last (it may hold any character but a newline). Pure: the
time is given (``now_ms``), nothing is read or written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

WALL_DIGITS = 15  # milliseconds: enough until the year 33658
COUNT_DIGITS = 6  # hexadecimal: 16 million stamps within one millisecond


@dataclass(frozen=True, order=True, slots=True)
class Stamp:
    wall: int  # milliseconds since the epoch (UTC), as the clock read it, or later
    count: int  # stamps made within that millisecond before this one
    device: str  # the device that made it

    def text(self) -> str:
        """The stamp as text that sorts as stamps do."""
        return f"{self.wall:0{WALL_DIGITS}d}.{self.count:0{COUNT_DIGITS}x}.{self.device}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """The stamp :meth:`text` wrote; ValueError naming the text otherwise."""
        wall, _, rest = text.partition(".")
        count, dot, device = rest.partition(".")
        if len(wall) != WALL_DIGITS or not wall.isdigit() or len(count) != COUNT_DIGITS or not dot:
            raise ValueError(f"not a clock stamp: {text!r}")
        try:
            return cls(int(wall), int(count, 16), device)
        except ValueError:
            raise ValueError(f"not a clock stamp: {text!r}") from None


ZERO = Stamp(0, 0, "")  # before every stamp: "nothing seen", "never deleted"


def valid_device(name: str) -> str:
    """A device's name as stamps carry it: "" if it is one (at most 64 characters, no
    control character, not blank), else what is wrong with it."""
    if not name.strip():
        return "a device needs a name"
    if len(name) > 64:
        return "a device's name has at most 64 characters"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return "a device's name cannot hold a control character"
    return ""


class Clock:
    """One device's clock. ``now_ms`` reads the wall clock; ``last`` is the newest stamp the
    device made or saw (kept by the caller between sessions, so a clock set back never
    makes a stamp that sorts before the device's earlier changes)."""

    def __init__(self, device: str, now_ms: Callable[[], int], last: Stamp = ZERO) -> None:
        problem = valid_device(device)
        if problem:
            raise ValueError(problem)
        self.device = device
        self._now_ms = now_ms
        self.last = Stamp(last.wall, last.count, device)

    def stamp(self) -> Stamp:
        """A stamp for a change made now: after every stamp made or seen here."""
        wall = max(self._now_ms(), self.last.wall)
        count = self.last.count + 1 if wall == self.last.wall else 0
        self.last = Stamp(wall, count, self.device)
        return self.last

    def see(self, stamp: Stamp) -> None:
        """A stamp read from another device's change: every later stamp here comes after it."""
        if (stamp.wall, stamp.count) > (self.last.wall, self.last.count):
            self.last = Stamp(stamp.wall, stamp.count, self.device)
