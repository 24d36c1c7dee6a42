"""One door's monitoring as a pure reducer: contact, request-to-exit, holds, lockdown, alarms.

The local controller keeps a ``DoorState`` per door, feeds every input through ``step`` and
carries out the returned effects (see ``app.access.relays``). Time only enters through the
events, so the whole machine runs in tests without a clock. The rules and truth tables are
written down in ``docs/door-monitoring.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from app.access.relays import (
    Effect,
    Emit,
    EnergizeRelay,
    EventType,
    FailMode,
    NextTick,
    PulseRelay,
    ReaderLed,
    RelayPower,
    coil_state,
    lock_holds,
)

Supervision = Literal["ok", "cut", "short"]

REQUEST_TO_EXIT = "request_to_exit"


@dataclass(frozen=True)
class DoorConfig:
    """How a door is wired and monitored.

    Attributes:
        lock_id: the door (the public API's lock).
        held_open_seconds: how long the door may stand open before ``lock.held_open``;
            0 turns the held-open alarm off.
        has_contact: a door contact sensor is wired; without one the door is never "open".
        has_rex: a request-to-exit button or sensor is wired.
        fail_mode: ``secure`` (electric strike) or ``safe`` (maglock).
        supervised: the inputs have end-of-line resistors, so a cut or short is reported.
        unlock_seconds: the relay pulse for a request to exit (the door's unlock duration).
    """

    lock_id: int
    held_open_seconds: float
    has_contact: bool = True
    has_rex: bool = True
    fail_mode: FailMode = "secure"
    supervised: bool = False
    unlock_seconds: float = 5.0

    def __post_init__(self) -> None:
        if not math.isfinite(self.held_open_seconds) or self.held_open_seconds < 0:
            raise ValueError(f"held_open_seconds must be >= 0: {self.held_open_seconds}")
        if not math.isfinite(self.unlock_seconds) or self.unlock_seconds <= 0:
            raise ValueError(f"unlock_seconds must be positive: {self.unlock_seconds}")
        if self.fail_mode not in ("secure", "safe"):
            raise ValueError(f"fail_mode must be secure or safe: {self.fail_mode!r}")


@dataclass(frozen=True)
class DoorState:
    """What the controller knows about one door.

    Attributes:
        open: the contact sensor says the door stands open.
        unlocked_until: end of the running relay pulse (grant or request to exit).
        held_unlocked: a scheduled unlock, first-to-arrive or manual hold wants the relay on.
        locked_down: the door (or its place) is locked down; holds do not energize the relay.
        held_open_alarm: ``lock.held_open`` was emitted for the current opening.
        forced_open: the current opening was forced.
        opened_at: when the current opening began.
        supervision: end-of-line state of the door's input line.
        held_open_deadline: when the current opening turns into a held-open alarm; ``None``
            while the door is held unlocked (free passage is meant to stand open).
        unlocked_while_down: a fail-safe door came back from a controller outage, during which
            it stood unlocked; the next contact report may find it open without a grant.
    """

    open: bool = False
    unlocked_until: datetime | None = None
    held_unlocked: bool = False
    locked_down: bool = False
    held_open_alarm: bool = False
    forced_open: bool = False
    opened_at: datetime | None = None
    supervision: Supervision = "ok"
    held_open_deadline: datetime | None = None
    unlocked_while_down: bool = False


@dataclass(frozen=True)
class TimedEvent:
    """Base of every reducer input: ``at`` is when it happened (timezone-aware, kept in UTC)."""

    at: datetime

    def __post_init__(self) -> None:
        # Naive and aware datetimes do not compare; refuse them here, not mid-step.
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError(f"event time must be timezone-aware: {self.at!r}")
        # Arithmetic on a local time is wall-clock arithmetic (wrong across a DST change).
        object.__setattr__(self, "at", self.at.astimezone(UTC))


@dataclass(frozen=True)
class Granted(TimedEvent):
    """A granted unlock pulsed the door's relay for ``seconds``."""

    seconds: float

    def __post_init__(self) -> None:
        super().__post_init__()
        if not math.isfinite(self.seconds) or self.seconds <= 0:
            raise ValueError(f"grant seconds must be positive: {self.seconds}")


@dataclass(frozen=True)
class ContactChanged(TimedEvent):
    """The door contact reports open or closed (also sent on reconnect with the current state)."""

    open: bool


@dataclass(frozen=True)
class RexPressed(TimedEvent):
    """The request-to-exit input triggered."""


@dataclass(frozen=True)
class HoldUnlocked(TimedEvent):
    """A scheduled unlock, first-to-arrive or manual hold starts (``on``) or ends."""

    on: bool


@dataclass(frozen=True)
class LockDown(TimedEvent):
    """The door or its place is locked down (``on``) or the lockdown is cancelled."""

    on: bool


@dataclass(frozen=True)
class SupervisionChanged(TimedEvent):
    """End-of-line supervision of the door's input line reports ok, cut or short."""

    supervision: Supervision


@dataclass(frozen=True)
class Tick(TimedEvent):
    """Time passed (the controller calls this at each ``NextTick``)."""


DoorEvent = (
    Granted | ContactChanged | RexPressed | HoldUnlocked | LockDown | SupervisionChanged | Tick
)


def step(config: DoorConfig, state: DoorState, event: DoorEvent) -> tuple[DoorState, list[Effect]]:
    """Apply one input to a door.

    Args:
        config: how the door is wired.
        state: what was known before the event.
        event: the input, carrying its time.

    Returns:
        The new state and the effects to carry out, in order. The list ends with a
        ``NextTick`` whenever a deadline is pending.
    """
    out: list[Effect] = []
    at = event.at
    state = _advance(config, state, at, out)
    match event:
        case ContactChanged():
            state = _contact(config, state, event, out)
        case Granted():
            state = _open_window(state, at, event.seconds, out)
        case RexPressed() if config.has_rex:
            # Life safety: a request to exit unlocks even during a lockdown.
            out.append(Emit(EventType.LOCK_UNLOCK, True, "Request to exit", via=REQUEST_TO_EXIT))
            state = _open_window(state, at, config.unlock_seconds, out)
        case HoldUnlocked():
            state = _rehold(config, state, replace(state, held_unlocked=event.on), at, out)
        case LockDown():
            state = _lockdown(config, state, event.on, at, out)
        case SupervisionChanged() if config.supervised:
            state = _supervision(state, event.supervision, out)
    if state.unlocked_while_down and not isinstance(event, Tick | SupervisionChanged):
        # Any real activity after a restart means the resync window is over.
        state = replace(state, unlocked_while_down=False)
    deadline = _next_deadline(state)
    if deadline is not None:
        out.append(NextTick(deadline))
    return state, out


def _holding(state: DoorState) -> bool:
    """A hold energizes the relay only outside a lockdown."""
    return state.held_unlocked and not state.locked_down


def _window_open(state: DoorState, at: datetime) -> bool:
    return state.unlocked_until is not None and at < state.unlocked_until


def _unlocked(state: DoorState, at: datetime) -> bool:
    return _window_open(state, at) or _holding(state)


def _advance(config: DoorConfig, state: DoorState, at: datetime, out: list[Effect]) -> DoorState:
    """Let time pass up to ``at``: pulses end, an opening may become held open."""
    if state.unlocked_until is not None and at >= state.unlocked_until:
        state = replace(state, unlocked_until=None)
    deadline = state.held_open_deadline
    if state.open and not state.held_open_alarm and deadline is not None and at >= deadline:
        out.append(
            Emit(
                EventType.LOCK_HELD_OPEN,
                False,
                f"Door held open longer than {config.held_open_seconds:g} s",
            )
        )
        out.append(ReaderLed("white_yellow", None))
        state = replace(state, held_open_alarm=True, held_open_deadline=None)
    return state


def _held_open_deadline(config: DoorConfig, at: datetime) -> datetime | None:
    if config.held_open_seconds <= 0:
        return None
    return at + timedelta(seconds=config.held_open_seconds)


def _contact(
    config: DoorConfig, state: DoorState, event: ContactChanged, out: list[Effect]
) -> DoorState:
    # A cut or shorted line reads as nonsense; the tamper event already raised the alarm.
    if not config.has_contact or state.supervision != "ok" or event.open == state.open:
        return state
    at = event.at
    if not event.open:
        out.append(Emit(EventType.LOCK_CLOSED, True, "Door closed"))
        if state.held_open_alarm:
            out.append(ReaderLed("white", None))
        return replace(
            state,
            open=False,
            opened_at=None,
            held_open_alarm=False,
            forced_open=False,
            held_open_deadline=None,
        )
    forced = not _unlocked(state, at) and not state.unlocked_while_down
    out.append(Emit(EventType.LOCK_OPENED, True, "Door opened"))
    if forced:
        message = "Door opened without a grant or request to exit"
        out.append(Emit(EventType.LOCK_FORCED_OPEN, False, message))
    return replace(
        state,
        open=True,
        opened_at=at,
        forced_open=forced,
        held_open_alarm=False,
        held_open_deadline=None if _holding(state) else _held_open_deadline(config, at),
    )


def _open_window(state: DoorState, at: datetime, seconds: float, out: list[Effect]) -> DoorState:
    """Unlock for ``seconds`` from ``at``; a running pulse is extended, never shortened."""
    until = at + timedelta(seconds=seconds)
    if state.unlocked_until is not None and state.unlocked_until > until:
        until = state.unlocked_until
    if not _holding(state):
        # A pulse on a held relay would release it when it ends, breaking the hold.
        out.append(PulseRelay((until - at).total_seconds()))
    return replace(state, unlocked_until=until)


def _rehold(
    config: DoorConfig, before: DoorState, after: DoorState, at: datetime, out: list[Effect]
) -> DoorState:
    """Drive the relay and the held-open clock when the effective hold starts or ends."""
    was, now_holding = _holding(before), _holding(after)
    if now_holding and not was:
        # Also when a pulse runs: energizing cancels its release, which would end the hold.
        out.append(EnergizeRelay(True))
        return replace(after, held_open_deadline=None)
    if was and not now_holding:
        if _window_open(after, at):
            assert after.unlocked_until is not None
            # Hand over to the rest of the grant instead of locking on someone mid-entry.
            out.append(PulseRelay((after.unlocked_until - at).total_seconds()))
        else:
            out.append(EnergizeRelay(False))
        if after.open and not after.held_open_alarm:
            # Free passage ended with the door standing open: its held-open clock starts now.
            return replace(after, held_open_deadline=_held_open_deadline(config, at))
    return after


def _lockdown(
    config: DoorConfig, state: DoorState, on: bool, at: datetime, out: list[Effect]
) -> DoorState:
    # The API action records lock.lock_down / cancel_lockdown with its actor; no event here.
    if on == state.locked_down:
        return state
    if not on:
        return _rehold(config, state, replace(state, locked_down=False), at, out)
    cut = replace(state, unlocked_until=None)
    if _window_open(state, at) and not _holding(state):
        out.append(EnergizeRelay(False))
    return _rehold(config, cut, replace(cut, locked_down=True), at, out)


def _supervision(state: DoorState, value: Supervision, out: list[Effect]) -> DoorState:
    if value == state.supervision:
        return state
    if value == "ok":
        out.append(Emit(EventType.CONTROLLER_TAMPER, True, "Door input line restored"))
    else:
        word = "cut" if value == "cut" else "shorted"
        out.append(Emit(EventType.CONTROLLER_TAMPER, False, f"Door input line {word}"))
    return replace(state, supervision=value)


def _next_deadline(state: DoorState) -> datetime | None:
    pending = [d for d in (state.unlocked_until, state.held_open_deadline) if d is not None]
    return min(pending) if pending else None


def after_restart(config: DoorConfig, state: DoorState) -> tuple[DoorState, list[Effect]]:
    """What survives a door controller restart (or a power loss and its return).

    Pulses and holds end with the power: schedules re-assert their holds afterwards with
    ``HoldUnlocked``. A lockdown survives (it is the place's setting, not the device's). A
    fail-safe door stood unlocked while the controller was down, so the first contact report
    afterwards may find it open without that being a forced opening.

    Args:
        config: how the door is wired.
        state: what was known before the restart.

    Returns:
        The new state and the effects that put the relay and the reader in a known state.
    """
    after = replace(
        state,
        unlocked_until=None,
        held_unlocked=False,
        unlocked_while_down=config.fail_mode == "safe",
    )
    out: list[Effect] = [EnergizeRelay(False)]
    if after.held_open_alarm:
        out.append(ReaderLed("white_yellow", None))
    deadline = _next_deadline(after)
    if deadline is not None:
        out.append(NextTick(deadline))
    return after, out


def relay_power_state(config: DoorConfig, state: DoorState, controller_powered: bool) -> RelayPower:
    """The door relay's coil (``energized`` or ``released``) as the state wants it.

    Both lock types are wired so that energizing unlocks, so ``config`` does not change the
    answer. A pulse counts until a step at or after its end clears it (the ``NextTick`` does);
    the device ends the pulse on its own at that moment.
    """
    del config
    wants = state.unlocked_until is not None or _holding(state)
    return coil_state(wants, controller_powered)


def door_is_locked(config: DoorConfig, relay_energized: bool, lock_powered: bool = True) -> bool:
    """Whether the door is locked, for its fail mode (truth table in docs/door-monitoring.md).

    Args:
        config: the door; only ``fail_mode`` matters.
        relay_energized: whether the door relay's coil is energized.
        lock_powered: whether the lock's supply is up; it comes from the door controller, so
            it is down exactly when the controller is.

    Returns:
        True if the lock holds the door.
    """
    return lock_holds(config.fail_mode, relay_energized, lock_powered)


def door_locked(config: DoorConfig, state: DoorState, controller_powered: bool) -> bool:
    """Whether the door is locked right now, from its state and the controller's power."""
    energized = relay_power_state(config, state, controller_powered) == "energized"
    return door_is_locked(config, energized, lock_powered=controller_powered)
