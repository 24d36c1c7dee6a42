"""One admitted device's connection, as the controller sees it."""

from __future__ import annotations

import time

from hardware.link.errors import LinkClosedError
from hardware.link.hub import PeerInfo
from hardware.link.messages import ControllerMessage, Message
from hardware.link.transport import SecureChannel


class DeviceSession:
    """An open, encrypted link to one admitted device.

    Sends from several tasks are safe: the channel serializes them with a lock.
    """

    def __init__(self, peer: PeerInfo, channel: SecureChannel) -> None:
        """Wrap a channel whose handshake completed for ``peer``."""
        self.peer = peer
        self._channel = channel
        self._closed = False
        self.last_seen = time.monotonic()

    @property
    def closed(self) -> bool:
        """True once the session ended (either side closed it, or an error did)."""
        return self._closed

    @property
    def label(self) -> str:
        """A short name for logs: serial and remote address."""
        return f"{self.peer.serial}@{self.peer.host}:{self.peer.port}"

    async def send(self, msg: ControllerMessage) -> None:
        """Send one message to the device.

        Args:
            msg: The message.

        Raises:
            LinkClosedError: If the session is closed.
        """
        if self._closed:
            raise LinkClosedError(f"session {self.label} is closed")
        try:
            await self._channel.send(msg)
        except LinkClosedError:
            self._closed = True
            raise

    async def recv(self) -> Message:
        """Receive the next message; used by the server's read loop, not by hubs."""
        return await self._channel.recv()

    async def close(self) -> None:
        """Close the session (idempotent); the hub's ``on_closed`` follows."""
        self._closed = True
        await self._channel.close()

    def mark_closed(self) -> None:
        """Record that the connection ended (called by the server)."""
        self._closed = True

    def __repr__(self) -> str:
        return f"<DeviceSession {self.label} {'closed' if self._closed else 'open'}>"
