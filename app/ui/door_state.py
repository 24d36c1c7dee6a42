"""The doors view-model: one row per door with its live state in plain words, and door actions.

No Qt here. The widget in :mod:`app.ui.doors_view` shows :class:`DoorRow` values and calls the
actions; everything it needs to decide lives in this module, so tests can check it directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.access.decide import UnlockRequest
from app.access.doorstate import DoorState
from app.access.restrictions import Method
from app.controller.errors import ValidationFailed
from app.controller.resources import LOCKS, PLACES
from app.controller.service import Controller
from app.controller.site import Actor

ALL = {"limit": "250"}
# Who the audit trail names for actions taken in the desktop app.
APP_ACTOR = Actor("Login", None, "Lintel app")


class DoorStatus(StrEnum):
    """A door's state, as the person at the desk reads it."""

    LOCKED = "Locked"
    UNLOCKED = "Unlocked"
    OPEN = "Open"
    HELD_OPEN = "Held open"
    FORCED_OPEN = "Forced open"
    LOCKED_DOWN = "Locked down"
    SCHEDULED_UNLOCK = "On scheduled unlock"
    OFFLINE = "Door controller offline"
    NOT_WIRED = "Not wired yet"


# Text and background colour of each state: green is calm, amber needs a look, red is an alarm.
COLOURS: dict[DoorStatus, tuple[str, str]] = {
    DoorStatus.LOCKED: ("#1b5e20", "#e8f5e9"),
    DoorStatus.UNLOCKED: ("#0d47a1", "#e3f2fd"),
    DoorStatus.OPEN: ("#6d4c00", "#fff3c4"),
    DoorStatus.HELD_OPEN: ("#ffffff", "#c62828"),
    DoorStatus.FORCED_OPEN: ("#ffffff", "#b71c1c"),
    DoorStatus.LOCKED_DOWN: ("#ffffff", "#6a1b9a"),
    DoorStatus.SCHEDULED_UNLOCK: ("#004d40", "#d7f0ec"),
    DoorStatus.OFFLINE: ("#424242", "#e0e0e0"),
    DoorStatus.NOT_WIRED: ("#757575", "#f5f5f5"),
}
ALARMS = frozenset({DoorStatus.HELD_OPEN, DoorStatus.FORCED_OPEN})


@dataclass(frozen=True)
class DoorRow:
    """What the doors table shows for one door."""

    lock_id: int
    name: str
    place: str
    wiring: str
    status: DoorStatus
    detail: str  # one sentence: why the door is in this state, or what to do

    @property
    def alarm(self) -> bool:
        """Whether the state needs someone to look at the door now."""
        return self.status in ALARMS

    @property
    def colours(self) -> tuple[str, str]:
        """(text, background) colours of the state cell."""
        return COLOURS[self.status]


def door_status(
    *,
    wired: bool,
    online: bool,
    locked_down: bool,
    place_locked_down: bool,
    monitor: DoorState | None,
    held: bool,
    pulsing: bool,
    held_open_seconds: float = 30,
) -> tuple[DoorStatus, str]:
    """The one state to show for a door, with a sentence explaining it.

    Alarms come before a lockdown (a forced door during a lockdown needs a look), the
    door standing open before how it is unlocked.
    """
    if not wired:
        return DoorStatus.NOT_WIRED, "Connect a door controller relay to it in the Installer area."
    if not online:
        return DoorStatus.OFFLINE, "Its door controller is not connected: check power and network."
    is_open = monitor is not None and monitor.open
    if is_open and monitor is not None and monitor.forced_open:
        return DoorStatus.FORCED_OPEN, "Opened without a grant or request to exit: check the door."
    if is_open and monitor is not None and monitor.held_open_alarm:
        return DoorStatus.HELD_OPEN, f"Standing open longer than {held_open_seconds:g} s."
    if place_locked_down:
        return DoorStatus.LOCKED_DOWN, "Its place is locked down: only administrators open it."
    if locked_down:
        return DoorStatus.LOCKED_DOWN, "Only administrators can open it until you cancel."
    if is_open:
        return DoorStatus.OPEN, "The door contact reports the door open."
    if held:
        return DoorStatus.SCHEDULED_UNLOCK, "A schedule holds it unlocked."
    if pulsing:
        return DoorStatus.UNLOCKED, "Unlocked for a few seconds after a grant."
    return DoorStatus.LOCKED, "Locked."


def event_lock(event: Mapping[str, Any]) -> int | None:
    """The door an audit event changes the state of, 0 for all doors, None for none."""
    kind = str(event.get("type", ""))
    if kind.startswith("place.") and kind.endswith(("lock_down", "cancel_lockdown")):
        return 0
    if kind == "lock.create":
        return 0
    if event.get("object_type") == "Lock" and kind.startswith(("lock.", "controller.")):
        return int(event["object_id"])
    return None


@dataclass(frozen=True)
class DoorSettings:
    """The door settings the site area edits."""

    held_open_seconds: int
    fail_mode: str  # "secure" or "safe"
    time_restriction: bool


