"""Identities survive restarts; devices reconnect after the server restarts; pins hold."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hardware.link.handshake import public_key_bytes
from hardware.link.identity import load_identity
from hardware.link.messages import Credential, LedState
from hardware.link.server import LinkServer
from tests.hardware.devicesim.conftest import MEMBER_CARD, SiteHub, make_sim
from tests.hardware.link.support import wait_until

pytestmark = pytest.mark.timeout(30)  # a hung socket must fail the test, not the run


async def test_identities_persist_across_restarts(
    tmp_path: Path, server: LinkServer, controller_key: Ed25519PrivateKey
) -> None:
    assert server.bound_port is not None
    async with make_sim(tmp_path, server.bound_port) as sim:
        await wait_until(lambda: all(r.connected for r in sim.readers))
        before = [(r.serial, r.token, r.identity.public_key) for r in sim.readers]
        door = sim.controllers[0]
        door_before = (door.serial, door.token, door.identity.public_key)
    files = sorted(p.name for p in (tmp_path / "devices").iterdir())
    assert files == ["controller-001.json", "reader-001.json", "reader-002.json"]
    for path in (tmp_path / "devices").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        # The controller key was pinned on first admission and saved.
        assert load_identity(path).controller_key == public_key_bytes(controller_key)
    async with make_sim(tmp_path, server.bound_port, readers=3) as again:
        after = [(r.serial, r.token, r.identity.public_key) for r in again.readers]
        door = again.controllers[0]
        assert after[:2] == before
        assert after[2][0] not in {serial for serial, _, _ in before}
        assert (door.serial, door.token, door.identity.public_key) == door_before
        assert door.serial.startswith("LC2-") and after[0][0].startswith("LR2-")


async def test_devices_reconnect_after_the_server_restarts(
    tmp_path: Path, controller_key: Ed25519PrivateKey
) -> None:

    hub = SiteHub()
    first = LinkServer(controller_key, hub, "127.0.0.1", 0, None)
    await first.start()
    port = first.bound_port
    assert port is not None
    async with make_sim(tmp_path, port) as sim:
        reader = sim.readers[0]
        await wait_until(lambda: reader.connected and sim.controllers[0].connected)
        await first.async_close()
        await wait_until(lambda: not reader.connected)
        # Set up before, so not amber: offline and unassigned shows dim white.
        assert reader.led is LedState.DIM_WHITE
        async with LinkServer(controller_key, hub, "127.0.0.1", port, None):
            await wait_until(lambda: all(r.connected for r in sim.readers))
            await wait_until(lambda: sim.controllers[0].connected)
            decision = await reader.present(Credential(wiegand=MEMBER_CARD))
            assert decision.granted
    assert len(hub.peers) == 6  # three devices admitted twice


async def test_devices_refuse_a_different_controller(
    tmp_path: Path, server: LinkServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lintel.link")
    assert server.bound_port is not None
    async with make_sim(tmp_path, server.bound_port, readers=1, controllers=0) as sim:
        await wait_until(lambda: sim.readers[0].connected)
    impostor_hub = SiteHub()
    async with (
        LinkServer(Ed25519PrivateKey.generate(), impostor_hub, "127.0.0.1", 0, None) as impostor,
        make_sim(tmp_path, impostor.bound_port or 0, readers=1, controllers=0) as sim,
    ):
        await wait_until(lambda: "refuses controller" in caplog.text)
        assert not sim.readers[0].connected
        assert impostor_hub.peers == []
    assert "not the pinned key" in caplog.text
