"""Live devices: who is connected right now, who waits for adoption, and what they show."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from hardware.link.hub import PeerInfo
from hardware.link.session import DeviceSession


@dataclass(frozen=True)
class LiveDevice:
    """A device that reached the device server, as the installer sees it."""

    kind: str  # "reader" | "door_controller"
    serial: str
    model: str
    firmware: str
    mac: str
    host: str
    connected: bool
    adopted: bool
    name: str | None = None
    led: str | None = None
    record_id: int | None = None  # readers.id or controllers.id once adopted


Listener = Callable[[LiveDevice], None]


class DeviceRegistry:
    """Sessions by serial, plus the last known state of every device seen since start."""

    def __init__(self) -> None:
        self._sessions: dict[str, DeviceSession] = {}
        self._devices: dict[str, LiveDevice] = {}
        self._listeners: list[Listener] = []
        self._unlocked_until: dict[int, float] = {}

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` whenever a device changes; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _changed(self, device: LiveDevice) -> None:
        self._devices[device.serial] = device
        for listener in list(self._listeners):
            listener(device)

    def connected(
        self, session: DeviceSession, adopted: bool, name: str | None, record_id: int | None
    ) -> DeviceSession | None:
        """Record a new session; returns the older session of the same serial, if any."""
        peer = session.peer
        older = self._sessions.get(peer.serial)
        self._sessions[peer.serial] = session
        previous = self._devices.get(peer.serial)
        self._changed(
            LiveDevice(
                kind=str(peer.kind),
                serial=peer.serial,
                model=peer.model,
                firmware=peer.firmware,
                mac=peer.mac,
                host=peer.host,
                connected=True,
                adopted=adopted,
                name=name,
                led=previous.led if previous else None,
                record_id=record_id,
            )
        )
        return older if older is not session else None

    def disconnected(self, session: DeviceSession) -> None:
        """Forget a session that ended (unless a newer one replaced it)."""
        serial = session.peer.serial
        if self._sessions.get(serial) is session:
            del self._sessions[serial]
            device = self._devices.get(serial)
            if device is not None:
                self._changed(replace(device, connected=False))

    def update(self, serial: str, **changes: object) -> None:
        """Change fields of a known device (adopted, name, led, record_id)."""
        device = self._devices.get(serial)
        if device is not None:
            self._changed(replace(device, **changes))  # type: ignore[arg-type]

    def forget(self, serial: str) -> None:
        """Drop a device that is no longer connected nor adopted."""
        self._devices.pop(serial, None)

    def session(self, serial: str) -> DeviceSession | None:
        """The open session of a device, if connected."""
        found = self._sessions.get(serial)
        return found if found is not None and not found.closed else None

    def pending(self, kind: str) -> list[PeerInfo]:
        """Peers of connected devices of ``kind`` that are not adopted yet."""
        return [
            s.peer
            for serial, s in self._sessions.items()
            if str(s.peer.kind) == kind and not self._devices[serial].adopted and not s.closed
        ]

    def devices(self) -> list[LiveDevice]:
        """Every device seen since start, connected or not."""
        return sorted(self._devices.values(), key=lambda d: (d.kind, d.serial))

    def device(self, serial: str) -> LiveDevice | None:
        """One device by serial."""
        return self._devices.get(serial)

    # --- LiveView for presenters ---------------------------------------------------------------

    def is_online(self, serial: str) -> bool:
        """Whether the device has an open session."""
        return self.session(serial) is not None

    def mark_unlocked(self, lock_id: int, seconds: float) -> None:
        """Remember that a lock's relay is energized for ``seconds``."""
        self._unlocked_until[lock_id] = time.monotonic() + seconds

    def lock_unlocked(self, lock_id: int) -> bool:
        """Whether a lock's relay is energized now."""
        return self._unlocked_until.get(lock_id, 0.0) > time.monotonic()
