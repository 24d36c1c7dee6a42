"""Half-open time windows, and wall-clock times of a place turned into instants.

Every window is ``[start, end)`` in aware UTC datetimes. Wall-clock times ("09:00 on Friday in
Europe/Berlin") become instants through :func:`wall_instant`, which holds the one daylight-saving
rule the schedules use (see docs/schedules-and-dst.md):

- a time in a spring-forward gap (02:30 that never happens) becomes the first instant after
  the gap, for a start and for an end alike;
- a time in a fall-back overlap (01:30 that happens twice) becomes its first occurrence for a
  start and its second for an end, so a window is never shortened by the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, order=True)
class Window:
    """A half-open interval ``[start, end)`` of aware UTC datetimes."""

    start: datetime
    end: datetime


def place_zone(tz: str) -> ZoneInfo:
    """The IANA time zone of a place.

    Raises:
        ValueError: ``tz`` names no time zone.
    """
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"Unknown time zone {tz!r}") from None


def require_aware(*moments: datetime) -> None:
    """Refuse naive datetimes: an instant without an offset is ambiguous.

    Raises:
        ValueError: one of ``moments`` has no UTC offset.
    """
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Times must be timezone-aware")


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar date an aware instant falls on in ``zone``."""
    return moment.astimezone(zone).date()


# Every decision asks for the same few days' edges again; the answer never changes.
@lru_cache(maxsize=8192)
def wall_instant(day: date, minute: int, zone: ZoneInfo, *, end: bool) -> datetime:
    """The UTC instant of a wall-clock time, ``minute`` minutes after midnight of ``day``.

    ``minute`` may reach or pass 1440 to mean a time on a following day ("24:00").

    Args:
        day: the local calendar date the minutes count from.
        minute: minutes after local midnight.
        zone: the place's time zone.
        end: whether the time ends a window (it picks the later instant of an overlap).

    Returns:
        An aware UTC datetime, following the module's daylight-saving rule.
    """
    extra, minute = divmod(minute, MINUTES_PER_DAY)
    naive = datetime.combine(day + timedelta(days=extra), time(minute // 60, minute % 60))
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first == second:
        return first
    if first < second:  # the wall time happens twice: keep the window as long as it can be
        return second if end else first
    # In a gap fold=0 reads the time with the old offset and lands after the jump, fold=1 with
    # the new one and lands before it; the jump itself lies between.
    return _transition(second, first, zone)


def _transition(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first instant in ``(before, after]`` that carries ``after``'s UTC offset."""
    target = after.astimezone(zone).utcoffset()
    lo, hi = int(before.timestamp()), int(after.timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).utcoffset() == target:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC)


def days_between(first: date, last: date) -> Iterable[date]:
    """Every date from ``first`` to ``last``, both included."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def daily_windows(
    days: Iterable[date], start_minute: int, end_minute: int, zone: ZoneInfo
) -> list[Window]:
    """One window per day from ``start_minute`` to ``end_minute`` of local wall time.

    An end at or before the start falls on the next day, so 22:00–06:00 runs overnight and
    00:00–00:00 covers the whole day. A window swallowed by a spring-forward gap is dropped.
    """
    if end_minute <= start_minute:
        end_minute += MINUTES_PER_DAY
    out: list[Window] = []
    for day in days:
        window = Window(
            wall_instant(day, start_minute, zone, end=False),
            wall_instant(day, end_minute, zone, end=True),
        )
        if window.start < window.end:
            out.append(window)
    return out


def merge(windows: Iterable[Window]) -> list[Window]:
    """Sort windows and join those that overlap or touch."""
    out: list[Window] = []
    for window in sorted(windows):
        if out and window.start <= out[-1].end:
            if window.end > out[-1].end:
                out[-1] = Window(out[-1].start, window.end)
        else:
            out.append(window)
    return out


def clip(windows: Iterable[Window], start: datetime, end: datetime) -> list[Window]:
    """The parts of ``windows`` inside ``[start, end)``, as UTC; empty parts are dropped."""
    lo, hi = start.astimezone(UTC), end.astimezone(UTC)
    out: list[Window] = []
    for window in windows:
        s, e = max(window.start, lo), min(window.end, hi)
        if s < e:
            out.append(Window(s, e))
    return out


def subtract(base: Sequence[Window], cut: Sequence[Window]) -> list[Window]:
    """The parts of ``base`` not covered by ``cut``; both sorted and merged."""
    out: list[Window] = []
    i = 0
    for window in base:
        start = window.start
        while i < len(cut) and cut[i].end <= start:
            i += 1
        j = i
        while j < len(cut) and cut[j].start < window.end:
            if cut[j].start > start:
                out.append(Window(start, cut[j].start))
            start = max(start, cut[j].end)
            j += 1
        if start < window.end:
            out.append(Window(start, window.end))
    return out


def contains(windows: Iterable[Window], moment: datetime) -> bool:
    """Whether ``moment`` lies inside one of ``windows`` (start included, end excluded)."""
    return any(w.start <= moment < w.end for w in windows)
