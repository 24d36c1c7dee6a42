"""Test doubles and helpers shared by the link and device-simulator tests."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hardware.link.frames import decode, encode
from hardware.link.handshake import (
    DeviceInfo,
    check_welcome,
    derive_keys,
    make_auth,
    start_hello,
    transcript_hash,
)
from hardware.link.hub import Admission, PeerInfo
from hardware.link.messages import (
    Auth,
    ControllerMessage,
    Decision,
    DeviceKind,
    DeviceMessage,
    Present,
    Welcome,
)
from hardware.link.session import DeviceSession
from hardware.link.transport import FrameStream, SecureChannel

READER_INFO = DeviceInfo(
    DeviceKind.READER, "LR2-0000TEST", "reader-pro-2.1", "2.4.1", "02:00:00:00:00:01"
)
TOKEN = "a1b2c3d4e5f6"


async def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``predicate()`` is true, checking every few milliseconds; fail on timeout."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


def closed_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def grant_all(msg: Present) -> Decision:
    """A decider that grants everything."""
    return Decision(msg.seq, granted=True, code=None, message="Unlocked!")


@dataclass
class RecordingHub:
    """A ``LinkHub`` that records everything and answers as configured."""

    admission: Admission = field(default_factory=Admission.accept)
    decide: Callable[[Present], Decision] = grant_all
    fail_admit: bool = False
    fail_on_message: bool = False
    replies: dict[type, ControllerMessage] = field(default_factory=dict)
    peers: list[PeerInfo] = field(default_factory=list)
    sessions: list[DeviceSession] = field(default_factory=list)
    messages: list[tuple[DeviceSession, DeviceMessage]] = field(default_factory=list)
    closed: list[DeviceSession] = field(default_factory=list)

    async def admit(self, peer: PeerInfo) -> Admission:
        self.peers.append(peer)
        if self.fail_admit:
            raise RuntimeError("admit exploded")
        return self.admission

    async def on_session(self, session: DeviceSession) -> None:
        self.sessions.append(session)

    async def on_message(
        self, session: DeviceSession, msg: DeviceMessage
    ) -> ControllerMessage | None:
        self.messages.append((session, msg))
        if self.fail_on_message:
            raise RuntimeError("hub exploded")
        if isinstance(msg, Present):
            return self.decide(msg)
        return self.replies.get(type(msg))

    async def on_closed(self, session: DeviceSession) -> None:
        self.closed.append(session)

    def received(self, kind: type) -> list[DeviceMessage]:
        """Messages of one type received so far."""
        return [msg for _, msg in self.messages if isinstance(msg, kind)]


class ManualDevice:
    """A hand-driven device that can misbehave at any step of the handshake."""

    def __init__(self, identity: Ed25519PrivateKey | None = None) -> None:
        self.identity = identity or Ed25519PrivateKey.generate()
        self.stream: FrameStream | None = None
        self.channel: SecureChannel | None = None
        self.h = b""

    async def connect(self, port: int) -> FrameStream:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        self.stream = FrameStream(reader, writer)
        return self.stream

    async def handshake(self, port: int, auth: Auth | None = None) -> SecureChannel:
        """Run the handshake up to and including sending ``Auth`` (default: a valid one)."""
        stream = await self.connect(port)
        hello, ephemeral = start_hello(self.identity, READER_INFO)
        hello_body = encode(hello)
        await stream.write_body(hello_body)
        welcome_body = await stream.read_body()
        welcome = decode(welcome_body)
        assert isinstance(welcome, Welcome)
        check_welcome(welcome, hello_body, None)
        self.h = transcript_hash(hello_body, welcome_body)
        keys = derive_keys(ephemeral, welcome.ephemeral, self.h)
        self.channel = SecureChannel(stream, keys.device_to_controller, keys.controller_to_device)
        await self.channel.send(auth or make_auth(self.identity, self.h, TOKEN, None))
        return self.channel

    async def close(self) -> None:
        if self.stream is not None:
            await self.stream.close()
