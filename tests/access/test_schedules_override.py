"""override (an exception that cancels schedules of the same consequence) and next_change()."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.access.schedule_codec import parse_schedule
from app.access.schedules import (
    Consequence,
    Schedule,
    effective_active,
    effective_windows,
    next_change,
)
from app.access.timewindows import Window

BERLIN = "Europe/Berlin"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def make(consequence: str = "unlock", **fields: Any) -> Schedule:
    body: dict[str, Any] = {
        "enabled": True,
        "consequence": consequence,
        "scheduleable_type": "Lock",
        "scheduleable_id": 1,
    }
    days = fields.pop("days", None)
    if days is not None:
        body |= {day: day in days for day in DAYS}
    return parse_schedule(body | fields)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(BERLIN))


def z(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


OFFICE = make(days=DAYS[:5], starts_at_time="08:00", ends_at_time="18:00")
SATURDAY = make(days=("saturday",), starts_at_time="10:00", ends_at_time="14:00")
CLOSED_ON_HOLIDAYS = make(type="holiday_calendar", region="de", observed=False, override=True)
LUNCH_CLOSED = make(
    type="single_event",
    override=True,
    starts_at="2026-05-13T12:00:00+02:00",
    ends_at="2026-05-13T13:00:00+02:00",
)
ALLOW_HOLIDAYS = make("allow", type="holiday_calendar", region="de", observed=False, override=True)
OFF_OVERRIDE = make(
    type="holiday_calendar", region="de", observed=False, override=True, enabled=False
)

# 2026-05-14 is Christi Himmelfahrt (a Thursday), 2026-05-13 a plain Wednesday.
CASES = [
    ("office on a weekday", [OFFICE, CLOSED_ON_HOLIDAYS], "2026-05-13T10:00", True),
    ("holiday closes the office", [OFFICE, CLOSED_ON_HOLIDAYS], "2026-05-14T10:00", False),
    ("outside office hours", [OFFICE, CLOSED_ON_HOLIDAYS], "2026-05-14T20:00", False),
    ("override alone never opens", [CLOSED_ON_HOLIDAYS], "2026-05-14T10:00", False),
    ("two schedules add up", [OFFICE, SATURDAY], "2026-05-16T11:00", True),
    ("lunch closure", [OFFICE, LUNCH_CLOSED], "2026-05-13T12:30", False),
    ("lunch closure ends", [OFFICE, LUNCH_CLOSED], "2026-05-13T13:00", True),
    ("other consequence's override", [OFFICE, ALLOW_HOLIDAYS], "2026-05-14T10:00", True),
    ("disabled override", [OFFICE, OFF_OVERRIDE], "2026-05-14T10:00", True),
    ("no schedules", [], "2026-05-13T10:00", False),
]


@pytest.mark.parametrize(
    ("schedules", "now", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_effective_active(schedules: list[Schedule], now: str, expected: bool) -> None:
    assert effective_active(schedules, Consequence.UNLOCK, at(now), BERLIN) is expected


def test_consequences_are_evaluated_apart() -> None:
    allow = make("allow", days=DAYS, starts_at_time="06:00", ends_at_time="22:00")
    mixed = [OFFICE, allow, ALLOW_HOLIDAYS]
    now = at("2026-05-14T10:00")
    assert effective_active(mixed, Consequence.UNLOCK, now, BERLIN)
    assert not effective_active(mixed, Consequence.ALLOW, now, BERLIN)
    assert effective_active(mixed, Consequence.ALLOW, at("2026-05-13T21:00"), BERLIN)
    assert not effective_active(mixed, Consequence.FIRST_TO_ARRIVE, now, BERLIN)


def test_effective_windows_over_a_week_with_a_holiday() -> None:
    found = effective_windows(
        [OFFICE, CLOSED_ON_HOLIDAYS, LUNCH_CLOSED],
        Consequence.UNLOCK,
        at("2026-05-11T00:00"),
        at("2026-05-18T00:00"),
        BERLIN,
    )
    assert found == [
        Window(z("2026-05-11T06:00"), z("2026-05-11T16:00")),
        Window(z("2026-05-12T06:00"), z("2026-05-12T16:00")),
        Window(z("2026-05-13T06:00"), z("2026-05-13T10:00")),
        Window(z("2026-05-13T11:00"), z("2026-05-13T16:00")),
        Window(z("2026-05-15T06:00"), z("2026-05-15T16:00")),
    ]


NEXT = [
    ("before opening", [OFFICE], "2026-05-11T07:00", "2026-05-11T08:00"),
    ("at opening", [OFFICE], "2026-05-11T08:00", "2026-05-11T18:00"),
    ("friday evening", [OFFICE], "2026-05-15T18:00", "2026-05-18T08:00"),
    ("earliest of several", [OFFICE, SATURDAY], "2026-05-15T18:00", "2026-05-16T10:00"),
    ("override edges count", [OFFICE, LUNCH_CLOSED], "2026-05-13T09:00", "2026-05-13T12:00"),
    ("holiday start", [CLOSED_ON_HOLIDAYS], "2026-05-10T12:00", "2026-05-14T00:00"),
    ("holiday end", [CLOSED_ON_HOLIDAYS], "2026-05-14T12:00", "2026-05-15T00:00"),
    ("single event ahead", [LUNCH_CLOSED], "2026-01-01T00:00", "2026-05-13T12:00"),
    ("single event over", [LUNCH_CLOSED], "2026-05-13T13:00", None),
    ("disabled", [OFF_OVERRIDE], "2026-05-10T12:00", None),
    ("nothing", [], "2026-05-10T12:00", None),
]


@pytest.mark.parametrize(
    ("schedules", "now", "expected"), [c[1:] for c in NEXT], ids=[c[0] for c in NEXT]
)
def test_next_change(schedules: list[Schedule], now: str, expected: str | None) -> None:
    result = next_change(schedules, at(now), BERLIN)
    assert result == (None if expected is None else at(expected))
    assert result is None or result.utcoffset() is not None


def test_next_change_skips_edges_where_windows_touch() -> None:
    two_days = make(days=("monday", "tuesday"), starts_at_time="00:00", ends_at_time="00:00")
    assert next_change([two_days], at("2026-05-11T10:00"), BERLIN) == at("2026-05-13T00:00")
    always = make(days=DAYS, starts_at_time="00:00", ends_at_time="00:00")
    assert next_change([always], at("2026-05-11T10:00"), BERLIN) is None


def test_next_change_finds_far_away_events() -> None:
    later = make(
        type="single_all_day_event", starts_at_date="2030-01-02", ends_at_date="2030-01-03"
    )
    assert next_change([later], at("2026-05-11T10:00"), BERLIN) == at("2030-01-02T00:00")
    assert next_change([later], at("2030-01-02T10:00"), BERLIN) == at("2030-01-04T00:00")
    only_christmas = make(
        type="holiday_calendar",
        region="gb",
        observed=False,
        ignored_holidays=[
            "gb_new_years_day",
            "gb_good_friday",
            "gb_easter_monday",
            "gb_early_may_bank_holiday",
            "gb_spring_bank_holiday",
            "gb_summer_bank_holiday",
            "gb_boxing_day",
        ],
    )
    assert next_change([only_christmas], at("2026-12-26T00:00"), BERLIN) == at("2027-12-25T00:00")
