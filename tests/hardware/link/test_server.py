"""A real LinkServer on loopback: handshake, messages, and every kind of bad peer."""

from __future__ import annotations

import asyncio
import logging
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hardware.link.client import DeviceLink, open_link
from hardware.link.errors import LinkClosedError, LinkRejectedError
from hardware.link.handshake import make_auth, public_key_bytes
from hardware.link.hub import Admission
from hardware.link.messages import (
    Accepted,
    Ack,
    AdmissionState,
    Auth,
    Credential,
    Decision,
    DeviceKind,
    Heartbeat,
    LedState,
    Present,
    SetLed,
    Tamper,
)
from hardware.link.server import LinkServer
from hardware.link.session import DeviceSession
from tests.hardware.link.support import READER_INFO, TOKEN, ManualDevice, RecordingHub, wait_until

pytestmark = pytest.mark.timeout(30)  # a hung socket must fail the test, not the run

CARD = Credential(wiegand="10111101100010001110101110")


@pytest.fixture(autouse=True)
def _logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="lintel.link")


async def _link(server: LinkServer, key: Ed25519PrivateKey | None = None) -> DeviceLink:
    assert server.bound_port is not None
    return await open_link(
        "127.0.0.1",
        server.bound_port,
        None,
        key or Ed25519PrivateKey.generate(),
        READER_INFO,
        TOKEN,
        heartbeat_interval=None,
    )


async def _still_serving(server: LinkServer) -> None:
    async with await _link(server) as link:
        await link.send(Present(99, CARD))
        assert isinstance(await link.recv(), Decision)


async def _closed_by_server(device: ManualDevice) -> None:
    assert device.stream is not None
    with pytest.raises(LinkClosedError):
        async with asyncio.timeout(5):
            while True:
                await device.stream.read_body()


async def test_admitted_device_presents_and_gets_a_decision(
    server: LinkServer,
    hub: RecordingHub,
    controller_key: Ed25519PrivateKey,
    caplog: pytest.LogCaptureFixture,
) -> None:
    device_key = Ed25519PrivateKey.generate()
    async with await _link(server, device_key) as link:
        assert link.admission == Accepted(AdmissionState.PENDING, False, None)
        assert link.controller_key == public_key_bytes(controller_key) == server.public_key
        (peer,) = hub.peers
        assert peer.kind is DeviceKind.READER
        assert (peer.serial, peer.mac, peer.host) == ("LR2-0000TEST", READER_INFO.mac, "127.0.0.1")
        assert peer.identity_key == public_key_bytes(device_key)
        assert peer.verify_token(TOKEN)
        assert not peer.verify_token("000000000000")
        assert not peer.verify_enrolment(TOKEN)
        await wait_until(lambda: len(hub.sessions) == 1)
        assert hub.sessions[0].peer == peer

        await link.send(Present(1, CARD))
        assert await link.recv() == Decision(1, True, None, "Unlocked!")
        await link.send(Ack(1))
        await link.send(Heartbeat())
        await link.send(Tamper(True))
        await wait_until(lambda: len(hub.received(Tamper)) == 1)
        assert hub.received(Ack) == [Ack(1)]
        assert hub.received(Heartbeat) == []  # the server keeps heartbeats to itself

        await hub.sessions[0].send(SetLed(LedState.BLUE, 1.0))
        assert await link.recv() == SetLed(LedState.BLUE, 1.0)
    await wait_until(lambda: len(hub.closed) == 1)
    assert hub.closed[0].closed
    assert server.sessions == []
    assert TOKEN not in caplog.text


async def test_enrolment_token_is_proven(server: LinkServer, hub: RecordingHub) -> None:
    assert server.bound_port is not None
    link = await open_link(
        "127.0.0.1",
        server.bound_port,
        None,
        Ed25519PrivateKey.generate(),
        READER_INFO,
        TOKEN,
        enrolment_token="feedfacecafe",
        heartbeat_interval=None,
    )
    await link.async_close()
    assert hub.peers[0].verify_enrolment("feedfacecafe")
    assert not hub.peers[0].verify_enrolment("feedfacecafd")


async def test_adopted_admission_carries_name(server: LinkServer, hub: RecordingHub) -> None:
    hub.admission = Admission.accept(AdmissionState.ADOPTED, assigned=True, name="Front door")
    async with await _link(server) as link:
        assert link.admission == Accepted(AdmissionState.ADOPTED, True, "Front door")


async def test_refused_device_gets_the_reason(server: LinkServer, hub: RecordingHub) -> None:
    hub.admission = Admission.reject("unknown device")
    with pytest.raises(LinkRejectedError, match="unknown device"):
        await _link(server)
    assert hub.sessions == []
    assert hub.closed == []


