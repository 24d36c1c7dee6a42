"""Device side of the link: fallback ports, controller-key pinning, connection failures."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hardware.link.client import DeviceLink, open_link
from hardware.link.errors import (
    ControllerKeyMismatchError,
    LinkConnectError,
    LinkTimeoutError,
)
from hardware.link.handshake import public_key_bytes
from hardware.link.server import LinkServer
from tests.hardware.link.support import READER_INFO, TOKEN, RecordingHub, closed_port

pytestmark = pytest.mark.timeout(30)  # a hung socket must fail the test, not the run


@pytest.fixture
def listening_socket() -> Iterator[socket.socket]:
    """A loopback port that is taken (listening) but never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock
    sock.close()


async def _open(
    port: int, fallback: int | None, *, pinned: bytes | None = None, timeout: float = 10.0
) -> DeviceLink:

    return await open_link(
        "127.0.0.1",
        port,
        fallback,
        Ed25519PrivateKey.generate(),
        READER_INFO,
        TOKEN,
        pinned_controller_key=pinned,
        handshake_timeout=timeout,
        heartbeat_interval=None,
    )


async def test_server_binds_the_fallback_port_when_the_main_one_is_taken(
    controller_key: Ed25519PrivateKey,
    hub: RecordingHub,
    listening_socket: socket.socket,
    caplog: pytest.LogCaptureFixture,
) -> None:
    taken = int(listening_socket.getsockname()[1])
    async with LinkServer(controller_key, hub, "127.0.0.1", taken, 0) as server:
        assert server.bound_port not in (None, taken)
        assert f"cannot bind 127.0.0.1:{taken}" in caplog.text
        assert server.bound_port is not None
        link = await open_link(
            "127.0.0.1",
            server.bound_port,
            None,
            Ed25519PrivateKey.generate(),
            READER_INFO,
            TOKEN,
            heartbeat_interval=None,
        )
        await link.async_close()


async def test_server_without_fallback_raises_when_the_port_is_taken(
    controller_key: Ed25519PrivateKey, hub: RecordingHub, listening_socket: socket.socket
) -> None:
    server = LinkServer(
        controller_key, hub, "127.0.0.1", int(listening_socket.getsockname()[1]), None
    )
    with pytest.raises(OSError):
        await server.start()
    await server.async_close()


async def test_client_falls_back_when_the_main_port_refuses(server: LinkServer) -> None:
    assert server.bound_port is not None
    link = await open_link(
        "127.0.0.1",
        closed_port(),
        server.bound_port,
        Ed25519PrivateKey.generate(),
        READER_INFO,
        TOKEN,
        heartbeat_interval=None,
    )
    assert link.remote[1] == server.bound_port
    await link.async_close()


async def test_client_reports_both_ports_when_nothing_answers() -> None:
    main, fallback = closed_port(), closed_port()
    with pytest.raises(LinkConnectError) as info:
        await _open(main, fallback)
    assert f"127.0.0.1:{main}" in str(info.value)
    assert f"127.0.0.1:{fallback}" in str(info.value)


async def test_client_times_out_on_a_server_that_never_answers(
    listening_socket: socket.socket,
) -> None:
    with pytest.raises(LinkTimeoutError, match="timed out"):
        await _open(int(listening_socket.getsockname()[1]), None, timeout=0.2)


async def test_pinned_controller_key_refuses_another_controller(
    server: LinkServer,
    controller_key: Ed25519PrivateKey,
    hub: RecordingHub,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="lintel.link")
    assert server.bound_port is not None
    other = public_key_bytes(Ed25519PrivateKey.generate())
    with pytest.raises(ControllerKeyMismatchError):
        await _open(server.bound_port, None, pinned=other)
    assert "device LR2-0000TEST refuses controller at 127.0.0.1" in caplog.text
    assert "not the pinned key" in caplog.text
    assert hub.peers == []  # the device never sent its Auth
    link = await open_link(
        "127.0.0.1",
        server.bound_port,
        None,
        Ed25519PrivateKey.generate(),
        READER_INFO,
        TOKEN,
        pinned_controller_key=public_key_bytes(controller_key),
        heartbeat_interval=None,
    )
    await link.async_close()
