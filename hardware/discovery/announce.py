"""Announce devices over DNS-SD on one network interface (used by devices and their twins)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from types import TracebackType
from typing import Self

from zeroconf import NonUniqueNameException, ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

from hardware.discovery.errors import (
    DeviceConflictError,
    DiscoveryClosedError,
    UnknownDeviceError,
)
from hardware.discovery.interfaces import resolve_interface
from hardware.discovery.mdns import async_open_mdns
from hardware.discovery.models import SERVICE_TYPE, AnnouncedDevice
from hardware.discovery.records import encode_properties, server_name, service_name

_LOGGER = logging.getLogger(__name__)


class DeviceAnnouncer:
    """Publishes devices as ``_lintel-device._tcp`` services on one interface.

    One zeroconf instance per announcer, bound to the interface's IPv4 address.
    All methods run on the asyncio loop.

    Example:
        >>> async with DeviceAnnouncer("lo") as announcer:  # doctest: +SKIP
        ...     await announcer.announce(device)
        ...     await announcer.update(dataclasses.replace(device, state="adopted"))
        ...     await announcer.withdraw(device.serial)
    """

    def __init__(self, interface: str) -> None:
        """Create an announcer; nothing is opened until :meth:`async_start`.

        Args:
            interface: Interface name (``"lo"``, ``"eth0"``) or one of its IPv4 addresses.
        """
        self._interface = interface
        self._address: str | None = None
        self._aiozc: AsyncZeroconf | None = None
        self._closed = False
        self._devices: dict[str, AnnouncedDevice] = {}
        self._infos: dict[str, ServiceInfo] = {}
        self._broadcasts: dict[str, asyncio.Future[object]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._revision = 0

    @property
    def address(self) -> str | None:
        """The IPv4 address the announcer is bound to, once started."""
        return self._address

    async def __aenter__(self) -> Self:
        await self.async_start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.async_close()

    async def async_start(self) -> None:
        """Resolve the interface and open the mDNS responder (no-op when already started).

        Raises:
            InterfaceError: The interface setting is unusable.
            DiscoveryClosedError: The announcer was closed.
        """
        if self._closed:
            raise DiscoveryClosedError("The device announcer is closed.")
        if self._aiozc is None:
            address = resolve_interface(self._interface)
            self._aiozc = await async_open_mdns(address)
            self._address = address

    def announced(self) -> list[AnnouncedDevice]:
        """Return the devices currently announced, by serial number."""
        return [self._devices[serial] for serial in sorted(self._devices)]

    async def announce(self, device: AnnouncedDevice) -> None:
        """Probe for the device's name, then announce it.

        Returns after probing (about a second); the announcements themselves
        continue in the background.

        Args:
            device: The device to publish.

        Raises:
            DeviceConflictError: The serial is already announced here, or another
                responder on the network owns the same service name.
            DiscoveryClosedError: The announcer is not started or is closed.
        """
        async with self._lock(device.serial):
            if device.serial in self._devices:
                raise DeviceConflictError(
                    device.serial, f"Device {device.serial} is already announced; use update()."
                )
            await self._register(device)

    async def update(self, device: AnnouncedDevice) -> None:
        """Replace the published records of an announced device (same serial).

        A changed name re-registers the service under its new name (the old one
        is withdrawn first); other changes are re-announced in place.

        Args:
            device: The device's new description.

        Raises:
            UnknownDeviceError: No device with this serial is announced.
            DeviceConflictError: The new name is taken on the network (the device is
                then no longer announced).
            DiscoveryClosedError: The announcer is not started or is closed.
        """
        async with self._lock(device.serial):
            old = self._devices.get(device.serial)
            if old is None:
                raise UnknownDeviceError(device.serial)
            if old == device:
                return
            if service_name(old) != service_name(device):
                await self._unregister(device.serial)
                await self._register(device)
                return
            aiozc = self._require()
            info = self._service_info(device)
            self._cancel_broadcast(device.serial)
            self._broadcasts[device.serial] = _future(await aiozc.async_update_service(info))
            self._infos[device.serial] = info
            self._devices[device.serial] = device

    async def withdraw(self, serial: str) -> None:
        """Send goodbyes for a device and stop announcing it.

        Returns once the goodbye packets are sent.

        Args:
            serial: Serial number of an announced device.

        Raises:
            UnknownDeviceError: No device with this serial is announced.
            DiscoveryClosedError: The announcer is not started or is closed.
        """
        async with self._lock(serial):
            if serial not in self._devices:
                raise UnknownDeviceError(serial)
            await self._unregister(serial)

    async def async_close(self) -> None:
        """Withdraw every device (goodbyes) and close the responder. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for serial in list(self._broadcasts):
            self._cancel_broadcast(serial)
        aiozc, self._aiozc = self._aiozc, None
        self._devices.clear()
        self._infos.clear()
        if aiozc is not None:
            await aiozc.async_close()

    def _require(self) -> AsyncZeroconf:
        if self._closed or self._aiozc is None:
            raise DiscoveryClosedError("The device announcer is not running.")
        return self._aiozc

    def _lock(self, serial: str) -> asyncio.Lock:
        return self._locks.setdefault(serial, asyncio.Lock())

    def _service_info(self, device: AnnouncedDevice) -> ServiceInfo:
        host = device.host or self._address
        assert host is not None, "started announcers have an address"
        self._revision += 1
        return ServiceInfo(
            SERVICE_TYPE,
            service_name(device),
            port=device.port,
            properties=encode_properties(device, self._revision),
            server=server_name(device),
            parsed_addresses=[host],
        )

    async def _register(self, device: AnnouncedDevice) -> None:
        aiozc = self._require()
        info = self._service_info(device)
        try:
            sent = await aiozc.async_register_service(info, allow_name_change=False)
        except NonUniqueNameException:
            raise DeviceConflictError(
                device.serial, f"Another device on the network already uses the name {info.name!r}."
            ) from None
        self._broadcasts[device.serial] = _future(sent)
        self._infos[device.serial] = info
        self._devices[device.serial] = device
        _LOGGER.debug("announced %s on %s", info.name, self._address)

    async def _unregister(self, serial: str) -> None:
        aiozc = self._require()
        self._cancel_broadcast(serial)
        info = self._infos.pop(serial)
        del self._devices[serial]
        await (await aiozc.async_unregister_service(info))
        _LOGGER.debug("withdrew %s", info.name)

    def _cancel_broadcast(self, serial: str) -> None:
        future = self._broadcasts.pop(serial, None)
        if future is not None:
            future.cancel()


def _future(awaitable: Awaitable[object]) -> asyncio.Future[object]:
    """Wrap zeroconf's broadcast awaitable so it can be cancelled later; log failures."""
    future = asyncio.ensure_future(awaitable)
    future.add_done_callback(_log_failure)
    return future


def _log_failure(future: asyncio.Future[object]) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        exc = future.exception()
        if exc is not None:
            _LOGGER.warning("mDNS announcement failed: %s", exc)
