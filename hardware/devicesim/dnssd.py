"""Announce simulated devices with DNS-SD through ``hardware.discovery``, on one interface."""

from __future__ import annotations

from types import TracebackType

from hardware.devicesim.announce import DeviceAnnouncement
from hardware.discovery import AnnouncedDevice, DeviceAnnouncer


class DnsSdAnnouncer:
    """The simulator's ``Announcer`` backed by a zeroconf responder bound to ``interface``."""

    def __init__(self, interface: str) -> None:
        """Prepare an announcer; nothing is sent until ``async_start``.

        Args:
            interface: Interface name or IPv4 address (tests and demos use loopback).
        """
        self._announcer = DeviceAnnouncer(interface)

    async def async_start(self) -> None:
        """Open the responder on the interface."""
        await self._announcer.async_start()

    async def announce(self, info: DeviceAnnouncement) -> None:
        """Publish a device as pending (it waits for an installer to adopt it)."""
        await self._announcer.announce(
            AnnouncedDevice(
                kind=info.kind.value,
                serial=info.serial,
                name=info.serial,
                port=info.port,
                mac=info.mac,
                model=info.model,
                firmware=info.firmware,
                state="pending",
                host=info.host,
            )
        )

    async def withdraw(self, serial: str) -> None:
        """Say goodbye for a device."""
        await self._announcer.withdraw(serial)

    async def async_close(self) -> None:
        """Withdraw everything and close (idempotent)."""
        await self._announcer.async_close()

    async def __aenter__(self) -> DnsSdAnnouncer:
        await self.async_start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.async_close()