async def test_hub_failing_to_admit_refuses_the_device(
    server: LinkServer, hub: RecordingHub, caplog: pytest.LogCaptureFixture
) -> None:
    hub.fail_admit = True
    with pytest.raises(LinkRejectedError, match="controller error"):
        await _link(server)
    assert "hub failed to admit" in caplog.text
    hub.fail_admit = False
    await _still_serving(server)


async def test_hub_error_on_present_is_a_denial_never_a_grant(
    server: LinkServer, hub: RecordingHub, caplog: pytest.LogCaptureFixture
) -> None:
    hub.fail_on_message = True
    async with await _link(server) as link:
        await link.send(Tamper(True))  # no reply expected, link must stay up
        await link.send(Present(7, CARD))
        assert await link.recv() == Decision(7, False, "afc496", "controller error")
    assert "hub failed handling Present" in caplog.text


async def test_hub_returning_a_non_message_is_a_denial(
    server: LinkServer, hub: RecordingHub
) -> None:
    hub.decide = lambda msg: "yes"  # type: ignore[assignment,return-value]
    async with await _link(server) as link:
        await link.send(Present(3, CARD))
        assert await link.recv() == Decision(3, False, "afc496", "controller error")


async def test_wrong_device_signature_closes_that_link_only(
    server: LinkServer, hub: RecordingHub, caplog: pytest.LogCaptureFixture, device: ManualDevice
) -> None:
    impostor = Ed25519PrivateKey.generate()
    # The auth is signed by a key other than the one announced in Hello.
    await device.handshake(server.bound_port or 0, auth=make_auth(impostor, b"h" * 32, TOKEN, None))
    await _closed_by_server(device)
    assert "device 'LR2-0000TEST' signature does not verify" in caplog.text
    assert hub.peers == []
    await _still_serving(server)


async def test_tampered_ciphertext_closes_the_link(
    server: LinkServer, hub: RecordingHub, caplog: pytest.LogCaptureFixture, device: ManualDevice
) -> None:
    channel = await device.handshake(server.bound_port or 0)
    assert isinstance(await channel.recv(), Accepted)
    assert device.stream is not None
    await device.stream.write_body(b"\x00" * 40)  # not sealed with the session key
    await _closed_by_server(device)
    await wait_until(lambda: len(hub.closed) == 1)
    assert "failed authentication" in caplog.text
    await _still_serving(server)


async def test_replayed_frame_closes_the_link(
    server: LinkServer, hub: RecordingHub, caplog: pytest.LogCaptureFixture, device: ManualDevice
) -> None:
    channel = await device.handshake(server.bound_port or 0)
    assert isinstance(await channel.recv(), Accepted)
    sealed: list[bytes] = []
    assert device.stream is not None
    original = device.stream.write_body

    async def record(body: bytes) -> None:
        sealed.append(body)
        await original(body)

    device.stream.write_body = record  # type: ignore[method-assign]
    await channel.send(Tamper(True))
    await original(sealed[0])  # the same frame again
    await _closed_by_server(device)
    assert len(hub.received(Tamper)) == 1
    assert "tampered or replayed" in caplog.text


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "frame length 1195725856 outside"),
        (struct.pack(">I", 64 * 1024 + 1) + b"x" * 100, "frame length 65537 outside"),
        (struct.pack(">I", 0), "frame length 0 outside"),
        (struct.pack(">I", 5) + b"hello", "unknown message type 0x68"),
        (struct.pack(">I", 3) + b"\x06{}", "expected Hello, got Heartbeat"),
        (struct.pack(">I", 10) + b"\x01{", "closed inside a frame"),
        (b"\x00\x00", "closed inside a frame header"),
    ],
)
async def test_garbage_is_a_logged_protocol_error(
    server: LinkServer,
    caplog: pytest.LogCaptureFixture,
    raw: bytes,
    needle: str,
    device: ManualDevice,
) -> None:
    stream = await device.connect(server.bound_port or 0)
    stream._writer.write(raw)
    await stream._writer.drain()
    if "closed inside" in needle:
        stream._writer.write_eof()
    await _closed_by_server(device)
    await wait_until(lambda: needle in caplog.text)
    assert "protocol error" in caplog.text
    await _still_serving(server)


async def test_silent_client_is_dropped_after_the_handshake_timeout(
    server: LinkServer, caplog: pytest.LogCaptureFixture, device: ManualDevice
) -> None:
    await device.connect(server.bound_port or 0)
    await _closed_by_server(device)
    assert "handshake not completed within 0.5 s" in caplog.text


