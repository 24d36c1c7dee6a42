"""What the door and zone state machines ask of the world, and what a relay does to a lock.

The reducers in ``doorstate`` and ``zones`` return these effects instead of acting; the local
controller carries them out (audit, relay commands, reader LEDs, timers). The second half is the
fail-safe / fail-secure truth table from the seeds, as pure functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

FailMode = Literal["secure", "safe"]
"""``secure``: electric strike, locked without power. ``safe``: maglock, unlocked without power."""

LedWord = Literal["white", "green", "red", "blinking_red", "white_yellow", "blue_red", "blue"]
"""Reader LED states, in the words the reader's documentation (and our link protocol) uses."""


class EventType(StrEnum):
    """Audit event types the reducers emit; values are the public API's event types."""

    LOCK_UNLOCK = "lock.unlock"
    LOCK_OPENED = "lock.opened"
    LOCK_CLOSED = "lock.closed"
    LOCK_HELD_OPEN = "lock.held_open"
    LOCK_FORCED_OPEN = "lock.forced_open"
    CONTROLLER_TAMPER = "controller.tamper"
    ZONE_POLICY_ACTIVATE = "zone.policy_activate"
    ZONE_POLICY_VIOLATE = "zone.policy_violate"
    ZONE_TRANSITION = "zone.transition"
    ZONE_OVERRIDE = "zone.override"


@dataclass(frozen=True)
class Emit:
    """Record an audit event.

    ``success`` is False for alarms (forced open, held open, tamper, violation) so the events
    view can filter them; ``lock_id``/``user_id`` are set where the reducer knows more than the
    caller (a zone spans several doors).
    """

    event_type: EventType
    success: bool
    message: str
    via: str | None = None
    lock_id: int | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class PulseRelay:
    """Energize the door's relay for ``seconds``; a new pulse replaces the running one."""

    seconds: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.seconds) or self.seconds <= 0:
            raise ValueError(f"pulse seconds must be positive: {self.seconds}")


@dataclass(frozen=True)
class EnergizeRelay:
    """Hold the door's relay energized (``on``) or release it, cancelling any pulse."""

    on: bool


@dataclass(frozen=True)
class SirenOn:
    """Energize the door controller's AUX relay (the zone's siren)."""

    controller_id: int


@dataclass(frozen=True)
class SirenOff:
    """Release the door controller's AUX relay."""

    controller_id: int


@dataclass(frozen=True)
class ReaderLed:
    """Show ``state`` on the door's readers for ``seconds`` (``None``: until told otherwise).

    ``lock_id`` is ``None`` in a door's own effects (the door is implied) and names the door
    in a zone's effects.
    """

    state: LedWord
    seconds: float | None = None
    lock_id: int | None = None


@dataclass(frozen=True)
class NextTick:
    """Call the reducer again with a tick at ``at``; replaces any earlier request.

    A step that returns no ``NextTick`` has nothing pending: cancel the timer.
    """

    at: datetime


Effect = Emit | PulseRelay | EnergizeRelay | SirenOn | SirenOff | ReaderLed | NextTick

RelayPower = Literal["energized", "released"]


def coil_state(unlock_commanded: bool, controller_powered: bool) -> RelayPower:
    """The relay coil: energized only while the controller is up and wants the door unlocked."""
    return "energized" if controller_powered and unlock_commanded else "released"


def lock_holds(fail_mode: FailMode, relay_energized: bool, lock_powered: bool = True) -> bool:
    """Whether the lock holds the door, by lock type, relay and lock supply.

    Both lock types are wired so that an energized relay unlocks: a strike on the normally-open
    contact (energizing feeds the strike), a maglock on the normally-closed one (energizing cuts
    the magnet's power). They differ only when the lock supply is gone, which happens when the
    controller that feeds it is down.

    Args:
        fail_mode: ``secure`` (electric strike) or ``safe`` (maglock).
        relay_energized: whether the door relay's coil is energized.
        lock_powered: whether the lock's supply (the controller's lock output) is up.

    Returns:
        True if the door cannot be opened without a key or force.
    """
    if not lock_powered:
        # Fail-secure keeps the door shut without power; fail-safe lets people out (fire code).
        return fail_mode == "secure"
    return not relay_energized
