"""Fail-safe vs fail-secure: the relay and lock truth table, and what a restart leaves behind."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.access.doorstate import (
    ContactChanged,
    DoorConfig,
    DoorState,
    Granted,
    HoldUnlocked,
    LockDown,
    Tick,
    after_restart,
    door_is_locked,
    door_locked,
    relay_power_state,
    step,
)
from app.access.relays import Emit, EnergizeRelay, FailMode, ReaderLed

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STRIKE = DoorConfig(lock_id=1, held_open_seconds=30, fail_mode="secure")
MAGLOCK = replace(STRIKE, fail_mode="safe")
LOCKED_STATE = DoorState()
HELD_STATE = DoorState(held_unlocked=True)


def t(seconds: float) -> datetime:
    return BASE + timedelta(seconds=seconds)


# fail mode, controller powered, door state -> relay coil, door locked
TRUTH_TABLE: list[tuple[FailMode, bool, DoorState, str, bool]] = [
    ("secure", True, LOCKED_STATE, "released", True),
    ("secure", True, HELD_STATE, "energized", False),
    ("secure", False, LOCKED_STATE, "released", True),
    ("secure", False, HELD_STATE, "released", True),
    ("safe", True, LOCKED_STATE, "released", True),
    ("safe", True, HELD_STATE, "energized", False),
    ("safe", False, LOCKED_STATE, "released", False),
    ("safe", False, HELD_STATE, "released", False),
]


@pytest.mark.parametrize(("mode", "powered", "state", "coil", "locked"), TRUTH_TABLE)
def test_fail_mode_truth_table(
    mode: FailMode, powered: bool, state: DoorState, coil: str, locked: bool
) -> None:
    config = replace(STRIKE, fail_mode=mode)
    assert relay_power_state(config, state, powered) == coil
    assert door_locked(config, state, powered) is locked


@pytest.mark.parametrize(
    ("mode", "energized", "lock_powered", "locked"),
    [
        ("secure", False, True, True),
        ("secure", True, True, False),
        ("secure", False, False, True),
        ("safe", False, True, True),
        ("safe", True, True, False),
        ("safe", False, False, False),
    ],
)
def test_door_is_locked(mode: FailMode, energized: bool, lock_powered: bool, locked: bool) -> None:
    config = replace(STRIKE, fail_mode=mode)
    assert door_is_locked(config, energized, lock_powered) is locked


def test_a_pulse_energizes_until_its_end_is_ticked() -> None:
    state, _ = step(STRIKE, DoorState(), Granted(t(0), 5))
    assert relay_power_state(STRIKE, state, True) == "energized"
    state, _ = step(STRIKE, state, Tick(t(5)))
    assert relay_power_state(STRIKE, state, True) == "released"


def test_lockdown_keeps_a_held_door_locked() -> None:
    state = DoorState(held_unlocked=True, locked_down=True)
    assert relay_power_state(STRIKE, state, True) == "released"
    assert door_locked(STRIKE, state, True)


@pytest.mark.parametrize("config", [STRIKE, MAGLOCK], ids=["fail-secure", "fail-safe"])
def test_restart_ends_holds_and_pulses_and_releases_the_relay(config: DoorConfig) -> None:
    state, _ = step(config, DoorState(), HoldUnlocked(t(0), True))
    state, _ = step(config, state, Granted(t(1), 5))
    state, effects = after_restart(config, state)
    assert not state.held_unlocked and state.unlocked_until is None
    assert effects == [EnergizeRelay(False)]
    assert relay_power_state(config, state, True) == "released"
    assert door_locked(config, state, True)


def test_a_lockdown_survives_a_restart() -> None:
    state, _ = step(STRIKE, DoorState(), LockDown(t(0), True))
    state, _ = after_restart(STRIKE, state)
    assert state.locked_down


def test_a_fail_safe_door_found_open_after_a_restart_was_not_forced() -> None:
    state, _ = after_restart(MAGLOCK, DoorState())
    state, effects = step(MAGLOCK, state, ContactChanged(t(0), True))
    assert [e.event_type.value for e in effects if isinstance(e, Emit)] == ["lock.opened"]
    assert not state.forced_open and not state.unlocked_while_down


def test_a_fail_secure_door_found_open_after_a_restart_was_forced() -> None:
    state, _ = after_restart(STRIKE, DoorState())
    _, effects = step(STRIKE, state, ContactChanged(t(0), True))
    assert [e.event_type.value for e in effects if isinstance(e, Emit)] == [
        "lock.opened",
        "lock.forced_open",
    ]


def test_the_restart_pass_ends_with_the_first_report() -> None:
    state, _ = after_restart(MAGLOCK, DoorState())
    state, _ = step(MAGLOCK, state, ContactChanged(t(0), False))  # found closed
    state, effects = step(MAGLOCK, state, ContactChanged(t(60), True))
    assert "lock.forced_open" in [e.event_type.value for e in effects if isinstance(e, Emit)]


def test_a_held_open_alarm_is_shown_again_after_a_restart() -> None:
    state = DoorState(open=True, opened_at=t(0), held_open_alarm=True)
    _, effects = after_restart(STRIKE, state)
    assert ReaderLed("white_yellow", None) in effects
