"""Hold doors unlocked while their unlock schedules run, and after the first to arrive.

One task sleeps until the next schedule edge (or until poked by a change), then holds or
releases each door's relays and writes ``lock.scheduled_unlock_started`` / ``_ended``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from app.access.schedules import (
    Consequence,
    effective_active,
    effective_windows,
    next_change,
)
from app.controller.audit import AuditTrail, Event
from app.controller.clock import Clock
from app.controller.door_monitor import DoorMonitor
from app.controller.doors import DoorActions
from app.controller.schedule_store import ScheduleStore
from app.controller.store import Store

log = logging.getLogger("lintel.schedules")
MAX_SLEEP = 3600.0
EPSILON = timedelta(microseconds=1)
YIELD_EVERY = 50


class ScheduledUnlocks:
    """Keeps each door's hold in step with its ``unlock`` and ``first_to_arrive`` schedules."""

    def __init__(
        self,
        store: Store,
        schedules: ScheduleStore,
        doors: DoorActions,
        monitor: DoorMonitor,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._monitor = monitor
        self._store = store
        self._schedules = schedules
        self._doors = doors
        self._audit = audit
        self._clock = clock
        self._arrived: dict[int, datetime] = {}  # lock -> end of the window someone opened
        self._holding: set[int] = set()  # doors this planner holds (the relay may lag)
        # Each planned door's next schedule edge, so a timer wakes only the doors it is for.
        self._edges: dict[int, datetime | None] = {}
        self._generation = -1  # the site model's generation the edges were planned at
        # Whether a door's zone lets it unlock on schedule now (armed zones keep exterior
        # doors shut); every door may when no zones are set up.
        self.allowed_by_zone: Callable[[int], bool] = lambda _lock_id: True
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._reassert = False
        schedules.subscribe(self.poke)

    def start(self) -> None:
        """Start planning (on the running loop)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="scheduled-unlocks")

    async def stop(self) -> None:
        """Stop planning; holds stay as they are on the devices (idempotent)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def poke(self, reassert: bool = False) -> None:
        """Re-plan now (schedules, lockdown or devices changed)."""
        self._reassert |= reassert
        self._wake.set()

    def is_held(self, lock_id: int) -> bool:
        """Whether a door is on a scheduled unlock now."""
        return lock_id in self._doors.held

    def granted(self, lock_id: int) -> bool:
        """A granted unlock at a door: the first one in a first-to-arrive window starts it.

        Returns:
            True if a first-to-arrive window is running at the door now.
        """
        now = self._clock()
        zone = self._schedules.zone_of("Lock", lock_id)
        # Every grant asks; the cached answer keeps doors without such a window cheap.
        if not self._schedules.active("Lock", lock_id, Consequence.FIRST_TO_ARRIVE, zone, now):
            return False
        schedules = self._schedules.of("Lock", lock_id)
        for window in effective_windows(
            schedules, Consequence.FIRST_TO_ARRIVE, now, now + EPSILON, zone
        ):
            if self._arrived.get(lock_id) != window.end:
                self._arrived[lock_id] = window.end
                self.poke()
            return True
        return False

    async def _run(self) -> None:
        poked = True
        while True:
            # Cleared before planning: a poke while a pass is under way (it yields to let
            # decisions through) wakes the next pass at once, and that pass looks at every door.
            poked = poked or self._wake.is_set()
            self._wake.clear()
            try:
                until = await self.evaluate(only_due=not poked)
            except Exception:  # a bad row must not stop every other door's schedule
                log.exception("planning scheduled unlocks failed")
                until = None
            delay = MAX_SLEEP
            if until is not None:
                delay = min(MAX_SLEEP, max(0.0, (until - self._clock()).total_seconds()))
            poked = False
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow the cancel that stop()
            # sends when the wake-up and the cancel land in the same loop turn.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()
                    poked = True

    async def evaluate(self, only_due: bool = False) -> datetime | None:
        """Hold or release every door as its schedules say now; returns the next edge.

        Args:
            only_due: Look only at doors whose next edge has come (a timer woke the planner);
                otherwise (something changed) at every door with unlock schedules.
        """
        now = self._clock()
        reassert, self._reassert = self._reassert, False
        # An edit anywhere in the site (a place's time zone, say) may move any door's edges.
        only_due = only_due and not reassert and self._generation == self._store.generation
        self._generation = self._store.generation
        planned = set(self._schedules.locks_with("unlock", "first_to_arrive")) | self._holding
        for gone in self._edges.keys() - planned:
            del self._edges[gone]
        for count, lock_id in enumerate(sorted(planned)):
            if only_due and lock_id in self._edges:
                edge = self._edges[lock_id]
                if edge is None or edge > now:
                    continue
            if count % YIELD_EVERY == YIELD_EVERY - 1:
                # A big site has a thousand doors to plan: let decisions through meanwhile.
                await asyncio.sleep(0)
            want, self._edges[lock_id] = self._wanted(lock_id, now)
            held = lock_id in self._holding
            if want != held:
                if want:
                    self._holding.add(lock_id)
                else:
                    self._holding.discard(lock_id)
                await self._monitor.hold(lock_id, want)
                self._record(lock_id, want)
            elif want and reassert:
                await self._monitor.hold(lock_id, True)
        return min((e for e in self._edges.values() if e is not None), default=None)

    def _wanted(self, lock_id: int, now: datetime) -> tuple[bool, datetime | None]:
        lock = self._store.get("locks", lock_id)
        if lock is None:
            return False, None
        place = self._store.get("places", lock["place_id"]) or {}
        if lock["locked_down"] or place.get("locked_down"):
            return False, None  # a lockdown overrides every schedule
        zone = str(place.get("time_zone") or "UTC")
        schedules = self._schedules.of("Lock", lock_id)
        if not self.allowed_by_zone(lock_id):
            return False, next_change(schedules, now, zone)
        want = effective_active(schedules, Consequence.UNLOCK, now, zone)
        arrived = self._arrived.get(lock_id)
        if not want and arrived is not None:
            if arrived > now and effective_active(
                schedules, Consequence.FIRST_TO_ARRIVE, now, zone
            ):
                want = True
            elif arrived <= now:
                del self._arrived[lock_id]
        return want, next_change(schedules, now, zone)

    def _record(self, lock_id: int, started: bool) -> None:
        lock = self._store.get("locks", lock_id) or {}
        self._audit.record(
            Event(
                type=f"lock.scheduled_unlock_{'started' if started else 'ended'}",
                object_type="Lock",
                object_id=lock_id,
                object_name=lock.get("name"),
                place_id=lock.get("place_id"),
                via="schedule",
            )
        )
        log.info(
            "door %s %s its scheduled unlock", lock.get("name"), "started" if started else "ended"
        )
