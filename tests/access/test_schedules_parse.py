"""parse_schedule / schedule_to_dict / update_schedule: the public API's bodies, strictly."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.access.schedule_codec import parse_schedule, schedule_to_dict, update_schedule
from app.access.schedules import (
    Consequence,
    HolidayCalendar,
    RecurringEvent,
    ScheduleableType,
    ScheduleError,
    SingleAllDayEvent,
    SingleEvent,
)

COMMON: dict[str, Any] = {
    "name": "Office hours",
    "enabled": True,
    "override": False,
    "consequence": "unlock",
    "scheduleable_type": "Lock",
    "scheduleable_id": 456,
}
RECURRING: dict[str, Any] = {
    **COMMON,
    "type": "recurring_event",
    "monday": True,
    "tuesday": True,
    "wednesday": True,
    "thursday": True,
    "friday": True,
    "saturday": False,
    "sunday": False,
    "starts_at_time": "09:00",
    "ends_at_time": "17:00",
}
SINGLE: dict[str, Any] = {
    **COMMON,
    "type": "single_event",
    "starts_at": "2026-03-29T10:00:45+02:00",
    "ends_at": "2026-03-29T12:00:00Z",
}
ALL_DAY: dict[str, Any] = {
    **COMMON,
    "type": "single_all_day_event",
    "starts_at_date": "2026-12-24",
    "ends_at_date": "2026-12-26",
}
HOLIDAYS: dict[str, Any] = {
    **COMMON,
    "override": True,
    "type": "holiday_calendar",
    "region": "de_by",
    "observed": False,
    "ignored_holidays": ["Allerheiligen", "de_by_fronleichnam", "ALLERHEILIGEN"],
}


def test_recurring_event_from_the_api_example() -> None:
    s = parse_schedule(RECURRING, schedule_id=9)
    assert isinstance(s, RecurringEvent)
    assert s.id == 9 and s.name == "Office hours" and s.enabled and not s.override
    assert s.consequence is Consequence.UNLOCK and s.scheduleable_type is ScheduleableType.LOCK
    assert s.weekdays() == (True, True, True, True, True, False, False)
    assert (s.starts_at_time, s.ends_at_time) == ("09:00", "17:00")


def test_single_event_is_utc_with_seconds_dropped() -> None:
    s = parse_schedule(SINGLE)
    assert isinstance(s, SingleEvent)
    assert s.starts_at == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    assert s.ends_at == datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    d = schedule_to_dict(s)
    assert d["starts_at"] == "2026-03-29T08:00:00Z" and d["ends_at"] == "2026-03-29T12:00:00Z"


def test_all_day_event_and_holiday_calendar() -> None:
    a = parse_schedule(ALL_DAY)
    assert isinstance(a, SingleAllDayEvent)
    assert (a.starts_at_date, a.ends_at_date) == (date(2026, 12, 24), date(2026, 12, 26))
    h = parse_schedule(HOLIDAYS)
    assert isinstance(h, HolidayCalendar) and h.override and h.region == "de_by"
    # Names and keys are both understood; keys are kept, once each.
    assert h.ignored_holidays == ("de_by_allerheiligen", "de_by_fronleichnam")


@pytest.mark.parametrize("body", [RECURRING, SINGLE, ALL_DAY, HOLIDAYS], ids=lambda b: b["type"])
def test_round_trip_through_the_response_shape(body: dict[str, Any]) -> None:
    s = parse_schedule(body, schedule_id=3)
    d = schedule_to_dict(s)
    assert parse_schedule(d, schedule_id=3) == s
    assert d["id"] == 3 and d["type"] == body["type"]
    for key in ("name", "enabled", "override", "consequence", "scheduleable_type"):
        assert d[key] == body[key]


def test_response_carries_only_its_variant_unless_asked_for_a_flat_row() -> None:
    s = parse_schedule(RECURRING)
    assert "starts_at" not in schedule_to_dict(s) and "region" not in schedule_to_dict(s)
    flat = schedule_to_dict(s, all_fields=True)
    assert flat["starts_at"] is None and flat["region"] is None and flat["ignored_holidays"] is None
    assert flat["monday"] is True and flat["starts_at_time"] == "09:00"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"region": "us", "observed": True}, HolidayCalendar),
        ({"observed": False, "region": "gb"}, HolidayCalendar),
        ({"starts_at": SINGLE["starts_at"], "ends_at": SINGLE["ends_at"]}, SingleEvent),
        ({"starts_at_date": "2026-01-01", "ends_at_date": "2026-01-01"}, SingleAllDayEvent),
        ({day: day == "monday" for day in RECURRING if day.endswith("day")}, RecurringEvent),
    ],
)
def test_type_is_inferred_as_the_api_describes(body: dict[str, Any], expected: type) -> None:
    assert isinstance(parse_schedule({**COMMON, **body}), expected)


def test_recurring_times_default_to_the_whole_day() -> None:
    body = {k: v for k, v in RECURRING.items() if not k.endswith("_time")}
    s = parse_schedule(body)
    assert isinstance(s, RecurringEvent)
    assert (s.starts_at_time, s.ends_at_time) == ("00:00", "00:00")


def test_24_00_is_a_valid_end() -> None:
    s = parse_schedule({**RECURRING, "ends_at_time": "24:00"})
    assert isinstance(s, RecurringEvent) and s.ends_at_time == "24:00"


ERRORS = [
    ("not an object", None, "schedule", "must be an object"),
    ("enabled missing", {"enabled": None}, "enabled", "is required"),
    ("enabled text", {"enabled": "yes"}, "enabled", "true or false"),
    ("override number", {"override": 1}, "override", "true or false"),
    ("name number", {"name": 12}, "name", "must be text"),
    ("name too long", {"name": "x" * 256}, "name", "255"),
    ("consequence missing", {"consequence": None}, "consequence", "is required"),
    ("consequence unknown", {"consequence": "open"}, "consequence", "one of allow"),
    ("type unknown", {"type": "weekly"}, "type", "one of recurring_event"),
    ("scheduleable type", {"scheduleable_type": "Door"}, "scheduleable_type", "one of"),
    ("scheduleable id text", {"scheduleable_id": "456"}, "scheduleable_id", "positive"),
    ("scheduleable id bool", {"scheduleable_id": True}, "scheduleable_id", "positive"),
    ("scheduleable id zero", {"scheduleable_id": 0}, "scheduleable_id", "positive"),
    ("scheduleable id huge", {"scheduleable_id": 2**64}, "scheduleable_id", "positive"),
    ("scheduleable id missing", {"scheduleable_id": None}, "scheduleable_id", "required"),
    ("unlock on a group", {"scheduleable_type": "Group"}, "consequence", "only applies to a Lock"),
    (
        "permit on a lock",
        {"consequence": "permit"},
        "consequence",
        "only applies to a ElevatorStop",
    ),
    (
        "no weekday",
        dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday"), False),
        "base",
        "at least one day",
    ),
    ("weekday missing", {"monday": None}, "monday", "is required"),
    ("weekday text", {"sunday": "no"}, "sunday", "true or false"),
    ("time without zero", {"starts_at_time": "9:00"}, "starts_at_time", "hh:mm"),
    ("time with seconds", {"starts_at_time": "09:00:00"}, "starts_at_time", "hh:mm"),
    ("time number", {"ends_at_time": 900}, "ends_at_time", "hh:mm"),
    ("start 24:00", {"starts_at_time": "24:00"}, "starts_at_time", "23:59"),
    ("minute 60", {"starts_at_time": "10:60"}, "starts_at_time", "23:59"),
    ("end 25:00", {"ends_at_time": "25:00"}, "ends_at_time", "24:00"),
    ("end 24:01", {"ends_at_time": "24:01"}, "ends_at_time", "24:00"),
]


@pytest.mark.parametrize(
    ("changes", "field", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_recurring_body_errors(changes: dict[str, Any] | None, field: str, message: str) -> None:
    body: Any = "a string" if changes is None else {**RECURRING, **changes}
    with pytest.raises(ScheduleError) as info:
        parse_schedule(body)
    assert info.value.field == field
    assert message in info.value.message


VARIANT_ERRORS = [
    ("single naive", SINGLE, {"starts_at": "2026-03-29T10:00:00"}, "starts_at", "time zone"),
    ("single bad date", SINGLE, {"starts_at": "2026-02-30T10:00Z"}, "starts_at", "date and time"),
    ("single words", SINGLE, {"ends_at": "tomorrow"}, "ends_at", "date and time"),
    ("single number", SINGLE, {"ends_at": 1774778400}, "ends_at", "date and time"),
    ("single missing", SINGLE, {"ends_at": None}, "ends_at", "is required"),
    ("single reversed", SINGLE, {"ends_at": "2026-03-29T07:00Z"}, "ends_at", "after"),
    ("single same minute", SINGLE, {"ends_at": "2026-03-29T08:00:59Z"}, "ends_at", "after"),
    ("single far year", SINGLE, {"ends_at": "9999-01-01T00:00Z"}, "ends_at", "years"),
    ("day invalid", ALL_DAY, {"starts_at_date": "2026-02-30"}, "starts_at_date", "valid date"),
    ("day basic form", ALL_DAY, {"starts_at_date": "20261224"}, "starts_at_date", "YYYY-MM-DD"),
    ("day with time", ALL_DAY, {"ends_at_date": "2026-12-26T00:00"}, "ends_at_date", "valid"),
    ("day reversed", ALL_DAY, {"ends_at_date": "2026-12-23"}, "ends_at_date", "on or after"),
    ("day missing", ALL_DAY, {"ends_at_date": None}, "ends_at_date", "is required"),
    ("day year 0001", ALL_DAY, {"starts_at_date": "0001-01-01"}, "starts_at_date", "years"),
    ("region unknown", HOLIDAYS, {"region": "xx"}, "region", "one of ca, de, de_by"),
    ("region missing", HOLIDAYS, {"region": None, "type": "holiday_calendar"}, "region", "req"),
    ("observed missing", HOLIDAYS, {"observed": None}, "observed", "is required"),
    (
        "ignored not list",
        HOLIDAYS,
        {"ignored_holidays": "Allerheiligen"},
        "ignored_holidays",
        "list",
    ),
    ("ignored unknown", HOLIDAYS, {"ignored_holidays": ["Labor Day"]}, "ignored_holidays", "de_by"),
]


@pytest.mark.parametrize(
    ("body", "changes", "field", "message"),
    [e[1:] for e in VARIANT_ERRORS],
    ids=[e[0] for e in VARIANT_ERRORS],
)
def test_variant_body_errors(
    body: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ScheduleError) as info:
        parse_schedule({**body, **changes})
    assert (info.value.field, message in info.value.message) == (field, True)
    assert str(info.value).startswith(f"{field}: ")


def test_equal_all_day_dates_are_one_day() -> None:
    s = parse_schedule({**ALL_DAY, "ends_at_date": "2026-12-24"})
    assert isinstance(s, SingleAllDayEvent) and s.starts_at_date == s.ends_at_date


def test_python_values_are_accepted_too() -> None:
    start = datetime(2026, 3, 29, 10, 0, 30, tzinfo=UTC)
    s = parse_schedule(
        {**SINGLE, "starts_at": start, "ends_at": datetime(2026, 3, 29, 11, tzinfo=UTC)}
    )
    assert isinstance(s, SingleEvent) and s.starts_at == start.replace(second=0)
    a = parse_schedule({**ALL_DAY, "starts_at_date": date(2026, 12, 24)})
    assert isinstance(a, SingleAllDayEvent) and a.starts_at_date == date(2026, 12, 24)


def test_update_merges_and_revalidates() -> None:
    s = parse_schedule(RECURRING, schedule_id=5)
    off = update_schedule(s, {"enabled": False, "ends_at_time": "18:30"})
    assert isinstance(off, RecurringEvent)
    assert off.id == 5 and not off.enabled and off.ends_at_time == "18:30" and off.monday
    with pytest.raises(ScheduleError) as info:
        update_schedule(s, {"starts_at_time": "25:00"})
    assert info.value.field == "starts_at_time"
    once = update_schedule(
        s, {"type": "single_event", "starts_at": SINGLE["starts_at"], "ends_at": SINGLE["ends_at"]}
    )
    assert isinstance(once, SingleEvent) and once.id == 5 and once.name == "Office hours"
    with pytest.raises(ScheduleError):
        update_schedule(s, ["enabled"])  # type: ignore[arg-type]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
FIELDS = sorted({*RECURRING, *SINGLE, *ALL_DAY, *HOLIDAYS})
PLAUSIBLE = st.sampled_from(
    [v for body in (RECURRING, SINGLE, ALL_DAY, HOLIDAYS) for v in body.values() if v is not None]
)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([RECURRING, SINGLE, ALL_DAY, HOLIDAYS, {}]),
    st.dictionaries(st.sampled_from(FIELDS), JSON | PLAUSIBLE, max_size=6),
)
def test_junk_bodies_raise_schedule_error_only(base: dict[str, Any], junk: dict[str, Any]) -> None:
    try:
        s = parse_schedule({**base, **junk})
    except ScheduleError as exc:
        assert exc.field and exc.message
    else:
        assert parse_schedule(schedule_to_dict(s)) == s
