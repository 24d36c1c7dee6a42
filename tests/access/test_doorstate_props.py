"""Door monitoring under random input: no crash, no false forced-open, one held-open per opening."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.access.doorstate import (
    ContactChanged,
    DoorConfig,
    DoorEvent,
    DoorState,
    Granted,
    HoldUnlocked,
    LockDown,
    RexPressed,
    Supervision,
    SupervisionChanged,
    Tick,
    after_restart,
    relay_power_state,
    step,
)
from app.access.relays import Effect, Emit, EnergizeRelay, EventType, PulseRelay

BASE = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
SECONDS = st.sampled_from([0.5, 1, 3, 5, 10, 30])


@dataclass(frozen=True)
class Restart:
    """Not a door event: the door controller restarts (``after_restart``)."""


configs = st.builds(
    DoorConfig,
    lock_id=st.just(1),
    held_open_seconds=st.sampled_from([0, 3, 10]),
    has_contact=st.booleans(),
    has_rex=st.booleans(),
    fail_mode=st.sampled_from(["secure", "safe"]),
    supervised=st.booleans(),
    unlock_seconds=st.sampled_from([1, 5]),
)


def _event(
    kind: str, at: datetime, seconds: float, flag: bool, line: Supervision
) -> DoorEvent | Restart:
    match kind:
        case "grant":
            return Granted(at, seconds)
        case "contact":
            return ContactChanged(at, flag)
        case "rex":
            return RexPressed(at)
        case "hold":
            return HoldUnlocked(at, flag)
        case "lockdown":
            return LockDown(at, flag)
        case "line":
            return SupervisionChanged(at, line)
        case "restart":
            return Restart()
    return Tick(at)


KINDS = st.sampled_from(
    ["grant", "contact", "contact", "rex", "hold", "lockdown", "line", "tick", "restart"]
)
LINES: st.SearchStrategy[Supervision] = st.sampled_from(["ok", "ok", "cut", "short"])


Timeline = list[tuple[datetime, DoorEvent | Restart]]


@st.composite
def timelines(draw: st.DrawFn, ordered: bool = True) -> Timeline:
    """Events with non-decreasing times (or any times when ``ordered`` is False)."""
    at = BASE
    out: Timeline = []
    for _ in range(draw(st.integers(0, 40))):
        delta = draw(st.sampled_from([0, 0.5, 1, 2, 3, 5, 10, 31]))
        at = at + timedelta(seconds=delta) if ordered else BASE + timedelta(seconds=delta * 7)
        event = _event(draw(KINDS), at, draw(SECONDS), draw(st.booleans()), draw(LINES))
        out.append((at, event))
    return out


def _apply(
    config: DoorConfig, state: DoorState, event: DoorEvent | Restart
) -> tuple[DoorState, list[Effect]]:
    if isinstance(event, Restart):
        return after_restart(config, state)
    return step(config, state, event)


@dataclass
class RelayTwin:
    """What the door controller's relay does with our commands (as hardware/doorctl/sim.py)."""

    held: bool = False
    release_at: datetime | None = None

    def energized(self, at: datetime) -> bool:
        return self.held or (self.release_at is not None and at < self.release_at)

    def apply(self, at: datetime, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, PulseRelay):
                self.held, self.release_at = False, at + timedelta(seconds=effect.seconds)
            elif isinstance(effect, EnergizeRelay):
                self.held, self.release_at = effect.on, None


@settings(max_examples=150, deadline=None)
@given(configs, timelines(ordered=False))
def test_random_sequences_never_raise(config: DoorConfig, timeline: Timeline) -> None:
    state = DoorState()
    for _, event in timeline:
        state, effects = _apply(config, state, event)
        assert all(e is not None for e in effects)


@settings(max_examples=150, deadline=None)
@given(configs, timelines())
def test_forced_open_never_while_the_relay_is_energized(
    config: DoorConfig, timeline: Timeline
) -> None:
    state, twin = DoorState(), RelayTwin()
    for at, event in timeline:
        energized_before = twin.energized(at)
        state, effects = _apply(config, state, event)
        types = [e.event_type for e in effects if isinstance(e, Emit)]
        if EventType.LOCK_FORCED_OPEN in types:
            assert not energized_before
        twin.apply(at, effects)
        if not isinstance(event, Restart):
            # The state's idea of the relay matches what the device was told.
            assert (relay_power_state(config, state, True) == "energized") == twin.energized(at)


@settings(max_examples=150, deadline=None)
@given(configs, timelines())
def test_at_most_one_held_open_per_opening(config: DoorConfig, timeline: Timeline) -> None:
    is_open, held = False, 0
    state = DoorState()
    for _, event in timeline:
        state, effects = _apply(config, state, event)
        for e in effects:
            if not isinstance(e, Emit):
                continue
            if e.event_type is EventType.LOCK_OPENED:
                assert not is_open
                is_open, held = True, 0
            elif e.event_type is EventType.LOCK_CLOSED:
                assert is_open
                is_open = False
            elif e.event_type is EventType.LOCK_HELD_OPEN:
                assert is_open
                held += 1
                assert held <= 1
        assert state.open == is_open
