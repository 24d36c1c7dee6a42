"""The controller's device server: accepts device links and hands them to a ``LinkHub``.

Every connection runs in its own task. Whatever a device sends — garbage, oversize frames,
bad signatures, silence — only its own connection is logged and closed; other devices and the
listening socket are unaffected.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from types import TracebackType

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hardware.link.errors import LinkClosedError, LinkError, LinkHandshakeError, LinkProtocolError
from hardware.link.frames import decode
from hardware.link.handshake import (
    answer_hello,
    derive_keys,
    public_key_bytes,
    transcript_hash,
    verify_signature,
)
from hardware.link.hub import Admission, LinkHub, PeerInfo
from hardware.link.messages import (
    CONTROLLER_MESSAGES,
    PROTO_VERSION,
    Accepted,
    Ack,
    Auth,
    ControllerMessage,
    Decision,
    DeviceMessage,
    Heartbeat,
    Hello,
    InputChanged,
    LedChanged,
    Present,
    Rejected,
    Tamper,
)
from hardware.link.session import DeviceSession
from hardware.link.transport import FrameStream, SecureChannel

log = logging.getLogger("lintel.link")

DEFAULT_PORT = 31314
DEFAULT_FALLBACK_PORT = 993
DENIED_CODE = "afc496"  # the mirrored API's "access denied" code


class LinkServer:
    """Listens for devices, runs the handshake and relays messages to the hub."""

    def __init__(
        self,
        identity: Ed25519PrivateKey,
        hub: LinkHub,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        fallback_port: int | None = DEFAULT_FALLBACK_PORT,
        *,
        handshake_timeout: float = 10.0,
        idle_timeout: float | None = 90.0,
    ) -> None:
        """Configure the server (nothing is bound until ``start``).

        Args:
            identity: The controller's long-term Ed25519 key (signs every Welcome).
            hub: The controller side that admits devices and handles their messages.
            host: Address to bind.
            port: Main port (0 picks a free one).
            fallback_port: Port bound when ``port`` cannot be, or None for no fallback.
            handshake_timeout: Seconds a device has to complete the handshake.
            idle_timeout: Seconds of silence after which a session is closed (None: never).
        """
        self._identity = identity
        self._hub = hub
        self._host = host
        self._port = port
        self._fallback_port = fallback_port
        self._handshake_timeout = handshake_timeout
        self._idle_timeout = idle_timeout
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._sessions: set[DeviceSession] = set()
        self._closing = False
        self.bound_port: int | None = None

    @property
    def public_key(self) -> bytes:
        """The controller's raw Ed25519 public key (what devices pin)."""
        return public_key_bytes(self._identity)

    @property
    def sessions(self) -> list[DeviceSession]:
        """The currently open sessions."""
        return [s for s in self._sessions if not s.closed]

    async def start(self) -> None:
        """Bind the main port, or the fallback port if the main one cannot be bound.

        Raises:
            OSError: If neither port can be bound.
        """
        try:
            self._server = await asyncio.start_server(self._on_connect, self._host, self._port)
        except OSError as exc:
            if self._fallback_port is None:
                raise
            log.warning(
                "device server cannot bind %s:%d (%s); using fallback port %d",
                self._host,
                self._port,
                exc.strerror or exc,
                self._fallback_port,
            )
            self._server = await asyncio.start_server(
                self._on_connect, self._host, self._fallback_port
            )
        self.bound_port = int(self._server.sockets[0].getsockname()[1])
        log.info("device server listening on %s:%d", self._host, self.bound_port)

    async def async_close(self) -> None:
        """Stop listening and close every session (idempotent)."""
        self._closing = True
        server, self._server = self._server, None
        if server is not None:
            server.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    async def __aenter__(self) -> LinkServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.async_close()

    async def _on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        stream = FrameStream(reader, writer)
        if self._closing or task is None:
            await stream.close()
            return
        self._tasks.add(task)
        try:
            await self._run_connection(stream)
        except asyncio.CancelledError:
            # Only async_close cancels these tasks, and nothing awaits their result; ending
            # normally keeps asyncio's stream callback from logging the cancellation as an error.
            if not self._closing:
                raise
        finally:
            self._tasks.discard(task)

    async def _run_connection(self, stream: FrameStream) -> None:
        host, port = stream.remote
        where = f"{host}:{port}"
        session: DeviceSession | None = None
        try:
            try:
                async with asyncio.timeout(self._handshake_timeout):
                    session = await self._handshake(stream, host, port)
            except TimeoutError:
                raise LinkProtocolError(
                    f"handshake not completed within {self._handshake_timeout:g} s"
                ) from None
            if session is not None:
                where = session.label
                # Outside the handshake timeout: a slow hub is not the device's fault.
                await self._call_hub_session(session)
                await self._serve(session)
        except LinkClosedError as exc:
            log.info("device link %s closed: %s", where, exc)
        except LinkError as exc:
            log.warning("protocol error on device link %s: %s; closing it", where, exc)
        except Exception:
            log.exception("unexpected error on device link %s; closing it", where)
        finally:
            await stream.close()
            if session is not None:
                session.mark_closed()
                self._sessions.discard(session)
                await self._call_hub_closed(session)

    async def _handshake(self, stream: FrameStream, host: str, port: int) -> DeviceSession | None:
        hello_body = await stream.read_body()
        hello = decode(hello_body)
        if not isinstance(hello, Hello):
            raise LinkProtocolError(f"expected Hello, got {type(hello).__name__}")
        if hello.proto != PROTO_VERSION:
            raise LinkHandshakeError(f"unsupported protocol version {hello.proto}")
        _, welcome_body, ephemeral = answer_hello(self._identity, hello_body)
        await stream.write_body(welcome_body)
        h = transcript_hash(hello_body, welcome_body)
        keys = derive_keys(ephemeral, hello.ephemeral, h)
        channel = SecureChannel(stream, keys.controller_to_device, keys.device_to_controller)
        auth = await channel.recv()
        if not isinstance(auth, Auth):
            raise LinkProtocolError(f"expected Auth, got {type(auth).__name__}")
        verify_signature(hello.identity_key, h, auth.signature, f"device {hello.serial!r}")
        peer = PeerInfo(
            kind=hello.kind,
            serial=hello.serial,
            model=hello.model,
            firmware=hello.firmware,
            mac=hello.mac,
            identity_key=hello.identity_key,
            host=host,
            port=port,
            transcript_hash=h,
            token_id=auth.token_id,
            token_proof=auth.token_proof,
            enrolment_id=auth.enrolment_id,
            enrolment_proof=auth.enrolment_proof,
        )
        admission = await self._admit(peer)
        if not admission.accepted:
            log.info("device %s@%s:%d refused: %s", peer.serial, host, port, admission.reason)
            await channel.send(Rejected(reason=admission.reason or "refused"))
            return None
        await channel.send(Accepted(admission.state, admission.assigned, admission.name))
        session = DeviceSession(peer, channel)
        self._sessions.add(session)
        log.info("device %s admitted (%s)", session.label, admission.state.value)
        return session

    async def _call_hub_session(self, session: DeviceSession) -> None:
        try:
            await self._hub.on_session(session)
        except Exception:
            log.exception("hub failed in on_session for %s", session.label)

    async def _admit(self, peer: PeerInfo) -> Admission:
        try:
            return await self._hub.admit(peer)
        except Exception:
            log.exception("hub failed to admit device %s; refusing it", peer.serial)
            return Admission.reject("controller error")

    async def _serve(self, session: DeviceSession) -> None:
        watchdog = (
            None if self._idle_timeout is None else _IdleWatchdog(session, self._idle_timeout)
        )
        try:
            while True:
                try:
                    msg = await session.recv()
                except LinkError:
                    if watchdog is not None and watchdog.fired:
                        raise LinkProtocolError(
                            f"no frame for {watchdog.seconds:g} s (idle timeout)"
                        ) from None
                    raise
                session.last_seen = time.monotonic()
                if isinstance(msg, Heartbeat):
                    continue
                if not isinstance(msg, Present | Tamper | InputChanged | Ack | LedChanged):
                    raise LinkProtocolError(f"unexpected {type(msg).__name__} from a device")
                reply = await self._dispatch(session, msg)
                if reply is not None:
                    await session.send(reply)
        finally:
            if watchdog is not None:
                watchdog.cancel()

    async def _dispatch(
        self, session: DeviceSession, msg: DeviceMessage
    ) -> ControllerMessage | None:
        try:
            reply = await self._hub.on_message(session, msg)
        except Exception:
            log.exception("hub failed handling %s from %s", type(msg).__name__, session.label)
            return _failure_reply(msg)
        if reply is not None and not isinstance(reply, CONTROLLER_MESSAGES):
            log.error("hub returned %r for %s; not sending it", reply, session.label)
            return _failure_reply(msg)
        return reply

    async def _call_hub_closed(self, session: DeviceSession) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            try:
                await self._hub.on_closed(session)
            except Exception:
                log.exception("hub failed in on_closed for %s", session.label)


class _IdleWatchdog:
    """Closes a session that sent nothing for ``seconds``.

    One timer per session, moved on only when it fires: arming a timeout around every read
    cost more than the rest of receiving a frame.
    """

    def __init__(self, session: DeviceSession, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._session = session
        self._closing: asyncio.Task[None] | None = None
        self._timer = asyncio.get_running_loop().call_later(seconds, self._check)

    def _check(self) -> None:
        quiet = time.monotonic() - self._session.last_seen
        if quiet < self.seconds:
            self._timer = asyncio.get_running_loop().call_later(self.seconds - quiet, self._check)
            return
        self.fired = True
        # Closing the connection ends the pending read; the read loop then reports the timeout.
        self._closing = asyncio.get_running_loop().create_task(self._session.close())

    def cancel(self) -> None:
        """Stop watching (the session ended)."""
        self._timer.cancel()


def _failure_reply(msg: DeviceMessage) -> ControllerMessage | None:
    """What a device gets when the hub failed on its message."""
    if isinstance(msg, Present):
        # Never leave a card reader hanging, and never let an error become a grant.
        return Decision(msg.seq, granted=False, code=DENIED_CODE, message="controller error")
    return None
