"""Door monitoring: contact, request to exit, holds, lockdown, supervision — table-driven."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.access.doorstate import (
    REQUEST_TO_EXIT,
    ContactChanged,
    DoorConfig,
    DoorEvent,
    DoorState,
    Granted,
    HoldUnlocked,
    LockDown,
    RexPressed,
    SupervisionChanged,
    Tick,
    step,
)
from app.access.relays import (
    Effect,
    Emit,
    EnergizeRelay,
    EventType,
    NextTick,
    PulseRelay,
    ReaderLed,
)

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DOOR = DoorConfig(lock_id=1, held_open_seconds=30, supervised=True)
E = EventType


def t(seconds: float) -> datetime:
    return BASE + timedelta(seconds=seconds)


def run(
    events: Sequence[DoorEvent], config: DoorConfig = DOOR, state: DoorState | None = None
) -> tuple[DoorState, list[Effect]]:
    state = state or DoorState()
    effects: list[Effect] = []
    for event in events:
        state, out = step(config, state, event)
        effects.extend(out)
    return state, effects


def emitted(effects: Sequence[Effect]) -> list[str]:
    return [e.event_type.value for e in effects if isinstance(e, Emit)]


def relay(effects: Sequence[Effect]) -> list[Effect]:
    return [e for e in effects if isinstance(e, PulseRelay | EnergizeRelay)]


def leds(effects: Sequence[Effect]) -> list[str]:
    return [e.state for e in effects if isinstance(e, ReaderLed)]


OPENED, CLOSED, FORCED, HELD = "lock.opened", "lock.closed", "lock.forced_open", "lock.held_open"
UNLOCK, TAMPER = "lock.unlock", "controller.tamper"

CASES: list[tuple[str, DoorConfig, list[DoorEvent], list[str]]] = [
    ("forced open", DOOR, [ContactChanged(t(0), True)], [OPENED, FORCED]),
    (
        "grant, open, close",
        DOOR,
        [Granted(t(0), 5), ContactChanged(t(2), True), ContactChanged(t(10), False)],
        [OPENED, CLOSED],
    ),
    (
        "open after the pulse ended",
        DOOR,
        [Granted(t(0), 5), ContactChanged(t(6), True)],
        [OPENED, FORCED],
    ),
    (
        "open just as the pulse ends",
        DOOR,
        [Granted(t(0), 5), ContactChanged(t(5), True)],
        [OPENED, FORCED],
    ),
    (
        "request to exit, open",
        DOOR,
        [RexPressed(t(0)), ContactChanged(t(1), True)],
        [UNLOCK, OPENED],
    ),
    (
        "request to exit during lockdown",
        DOOR,
        [LockDown(t(0), True), RexPressed(t(1)), ContactChanged(t(2), True)],
        [UNLOCK, OPENED],
    ),
    (
        "no REX wired: the press is ignored",
        replace(DOOR, has_rex=False),
        [RexPressed(t(0)), ContactChanged(t(1), True)],
        [OPENED, FORCED],
    ),
    (
        "held open: one event, however many ticks",
        replace(DOOR, held_open_seconds=10),
        [
            Granted(t(0), 5),
            ContactChanged(t(1), True),
            Tick(t(11)),
            Tick(t(12)),
            Tick(t(60)),
            ContactChanged(t(70), False),
        ],
        [OPENED, HELD, CLOSED],
    ),
    (
        "held open found by the close itself",
        replace(DOOR, held_open_seconds=10),
        [Granted(t(0), 5), ContactChanged(t(1), True), ContactChanged(t(20), False)],
        [OPENED, HELD, CLOSED],
    ),
    (
        "closed just before the deadline",
        replace(DOOR, held_open_seconds=10),
        [Granted(t(0), 5), ContactChanged(t(1), True), ContactChanged(t(10.9), False)],
        [OPENED, CLOSED],
    ),
    (
        "held-open alarm off",
        replace(DOOR, held_open_seconds=0),
        [Granted(t(0), 5), ContactChanged(t(1), True), Tick(t(3600))],
        [OPENED],
    ),
    (
        "forced and then held open",
        replace(DOOR, held_open_seconds=10),
        [ContactChanged(t(0), True), Tick(t(10)), ContactChanged(t(11), False)],
        [OPENED, FORCED, HELD, CLOSED],
    ),
    (
        "grant while forced open is fine",
        DOOR,
        [ContactChanged(t(0), True), Granted(t(1), 5), ContactChanged(t(2), False)],
        [OPENED, FORCED, CLOSED],
    ),
    (
        "grant while already open is fine",
        DOOR,
        [
            Granted(t(0), 5),
            ContactChanged(t(1), True),
            Granted(t(2), 5),
            ContactChanged(t(3), False),
        ],
        [OPENED, CLOSED],
    ),
    (
        "scheduled unlock: free passage, no alarms",
        DOOR,
        [HoldUnlocked(t(0), True), ContactChanged(t(1), True), Tick(t(3600))],
        [OPENED],
    ),
    (
        "hold ends with the door open: the held-open clock starts then",
        replace(DOOR, held_open_seconds=10),
        [
            HoldUnlocked(t(0), True),
            ContactChanged(t(1), True),
            HoldUnlocked(t(100), False),
            Tick(t(109)),
            Tick(t(110)),
        ],
        [OPENED, HELD],
    ),
    (
        "lockdown overrides a hold",
        DOOR,
        [HoldUnlocked(t(0), True), LockDown(t(1), True), ContactChanged(t(2), True)],
        [OPENED, FORCED],
    ),
    (
        "lockdown cancels a running pulse",
        DOOR,
        [Granted(t(0), 5), LockDown(t(1), True), ContactChanged(t(2), True)],
        [OPENED, FORCED],
    ),
    (
        "an administrator's grant during lockdown opens",
        DOOR,
        [LockDown(t(0), True), Granted(t(1), 5), ContactChanged(t(2), True)],
        [OPENED],
    ),
    (
        "lockdown ends: the hold is back",
        DOOR,
        [
            HoldUnlocked(t(0), True),
            LockDown(t(1), True),
            LockDown(t(2), False),
            ContactChanged(t(3), True),
        ],
        [OPENED],
    ),
    (
        "duplicate contact reports say nothing",
        DOOR,
        [
            ContactChanged(t(0), False),
            Granted(t(1), 5),
            ContactChanged(t(2), True),
            ContactChanged(t(3), True),
        ],
        [OPENED],
    ),
    (
        "no contact sensor: never open",
        replace(DOOR, has_contact=False),
        [ContactChanged(t(0), True)],
        [],
    ),
    (
        "supervision cut, cut again, back to ok, short",
        DOOR,
        [
            SupervisionChanged(t(0), "cut"),
            SupervisionChanged(t(1), "cut"),
            SupervisionChanged(t(2), "ok"),
            SupervisionChanged(t(3), "short"),
        ],
        [TAMPER, TAMPER, TAMPER],
    ),
    (
        "unsupervised inputs report no line faults",
        replace(DOOR, supervised=False),
        [SupervisionChanged(t(0), "cut")],
        [],
    ),
    (
        "contact reports on a cut line are ignored",
        DOOR,
        [SupervisionChanged(t(0), "cut"), ContactChanged(t(1), True)],
        [TAMPER],
    ),
]


@pytest.mark.parametrize(
    ("config", "events", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_door_rules(config: DoorConfig, events: list[DoorEvent], expected: list[str]) -> None:
    _, effects = run(events, config)
    assert emitted(effects) == expected


def test_forced_open_sets_the_flag_and_closing_clears_it() -> None:
    state, _ = run([ContactChanged(t(0), True)])
    assert state.open and state.forced_open and state.opened_at == t(0)
    state, _ = run([ContactChanged(t(1), False)], state=state)
    assert not state.open and not state.forced_open and state.opened_at is None


def test_held_open_shows_the_led_until_closed() -> None:
    config = replace(DOOR, held_open_seconds=10)
    state, effects = run([Granted(t(0), 5), ContactChanged(t(1), True), Tick(t(11))], config)
    assert state.held_open_alarm and leds(effects) == ["white_yellow"]
    held = [e for e in effects if isinstance(e, Emit) and e.event_type is E.LOCK_HELD_OPEN]
    assert held[0].success is False
    state, effects = run([Tick(t(12)), ContactChanged(t(13), False)], config, state)
    assert leds(effects) == ["white"] and not state.held_open_alarm


def test_request_to_exit_is_an_unlock_via_request_to_exit() -> None:
    _, effects = run([RexPressed(t(0))])
    unlock = next(e for e in effects if isinstance(e, Emit))
    assert unlock.event_type is E.LOCK_UNLOCK and unlock.via == REQUEST_TO_EXIT and unlock.success
    assert relay(effects) == [PulseRelay(DOOR.unlock_seconds)]


def test_tamper_events_say_what_happened() -> None:
    _, effects = run([SupervisionChanged(t(0), "short"), SupervisionChanged(t(1), "ok")])
    first, second = (e for e in effects if isinstance(e, Emit))
    assert not first.success and "shorted" in first.message
    assert second.success and "restored" in second.message


RELAY_CASES: list[tuple[str, list[DoorEvent], list[Effect]]] = [
    ("a grant pulses", [Granted(t(0), 5)], [PulseRelay(5)]),
    (
        "a later grant extends",
        [Granted(t(0), 10), Granted(t(2), 3)],
        [PulseRelay(10), PulseRelay(8)],
    ),
    ("a longer grant wins", [Granted(t(0), 3), Granted(t(1), 10)], [PulseRelay(3), PulseRelay(10)]),
    ("a hold energizes", [HoldUnlocked(t(0), True)], [EnergizeRelay(True)]),
    (
        "a hold ends",
        [HoldUnlocked(t(0), True), HoldUnlocked(t(1), False)],
        [EnergizeRelay(True), EnergizeRelay(False)],
    ),
    (
        "a grant on a held door does not pulse",
        [HoldUnlocked(t(0), True), Granted(t(1), 5)],
        [EnergizeRelay(True)],
    ),
    (
        "a hold ending mid-grant hands over to the grant",
        [HoldUnlocked(t(0), True), Granted(t(1), 5), HoldUnlocked(t(3), False)],
        [EnergizeRelay(True), PulseRelay(3)],
    ),
    (
        "a hold starting mid-pulse energizes (cancels the release)",
        [Granted(t(0), 5), HoldUnlocked(t(1), True)],
        [PulseRelay(5), EnergizeRelay(True)],
    ),
    (
        "lockdown cuts a pulse",
        [Granted(t(0), 5), LockDown(t(1), True)],
        [PulseRelay(5), EnergizeRelay(False)],
    ),
    (
        "lockdown releases a hold",
        [HoldUnlocked(t(0), True), LockDown(t(1), True)],
        [EnergizeRelay(True), EnergizeRelay(False)],
    ),
    ("a hold during lockdown waits", [LockDown(t(0), True), HoldUnlocked(t(1), True)], []),
    (
        "the hold resumes when lockdown ends",
        [LockDown(t(0), True), HoldUnlocked(t(1), True), LockDown(t(2), False)],
        [EnergizeRelay(True)],
    ),
    ("REX during lockdown pulses", [LockDown(t(0), True), RexPressed(t(1))], [PulseRelay(5)]),
    ("lockdown twice changes nothing", [LockDown(t(0), True), LockDown(t(1), True)], []),
]


@pytest.mark.parametrize(
    ("events", "expected"), [c[1:] for c in RELAY_CASES], ids=[c[0] for c in RELAY_CASES]
)
def test_relay_commands(events: list[DoorEvent], expected: list[Effect]) -> None:
    _, effects = run(events)
    assert relay(effects) == expected


def test_next_tick_names_the_earliest_deadline_and_vanishes_when_idle() -> None:
    state, effects = step(DOOR, DoorState(), Granted(t(0), 5))
    assert effects[-1] == NextTick(t(5))
    state, effects = step(DOOR, state, ContactChanged(t(1), True))
    assert effects[-1] == NextTick(t(5))
    state, effects = step(DOOR, state, Tick(t(5)))
    assert effects == [NextTick(t(31))] and state.unlocked_until is None
    state, effects = step(DOOR, state, ContactChanged(t(6), False))
    assert not any(isinstance(e, NextTick) for e in effects)


@pytest.mark.parametrize(
    "bad",
    [
        lambda: Tick(datetime(2026, 1, 1)),
        lambda: Granted(t(0), 0),
        lambda: Granted(t(0), float("nan")),
        lambda: DoorConfig(1, held_open_seconds=-1),
        lambda: DoorConfig(1, held_open_seconds=10, unlock_seconds=0),
        lambda: DoorConfig(1, held_open_seconds=10, fail_mode="maybe"),  # type: ignore[arg-type]
    ],
)
def test_bad_inputs_are_refused_when_built(bad: object) -> None:
    assert callable(bad)
    with pytest.raises(ValueError):
        bad()


def test_local_times_are_kept_as_real_elapsed_time_across_a_dst_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    grant = Granted(datetime(2026, 3, 29, 1, 58, tzinfo=berlin), 300)  # 00:58 UTC
    assert grant.at.tzinfo is UTC
    opened = ContactChanged(datetime(2026, 3, 29, 3, 2, tzinfo=berlin), True)  # 4 min later
    _, effects = run([grant, opened])
    assert emitted(effects) == [OPENED]
