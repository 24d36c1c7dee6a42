"""Properties of occurrences(), is_active(), next_change() and effective_*() (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.access.schedule_codec import parse_schedule
from app.access.schedules import (
    Consequence,
    Schedule,
    effective_active,
    effective_windows,
    is_active,
    next_change,
    occurrences,
)

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Zones with ordinary, half-hour (Lord Howe) and midnight (Santiago, Havana) DST changes.
ZONES = st.sampled_from(
    [
        "UTC",
        "America/New_York",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "America/Santiago",
        "America/Havana",
        "Asia/Kolkata",
    ]
)
# 2026's DST days lie inside this range, so many examples straddle a change.
MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
)
COMMON: dict[str, Any] = {
    "enabled": True,
    "consequence": "unlock",
    "scheduleable_type": "Lock",
    "scheduleable_id": 1,
}


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def recurring(draw: st.DrawFn, override: bool = False) -> Schedule:
    flags = draw(st.lists(st.booleans(), min_size=7, max_size=7).filter(any))
    # Quarter hours make gap and overlap hits likely without being the only case.
    starts = draw(st.integers(0, 95)) * 15
    ends = draw(st.one_of(st.integers(0, 96).map(lambda q: q * 15), st.integers(0, 1439)))
    ends_text = "24:00" if ends == 1440 else _hhmm(ends)
    body = COMMON | dict(zip(DAYS, flags, strict=True)) | {"override": override}
    return parse_schedule(body | {"starts_at_time": _hhmm(starts), "ends_at_time": ends_text})


@st.composite
def any_schedule(draw: st.DrawFn) -> Schedule:
    kind = draw(st.sampled_from(["recurring", "single", "all_day", "holidays"]))
    override = draw(st.booleans())
    if kind == "recurring":
        return draw(recurring(override))
    if kind == "single":
        a, b = sorted(draw(st.lists(MOMENTS, min_size=2, max_size=2)))
        b = max(b, a + timedelta(minutes=1))
        return parse_schedule(COMMON | {"starts_at": a, "ends_at": b, "override": override})
    if kind == "all_day":
        first = draw(st.dates(date(2026, 1, 1), date(2026, 12, 31)))
        last = first + timedelta(days=draw(st.integers(0, 5)))
        return parse_schedule(
            COMMON | {"starts_at_date": first, "ends_at_date": last, "override": override}
        )
    region = draw(st.sampled_from(["us", "gb", "de", "de_by", "fr", "ca"]))
    return parse_schedule(
        COMMON | {"region": region, "observed": draw(st.booleans()), "override": override}
    )


@settings(max_examples=150, deadline=None)
@given(any_schedule(), ZONES, MOMENTS, st.integers(1, 10 * 24 * 60), st.data())
def test_occurrences_are_sorted_disjoint_in_range_and_agree_with_is_active(
    schedule: Schedule, tz: str, start: datetime, minutes: int, data: st.DataObject
) -> None:
    end = start + timedelta(minutes=minutes)
    windows = occurrences(schedule, start, end, tz)
    for w in windows:
        assert start <= w.start < w.end <= end
        assert w.start.utcoffset() == timedelta(0)
    for a, b in pairwise(windows):
        assert a.end < b.start  # sorted, and touching windows were merged
    # Random instants, plus every edge and its neighbours, where mistakes would hide.
    probes = data.draw(st.lists(st.integers(0, minutes * 60 - 1), max_size=8))
    moments = [start + timedelta(seconds=s) for s in probes]
    for w in windows:
        moments += [
            w.start,
            w.end,
            w.start - timedelta(microseconds=1),
            w.end - timedelta(seconds=1),
        ]
    for t in moments:
        if start <= t < end:
            inside = any(w.start <= t < w.end for w in windows)
            assert is_active(schedule, t, tz) is inside, t


@settings(max_examples=100, deadline=None)
@given(recurring(), ZONES, MOMENTS)
def test_next_change_is_the_next_edge_of_the_occurrences(
    schedule: Schedule, tz: str, now: datetime
) -> None:
    lo, hi = now - timedelta(days=3), now + timedelta(days=10)
    windows = occurrences(schedule, lo, hi, tz)
    edges = [e for w in windows for e in (w.start, w.end) if now < e < hi]
    assert next_change([schedule], now, tz) == min(edges, default=None)


@settings(max_examples=100, deadline=None)
@given(st.lists(any_schedule(), max_size=4), ZONES, MOMENTS, st.data())
def test_effective_active_agrees_with_effective_windows(
    schedules: list[Schedule], tz: str, start: datetime, data: st.DataObject
) -> None:
    end = start + timedelta(days=3)
    windows = effective_windows(schedules, Consequence.UNLOCK, start, end, tz)
    for a, b in pairwise(windows):
        assert a.end <= b.start
    probes = data.draw(st.lists(st.integers(0, 3 * 86400 - 1), max_size=6))
    moments = [start + timedelta(seconds=s) for s in probes] + [w.start for w in windows]
    for t in moments:
        inside = any(w.start <= t < w.end for w in windows)
        assert effective_active(schedules, Consequence.UNLOCK, t, tz) is inside
        plain = [s for s in schedules if not s.override]
        blocked = any(is_active(s, t, tz) for s in schedules if s.override)
        assert inside is (any(is_active(s, t, tz) for s in plain) and not blocked)
