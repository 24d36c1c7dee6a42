"""validate_zones(): the limits and shapes a zone must keep, and random zone input."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.access.relays import SirenOff, SirenOn
from app.access.zones import (
    Disarm,
    DoorOpened,
    GrantedUnlock,
    PolicyRule,
    PolicyTick,
    ReaderTampered,
    SilenceSiren,
    Zone,
    ZoneDoor,
    ZoneError,
    ZoneEvent,
    ZoneState,
    validate_zones,
    zone_step,
)

RULE = PolicyRule(frozenset({0}), "22:00", "06:00", "away")


def zone(zone_id: int, *lock_ids: int, controller_id: int = 1, **changes: object) -> Zone:
    z = Zone(zone_id, controller_id, tuple(ZoneDoor(i, exterior=True) for i in lock_ids), (RULE,))
    return replace(z, **changes)  # type: ignore[arg-type]


def test_good_zones_pass() -> None:
    validate_zones([zone(1, 1, 2), zone(2, 3), zone(3), zone(4), zone(5, controller_id=2)])
    validate_zones([zone(1, rules=(PolicyRule(frozenset(range(7)), "00:00", "24:00", "stay"),))])


BAD = [
    ("five zones on a controller", [zone(i) for i in range(1, 6)], "zones[4].controller_id"),
    ("a door in two zones", [zone(1, 1), zone(2, 1)], "zones[1].doors[0].lock_id"),
    ("a door twice in one zone", [zone(1, 1, 1)], "zones[0].doors[1].lock_id"),
    ("a zone id twice", [zone(1), zone(1)], "zones[1].id"),
    ("bad default level", [zone(1, default_level="armed")], "zones[0].default_level"),
    (
        "no weekdays",
        [zone(1, rules=(replace(RULE, weekdays=frozenset()),))],
        "zones[0].rules[0].weekdays",
    ),
    (
        "weekday 7",
        [zone(1, rules=(replace(RULE, weekdays=frozenset({7})),))],
        "zones[0].rules[0].weekdays",
    ),
    ("hour 25", [zone(1, rules=(replace(RULE, start="25:00"),))], "zones[0].rules[0].start"),
    ("no colon", [zone(1, rules=(replace(RULE, end="0600"),))], "zones[0].rules[0].end"),
    (
        "24:00 is an end only",
        [zone(1, rules=(replace(RULE, start="24:00"),))],
        "zones[0].rules[0].start",
    ),
    ("empty window", [zone(1, rules=(replace(RULE, end="22:00"),))], "zones[0].rules[0].end"),
    (
        "bad level",
        [zone(1, rules=(replace(RULE, level="panic"),))],  # type: ignore[arg-type]
        "zones[0].rules[0].level",
    ),
]


@pytest.mark.parametrize(("zones", "field"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_zones_name_the_field(zones: list[Zone], field: str) -> None:
    with pytest.raises(ZoneError) as info:
        validate_zones(zones)
    assert info.value.field == field and info.value.message


BERLIN = ZoneInfo("Europe/Berlin")
ZONE = Zone(
    1,
    5,
    (ZoneDoor(1, exterior=True), ZoneDoor(2, exterior=False)),
    (
        PolicyRule(frozenset(range(7)), "22:00", "06:00", "away"),
        PolicyRule(frozenset({5, 6}), "06:00", "22:00", "stay"),
    ),
    override_user_ids=frozenset({7}),
)


@st.composite
def zone_events(draw: st.DrawFn) -> list[ZoneEvent]:
    at = datetime(2026, 3, 27, 20, 0, tzinfo=UTC)  # the weekend of the spring DST change
    out: list[ZoneEvent] = []
    for _ in range(draw(st.integers(0, 30))):
        at += timedelta(minutes=draw(st.sampled_from([0, 1, 30, 120, 600])))
        lock, user, flag = (
            draw(st.sampled_from([1, 2, 9])),
            draw(st.sampled_from([7, 8])),
            draw(st.booleans()),
        )
        choices: list[ZoneEvent] = [
            PolicyTick(at),
            GrantedUnlock(at, lock, user, flag),
            DoorOpened(at, lock, flag),
            ReaderTampered(at, lock),
            Disarm(at, user),
            SilenceSiren(at),
        ]
        out.append(draw(st.sampled_from(choices)))
    return out


@settings(max_examples=100, deadline=None)
@given(zone_events())
def test_random_zone_events_keep_siren_and_alarm_in_step(events: list[ZoneEvent]) -> None:
    state = ZoneState("disarmed")
    siren = False
    for event in events:
        state, effects = zone_step(ZONE, state, event, BERLIN)
        for effect in effects:
            if isinstance(effect, SirenOn):
                assert not siren
                siren = True
            elif isinstance(effect, SirenOff):
                assert siren
                siren = False
        assert siren == state.alarm
