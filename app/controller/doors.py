"""Door actions that reach the door controllers: pulse a door's relays, unlock from the app."""

from __future__ import annotations

import logging

from app.controller.registry import DeviceRegistry
from app.controller.store import Memo, Row, Store
from hardware.link import messages as m
from hardware.link.errors import LinkError

log = logging.getLogger("lintel.doors")
AUX_CHANNEL = 5


class DoorActions:
    """Sends relay commands to the door controllers wired to a lock."""

    def __init__(self, store: Store, registry: DeviceRegistry) -> None:
        self._store = store
        self._registry = registry
        self.held: set[int] = set()  # locks held unlocked (scheduled unlock, first to arrive)
        self._memo = Memo(store)

    # --- what the presenters show (LiveView) ----------------------------------------------------

    def is_online(self, serial: str) -> bool:
        """Whether a device has a live link."""
        return self._registry.is_online(serial)

    def lock_unlocked(self, lock_id: int) -> bool:
        """Whether a lock's relay is energized by a recent pulse."""
        return self._registry.lock_unlocked(lock_id)

    def lock_held(self, lock_id: int) -> bool:
        """Whether a lock is held unlocked by a schedule."""
        return lock_id in self.held

    def connections(self, lock_id: int) -> list[Row]:
        """The relays wired to a lock, with their controller's serial and the pulse duration."""
        return self._memo.get(("connections", lock_id), lambda: self._connections(lock_id))

    def _connections(self, lock_id: int) -> list[Row]:
        return self._store.rows(
            "SELECT rc.duration, r.channel, c.serial, c.name FROM controller_relay_connections rc"
            " JOIN controller_relays r ON r.id = rc.relay_id"
            " JOIN controllers c ON c.id = r.controller_id WHERE rc.lock_id = ?",
            (lock_id,),
        )

    async def pulse_lock(self, lock_id: int, seconds: float | None = None) -> bool:
        """Pulse every relay of a lock for its duration.

        A door held unlocked is left alone: a pulse would end the hold when it releases.

        Returns:
            True if the door is open to walk through (a relay was commanded, or it is held).
        """
        if lock_id in self.held:
            return True
        sent = False
        for conn in self.connections(lock_id):
            duration = float(conn["duration"]) if seconds is None else seconds
            if await self._send(conn, m.Pulse(int(conn["channel"]), duration)):
                self._registry.mark_unlocked(lock_id, duration)
                sent = True
        return sent

    def reachable(self, lock_id: int) -> bool:
        """Whether the door opens now: it is held unlocked or a controller of it is online."""
        return lock_id in self.held or any(
            self._registry.is_online(str(c["serial"])) for c in self.connections(lock_id)
        )

    def unlock_seconds(self, lock_id: int) -> float:
        """How long a grant unlocks the door (its longest relay pulse)."""
        return max((float(c["duration"]) for c in self.connections(lock_id)), default=5.0)

    async def show_led(self, lock_id: int, state: str, seconds: float | None) -> None:
        """Show an LED state on every connected reader of a door."""
        rows = self._store.rows("SELECT serial FROM readers WHERE lock_id = ?", (lock_id,))
        for row in rows:
            session = self._registry.session(str(row["serial"]))
            if session is None:
                continue
            try:
                await session.send(m.SetLed(m.LedState(state), seconds))
            except (LinkError, ValueError):
                log.warning("could not set the LED of reader %s", row["serial"])

    async def hold(self, lock_id: int, on: bool) -> bool:
        """Hold a lock's relays energized (unlocked) or release them.

        Returns:
            True if at least one relay was commanded.
        """
        if on:
            self.held.add(lock_id)
        else:
            self.held.discard(lock_id)
        sent = False
        for conn in self.connections(lock_id):
            sent |= await self._send(conn, m.Energize(int(conn["channel"]), on))
        return sent

    async def set_aux(self, controller_id: int, on: bool) -> bool:
        """Energize (siren on) or release a door controller's AUX relay."""
        row = self._store.row("SELECT serial FROM controllers WHERE id = ?", (controller_id,))
        if row is None:
            return False
        return await self._send(row, m.Energize(AUX_CHANNEL, on))

    async def _send(self, conn: Row, msg: m.Pulse | m.Energize) -> bool:
        session = self._registry.session(str(conn["serial"]))
        if session is None:
            return False
        try:
            await session.send(msg)
        except LinkError:
            log.warning("could not reach door controller %s", conn["serial"])
            return False
        return True
