"""Schedules: when a door unlocks by itself, or when a group or door allows access.

The four variants mirror the public API's schedule resource (same field names). Evaluation is
pure: the place's time zone and the time are always parameters. Wall-clock times follow the
daylight-saving rule of :mod:`app.access.timewindows`; ``override`` follows
:func:`effective_windows`. Both rules are written down in docs/schedules-and-dst.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar
from zoneinfo import ZoneInfo

from app.access import holidays as hol
from app.access.timewindows import (
    MINUTES_PER_DAY,
    Window,
    clip,
    contains,
    daily_windows,
    days_between,
    local_date,
    merge,
    place_zone,
    require_aware,
    subtract,
    wall_instant,
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EPSILON = timedelta(microseconds=1)


class Consequence(StrEnum):
    """What a schedule does to its scheduleable while it occurs."""

    ALLOW = "allow"  # a time restriction: access is allowed only then
    FIRST_TO_ARRIVE = "first_to_arrive"  # unlock, but only after the first granted unlock
    PERMIT = "permit"  # an elevator stop stays reachable
    UNLOCK = "unlock"  # a door is held unlocked


class ScheduleableType(StrEnum):
    """What a schedule is attached to."""

    GROUP = "Group"
    LOCK = "Lock"
    ELEVATOR_STOP = "ElevatorStop"


class ScheduleType(StrEnum):
    """The public API's ``type`` of a schedule."""

    RECURRING_EVENT = "recurring_event"
    SINGLE_EVENT = "single_event"
    SINGLE_ALL_DAY_EVENT = "single_all_day_event"
    HOLIDAY_CALENDAR = "holiday_calendar"


class ScheduleError(ValueError):
    """A schedule body that does not validate; ``message`` is safe to show to the user."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, kw_only=True)
class _Base:
    id: int
    name: str | None
    enabled: bool
    override: bool
    consequence: Consequence
    scheduleable_type: ScheduleableType
    scheduleable_id: int


@dataclass(frozen=True, kw_only=True)
class RecurringEvent(_Base):
    """Weekly: on the chosen weekdays from ``starts_at_time`` to ``ends_at_time`` (place time).

    An end at or before the start runs past midnight into the next day; equal times cover a
    full day (``"00:00"``–``"00:00"`` is the whole day). ``"24:00"`` is allowed as an end.
    """

    type: ClassVar[ScheduleType] = ScheduleType.RECURRING_EVENT
    monday: bool
    tuesday: bool
    wednesday: bool
    thursday: bool
    friday: bool
    saturday: bool
    sunday: bool
    starts_at_time: str = "00:00"
    ends_at_time: str = "00:00"

    def weekdays(self) -> tuple[bool, ...]:
        """The seven day flags, Monday first (``date.weekday()`` order)."""
        return tuple(getattr(self, day) for day in WEEKDAYS)


@dataclass(frozen=True, kw_only=True)
class SingleEvent(_Base):
    """Once, between two absolute instants (aware, whole minutes)."""

    type: ClassVar[ScheduleType] = ScheduleType.SINGLE_EVENT
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, kw_only=True)
class SingleAllDayEvent(_Base):
    """Whole local days of the place, ``starts_at_date`` to ``ends_at_date`` inclusive."""

    type: ClassVar[ScheduleType] = ScheduleType.SINGLE_ALL_DAY_EVENT
    starts_at_date: date
    ends_at_date: date


@dataclass(frozen=True, kw_only=True)
class HolidayCalendar(_Base):
    """Every public holiday of a region, each as a whole local day of the place.

    ``ignored_holidays`` holds holiday keys (``"us_columbus_day"``); parsing turns names into keys.
    """

    type: ClassVar[ScheduleType] = ScheduleType.HOLIDAY_CALENDAR
    region: str
    observed: bool
    ignored_holidays: tuple[str, ...] = ()


Schedule = RecurringEvent | SingleEvent | SingleAllDayEvent | HolidayCalendar


def time_minutes(text: str) -> int:
    """Minutes after midnight of an ``"hh:mm"`` string (``"24:00"`` is 1440)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# ---- evaluation ----------------------------------------------------------------------------


def _holiday_days(calendar: HolidayCalendar, first: date, last: date) -> Iterable[date]:
    ignored = set(calendar.ignored_holidays)
    for year in range(first.year, last.year + 1):
        for holiday in hol.holiday_list(calendar.region, year, calendar.observed):
            if first <= holiday.date <= last and holiday.key not in ignored:
                yield holiday.date


