"""Length-prefixed frames over an asyncio stream, and the encrypted channel on top.

A frame is a big-endian u32 length followed by that many bytes of body; bodies are at most
64 KiB. Before the handshake completes bodies are plaintext; afterwards each body is a
ChaCha20-Poly1305 ciphertext of an encoded message.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct

from hardware.link.cipher import FrameCipher
from hardware.link.errors import LinkClosedError, LinkProtocolError
from hardware.link.frames import decode, encode
from hardware.link.messages import Message

MAX_FRAME = 64 * 1024
_HEADER = struct.Struct(">I")


class FrameStream:
    """Reads and writes length-prefixed frame bodies on one TCP connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Wrap an open stream pair."""
        self._reader = reader
        self._writer = writer

    @property
    def remote(self) -> tuple[str, int]:
        """The peer's (host, port), or ("?", 0) if the socket is gone."""
        peer = self._writer.get_extra_info("peername")
        if isinstance(peer, tuple) and len(peer) >= 2:
            return str(peer[0]), int(peer[1])
        return "?", 0

    async def read_body(self) -> bytes:
        """Read one frame body.

        Raises:
            LinkClosedError: If the peer closed the connection between frames.
            LinkProtocolError: On a zero or oversize length, or a frame cut short.
        """
        try:
            header = await self._reader.readexactly(_HEADER.size)
        except asyncio.IncompleteReadError as exc:
            if exc.partial:
                raise LinkProtocolError("connection closed inside a frame header") from None
            raise LinkClosedError("peer closed the connection") from None
        except ConnectionError as exc:
            raise LinkClosedError(f"connection lost: {exc}") from None
        (length,) = _HEADER.unpack(header)
        if length == 0 or length > MAX_FRAME:
            raise LinkProtocolError(f"frame length {length} outside 1..{MAX_FRAME}")
        try:
            return await self._reader.readexactly(length)
        except asyncio.IncompleteReadError as exc:
            raise LinkProtocolError(
                f"connection closed inside a frame ({len(exc.partial)} of {length} bytes)"
            ) from None
        except ConnectionError as exc:
            raise LinkClosedError(f"connection lost: {exc}") from None

    async def write_body(self, body: bytes) -> None:
        """Write one frame body, then wait while the peer is slow to read.

        The frame is queued whole before the first await, so frames go out in call order;
        concurrent writers share only the wait.

        Raises:
            LinkProtocolError: If the body is larger than a frame may be.
            LinkClosedError: If the connection is gone.
        """
        if not body or len(body) > MAX_FRAME:
            raise LinkProtocolError(f"refusing to send a frame of {len(body)} bytes")
        if self._writer.is_closing():
            raise LinkClosedError("connection is closed")
        try:
            self._writer.write(_HEADER.pack(len(body)) + body)
            await self._writer.drain()
        except ConnectionError as exc:
            raise LinkClosedError(f"connection lost: {exc}") from None

    async def close(self) -> None:
        """Close the connection (idempotent, never raises)."""
        if not self._writer.is_closing():
            self._writer.close()
        with contextlib.suppress(Exception):
            await self._writer.wait_closed()


class SecureChannel:
    """Sends and receives encrypted messages over a ``FrameStream``."""

    def __init__(self, stream: FrameStream, send_key: bytes, recv_key: bytes) -> None:
        """Create the channel from the handshake's direction keys."""
        self.stream = stream
        self._sealer = FrameCipher(send_key)
        self._opener = FrameCipher(recv_key)

    async def send(self, msg: Message) -> None:
        """Encrypt and send one message.

        Sealing and queueing happen with no await in between, so nonce order is wire order
        even when several tasks send at once; only the wait for a slow peer is shared.
        """
        await self.stream.write_body(self._sealer.seal(encode(msg)))

    async def recv(self) -> Message:
        """Receive, decrypt and decode one message.

        Raises:
            LinkClosedError: If the peer closed the connection.
            LinkProtocolError: On a bad frame, a failed decryption or a bad message.
            LinkDecodeError: If the decrypted body is not a valid message.
        """
        body = await self.stream.read_body()
        return decode(self._opener.open(body))

    async def close(self) -> None:
        """Close the underlying connection."""
        await self.stream.close()
