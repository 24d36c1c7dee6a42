"""Keeps a device connected to the controller: connect, serve, back off, reconnect.

Shared by every device twin (and usable by real device firmware in Python): the device plugs
in its message handler and reads ``connected``/``admission`` from here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from hardware.link.client import DeviceLink, open_link
from hardware.link.errors import (
    ControllerKeyMismatchError,
    LinkClosedError,
    LinkConnectError,
    LinkError,
    LinkRejectedError,
)
from hardware.link.identity import DeviceIdentity, save_identity
from hardware.link.messages import Accepted, ControllerMessage, DeviceMessage

log = logging.getLogger("lintel.link")

MessageHandler = Callable[[ControllerMessage], Awaitable[None]]


@dataclass(frozen=True)
class ServerAddress:
    """Where the device server is: host, main port and optional fallback port."""

    host: str
    port: int
    fallback_port: int | None = 993

    @classmethod
    def parse(cls, text: str, fallback_port: int | None = 993) -> ServerAddress:
        """Parse ``"host:port"`` (IPv6 as ``"[::1]:port"``).

        Raises:
            ValueError: If the text is not ``host:port`` with a port in 1..65535.
        """
        host, port = parse_host_port(text)
        if port == 0:
            raise ValueError(f"the device server needs a real port, got {text!r}")
        return cls(host, port, fallback_port)


def parse_host_port(text: str) -> tuple[str, int]:
    """Split ``"host:port"`` (IPv6 as ``"[::1]:port"``); port 0 is allowed.

    Raises:
        ValueError: If the text is not ``host:port`` with a port in 0..65535.
    """
    host, sep, port_text = text.rpartition(":")
    if not sep or not host or not port_text.isdigit() or int(port_text) > 65535:
        raise ValueError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]"), int(port_text)


@dataclass(frozen=True)
class Backoff:
    """Reconnect delays: start at ``initial``, multiply by ``factor``, cap at ``maximum``."""

    initial: float = 0.2
    maximum: float = 10.0
    factor: float = 2.0


class DeviceRunner:
    """Runs a device's connect loop in a background task."""

    def __init__(
        self,
        identity: DeviceIdentity,
        identity_path: Path | None,
        server: ServerAddress,
        on_message: MessageHandler,
        *,
        on_disconnect: Callable[[], None] | None = None,
        backoff: Backoff | None = None,
        heartbeat_interval: float | None = 30.0,
        handshake_timeout: float = 10.0,
    ) -> None:
        """Configure the runner (nothing happens until ``start``).

        Args:
            identity: The device identity (its ``controller_key`` gets pinned here).
            identity_path: Where to persist the identity after pinning, or None.
            server: The device server address.
            on_message: Called for every controller message, ``Accepted`` included.
            on_disconnect: Called each time an established link ends.
            backoff: Reconnect delays.
            heartbeat_interval: Seconds between heartbeats on an idle link.
            handshake_timeout: Seconds allowed for each handshake.
        """
        self.identity = identity
        self._identity_path = identity_path
        self.server = server
        self._on_message = on_message
        self._on_disconnect = on_disconnect
        self._backoff = backoff or Backoff()
        self._heartbeat_interval = heartbeat_interval
        self._handshake_timeout = handshake_timeout
        self._link: DeviceLink | None = None
        self._task: asyncio.Task[None] | None = None
        self._changed = asyncio.Condition()
        self.admission: Accepted | None = None

    @property
    def connected(self) -> bool:
        """True while an admitted link is open."""
        return self._link is not None and not self._link.closed

    def start(self) -> None:
        """Start the connect loop (call on the event loop; idempotent)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"link-{self.identity.serial}")

    async def async_close(self) -> None:
        """Stop the loop and close the link (idempotent)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._link is not None:
            await self._link.async_close()
            self._link = None

    async def send(self, msg: DeviceMessage) -> None:
        """Send a message to the controller.

        Raises:
            LinkClosedError: If the device is not connected.
        """
        link = self._link
        if link is None or link.closed:
            raise LinkClosedError(f"{self.identity.serial} is not connected")
        await link.send(msg)

    async def drop(self) -> None:
        """Close the current link, as a restart would; the loop reconnects after its backoff."""
        if self._link is not None:
            await self._link.async_close()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> None:
        """Wait until ``predicate()`` holds after some link event, or time out.

        Raises:
            TimeoutError: If it does not hold within ``timeout`` seconds.
        """
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(predicate)

    async def notify(self) -> None:
        """Wake ``wait_for`` callers (the device calls this after changing its own state)."""
        async with self._changed:
            self._changed.notify_all()

    async def _run(self) -> None:
        delay = self._backoff.initial
        while True:
            try:
                link = await self._open()
            except LinkConnectError as exc:
                log.info("%s: %s", self.identity.serial, exc)
            except LinkRejectedError as exc:
                log.warning("%s: %s", self.identity.serial, exc)
            except ControllerKeyMismatchError:
                pass  # open_link already logged the refusal
            except LinkError as exc:
                log.warning("%s: link failed: %s", self.identity.serial, exc)
            except Exception:
                # E.g. the identity file cannot be saved: keep the device alive and retrying.
                log.exception("%s: unexpected error while connecting", self.identity.serial)
            else:
                delay = self._backoff.initial
                await self._serve(link)
            # Jitter keeps a site's worth of devices from reconnecting in lockstep.
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * self._backoff.factor, self._backoff.maximum)

    async def _open(self) -> DeviceLink:
        link = await open_link(
            self.server.host,
            self.server.port,
            self.server.fallback_port,
            self.identity.private_key,
            self.identity.info(),
            self.identity.token,
            self.identity.enrolment_token,
            self.identity.controller_key,
            handshake_timeout=self._handshake_timeout,
            heartbeat_interval=self._heartbeat_interval,
        )
        if self.identity.controller_key is None:
            self.identity.controller_key = link.controller_key
            if self._identity_path is not None:
                save_identity(self._identity_path, self.identity)
            log.info(
                "%s: pinned controller key %s...",
                self.identity.serial,
                link.controller_key.hex()[:16],
            )
        return link

    async def _serve(self, link: DeviceLink) -> None:
        self._link = link
        log.info("%s: connected to %s:%d", self.identity.serial, *link.remote)
        try:
            await self._handle(link.admission)
            async for msg in link:
                await self._handle(msg)
        except LinkRejectedError as exc:
            log.warning("%s: %s", self.identity.serial, exc)
        except LinkError as exc:
            log.warning("%s: link error: %s", self.identity.serial, exc)
        finally:
            await link.async_close()
            self._link = None
            log.info("%s: disconnected", self.identity.serial)
            if self._on_disconnect is not None:
                self._on_disconnect()
            await self.notify()

    async def _handle(self, msg: ControllerMessage) -> None:
        if isinstance(msg, Accepted):
            self.admission = msg
        try:
            await self._on_message(msg)
        except Exception:
            log.exception("%s: failed handling %s", self.identity.serial, type(msg).__name__)
        await self.notify()
