"""Intrusion zones at run time: definitions in the store, live levels, siren and alarms."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from app.access import zones as z
from app.access.relays import Effect, Emit, NextTick, ReaderLed, SirenOff, SirenOn
from app.access.site import ZoneGuard
from app.controller.audit import AuditTrail, Event
from app.controller.clock import Clock
from app.controller.doors import DoorActions
from app.controller.errors import NotFound, ValidationFailed
from app.controller.site import SYSTEM, Actor
from app.controller.store import Store
from app.controller.zone_codec import parse_zone, zone_to_dict

log = logging.getLogger("lintel.zones")


def _invalid(exc: z.ZoneError) -> ValidationFailed:
    return ValidationFailed({exc.field: [exc.message]})


class ZoneKeeper:
    """Keeps every zone's level, feeds it door events, sounds the siren on the AUX relay."""

    def __init__(self, store: Store, doors: DoorActions, audit: AuditTrail, clock: Clock) -> None:
        self._store = store
        self._doors = doors
        self._audit = audit
        self._clock = clock
        self._zones: dict[int, z.Zone] = {}
        self._states: dict[int, z.ZoneState] = {}
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._listeners: list[Callable[[], None]] = []
        self._load()

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` when any zone's level changes (scheduled unlocks re-plan)."""
        self._listeners.append(listener)

    # --- definitions ---------------------------------------------------------------------------

    def _load(self) -> None:
        self._zones = {
            r["id"]: parse_zone(json.loads(r["definition"]), r["id"])
            for r in self._store.rows("SELECT * FROM zones")
        }

    def _zone_time(self, zone: z.Zone) -> ZoneInfo:
        row = self._store.row(
            "SELECT p.time_zone FROM controllers c JOIN places p ON p.id = c.place_id"
            " WHERE c.id = ?",
            (zone.controller_id,),
        )
        return ZoneInfo(row["time_zone"] if row else "UTC")

    def _validated(self, zone: z.Zone) -> None:
        if self._store.get("controllers", zone.controller_id) is None:
            raise ValidationFailed({"controller_id": ["does not exist"]})
        for door in zone.doors:
            if self._store.get("locks", door.lock_id) is None:
                raise ValidationFailed({"doors": [f"door {door.lock_id} does not exist"]})
        others = [other for zid, other in self._zones.items() if zid != zone.id]
        try:
            z.validate_zones([*others, zone])
        except z.ZoneError as exc:
            raise _invalid(exc) from None

    def present(self, zone_id: int) -> dict[str, Any]:
        """A zone with its live level and alarm.

        Raises:
            NotFound: no such zone.
        """
        zone = self._zones.get(zone_id)
        if zone is None:
            raise NotFound(f"Zone {zone_id} not found")
        state = self.state(zone_id)
        return {
            **zone_to_dict(zone),
            "resource_type": "Zone",
            "level": state.level,
            "alarm": state.alarm,
            "overridden_until": state.overridden_until.isoformat()
            if state.overridden_until
            else None,
        }

    def all(self) -> list[dict[str, Any]]:
        """Every zone, presented."""
        return [self.present(zone_id) for zone_id in sorted(self._zones)]

    def create(self, body: Any, actor: Actor = SYSTEM) -> dict[str, Any]:
        """Validate and store a zone (at most 4 per door controller, a door in one zone)."""
        try:
            zone = parse_zone(body)
        except z.ZoneError as exc:
            raise _invalid(exc) from None
        self._validated(zone)
        zone_id = self._store.insert(
            "zones",
            {
                "controller_id": zone.controller_id,
                "name": zone.name,
                "definition": json.dumps(zone_to_dict(zone)),
            },
        )
        self._zones[zone_id] = parse_zone(zone_to_dict(zone), zone_id)
        self._audit.record(
            Event(
                type="zone.create",
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type="Zone",
                object_id=zone_id,
                object_name=zone.name,
            )
        )
        self._start_zone(zone_id)
        return self.present(zone_id)

    def delete(self, zone_id: int) -> None:
        """Remove a zone; its siren stops."""
        if zone_id not in self._zones:
            raise NotFound(f"Zone {zone_id} not found")
        self._event(zone_id, z.SilenceSiren(self._clock()))
        self._store.delete("zones", zone_id)
        self._zones.pop(zone_id, None)
        self._states.pop(zone_id, None)
        if (timer := self._timers.pop(zone_id, None)) is not None:
            timer.cancel()
        self._changed()

    # --- live state ----------------------------------------------------------------------------

    def start(self) -> None:
        """Compute every zone's level now and start following the policies."""
        for zone_id in list(self._zones):
            self._start_zone(zone_id)

    def _start_zone(self, zone_id: int) -> None:
        zone = self._zones[zone_id]
        self._states[zone_id] = z.initial_zone_state(zone, self._clock(), self._zone_time(zone))
        self._event(zone_id, z.PolicyTick(self._clock()))

    def state(self, zone_id: int) -> z.ZoneState:
        """A zone's live state."""
        state = self._states.get(zone_id)
        if state is None:
            zone = self._zones[zone_id]
            state = z.initial_zone_state(zone, self._clock(), self._zone_time(zone))
            self._states[zone_id] = state
        return state

    def door_zone(self, lock_id: int) -> tuple[z.Zone, z.ZoneDoor] | None:
        """The zone a door belongs to, with the door's entry."""
        for zone in self._zones.values():
            door = zone.door(lock_id)
            if door is not None:
                return zone, door
        return None

    def guard(self, lock_id: int) -> ZoneGuard | None:
        """How a door's zone guards it now, for decisions."""
        found = self.door_zone(lock_id)
        if found is None:
            return None
        zone, door = found
        return ZoneGuard(
            armed=z.armed_for(self.state(zone.id).level, door.exterior),
            override_user_ids=zone.override_user_ids,
            members_can_override=zone.members_can_override,
        )

    def scheduled_unlock_allowed(self, lock_id: int) -> bool:
        """Disarmed zones let their doors unlock on schedule; stay/away keep exterior doors shut."""
        found = self.door_zone(lock_id)
        if found is None:
            return True
        zone, door = found
        return z.scheduled_unlocks_allowed(self.state(zone.id).level, door.exterior)

    def granted(self, lock_id: int, user_id: int | None, can_override: bool) -> None:
        """A granted unlock at a door (a member allowed to may disarm the zone)."""
        found = self.door_zone(lock_id)
        if found is not None and (user_id is not None or can_override):
            # An administrator's own login has no member behind it; it may still override.
            event = z.GrantedUnlock(self._clock(), lock_id, user_id or 0, can_override)
            self._event(found[0].id, event)

    def door_opened(self, lock_id: int, authorized: bool) -> None:
        """A door opened (``authorized`` False when forced)."""
        found = self.door_zone(lock_id)
        if found is not None:
            self._event(found[0].id, z.DoorOpened(self._clock(), lock_id, authorized))

    def reader_tampered(self, lock_id: int) -> None:
        """A reader of the door was removed from the wall."""
        found = self.door_zone(lock_id)
        if found is not None:
            self._event(found[0].id, z.ReaderTampered(self._clock(), lock_id))

    def disarm(self, zone_id: int, user_id: int) -> None:
        """Disarm by hand until the policy next changes, and silence the siren."""
        self.present(zone_id)
        self._event(zone_id, z.Disarm(self._clock(), user_id))

    def silence(self, zone_id: int) -> None:
        """Stop the siren; the level stays."""
        self.present(zone_id)
        self._event(zone_id, z.SilenceSiren(self._clock()))

    def _event(self, zone_id: int, event: z.ZoneEvent) -> None:
        zone = self._zones.get(zone_id)
        if zone is None:
            return
        before = self.state(zone_id)
        state, effects = z.zone_step(zone, before, event, self._zone_time(zone))
        self._states[zone_id] = state
        self._spawn(self._apply(zone, effects))
        if state.level != before.level:
            self._changed()

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    async def _apply(self, zone: z.Zone, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, Emit):
                lock = self._store.get("locks", effect.lock_id) if effect.lock_id else None
                self._audit.record(
                    Event(
                        type=effect.event_type.value,
                        success=effect.success,
                        message=effect.message,
                        object_type="Zone",
                        object_id=zone.id,
                        object_name=zone.name,
                        actor_type="User" if effect.user_id else None,
                        actor_id=effect.user_id,
                        place_id=lock["place_id"] if lock else None,
                    )
                )
            elif isinstance(effect, SirenOn | SirenOff):
                await self._doors.set_aux(effect.controller_id, isinstance(effect, SirenOn))
            elif isinstance(effect, ReaderLed) and effect.lock_id is not None:
                await self._doors.show_led(effect.lock_id, effect.state, effect.seconds)
            elif isinstance(effect, NextTick):
                self._tick_at(zone.id, (effect.at - self._clock()).total_seconds())

    def _tick_at(self, zone_id: int, delay: float) -> None:
        if (old := self._timers.pop(zone_id, None)) is not None:
            old.cancel()
        loop = asyncio.get_running_loop()
        self._timers[zone_id] = loop.call_later(
            max(0.0, delay), lambda: self._event(zone_id, z.PolicyTick(self._clock()))
        )

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def tick_all(self) -> None:
        """Let the policies catch up with the clock (tests move time by hand)."""
        for zone_id in list(self._zones):
            self._event(zone_id, z.PolicyTick(self._clock()))

    async def settle(self) -> None:
        """Wait until the effects of past events were carried out."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def close(self) -> None:
        """Cancel timers and pending work (idempotent)."""
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        for task in list(self._tasks):
            task.cancel()
