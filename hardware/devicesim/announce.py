"""The hook through which simulated devices announce themselves on the LAN (DNS-SD).

``hardware.discovery`` provides the real implementation; the simulator only knows this
protocol, so it never imports zeroconf itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from hardware.link.messages import DeviceKind


@dataclass(frozen=True)
class DeviceAnnouncement:
    """What a device tells the LAN about itself. Never carries its token or keys."""

    kind: DeviceKind
    serial: str
    model: str
    firmware: str
    mac: str
    host: str
    port: int


class Announcer(Protocol):
    """Announces and withdraws devices (e.g. as DNS-SD services)."""

    async def announce(self, info: DeviceAnnouncement) -> None:
        """Start announcing a device."""
        ...

    async def withdraw(self, serial: str) -> None:
        """Stop announcing the device with this serial."""
        ...
