"""Browse for Lintel devices over DNS-SD on one network interface (used by the installer)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from types import TracebackType
from typing import Self

from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from hardware.discovery.errors import DiscoveryClosedError, InvalidRecordError
from hardware.discovery.interfaces import resolve_interface
from hardware.discovery.mdns import async_open_mdns
from hardware.discovery.models import SERVICE_TYPE, DiscoveredDevice, DiscoveryEvent
from hardware.discovery.records import decode_device

__all__ = ["DeviceBrowser", "DiscoveryEvent", "OnChange"]

_LOGGER = logging.getLogger(__name__)

OnChange = Callable[[DiscoveryEvent], None]
"""Receives every change; called on the asyncio loop, must not block."""


class DeviceBrowser:
    """Watches one interface for ``_lintel-device._tcp`` services and resolves them.

    Each service is resolved asynchronously and decoded strictly; a malformed or
    incomplete record is ignored (logged at debug level) and never reaches
    ``on_change``. ``on_change`` gets ``added`` once a device resolves, ``updated``
    when any of its fields changes and ``removed`` when it says goodbye.

    Example:
        >>> async with DeviceBrowser("lo", print) as browser:  # doctest: +SKIP
        ...     await asyncio.sleep(5)
        ...     print(browser.devices())
    """

    def __init__(
        self, interface: str, on_change: OnChange, *, resolve_timeout: float = 3.0
    ) -> None:
        """Create a browser; nothing is opened until :meth:`async_start`.

        Args:
            interface: Interface name (``"lo"``, ``"eth0"``) or one of its IPv4 addresses.
            on_change: Called on the loop with each :class:`DiscoveryEvent`; exceptions it
                raises are logged and do not stop the browser.
            resolve_timeout: Seconds to wait for a service's SRV, TXT and address records.
        """
        self._interface = interface
        self._on_change = on_change
        self._resolve_timeout_ms = int(resolve_timeout * 1000)
        self._address: str | None = None
        self._aiozc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._closed = False
        self._devices: dict[str, DiscoveredDevice] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._dirty: set[str] = set()

    @property
    def address(self) -> str | None:
        """The IPv4 address the browser is bound to, once started."""
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
        """Resolve the interface, open mDNS and start browsing (no-op when started).

        Raises:
            InterfaceError: The interface setting is unusable.
            DiscoveryClosedError: The browser was closed.
        """
        if self._closed:
            raise DiscoveryClosedError("The device browser is closed.")
        if self._aiozc is not None:
            return
        address = resolve_interface(self._interface)
        self._aiozc = await async_open_mdns(address)
        self._address = address
        self._browser = AsyncServiceBrowser(
            self._aiozc.zeroconf, SERVICE_TYPE, handlers=[self._on_service_state_change]
        )

    def devices(self) -> list[DiscoveredDevice]:
        """Return a snapshot of the devices currently seen, ordered by kind and serial."""
        return sorted(self._devices.values(), key=lambda d: (d.kind, d.serial, d.name))

    async def async_close(self) -> None:
        """Stop browsing and close mDNS. Idempotent; the snapshot is cleared without events."""
        if self._closed:
            return
        self._closed = True
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        browser, self._browser = self._browser, None
        aiozc, self._aiozc = self._aiozc, None
        if browser is not None:
            await browser.async_cancel()
        if aiozc is not None:
            await aiozc.async_close()
        self._devices.clear()
        self._dirty.clear()

    def _on_service_state_change(
        self,
        *,
        zeroconf: Zeroconf,
        service_type: str,
        name: str,
        state_change: ServiceStateChange,
    ) -> None:
        """Zeroconf handler, called on the loop for each batch of record changes."""
        if self._closed or service_type != SERVICE_TYPE:
            return
        if state_change is ServiceStateChange.Removed:
            self._forget(name)
        else:
            self._schedule_resolve(name)

    def _schedule_resolve(self, name: str) -> None:
        self._dirty.add(name)
        if name in self._tasks:
            return  # the running resolver sees the dirty flag and resolves again
        task = asyncio.get_running_loop().create_task(self._resolve_while_dirty(name))
        self._tasks[name] = task
        task.add_done_callback(lambda done: self._task_done(name, done))

    def _task_done(self, name: str, task: asyncio.Task[None]) -> None:
        if self._tasks.get(name) is task:
            del self._tasks[name]
        if not task.cancelled() and task.exception() is not None:
            _LOGGER.warning("resolving %r failed", name, exc_info=task.exception())

    async def _resolve_while_dirty(self, name: str) -> None:
        while name in self._dirty:
            self._dirty.discard(name)
            device = await self._resolve(name)
            if device is not None:
                self._store(name, device)

    async def _resolve(self, name: str) -> DiscoveredDevice | None:
        aiozc = self._aiozc
        if aiozc is None:
            return None
        info = AsyncServiceInfo(SERVICE_TYPE, name)
        if not await info.async_request(aiozc.zeroconf, self._resolve_timeout_ms):
            _LOGGER.debug("ignoring %r: not resolved within %d ms", name, self._resolve_timeout_ms)
            return None
        try:
            return decode_device(
                name, info.properties, info.parsed_addresses(IPVersion.V4Only), info.port
            )
        except InvalidRecordError as exc:
            _LOGGER.debug("ignoring malformed record %r: %s", name, exc)
            return None

    def _store(self, name: str, device: DiscoveredDevice) -> None:
        old = self._devices.get(name)
        if old == device:
            return
        self._devices[name] = device
        self._emit(DiscoveryEvent("added" if old is None else "updated", device))

    def _forget(self, name: str) -> None:
        self._dirty.discard(name)
        task = self._tasks.pop(name, None)
        if task is not None:
            task.cancel()
        device = self._devices.pop(name, None)
        if device is not None:
            self._emit(DiscoveryEvent("removed", device))

    def _emit(self, event: DiscoveryEvent) -> None:
        try:
            self._on_change(event)
        except Exception:
            _LOGGER.exception("discovery listener failed on %s %s", event.kind, event.device.serial)
