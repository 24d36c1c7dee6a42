"""The device end of a link: connect, handshake, then exchange encrypted messages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from types import TracebackType

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hardware.link.errors import (
    ControllerKeyMismatchError,
    LinkClosedError,
    LinkConnectError,
    LinkError,
    LinkProtocolError,
    LinkRejectedError,
    LinkTimeoutError,
)
from hardware.link.frames import decode, encode
from hardware.link.handshake import (
    DeviceInfo,
    check_welcome,
    derive_keys,
    make_auth,
    start_hello,
    transcript_hash,
)
from hardware.link.messages import (
    Accepted,
    ControllerMessage,
    DeviceMessage,
    Heartbeat,
    Rejected,
    Welcome,
)
from hardware.link.transport import FrameStream, SecureChannel

log = logging.getLogger("lintel.link")


class DeviceLink:
    """An admitted, encrypted link from a device to the controller.

    Iterate it (``async for msg in link``) to receive controller messages until it closes.
    """

    def __init__(
        self,
        channel: SecureChannel,
        admission: Accepted,
        controller_key: bytes,
        heartbeat_interval: float | None,
    ) -> None:
        """Wrap a channel whose handshake and admission completed (use ``open_link``)."""
        self._channel = channel
        self.admission = admission
        self.controller_key = controller_key
        self.remote = channel.stream.remote
        self._closed = False
        self._heartbeat: asyncio.Task[None] | None = None
        if heartbeat_interval is not None:
            self._heartbeat = asyncio.create_task(self._beat(heartbeat_interval))

    @property
    def closed(self) -> bool:
        """True once the link is closed."""
        return self._closed

    async def send(self, msg: DeviceMessage) -> None:
        """Send one message to the controller.

        Raises:
            LinkClosedError: If the link is closed.
        """
        if self._closed:
            raise LinkClosedError("link is closed")
        await self._channel.send(msg)

    async def recv(self) -> ControllerMessage:
        """Receive the next controller message.

        ``Accepted`` may arrive again whenever the device's standing changes. Cancelling a
        pending ``recv`` closes the link, since a frame may have been half read.

        Raises:
            LinkClosedError: When the controller closed the link.
            LinkRejectedError: When the controller withdrew the device (the link is closed).
            LinkError: On any protocol error (the link is closed).
        """
        if self._closed:
            raise LinkClosedError("link is closed")
        try:
            msg = await self._channel.recv()
            if not isinstance(msg, ControllerMessage):
                raise LinkProtocolError(f"unexpected {type(msg).__name__} from the controller")
            if isinstance(msg, Rejected):
                raise LinkRejectedError(msg.reason)
        except BaseException:
            await self.async_close()
            raise
        return msg

    def __aiter__(self) -> AsyncIterator[ControllerMessage]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[ControllerMessage]:
        while True:
            try:
                yield await self.recv()
            except LinkClosedError:
                return

    async def _beat(self, interval: float) -> None:
        with contextlib.suppress(LinkError):
            while not self._closed:
                await asyncio.sleep(interval)
                await self.send(Heartbeat())

    async def async_close(self) -> None:
        """Close the link (idempotent)."""
        self._closed = True
        if self._heartbeat is not None and self._heartbeat is not asyncio.current_task():
            self._heartbeat.cancel()
        await self._channel.close()

    async def __aenter__(self) -> DeviceLink:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.async_close()


async def _connect(
    host: str, ports: list[int], timeout: float
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    failures: list[str] = []
    for port in ports:
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.open_connection(host, port)
        except OSError as exc:
            # TimeoutError is an OSError without a strerror.
            failures.append(f"{host}:{port} ({exc.strerror or 'timed out'})")
    raise LinkConnectError("cannot reach the device server at " + ", ".join(failures))


async def _handshake(
    stream: FrameStream,
    identity: Ed25519PrivateKey,
    info: DeviceInfo,
    token: str,
    enrolment_token: str | None,
    pinned_key: bytes | None,
) -> tuple[SecureChannel, Accepted, bytes]:
    hello, ephemeral = start_hello(identity, info)
    hello_body = encode(hello)
    await stream.write_body(hello_body)
    welcome_body = await stream.read_body()
    welcome = decode(welcome_body)
    if not isinstance(welcome, Welcome):
        raise LinkProtocolError(f"expected Welcome, got {type(welcome).__name__}")
    check_welcome(welcome, hello_body, pinned_key)
    h = transcript_hash(hello_body, welcome_body)
    keys = derive_keys(ephemeral, welcome.ephemeral, h)
    channel = SecureChannel(stream, keys.device_to_controller, keys.controller_to_device)
    await channel.send(make_auth(identity, h, token, enrolment_token))
    answer = await channel.recv()
    if isinstance(answer, Rejected):
        raise LinkRejectedError(answer.reason)
    if not isinstance(answer, Accepted):
        raise LinkProtocolError(f"expected Accepted or Rejected, got {type(answer).__name__}")
    return channel, answer, welcome.controller_key


async def open_link(
    host: str,
    port: int,
    fallback_port: int | None,
    identity: Ed25519PrivateKey,
    hello_fields: DeviceInfo,
    token: str,
    enrolment_token: str | None = None,
    pinned_controller_key: bytes | None = None,
    *,
    connect_timeout: float = 5.0,
    handshake_timeout: float = 10.0,
    heartbeat_interval: float | None = 30.0,
) -> DeviceLink:
    """Connect to the device server, run the handshake and wait for admission.

    Tries ``port`` first and ``fallback_port`` when no connection can be made to it.

    Args:
        host: The device server's address.
        port: Its main port.
        fallback_port: Port tried when the main one fails, or None.
        identity: The device's long-term Ed25519 key.
        hello_fields: Kind, serial, model, firmware and MAC to announce.
        token: The device's label token (never sent; only proven).
        enrolment_token: A controller-issued enrolment token, if any.
        pinned_controller_key: The controller key trusted from an earlier admission, or None
            on first contact (the caller pins ``link.controller_key`` after success).
        connect_timeout: Seconds allowed per TCP connection attempt.
        handshake_timeout: Seconds allowed for the whole handshake.
        heartbeat_interval: Seconds between heartbeats, or None for none.

    Returns:
        The open link; ``link.admission`` says pending/adopted, ``link.controller_key`` who.

    Raises:
        LinkConnectError: If neither port accepts a connection.
        ControllerKeyMismatchError: If the controller is not the pinned one.
        LinkRejectedError: If the controller refused the device.
        LinkTimeoutError: If the handshake took too long.
        LinkError: On any other protocol error.
    """
    ports = [port] if fallback_port is None or fallback_port == port else [port, fallback_port]
    reader, writer = await _connect(host, ports, connect_timeout)
    stream = FrameStream(reader, writer)
    where = "{}:{}".format(*stream.remote)
    try:
        async with asyncio.timeout(handshake_timeout):
            channel, admission, key = await _handshake(
                stream, identity, hello_fields, token, enrolment_token, pinned_controller_key
            )
    except TimeoutError:
        await stream.close()
        raise LinkTimeoutError(f"handshake with {where} timed out") from None
    except ControllerKeyMismatchError as exc:
        await stream.close()
        log.error("device %s refuses controller at %s: %s", hello_fields.serial, where, exc)
        raise
    except BaseException:
        await stream.close()
        raise
    return DeviceLink(channel, admission, key, heartbeat_interval)
