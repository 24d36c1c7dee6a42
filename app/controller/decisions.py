"""Every access decision goes through here: decide, open the door, write the audit trail.

The audit record is committed before the answer leaves, so nothing a device or a client was
told is missing from the trail after a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.access.codes import DenialCode
from app.access.credentials import Presentation
from app.access.decide import Decision, UnlockRequest, decide, decide_unlock
from app.access.restrictions import Method
from app.access.site import SiteState
from app.controller.audit import AuditTrail, Event
from app.controller.clock import Clock
from app.controller.door_monitor import DoorMonitor
from app.controller.doors import DoorActions

OFFLINE = "The door controller is offline, so the door could not be opened"


class Decisions:
    """Decides reader presentations and app/link unlocks, and opens doors that are granted."""

    def __init__(
        self,
        site: SiteState,
        doors: DoorActions,
        audit: AuditTrail,
        clock: Clock,
        monitor: DoorMonitor | None = None,
        on_granted: Callable[[Decision], object] | None = None,
    ) -> None:
        self._monitor = monitor
        self._site = site
        self._doors = doors
        self._audit = audit
        self._clock = clock
        self._on_granted = on_granted

    async def at_reader(self, reader_id: int, presentation: Presentation) -> Decision:
        """A credential presented at a reader."""
        decision = decide(presentation, reader_id, self._site, self._clock())
        return await self._carry_out(decision)

    async def unlock(self, request: UnlockRequest, lock_id: int) -> Decision:
        """An unlock from the app or through an access link."""
        decision = decide_unlock(request, lock_id, self._site, self._clock())
        return await self._carry_out(decision)

    async def _carry_out(self, decision: Decision) -> Decision:
        lock_id = decision.lock_id
        if decision.granted and lock_id is not None:
            if not self._doors.connections(lock_id):
                decision = _refused(decision, "The door has no door controller relay connected")
            elif not self._doors.reachable(lock_id):
                decision = _refused(decision, OFFLINE)
        # The trail first: a door opens only for a decision already on disk.
        await self._audit.record_durably(decision_event(decision))
        if decision.granted and lock_id is not None:
            await self._doors.pulse_lock(lock_id)
            if self._monitor is not None:
                await self._monitor.granted(lock_id, self._doors.unlock_seconds(lock_id))
            if self._on_granted is not None:
                self._on_granted(decision)
        return decision


def _refused(decision: Decision, message: str) -> Decision:
    return replace(decision, granted=False, code=DenialCode.DOOR_HAS_NO_CONTROLLER, message=message)


def decision_event(decision: Decision) -> Event:
    """The audit record of an access decision."""
    user = decision.user
    actor: tuple[str | None, int | None, str | None, str | None]
    authenticated: tuple[str | None, int | None]
    if decision.link_id is not None:
        actor = ("GroupLink", decision.link_id, None, None)
        authenticated = ("GroupLink", decision.link_id)
    else:
        actor = ("User", user.id, user.name, user.email) if user else (None, None, None, None)
        authenticated = (
            ("Card", decision.card.id)
            if decision.card
            else ("Login", None)
            if decision.method is Method.APP
            else (None, None)
        )
    code = decision.code.value if decision.code else None
    return Event(
        type="lock.unlock",
        success=decision.granted,
        message=decision.message,
        actor_type=actor[0],
        actor_id=actor[1],
        actor_name=actor[2],
        actor_email=actor[3],
        authenticated_by_type=authenticated[0],
        authenticated_by_id=authenticated[1],
        authorized_by_type="RoleAssignment" if decision.role_assignment_id else None,
        authorized_by_id=decision.role_assignment_id,
        authorized_by_role_id=decision.role_id,
        object_type="Lock" if decision.lock_id else "Reader",
        object_id=decision.lock_id if decision.lock_id else decision.reader_id,
        object_name=decision.lock_name,
        code=code,
        error_code=code,
        error_message=None if decision.granted else decision.message,
        place_id=decision.place_id,
        via=decision.method.value,
        reader_id=decision.reader_id,
    )
