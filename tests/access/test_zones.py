"""Intrusion zones: weekly policy (midnight, DST), overrides, violations, siren, validation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.access.relays import Effect, Emit, NextTick, ReaderLed, SirenOff, SirenOn
from app.access.zones import (
    Disarm,
    DoorOpened,
    GrantedUnlock,
    Level,
    PolicyRule,
    PolicyTick,
    ReaderTampered,
    SilenceSiren,
    Zone,
    ZoneDoor,
    ZoneEvent,
    ZoneState,
    initial_zone_state,
    next_policy_change,
    policy_level,
    scheduled_unlocks_allowed,
    zone_step,
)

BERLIN = ZoneInfo("Europe/Berlin")
EVERY_DAY = frozenset(range(7))
WEEKEND = frozenset({5, 6})
FRONT, OFFICE = 1, 2  # exterior and interior door

# Nights away (22:00-06:00, across midnight), weekend days stay, weekdays disarmed.
ZONE = Zone(
    id=10,
    controller_id=3,
    name="Ground floor",
    doors=(ZoneDoor(FRONT, exterior=True), ZoneDoor(OFFICE, exterior=False)),
    rules=(
        PolicyRule(EVERY_DAY, "22:00", "06:00", "away"),
        PolicyRule(WEEKEND, "06:00", "22:00", "stay"),
    ),
    default_level="disarmed",
    override_user_ids=frozenset({7}),
)


def berlin(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=BERLIN)


def utc(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


# 2026-03-02 is a Monday; 2026-03-29 (Sunday) skips 02:00-03:00 in Berlin; 2026-10-25 repeats it.
POLICY_CASES: list[tuple[str, datetime, Level]] = [
    ("Monday noon", berlin(2026, 3, 2, 12), "disarmed"),
    ("Monday 21:59", berlin(2026, 3, 2, 21, 59), "disarmed"),
    ("Monday 22:00", berlin(2026, 3, 2, 22), "away"),
    ("past midnight into Tuesday", berlin(2026, 3, 3, 0, 30), "away"),
    ("Tuesday 05:59", berlin(2026, 3, 3, 5, 59), "away"),
    ("Tuesday 06:00", berlin(2026, 3, 3, 6), "disarmed"),
    ("Saturday noon", berlin(2026, 3, 7, 12), "stay"),
    ("Sunday night into Monday", berlin(2026, 3, 9, 3), "away"),
    ("a UTC time read in Berlin time", utc(2026, 3, 2, 21, 30), "away"),  # 22:30 CET
    ("Saturday 04:30 UTC is 05:30 CET", utc(2026, 3, 28, 4, 30), "away"),
    ("DST Sunday 04:30 UTC is 06:30 CEST", utc(2026, 3, 29, 4, 30), "stay"),
    ("DST Sunday 03:59 UTC is 05:59 CEST", utc(2026, 3, 29, 3, 59), "away"),
]


@pytest.mark.parametrize(
    ("now", "level"), [c[1:] for c in POLICY_CASES], ids=[c[0] for c in POLICY_CASES]
)
def test_policy_level(now: datetime, level: Level) -> None:
    assert policy_level(ZONE, now, BERLIN) == level


def test_the_most_secure_overlapping_rule_wins() -> None:
    rules = (
        PolicyRule(EVERY_DAY, "08:00", "18:00", "away"),
        PolicyRule(EVERY_DAY, "00:00", "24:00", "stay"),
    )
    zone = replace(ZONE, rules=rules)
    assert policy_level(zone, berlin(2026, 3, 2, 9), BERLIN) == "away"
    assert policy_level(zone, berlin(2026, 3, 2, 19), BERLIN) == "stay"
    assert policy_level(replace(zone, rules=rules[::-1]), berlin(2026, 3, 2, 9), BERLIN) == "away"


def test_a_window_in_the_skipped_hour_never_applies_and_in_the_repeated_hour_twice() -> None:
    zone = replace(ZONE, rules=(PolicyRule(frozenset({6}), "02:00", "03:00", "away"),))
    spring = [utc(2026, 3, 29, 0, m) for m in range(0, 60, 5)]
    spring += [utc(2026, 3, 29, 1, m) for m in range(0, 60, 5)]
    assert all(policy_level(zone, t, BERLIN) == "disarmed" for t in spring)
    assert policy_level(zone, utc(2026, 10, 25, 0, 30), BERLIN) == "away"  # 02:30 CEST
    assert policy_level(zone, utc(2026, 10, 25, 1, 30), BERLIN) == "away"  # 02:30 CET
    assert policy_level(zone, utc(2026, 10, 25, 2, 0), BERLIN) == "disarmed"  # 03:00 CET


@pytest.mark.parametrize(
    ("now", "change"),
    [
        (berlin(2026, 3, 2, 12), berlin(2026, 3, 2, 22)),
        (berlin(2026, 3, 2, 23), berlin(2026, 3, 3, 6)),
        (berlin(2026, 3, 6, 23), berlin(2026, 3, 7, 6)),  # Friday night: away -> Saturday stay
        (berlin(2026, 3, 28, 23), berlin(2026, 3, 29, 6)),  # across the DST change
    ],
)
def test_next_policy_change(now: datetime, change: datetime) -> None:
    assert next_policy_change(ZONE, now, BERLIN) == change


def test_a_boundary_in_the_skipped_hour_moves_to_the_change_itself() -> None:
    zone = replace(ZONE, rules=(PolicyRule(frozenset({6}), "02:30", "05:00", "away"),))
    # 02:30 does not exist on 2026-03-29: the window opens when the clock jumps to 03:00 CEST.
    assert policy_level(zone, utc(2026, 3, 29, 0, 59), BERLIN) == "disarmed"
    assert policy_level(zone, utc(2026, 3, 29, 1, 0), BERLIN) == "away"
    assert next_policy_change(zone, utc(2026, 3, 29, 0, 0), BERLIN) == utc(2026, 3, 29, 1, 0)


def test_a_window_ending_in_the_repeated_hour_opens_again_when_the_hour_repeats() -> None:
    zone = replace(ZONE, rules=(PolicyRule(frozenset({6}), "01:00", "02:30", "away"),))
    changes = []
    moment = utc(2026, 10, 24, 23, 30)  # 01:30 CEST, inside the window
    for _ in range(3):
        found = next_policy_change(zone, moment, BERLIN)
        assert found is not None
        changes.append(found)
        moment = found
    # ends 02:30 CEST, starts again at 02:00 CET (the clock goes back), ends at 02:30 CET
    assert changes == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 0), utc(2026, 10, 25, 1, 30)]


def test_a_policy_that_never_changes_has_no_next_change() -> None:
    zone = replace(ZONE, rules=(), default_level="away")
    assert next_policy_change(zone, berlin(2026, 3, 2, 12), BERLIN) is None
    everyday = replace(ZONE, rules=(PolicyRule(EVERY_DAY, "00:00", "24:00", "stay"),))
    assert next_policy_change(everyday, berlin(2026, 3, 2, 12), BERLIN) is None


def run(
    events: Sequence[ZoneEvent], state: ZoneState, zone: Zone = ZONE
) -> tuple[ZoneState, list[Effect]]:
    effects: list[Effect] = []
    for event in events:
        state, out = zone_step(zone, state, event, BERLIN)
        effects.extend(out)
    return state, effects


def emitted(effects: Sequence[Effect]) -> list[str]:
    return [e.event_type.value for e in effects if isinstance(e, Emit)]


NIGHT = berlin(2026, 3, 2, 23)  # Monday night: away
SATURDAY = berlin(2026, 3, 7, 12)  # stay
AWAY = ZoneState("away")
STAY = ZoneState("stay")
DISARMED = ZoneState("disarmed")
OVERRIDE = ["zone.override", "zone.transition"]
VIOLATE = ["zone.policy_violate"]

STEP_CASES: list[tuple[str, ZoneState, list[ZoneEvent], list[str], Level, bool]] = [
    (
        "tick into the night",
        DISARMED,
        [PolicyTick(berlin(2026, 3, 2, 22))],
        ["zone.policy_activate", "zone.transition"],
        "away",
        False,
    ),
    ("tick with no change", AWAY, [PolicyTick(NIGHT)], [], "away", False),
    (
        "override listed user",
        AWAY,
        [GrantedUnlock(NIGHT, FRONT, 7, False)],
        OVERRIDE,
        "disarmed",
        False,
    ),
    (
        "override by role",
        AWAY,
        [GrantedUnlock(NIGHT, OFFICE, 8, True)],
        OVERRIDE,
        "disarmed",
        False,
    ),
    ("refused for others", AWAY, [GrantedUnlock(NIGHT, FRONT, 8, False)], [], "away", False),
    (
        "grant at a door of another zone",
        AWAY,
        [GrantedUnlock(NIGHT, 99, 7, True)],
        [],
        "away",
        False,
    ),
    (
        "grant while disarmed",
        DISARMED,
        [GrantedUnlock(berlin(2026, 3, 2, 12), FRONT, 7, True)],
        [],
        "disarmed",
        False,
    ),
    ("forced open while away", AWAY, [DoorOpened(NIGHT, OFFICE, False)], VIOLATE, "away", True),
    ("authorized open while away", AWAY, [DoorOpened(NIGHT, FRONT, True)], [], "away", False),
    (
        "exterior forced while stay",
        STAY,
        [DoorOpened(SATURDAY, FRONT, False)],
        VIOLATE,
        "stay",
        True,
    ),
    ("interior opened while stay", STAY, [DoorOpened(SATURDAY, OFFICE, False)], [], "stay", False),
    (
        "forced open while disarmed",
        DISARMED,
        [DoorOpened(berlin(2026, 3, 2, 12), FRONT, False)],
        [],
        "disarmed",
        False,
    ),
    ("door of another zone", AWAY, [DoorOpened(NIGHT, 99, False)], [], "away", False),
    ("tamper while away", AWAY, [ReaderTampered(NIGHT, OFFICE)], VIOLATE, "away", True),
    (
        "tamper while stay (interior too)",
        STAY,
        [ReaderTampered(SATURDAY, OFFICE)],
        VIOLATE,
        "stay",
        True,
    ),
    (
        "tamper while disarmed",
        DISARMED,
        [ReaderTampered(berlin(2026, 3, 2, 12), FRONT)],
        [],
        "disarmed",
        False,
    ),
    (
        "two violations, one alarm",
        AWAY,
        [DoorOpened(NIGHT, FRONT, False), ReaderTampered(NIGHT, FRONT)],
        VIOLATE * 2,
        "away",
        True,
    ),
    (
        "silence keeps the level",
        ZoneState("away", alarm=True),
        [SilenceSiren(NIGHT)],
        [],
        "away",
        False,
    ),
    (
        "disarm by hand",
        ZoneState("away", alarm=True),
        [Disarm(NIGHT, 1)],
        OVERRIDE,
        "disarmed",
        False,
    ),
    (
        "the override ends at the next change (to stay)",
        ZoneState("away"),
        [GrantedUnlock(berlin(2026, 3, 7, 3), FRONT, 7, False), PolicyTick(berlin(2026, 3, 7, 6))],
        [*OVERRIDE, "zone.policy_activate", "zone.transition"],
        "stay",
        False,
    ),
    (
        "an override into a disarmed morning ends quietly",
        AWAY,
        [GrantedUnlock(NIGHT, FRONT, 7, False), PolicyTick(berlin(2026, 3, 3, 6))],
        OVERRIDE,
        "disarmed",
        False,
    ),
    (
        "a scheduled disarm does not silence the siren",
        ZoneState("away", alarm=True),
        [PolicyTick(berlin(2026, 3, 3, 6))],
        ["zone.policy_activate", "zone.transition"],
        "disarmed",
        True,
    ),
]


@pytest.mark.parametrize(
    ("state", "events", "expected", "level", "alarm"),
    [c[1:] for c in STEP_CASES],
    ids=[c[0] for c in STEP_CASES],
)
def test_zone_rules(
    state: ZoneState, events: list[ZoneEvent], expected: list[str], level: Level, alarm: bool
) -> None:
    after, effects = run(events, state)
    assert emitted(effects) == expected
    assert after.level == level and after.alarm is alarm


def test_override_lasts_until_the_next_policy_change_and_ticks_then() -> None:
    state, effects = run([GrantedUnlock(NIGHT, FRONT, 7, False)], AWAY)
    assert state.overridden_until == berlin(2026, 3, 3, 6)
    assert effects[-1] == NextTick(berlin(2026, 3, 3, 6))
    override = next(e for e in effects if isinstance(e, Emit))
    assert override.user_id == 7 and override.lock_id == FRONT
    state, _ = run([PolicyTick(berlin(2026, 3, 3, 5, 59))], state)
    assert state.level == "disarmed" and state.overridden_until is not None
    state, _ = run([PolicyTick(berlin(2026, 3, 3, 6))], state)
    assert state.overridden_until is None


def test_members_can_override_lets_any_granted_member_disarm() -> None:
    zone = replace(ZONE, override_user_ids=frozenset(), members_can_override=True)
    state, _ = run([GrantedUnlock(NIGHT, FRONT, 42, False)], AWAY, zone)
    assert state.level == "disarmed"


def test_an_override_of_a_constant_policy_lasts_until_local_midnight() -> None:
    zone = replace(ZONE, rules=(), default_level="away")
    state, _ = run([GrantedUnlock(berlin(2026, 3, 2, 10), FRONT, 7, False)], AWAY, zone)
    assert state.overridden_until == berlin(2026, 3, 3, 0)
    state, effects = run([PolicyTick(berlin(2026, 3, 3, 0))], state, zone)
    assert state.level == "away" and "zone.transition" in emitted(effects)


def test_a_violation_sounds_the_siren_and_turns_the_readers_blue_red() -> None:
    state, effects = run([DoorOpened(NIGHT, FRONT, False)], AWAY)
    violation = next(e for e in effects if isinstance(e, Emit))
    assert violation.lock_id == FRONT and not violation.success
    assert SirenOn(ZONE.controller_id) in effects
    assert [e for e in effects if isinstance(e, ReaderLed)] == [
        ReaderLed("blue_red", None, FRONT),
        ReaderLed("blue_red", None, OFFICE),
    ]
    _, effects = run([ReaderTampered(NIGHT, FRONT)], state)
    assert not any(isinstance(e, SirenOn | ReaderLed) for e in effects)


@pytest.mark.parametrize(
    "event", [SilenceSiren(NIGHT), Disarm(NIGHT, 1), GrantedUnlock(NIGHT, FRONT, 7, False)]
)
def test_silence_disarm_and_override_stop_the_siren(event: ZoneEvent) -> None:
    _, effects = run([event], ZoneState("away", alarm=True))
    assert SirenOff(ZONE.controller_id) in effects
    assert ReaderLed("white", None, FRONT) in effects


def test_initial_state_follows_the_policy() -> None:
    assert initial_zone_state(ZONE, NIGHT, BERLIN) == ZoneState("away")


@pytest.mark.parametrize(
    ("level", "exterior", "allowed"),
    [
        ("disarmed", True, True),
        ("disarmed", False, True),
        ("stay", True, False),
        ("stay", False, True),
        ("away", True, False),
        ("away", False, True),
    ],
)
def test_scheduled_unlocks_allowed(level: Level, exterior: bool, allowed: bool) -> None:
    assert scheduled_unlocks_allowed(level, exterior) is allowed
