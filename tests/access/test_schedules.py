"""Schedules: each variant active or not around its edges (start included, end excluded)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.access.schedule_codec import parse_schedule, schedule_to_dict
from app.access.schedules import (
    Schedule,
    is_active,
    next_change,
    occurrences,
)
from app.access.timewindows import Window

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def make(**fields: Any) -> Schedule:
    """A schedule for lock 1 from API fields; weekday names switch those days on."""
    body: dict[str, Any] = {
        "enabled": True,
        "consequence": "unlock",
        "scheduleable_type": "Lock",
        "scheduleable_id": 1,
    }
    days = fields.pop("days", None)
    if days is not None:
        body |= {day: day in days for day in WEEK}
    body |= fields
    return parse_schedule(body, schedule_id=1)


def at(text: str, tz: str = BERLIN) -> datetime:
    """A local wall-clock time of the place (first occurrence if it happens twice)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


OFFICE = make(days=WEEK[:5], starts_at_time="09:00", ends_at_time="17:00")
FRIDAY_NIGHT = make(days=("friday",), starts_at_time="22:00", ends_at_time="06:00")
SUNDAY = make(days=("sunday",), starts_at_time="00:00", ends_at_time="00:00")
EVENING = make(days=("monday",), starts_at_time="18:00", ends_at_time="24:00")
DAY_LONG = make(days=("monday",), starts_at_time="09:00", ends_at_time="09:00")
DEFAULT_TIMES = make(days=("wednesday",))
SINGLE = make(
    type="single_event", starts_at="2026-03-29T10:00:45Z", ends_at="2026-03-29T14:30:59+02:00"
)
ALL_DAY = make(type="single_all_day_event", starts_at_date="2026-03-29", ends_at_date="2026-03-29")
US_HOLIDAYS = make(type="holiday_calendar", region="us", observed=True)
US_ACTUAL = make(type="holiday_calendar", region="us", observed=False)
US_NO_JULY = make(
    type="holiday_calendar", region="us", observed=True, ignored_holidays=["Independence Day"]
)

# 2026-03-02 is a Monday, 2026-03-06 a Friday; Berlin is on CET (UTC+1) until 2026-03-29.
CASES = [
    ("office: start is inside", OFFICE, at("2026-03-02T09:00"), BERLIN, True),
    ("office: a minute early", OFFICE, at("2026-03-02T08:59:59"), BERLIN, False),
    ("office: last second", OFFICE, at("2026-03-02T16:59:59.999999"), BERLIN, True),
    ("office: end is outside", OFFICE, at("2026-03-02T17:00"), BERLIN, False),
    ("office: saturday", OFFICE, at("2026-03-07T10:00"), BERLIN, False),
    ("office: in UTC the same instant", OFFICE, utc("2026-03-02T08:00"), BERLIN, True),
    ("office: place zone matters", OFFICE, utc("2026-03-02T08:00"), NEW_YORK, False),
    ("overnight: friday start", FRIDAY_NIGHT, at("2026-03-06T22:00"), BERLIN, True),
    ("overnight: saturday early", FRIDAY_NIGHT, at("2026-03-07T05:59"), BERLIN, True),
    ("overnight: saturday end", FRIDAY_NIGHT, at("2026-03-07T06:00"), BERLIN, False),
    ("overnight: friday before start", FRIDAY_NIGHT, at("2026-03-06T21:59"), BERLIN, False),
    ("overnight: friday early is thursday's", FRIDAY_NIGHT, at("2026-03-06T02:00"), BERLIN, False),
    ("overnight: saturday night", FRIDAY_NIGHT, at("2026-03-07T23:00"), BERLIN, False),
    ("whole day: midnight", SUNDAY, at("2026-03-08T00:00"), BERLIN, True),
    ("whole day: last minute", SUNDAY, at("2026-03-08T23:59"), BERLIN, True),
    ("whole day: next midnight", SUNDAY, at("2026-03-09T00:00"), BERLIN, False),
    ("whole day: saturday night", SUNDAY, at("2026-03-07T23:59"), BERLIN, False),
    ("24:00 end: last minute", EVENING, at("2026-03-02T23:59"), BERLIN, True),
    ("24:00 end: midnight", EVENING, at("2026-03-03T00:00"), BERLIN, False),
    ("equal times: 24 hours", DAY_LONG, at("2026-03-03T08:59"), BERLIN, True),
    ("equal times: ends next day", DAY_LONG, at("2026-03-03T09:00"), BERLIN, False),
    ("no times: whole day", DEFAULT_TIMES, at("2026-03-04T23:30"), BERLIN, True),
    ("single: seconds of start ignored", SINGLE, utc("2026-03-29T10:00"), BERLIN, True),
    ("single: before", SINGLE, utc("2026-03-29T09:59:59"), BERLIN, False),
    ("single: last second", SINGLE, utc("2026-03-29T12:29:59"), BERLIN, True),
    ("single: seconds of end ignored", SINGLE, utc("2026-03-29T12:30"), BERLIN, False),
    ("all day: Berlin midnight", ALL_DAY, utc("2026-03-28T23:00"), BERLIN, True),
    ("all day: before Berlin midnight", ALL_DAY, utc("2026-03-28T22:59"), BERLIN, False),
    ("all day: before the day ends", ALL_DAY, utc("2026-03-29T21:59"), BERLIN, True),
    ("all day: Berlin day over (CEST)", ALL_DAY, utc("2026-03-29T22:00"), BERLIN, False),
    ("all day: in UTC still on", ALL_DAY, utc("2026-03-29T23:00"), "UTC", True),
    ("all day: UTC not yet", ALL_DAY, utc("2026-03-28T23:00"), "UTC", False),
    ("holiday: observed July 3", US_HOLIDAYS, at("2026-07-03T12:00", NEW_YORK), NEW_YORK, True),
    (
        "holiday: July 4 not observed",
        US_HOLIDAYS,
        at("2026-07-04T12:00", NEW_YORK),
        NEW_YORK,
        False,
    ),
    ("holiday: actual July 4", US_ACTUAL, at("2026-07-04T00:00", NEW_YORK), NEW_YORK, True),
    ("holiday: actual not July 3", US_ACTUAL, at("2026-07-03T12:00", NEW_YORK), NEW_YORK, False),
    ("holiday: ignored", US_NO_JULY, at("2026-07-03T12:00", NEW_YORK), NEW_YORK, False),
    ("holiday: others kept", US_NO_JULY, at("2026-11-26T23:59", NEW_YORK), NEW_YORK, True),
    ("holiday: local day", US_HOLIDAYS, utc("2026-11-27T04:59"), NEW_YORK, True),
    ("holiday: local day over", US_HOLIDAYS, utc("2026-11-27T05:00"), NEW_YORK, False),
]