def _windows(schedule: Schedule, start: datetime, end: datetime, zone: ZoneInfo) -> list[Window]:
    """Merged windows of an enabled schedule inside ``[start, end)``."""
    # A window ends at most two local days after the day it starts on, so look back two days.
    first = local_date(start, zone) - timedelta(days=2)
    last = local_date(end, zone) + timedelta(days=1)
    raw: list[Window]
    if isinstance(schedule, RecurringEvent):
        flags = schedule.weekdays()
        days = (day for day in days_between(first, last) if flags[day.weekday()])
        starts, ends = time_minutes(schedule.starts_at_time), time_minutes(schedule.ends_at_time)
        raw = daily_windows(days, starts, ends, zone)
    elif isinstance(schedule, SingleEvent):
        raw = [Window(schedule.starts_at.astimezone(UTC), schedule.ends_at.astimezone(UTC))]
    elif isinstance(schedule, SingleAllDayEvent):
        # One window equals the merged days: each day's end meets the next day's start.
        raw = [
            Window(
                wall_instant(schedule.starts_at_date, 0, zone, end=False),
                wall_instant(schedule.ends_at_date, MINUTES_PER_DAY, zone, end=True),
            )
        ]
    else:
        raw = daily_windows(_holiday_days(schedule, first, last), 0, 0, zone)
    return merge(clip(raw, start, end))


def occurrences(schedule: Schedule, start: datetime, end: datetime, tz: str) -> list[Window]:
    """When a schedule occurs between ``start`` (included) and ``end`` (excluded).

    Args:
        schedule: any schedule; a disabled one never occurs.
        start: aware start of the range.
        end: aware end of the range.
        tz: the place's IANA time zone, for wall-clock times and local days.

    Returns:
        Sorted, non-overlapping UTC windows clipped to the range; touching windows are merged.

    Raises:
        ValueError: a naive datetime or an unknown time zone.
    """
    require_aware(start, end)
    zone = place_zone(tz)
    if not schedule.enabled or end <= start:
        return []
    return _windows(schedule, start, end, zone)


def is_active(schedule: Schedule, now: datetime, tz: str) -> bool:
    """Whether a schedule occurs at ``now`` (start included, end excluded; disabled: False)."""
    return bool(occurrences(schedule, now, now + _EPSILON, tz))


def _search_span(schedule: Schedule, now: datetime) -> timedelta:
    """How far ahead a schedule's next start or end can be, if it has one."""
    if isinstance(schedule, RecurringEvent):
        return timedelta(days=8)  # every week has a start, unless the week is covered whole
    if isinstance(schedule, SingleEvent):
        return max(schedule.ends_at - now, timedelta(0)) + timedelta(days=1)
    if isinstance(schedule, SingleAllDayEvent):
        last = datetime.combine(schedule.ends_at_date, datetime.min.time(), UTC)
        return max(last - now, timedelta(0)) + timedelta(days=3)
    return timedelta(days=2 * 366 + 2)  # holidays come every year


def next_change(schedules: Iterable[Schedule], now: datetime, tz: str) -> datetime | None:
    """The first instant after ``now`` at which one of the enabled schedules starts or ends.

    Returns:
        An aware UTC datetime, or None when none of them will change again.

    Raises:
        ValueError: a naive datetime or an unknown time zone.
    """
    require_aware(now)
    zone = place_zone(tz)
    edges: list[datetime] = []
    for schedule in schedules:
        if not schedule.enabled:
            continue
        horizon = now + _search_span(schedule, now)
        for window in _windows(schedule, now, horizon, zone):
            # A window cut by the range is not a change: skip its clipped ends.
            if window.start > now:
                edges.append(window.start)
            if window.end < horizon:
                edges.append(window.end)
    return min(edges, default=None)


def effective_windows(
    schedules: Sequence[Schedule],
    consequence: Consequence,
    start: datetime,
    end: datetime,
    tz: str,
) -> list[Window]:
    """When ``consequence`` is in force once ``override`` schedules are applied.

    The windows of the enabled non-override schedules of this consequence, minus the windows
    of the enabled override schedules of the same consequence: an override schedule cancels
    the others while it occurs and never brings the consequence about by itself.
    """
    require_aware(start, end)
    zone = place_zone(tz)
    if end <= start:
        return []
    chosen = [s for s in schedules if s.enabled and s.consequence == consequence]
    base = merge(w for s in chosen if not s.override for w in _windows(s, start, end, zone))
    cut = merge(w for s in chosen if s.override for w in _windows(s, start, end, zone))
    return subtract(base, cut)


def effective_active(
    schedules: Sequence[Schedule], consequence: Consequence, now: datetime, tz: str
) -> bool:
    """Whether ``consequence`` is in force at ``now`` (see :func:`effective_windows`).

    Args:
        schedules: the schedules of one scheduleable (a door, group or elevator stop).
        consequence: which consequence to evaluate; other schedules are ignored.
        now: the aware current time.
        tz: the place's IANA time zone.
    """
    return contains(effective_windows(schedules, consequence, now, now + _EPSILON, tz), now)
