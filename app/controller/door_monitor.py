"""Drive each door's monitoring reducer from inputs, grants, holds and time; apply its effects.

Input wiring comes from ``controller_inputs``: a ``contact_sensor`` input reports the door
open or closed; a ``request_to_exit`` input that goes ``open`` is a press (the button opens
the circuit); ``cut`` and ``short`` on any wired input are end-of-line supervision faults.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from app.access import doorstate as ds
from app.access.relays import (
    Effect,
    Emit,
    EnergizeRelay,
    EventType,
    NextTick,
    PulseRelay,
    ReaderLed,
)
from app.controller.audit import AuditTrail, Event
from app.controller.clock import Clock
from app.controller.doors import DoorActions
from app.controller.store import Memo, Row, Store

log = logging.getLogger("lintel.doors.monitor")


class DoorMonitor:
    """One ``DoorState`` per door, fed by the device server and the decision path."""

    def __init__(self, store: Store, doors: DoorActions, audit: AuditTrail, clock: Clock) -> None:
        self._store = store
        self._doors = doors
        self._audit = audit
        self._clock = clock
        self._states: dict[int, ds.DoorState] = {}
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._memo = Memo(store)
        # Told of every opening: (lock id, authorized). Zones watch for forced ones.
        self.on_opened: Callable[[int, bool], None] | None = None

    # --- what the controller tells us ----------------------------------------------------------

    async def input_changed(self, controller_id: int, channel: int, state: str) -> None:
        """A door controller input changed; feed the door it is wired to."""
        row = self._store.row(
            "SELECT * FROM controller_inputs WHERE controller_id = ? AND channel = ?",
            (controller_id, channel),
        )
        if row is None or row["lock_id"] is None or row["type"] == "unused":
            return
        at = self._clock()
        lock_id = int(row["lock_id"])
        if state in ("cut", "short"):
            await self.feed(lock_id, ds.SupervisionChanged(at, state))  # type: ignore[arg-type]
            return
        await self.feed(lock_id, ds.SupervisionChanged(at, "ok"))
        if row["type"] == "contact_sensor":
            await self.feed(lock_id, ds.ContactChanged(at, state == "open"))
        elif row["type"] == "request_to_exit" and state == "open":
            await self.feed(lock_id, ds.RexPressed(at))

    async def granted(self, lock_id: int, seconds: float) -> None:
        """A grant pulsed the door: opening it now is not forced."""
        await self.feed(lock_id, ds.Granted(self._clock(), seconds), apply_relays=False)

    async def hold(self, lock_id: int, on: bool) -> None:
        """A schedule holds the door unlocked (``on``) or lets it lock again."""
        await self.feed(lock_id, ds.HoldUnlocked(self._clock(), on))

    async def lockdown(self, lock_id: int, on: bool) -> None:
        """The door (or its place) was locked down or released."""
        await self.feed(lock_id, ds.LockDown(self._clock(), on))

    async def restarted(self, lock_id: int) -> None:
        """The door's controller came back (restart or power): reset what did not survive."""
        lock = self._store.get("locks", lock_id)
        state = self._states.get(lock_id)
        if lock is None or state is None:
            return
        state, effects = ds.after_restart(self._config(lock), state)
        self._states[lock_id] = state
        await self._apply(lock, effects, apply_relays=True)

    async def tick(self, lock_id: int) -> None:
        """Let time pass for a door (held-open deadlines)."""
        await self.feed(lock_id, ds.Tick(self._clock()))

    def state(self, lock_id: int) -> ds.DoorState | None:
        """What is known of a door."""
        return self._states.get(lock_id)

    # --- the reducer ---------------------------------------------------------------------------

    def _config(self, lock: Row) -> ds.DoorConfig:
        return self._memo.get(("config", lock["id"]), lambda: self._read_config(lock))

    def _read_config(self, lock: Row) -> ds.DoorConfig:
        wiring = self._store.rows(
            "SELECT type FROM controller_inputs WHERE lock_id = ?", (lock["id"],)
        )
        kinds = {r["type"] for r in wiring}
        duration = self._store.scalar(
            "SELECT max(duration) FROM controller_relay_connections WHERE lock_id = ?",
            (lock["id"],),
        )
        return ds.DoorConfig(
            lock_id=lock["id"],
            held_open_seconds=float(lock["held_open_duration"]),
            has_contact="contact_sensor" in kinds,
            has_rex="request_to_exit" in kinds,
            fail_mode="safe" if lock["fail_mode"] == "safe" else "secure",
            supervised=bool(kinds - {"unused"}),
            unlock_seconds=float(duration or 5.0),
        )

    async def feed(self, lock_id: int, event: ds.DoorEvent, apply_relays: bool = True) -> None:
        """Apply one event to a door and carry out what it says."""
        lock = self._memo.get(("lock", lock_id), lambda: self._store.get("locks", lock_id))
        if lock is None:
            return
        state = self._states.get(lock_id) or ds.DoorState(
            open=False,
            unlocked_until=None,
            held_unlocked=False,
            locked_down=bool(lock["locked_down"]),
            held_open_alarm=False,
            forced_open=False,
            opened_at=None,
            supervision="ok",
        )
        state, effects = ds.step(self._config(lock), state, event)
        self._states[lock_id] = state
        await self._apply(lock, effects, apply_relays)

    async def _apply(self, lock: Row, effects: list[Effect], apply_relays: bool) -> None:
        lock_id = int(lock["id"])
        ticked = False
        for effect in effects:
            if isinstance(effect, Emit):
                self._audit.record(
                    Event(
                        type=effect.event_type.value,
                        success=effect.success,
                        message=effect.message,
                        object_type="Lock",
                        object_id=lock_id,
                        object_name=lock["name"],
                        place_id=lock["place_id"],
                        via=effect.via or "door",
                    )
                )
            elif isinstance(effect, PulseRelay) and apply_relays:
                await self._doors.pulse_lock(lock_id, effect.seconds)
            elif isinstance(effect, EnergizeRelay):
                await self._doors.hold(lock_id, effect.on)
            elif isinstance(effect, ReaderLed):
                await self._doors.show_led(lock_id, effect.state, effect.seconds)
            elif isinstance(effect, NextTick):
                ticked = True
                self._schedule_tick(lock_id, effect.at)
        if not ticked and (timer := self._timers.pop(lock_id, None)) is not None:
            timer.cancel()
        kinds = {e.event_type for e in effects if isinstance(e, Emit)}
        if EventType.LOCK_OPENED in kinds and self.on_opened is not None:
            self.on_opened(lock_id, EventType.LOCK_FORCED_OPEN not in kinds)

    def _schedule_tick(self, lock_id: int, at: datetime) -> None:
        if (old := self._timers.pop(lock_id, None)) is not None:
            old.cancel()
        delay = max(0.0, (at - self._clock()).total_seconds())
        loop = asyncio.get_running_loop()
        self._timers[lock_id] = loop.call_later(delay, self._spawn_tick, lock_id)

    def _spawn_tick(self, lock_id: int) -> None:
        self._timers.pop(lock_id, None)
        task = asyncio.get_running_loop().create_task(self.tick(lock_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def close(self) -> None:
        """Cancel pending ticks (idempotent)."""
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        for task in list(self._tasks):
            task.cancel()