@pytest.mark.parametrize(
    ("schedule", "now", "tz", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_is_active(schedule: Schedule, now: datetime, tz: str, expected: bool) -> None:
    assert is_active(schedule, now, tz) is expected


@pytest.mark.parametrize("schedule", [OFFICE, SINGLE, ALL_DAY, US_HOLIDAYS], ids=lambda s: s.type)
def test_disabled_schedules_never_occur(schedule: Schedule) -> None:
    off = make(**{**_fields(schedule), "enabled": False})
    start, end = utc("2026-01-01T00:00"), utc("2027-01-01T00:00")
    assert occurrences(schedule, start, end, NEW_YORK)
    assert occurrences(off, start, end, NEW_YORK) == []
    assert not any(
        is_active(off, w.start, NEW_YORK) for w in occurrences(schedule, start, end, NEW_YORK)
    )
    assert next_change([off], start, NEW_YORK) is None


def _fields(schedule: Schedule) -> dict[str, Any]:
    return {k: v for k, v in schedule_to_dict(schedule).items() if k != "id"}


def test_occurrences_are_clipped_and_merged() -> None:
    windows = occurrences(OFFICE, at("2026-03-02T12:00"), at("2026-03-04T10:00"), BERLIN)
    assert windows == [
        Window(utc("2026-03-02T11:00"), utc("2026-03-02T16:00")),
        Window(utc("2026-03-03T08:00"), utc("2026-03-03T16:00")),
        Window(utc("2026-03-04T08:00"), utc("2026-03-04T09:00")),
    ]
    every_day = make(days=WEEK, starts_at_time="00:00", ends_at_time="00:00")
    start, end = utc("2026-03-01T00:00"), utc("2026-04-01T00:00")
    assert occurrences(every_day, start, end, BERLIN) == [Window(start, end)]


def test_an_overnight_window_from_before_the_range_is_included() -> None:
    windows = occurrences(FRIDAY_NIGHT, at("2026-03-07T03:00"), at("2026-03-08T00:00"), BERLIN)
    assert windows == [Window(utc("2026-03-07T02:00"), utc("2026-03-07T05:00"))]


def test_an_all_day_event_over_several_days_is_one_window() -> None:
    trip = make(type="single_all_day_event", starts_at_date="2026-03-27", ends_at_date="2026-03-30")
    start, end = utc("2026-03-01T00:00"), utc("2026-04-30T00:00")
    assert occurrences(trip, start, end, BERLIN) == [
        Window(utc("2026-03-26T23:00"), utc("2026-03-30T22:00"))
    ]


def test_empty_or_reversed_range_has_no_occurrences() -> None:
    now = utc("2026-03-02T10:00")
    assert occurrences(OFFICE, now, now, BERLIN) == []
    assert occurrences(OFFICE, now, now - timedelta(days=1), BERLIN) == []


def test_naive_times_and_unknown_zones_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_active(OFFICE, datetime(2026, 3, 2, 10), BERLIN)
    with pytest.raises(ValueError, match="Unknown time zone"):
        is_active(OFFICE, utc("2026-03-02T10:00"), "Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="Unknown time zone"):
        next_change([OFFICE], utc("2026-03-02T10:00"), "../etc/passwd")
