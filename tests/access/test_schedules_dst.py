"""Daylight-saving days: gaps and overlaps in America/New_York and Europe/Berlin.

The rule (docs/schedules-and-dst.md): a start or an end in a spring-forward gap moves to the
first instant after the gap; in a fall-back overlap a start takes the first occurrence and an
end the second, so no window is shortened.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.access.schedule_codec import parse_schedule
from app.access.schedules import (
    Schedule,
    is_active,
    next_change,
    occurrences,
)
from app.access.timewindows import Window

NY, BERLIN = "America/New_York", "Europe/Berlin"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def recurring(day: str, starts: str, ends: str) -> Schedule:
    body: dict[str, Any] = {
        "type": "recurring_event",
        "enabled": True,
        "consequence": "unlock",
        "scheduleable_type": "Lock",
        "scheduleable_id": 1,
        "starts_at_time": starts,
        "ends_at_time": ends,
    }
    return parse_schedule(body | {d: d == day for d in DAYS})


def z(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def windows_on(schedule: Schedule, day: str, tz: str) -> list[tuple[str, str]]:
    start = z(f"{day}T00:00") - timedelta(days=1)
    found = occurrences(schedule, start, start + timedelta(days=3), tz)
    return [(f"{w.start:%m-%dT%H:%M}", f"{w.end:%m-%dT%H:%M}") for w in found]


# (id, zone, sunday, starts, ends, windows in UTC)
# New York: 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z).
# Berlin: 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z); 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z).
CASES = [
    (
        "ny spring: start in gap",
        NY,
        "2026-03-08",
        "02:30",
        "04:00",
        [("03-08T07:00", "03-08T08:00")],
    ),
    ("ny spring: end in gap", NY, "2026-03-08", "01:00", "02:30", [("03-08T06:00", "03-08T07:00")]),
    (
        "ny spring: start at gap",
        NY,
        "2026-03-08",
        "02:00",
        "05:00",
        [("03-08T07:00", "03-08T09:00")],
    ),
    ("ny spring: the lost hour", NY, "2026-03-08", "02:00", "03:00", []),
    ("ny spring: inside the gap", NY, "2026-03-08", "02:15", "02:45", []),
    (
        "ny spring: whole day 23h",
        NY,
        "2026-03-08",
        "00:00",
        "00:00",
        [("03-08T05:00", "03-09T04:00")],
    ),
    ("ny spring: overnight", NY, "2026-03-07", "22:00", "06:00", [("03-08T03:00", "03-08T10:00")]),
    (
        "ny fall: start in overlap",
        NY,
        "2026-11-01",
        "01:30",
        "03:00",
        [("11-01T05:30", "11-01T08:00")],
    ),
    (
        "ny fall: end in overlap",
        NY,
        "2026-11-01",
        "00:00",
        "01:30",
        [("11-01T04:00", "11-01T06:30")],
    ),
    (
        "ny fall: both in overlap",
        NY,
        "2026-11-01",
        "01:15",
        "01:45",
        [("11-01T05:15", "11-01T06:45")],
    ),
    (
        "ny fall: whole day 25h",
        NY,
        "2026-11-01",
        "00:00",
        "00:00",
        [("11-01T04:00", "11-02T05:00")],
    ),
    (
        "berlin spring: start in gap",
        BERLIN,
        "2026-03-29",
        "02:30",
        "05:00",
        [("03-29T01:00", "03-29T03:00")],
    ),
    (
        "berlin spring: end in gap",
        BERLIN,
        "2026-03-29",
        "01:00",
        "02:59",
        [("03-29T00:00", "03-29T01:00")],
    ),
    (
        "berlin spring: whole day 23h",
        BERLIN,
        "2026-03-29",
        "00:00",
        "24:00",
        [("03-28T23:00", "03-29T22:00")],
    ),
    (
        "berlin fall: start in overlap",
        BERLIN,
        "2026-10-25",
        "02:30",
        "04:00",
        [("10-25T00:30", "10-25T03:00")],
    ),
    (
        "berlin fall: end in overlap",
        BERLIN,
        "2026-10-25",
        "01:00",
        "02:30",
        [("10-24T23:00", "10-25T01:30")],
    ),
    (
        "berlin fall: whole day 25h",
        BERLIN,
        "2026-10-25",
        "00:00",
        "00:00",
        [("10-24T22:00", "10-25T23:00")],
    ),
]


@pytest.mark.parametrize(
    ("tz", "day", "starts", "ends", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_windows_on_dst_days(tz: str, day: str, starts: str, ends: str, expected: list) -> None:
    weekday = DAYS[datetime.fromisoformat(day).weekday()]
    assert windows_on(recurring(weekday, starts, ends), day, tz) == expected


def test_overnight_window_across_spring_forward_is_an_hour_shorter_in_real_time() -> None:
    # Saturday 22:00 -> Sunday 06:00 local is 7 real hours on the night the clocks go forward.
    s = recurring("saturday", "22:00", "06:00")
    found = occurrences(s, z("2026-03-28T00:00"), z("2026-03-30T00:00"), BERLIN)
    assert found == [Window(z("2026-03-28T21:00"), z("2026-03-29T04:00"))]
    found = occurrences(s, z("2026-03-07T00:00"), z("2026-03-09T00:00"), NY)
    assert found == [Window(z("2026-03-08T03:00"), z("2026-03-08T10:00"))]


def test_is_active_agrees_inside_the_gap_and_both_passes_of_the_overlap() -> None:
    gap = recurring("sunday", "02:30", "04:00")
    assert not is_active(gap, z("2026-03-08T06:59:59"), NY)  # 01:59:59 EST
    assert is_active(gap, z("2026-03-08T07:00"), NY)  # 03:00 EDT, first instant after the gap
    assert not is_active(gap, z("2026-03-08T08:00"), NY)  # 04:00 EDT
    overlap = recurring("sunday", "01:15", "01:45")
    assert is_active(overlap, z("2026-11-01T05:20"), NY)  # 01:20 EDT, first pass
    assert is_active(overlap, z("2026-11-01T06:00"), NY)  # 01:00 EST, between the passes
    assert is_active(overlap, z("2026-11-01T06:40"), NY)  # 01:40 EST, second pass
    assert not is_active(overlap, z("2026-11-01T06:45"), NY)  # 01:45 EST


def test_next_change_uses_the_same_instants() -> None:
    gap = recurring("sunday", "02:30", "04:00")
    assert next_change([gap], z("2026-03-08T05:00"), NY) == z("2026-03-08T07:00")
    assert next_change([gap], z("2026-03-08T07:00"), NY) == z("2026-03-08T08:00")
    overlap = recurring("sunday", "01:30", "03:00")
    assert next_change([overlap], z("2026-11-01T05:30"), NY) == z("2026-11-01T08:00")


def test_all_day_event_on_a_dst_day_covers_the_whole_local_day() -> None:
    body = {
        "type": "single_all_day_event",
        "enabled": True,
        "consequence": "allow",
        "scheduleable_type": "Group",
        "scheduleable_id": 2,
        "starts_at_date": "2026-11-01",
        "ends_at_date": "2026-11-01",
    }
    found = occurrences(parse_schedule(body), z("2026-10-01T00:00"), z("2026-12-01T00:00"), NY)
    assert found == [Window(z("2026-11-01T04:00"), z("2026-11-02T05:00"))]
    assert found[0].end - found[0].start == timedelta(hours=25)


def test_single_events_are_absolute_and_ignore_dst() -> None:
    body = {
        "type": "single_event",
        "enabled": True,
        "consequence": "unlock",
        "scheduleable_type": "Lock",
        "scheduleable_id": 1,
        "starts_at": "2026-03-08T01:30:00-05:00",
        "ends_at": "2026-03-08T03:30:00-04:00",
    }
    s = parse_schedule(body)
    found = occurrences(s, z("2026-03-08T00:00"), z("2026-03-09T00:00"), NY)
    assert found == [Window(z("2026-03-08T06:30"), z("2026-03-08T07:30"))]
