"""Door actions that reach the door controllers: pulse a door's relays, unlock from the app."""

from __future__ import annotations

import logging

from app.controller.registry import DeviceRegistry
from app.controller.store import Row, Store
from hardware.link import messages as m
from hardware.link.errors import LinkError

log = logging.getLogger("lintel.doors")


class DoorActions:
    """Sends relay commands to the door controllers wired to a lock."""

    def __init__(self, store: Store, registry: DeviceRegistry) -> None:
        self._store = store
        self._registry = registry

    def connections(self, lock_id: int) -> list[Row]:
        """The relays wired to a lock, with their controller's serial and the pulse duration."""
        return self._store.rows(
            "SELECT rc.duration, r.channel, c.serial, c.name FROM controller_relay_connections rc"
            " JOIN controller_relays r ON r.id = rc.relay_id"
            " JOIN controllers c ON c.id = r.controller_id WHERE rc.lock_id = ?",
            (lock_id,),
        )

    async def pulse_lock(self, lock_id: int) -> bool:
        """Pulse every relay of a lock for its duration.

        Returns:
            True if at least one relay was commanded (its controller is connected).
        """
        sent = False
        for conn in self.connections(lock_id):
            session = self._registry.session(str(conn["serial"]))
            if session is None:
                continue
            seconds = float(conn["duration"])
            try:
                await session.send(m.Pulse(int(conn["channel"]), seconds))
            except LinkError:
                log.warning("could not reach door controller %s", conn["serial"])
                continue
            self._registry.mark_unlocked(lock_id, seconds)
            sent = True
        return sent
