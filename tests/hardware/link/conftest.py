"""Fixtures for link tests: a real LinkServer on loopback with a recording hub."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hardware.link.server import LinkServer
from tests.hardware.link.support import ManualDevice, RecordingHub


@pytest.fixture
def controller_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def hub() -> RecordingHub:
    return RecordingHub()


@pytest.fixture
async def server(controller_key: Ed25519PrivateKey, hub: RecordingHub) -> AsyncIterator[LinkServer]:
    async with LinkServer(
        controller_key, hub, "127.0.0.1", 0, None, handshake_timeout=0.5, idle_timeout=5.0
    ) as srv:
        yield srv


@pytest.fixture
async def device() -> AsyncIterator[ManualDevice]:
    manual = ManualDevice()
    yield manual
    await manual.close()