class DoorsModel:
    """Reads door rows from the controller and carries out the doors view's actions."""

    def __init__(self, controller: Controller) -> None:
        self.controller = controller

    def rows(self) -> list[DoorRow]:
        """Every door, in the order they were added."""
        places = {p["id"]: bool(p["locked_down"]) for p in self._places()}
        return [self._row(lk, places) for lk in self.controller.site.list(LOCKS, ALL).items]

    def row(self, lock_id: int) -> DoorRow:
        """One door's row, read fresh."""
        places = {p["id"]: bool(p["locked_down"]) for p in self._places()}
        return self._row(self.controller.site.get(LOCKS, lock_id), places)

    def places(self) -> list[tuple[str, int]]:
        """(name, id) of each place, for the new-door form."""
        return [(p["name"], p["id"]) for p in self._places()]

    def _places(self) -> list[dict[str, Any]]:
        return self.controller.site.list(PLACES, ALL).items

    def _row(self, lock: Mapping[str, Any], places: Mapping[int, bool]) -> DoorRow:
        lock_id = int(lock["id"])
        doors = self.controller.doors
        wiring = [f"{c['name']} · relay {c['channel']}" for c in doors.connections(lock_id)]
        status, detail = door_status(
            wired=bool(lock["configured"]),
            online=bool(lock["online"]),
            locked_down=bool(lock["locked_down"]),
            place_locked_down=places.get(lock["place_id"], False),
            monitor=self.controller.monitor.state(lock_id),
            held=doors.lock_held(lock_id),
            pulsing=doors.lock_unlocked(lock_id),
            held_open_seconds=float(lock["held_open_duration"]),
        )
        place = str(lock["place"]["name"] or "")
        relays = ", ".join(wiring) or "No relay"
        return DoorRow(lock_id, str(lock["name"]), place, relays, status, detail)

    # --- actions -------------------------------------------------------------------------------

    def add_door(self, name: str, place_id: int | None) -> dict[str, Any]:
        """Create a door in a place.

        Raises:
            ValidationFailed: no name or no place (the controller itself allows an empty name).
        """
        if not name.strip():
            raise ValidationFailed({"name": ["cannot be empty"]})
        if place_id is None:
            raise ValidationFailed({"place_id": ["is missing: add a place first (Places tab)"]})
        return self.controller.site.create(LOCKS, {"name": name.strip(), "place_id": place_id})

    async def unlock(self, lock_id: int) -> str | None:
        """Unlock a door now as an administrator (audited like an app unlock).

        Returns:
            None when the door opened, else what went wrong in plain words.
        """
        request = UnlockRequest(Method.APP, login_role_id="administrator")
        decision = await self.controller.decisions.unlock(request, lock_id)
        if decision.granted:
            return None
        return f"The door did not open: {decision.message}."

    def pulse_seconds(self, lock_id: int) -> float:
        """How long an unlock keeps the door unlocked."""
        return self.controller.doors.unlock_seconds(lock_id)

    async def lock_down(self, lock_id: int, on: bool) -> None:
        """Lock a door down, or cancel its lockdown."""
        await self.controller.lockdowns.set(LOCKS, lock_id, on, APP_ACTOR)

    def settings(self, lock_id: int) -> DoorSettings:
        """A door's current settings."""
        lock = self.controller.site.get(LOCKS, lock_id)
        return DoorSettings(
            int(lock["held_open_duration"]),
            str(lock["fail_mode"]),
            bool(lock["time_restriction_enabled"]),
        )

    def check_settings(self, lock_id: int, settings: DoorSettings) -> list[str]:
        """What is wrong with new settings, in sentences; empty when they can be saved."""
        problems = []
        if not 1 <= settings.held_open_seconds <= 3600:
            problems.append("Held-open time must be between 1 second and 1 hour (3600 seconds).")
        if settings.fail_mode not in ("secure", "safe"):
            problems.append("Choose fail-secure or fail-safe for the lock.")
        if settings.time_restriction and not self._has_allow_schedule(lock_id):
            problems.append(
                "Add an enabled “Allow” schedule to this door first (Schedules tab): with the "
                "time restriction on and no allowed hours, no one could open it."
            )
        return problems

    def save_settings(self, lock_id: int, settings: DoorSettings) -> list[str]:
        """Check and store a door's settings.

        Returns:
            What is wrong, in sentences (nothing was saved); empty when saved.

        Raises:
            ControllerError: the controller refused them (``explain`` words it).
        """
        problems = self.check_settings(lock_id, settings)
        if problems:
            return problems
        self.controller.site.update(
            LOCKS,
            lock_id,
            {
                "held_open_duration": settings.held_open_seconds,
                "fail_mode": settings.fail_mode,
                "time_restriction_enabled": settings.time_restriction,
            },
            APP_ACTOR,
        )
        return []

    def _has_allow_schedule(self, lock_id: int) -> bool:
        return any(
            s.enabled and s.consequence == "allow" and not s.override
            for s in self.controller.schedules.of("Lock", lock_id)
        )
