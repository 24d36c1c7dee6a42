"""Fixtures: a real LinkServer with a small site hub, and a DeviceSim connected to it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hardware.devicesim.sim import DeviceSim
from hardware.link.messages import (
    ControllerMessage,
    Decision,
    DeviceKind,
    DeviceMessage,
    Present,
    Pulse,
)
from hardware.link.runner import Backoff, ServerAddress
from hardware.link.server import LinkServer
from hardware.link.session import DeviceSession
from tests.hardware.link.support import RecordingHub

MEMBER_CARD = "10111101100010001110101110"  # H10301 facility 123, card 4567
STRANGER_CARD = "00000000000000000000000001"
FAST_BACKOFF = Backoff(initial=0.02, maximum=0.2)


class SiteHub(RecordingHub):
    """Grants the member's card, denies others, and pulses relay 1 of any door controller."""

    def __init__(self) -> None:
        super().__init__(decide=self._decide)
        self.pulse_seconds = 0.2

    @staticmethod
    def _decide(msg: Present) -> Decision:
        if msg.credential.wiegand == MEMBER_CARD:
            return Decision(msg.seq, True, None, "Unlocked!")
        return Decision(msg.seq, False, "afc496", "access denied")

    def session_of(self, kind: DeviceKind) -> DeviceSession:
        return next(s for s in reversed(self.sessions) if s.peer.kind is kind and not s.closed)

    async def on_message(
        self, session: DeviceSession, msg: DeviceMessage
    ) -> ControllerMessage | None:
        reply = await super().on_message(session, msg)
        if isinstance(reply, Decision) and reply.granted:
            door = self.session_of(DeviceKind.DOOR_CONTROLLER)
            await door.send(Pulse(1, self.pulse_seconds))
        return reply


@pytest.fixture
def controller_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def hub() -> SiteHub:
    return SiteHub()


@pytest.fixture
async def server(controller_key: Ed25519PrivateKey, hub: SiteHub) -> AsyncIterator[LinkServer]:
    async with LinkServer(controller_key, hub, "127.0.0.1", 0, None, handshake_timeout=2) as srv:
        yield srv


def make_sim(data: Path, port: int, readers: int = 2, controllers: int = 1) -> DeviceSim:
    """A simulator with short feedback and fast reconnects, pointed at ``port``."""
    return DeviceSim(
        data,
        readers,
        controllers,
        ServerAddress("127.0.0.1", port, None),
        "127.0.0.1",
        0,
        feedback_seconds=0.3,
        backoff=FAST_BACKOFF,
    )


@pytest.fixture
async def sim(tmp_path: Path, server: LinkServer) -> AsyncIterator[DeviceSim]:
    assert server.bound_port is not None
    async with make_sim(tmp_path / "sim", server.bound_port) as running:
        yield running


class Control:
    """A tiny client for the control API, found through ``control.json``."""

    def __init__(self, http: aiohttp.ClientSession, data: Path) -> None:
        address = json.loads((data / "control.json").read_text())["control"]
        self.base = f"http://{address}"
        self.http = http

    async def get(self, path: str) -> Any:
        async with self.http.get(self.base + path) as resp:
            assert resp.status == 200, await resp.text()
            return await resp.json()

    async def post(self, path: str, body: object = None, raw: str | None = None) -> tuple[int, Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body))
        async with self.http.post(self.base + path, data=data) as resp:
            return resp.status, await resp.json()


@pytest.fixture
async def control(sim: DeviceSim) -> AsyncIterator[Control]:
    async with aiohttp.ClientSession() as http:
        yield Control(http, sim.data_dir)
