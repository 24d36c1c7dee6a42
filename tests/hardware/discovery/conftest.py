"""Fixtures for discovery tests. Everything runs on loopback (127.0.0.1) only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from hardware.discovery import (
    AnnouncedDevice,
    DeviceAnnouncer,
    DeviceBrowser,
    DeviceKind,
    DeviceState,
)
from tests.hardware.discovery.support import LOOPBACK, Recorder
from tests.leaks import tasks_left_behind, threads_left_behind


@pytest.fixture
def serial() -> Callable[[str], str]:
    """Make serials unique per test run, so parallel runs on loopback never collide."""
    run = uuid.uuid4().hex[:8].upper()
    return lambda tag: f"T{run}-{tag}"


@pytest.fixture
def make_device(serial: Callable[[str], str]) -> Callable[..., AnnouncedDevice]:
    def make(
        tag: str, kind: DeviceKind = "reader", state: DeviceState = "unconfigured"
    ) -> AnnouncedDevice:
        number = sum(tag.encode()) % 256
        return AnnouncedDevice(
            kind=kind,
            serial=serial(tag),
            name=f"Test {kind.replace('_', ' ')}",
            port=31000 + number,
            mac=f"02:00:00:00:00:{number:02x}",
            model="LR-1" if kind == "reader" else "LC-4",
            firmware="1.2.3",
            state=state,
        )

    return make


@pytest.fixture
async def announcer() -> AsyncIterator[DeviceAnnouncer]:
    async with DeviceAnnouncer(LOOPBACK) as announcer:
        yield announcer


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def browser(recorder: Recorder) -> AsyncIterator[DeviceBrowser]:
    async with DeviceBrowser("lo", recorder) as browser:
        yield browser


# Zeroconf must run on the test's loop (no helper threads), and closing announcers and
# browsers must leave no task running on it.
no_leaked_threads = pytest.fixture(autouse=True)(threads_left_behind)
no_leaked_tasks = pytest.fixture(autouse=True)(tasks_left_behind)