async def test_device_sending_controller_messages_is_cut_off(
    server: LinkServer, hub: RecordingHub, caplog: pytest.LogCaptureFixture, device: ManualDevice
) -> None:
    channel = await device.handshake(server.bound_port or 0)
    assert isinstance(await channel.recv(), Accepted)
    await channel.send(Decision(1, True, None, "I grant myself"))
    await _closed_by_server(device)
    assert "unexpected Decision from a device" in caplog.text
    assert hub.messages == []


async def test_second_auth_is_cut_off(
    server: LinkServer, caplog: pytest.LogCaptureFixture, device: ManualDevice
) -> None:
    channel = await device.handshake(server.bound_port or 0)
    assert isinstance(await channel.recv(), Accepted)
    await channel.send(Auth(bytes(64), "0" * 16, "0" * 64))
    await _closed_by_server(device)
    assert "unexpected Auth" in caplog.text


async def test_idle_session_is_closed(
    controller_key: Ed25519PrivateKey, hub: RecordingHub, caplog: pytest.LogCaptureFixture
) -> None:
    async with LinkServer(controller_key, hub, "127.0.0.1", 0, None, idle_timeout=0.2) as server:
        link = await _link(server)
        with pytest.raises(LinkClosedError):
            async with asyncio.timeout(5):
                await link.recv()
    assert "idle timeout" in caplog.text


async def test_heartbeats_keep_an_idle_session_open(
    controller_key: Ed25519PrivateKey, hub: RecordingHub
) -> None:
    async with LinkServer(controller_key, hub, "127.0.0.1", 0, None, idle_timeout=0.3) as server:
        assert server.bound_port is not None
        link = await open_link(
            "127.0.0.1",
            server.bound_port,
            None,
            Ed25519PrivateKey.generate(),
            READER_INFO,
            TOKEN,
            heartbeat_interval=0.05,
        )
        async with link:
            session = await _first_session(hub)
            start = session.last_seen
            # Many heartbeats later the session is still up (well past the idle timeout).
            await wait_until(lambda: session.last_seen - start > 0.6)
            assert not session.closed
            await link.send(Present(1, CARD))
            assert isinstance(await link.recv(), Decision)


async def _first_session(hub: RecordingHub) -> DeviceSession:
    await wait_until(lambda: bool(hub.sessions))
    return hub.sessions[0]


async def test_concurrent_sends_keep_nonces_in_step(server: LinkServer, hub: RecordingHub) -> None:
    async with await _link(server) as link:
        await wait_until(lambda: bool(hub.sessions))
        session = hub.sessions[0]
        await asyncio.gather(*(session.send(SetLed(LedState.GREEN, i + 1.0)) for i in range(50)))
        got = [await link.recv() for _ in range(50)]
        assert sorted(m.seconds for m in got if isinstance(m, SetLed)) == [  # type: ignore[type-var]
            i + 1.0 for i in range(50)
        ]


async def test_close_is_idempotent_and_ends_every_session(
    controller_key: Ed25519PrivateKey, hub: RecordingHub
) -> None:
    server = LinkServer(controller_key, hub, "127.0.0.1", 0, None)
    await server.start()
    links = [await _link(server) for _ in range(3)]
    await wait_until(lambda: len(server.sessions) == 3)
    await server.async_close()
    await server.async_close()
    assert len(hub.closed) == 3
    for link in links:
        with pytest.raises(LinkClosedError):
            async with asyncio.timeout(5):
                await link.recv()
    with pytest.raises(LinkClosedError):
        await hub.sessions[0].send(Heartbeat())


async def test_hub_closing_a_session_ends_it(server: LinkServer, hub: RecordingHub) -> None:
    async with await _link(server) as link:
        session = await _first_session(hub)
        await session.close()
        await session.close()
        with pytest.raises(LinkClosedError):
            async with asyncio.timeout(5):
                await link.recv()
        await wait_until(lambda: hub.closed == [session])


class SlowStartHub(RecordingHub):
    async def on_session(self, session: DeviceSession) -> None:
        await asyncio.sleep(0.7)  # longer than the 0.5 s handshake timeout of the fixture
        await super().on_session(session)
        raise RuntimeError("on_session exploded")


async def test_slow_or_failing_on_session_does_not_drop_the_device(
    controller_key: Ed25519PrivateKey, caplog: pytest.LogCaptureFixture
) -> None:
    hub = SlowStartHub()
    async with (
        LinkServer(controller_key, hub, "127.0.0.1", 0, None, handshake_timeout=0.5) as server,
        await _link(server) as link,
    ):
        await link.send(Present(1, CARD))
        assert isinstance(await link.recv(), Decision)
        assert len(hub.sessions) == 1
    assert "hub failed in on_session" in caplog.text
