"""Lock a door or a whole place down, and lift it: one path for the REST API and the app."""

from __future__ import annotations

from app.controller.audit import AuditTrail, Event
from app.controller.door_monitor import DoorMonitor
from app.controller.resources import LOCKS, ResourceSpec
from app.controller.scheduled_unlocks import ScheduledUnlocks
from app.controller.site import SYSTEM, Actor, SiteService


class Lockdowns:
    """Lockdown overrides schedules and every credential but an administrator's."""

    def __init__(
        self,
        site: SiteService,
        monitor: DoorMonitor,
        scheduled_unlocks: ScheduledUnlocks,
        audit: AuditTrail,
    ) -> None:
        self._site = site
        self._monitor = monitor
        self._scheduled = scheduled_unlocks
        self._audit = audit

    async def set(self, spec: ResourceSpec, row_id: int, on: bool, actor: Actor = SYSTEM) -> None:
        """Lock a door (``LOCKS``) or a place (``PLACES``) down, or cancel it, and record it.

        Raises:
            NotFound: no such door or place.
        """
        store = self._site.store
        row = self._site.row(spec, row_id)
        store.update(
            spec.table,
            row_id,
            {
                "locked_down": int(on),
                "locked_down_since": store.now() if on else None,
            },
        )
        self._audit.record(
            Event(
                type=f"{spec.root}.{'lock_down' if on else 'cancel_lockdown'}",
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type=spec.resource_type,
                object_id=row_id,
                object_name=row["name"],
                place_id=row["place_id"] if spec is LOCKS else row_id,
            )
        )
        locks = (
            [row_id]
            if spec is LOCKS
            else [
                int(r["id"])
                for r in store.rows("SELECT id FROM locks WHERE place_id = ?", (row_id,))
            ]
        )
        for lock_id in locks:
            await self._monitor.lockdown(lock_id, on)
        self._scheduled.poke()  # a lockdown releases held doors at once
