"""Run the real main window on a qasync loop with the controller embedded and simulated devices.

Each test is a coroutine run to completion on the Qt-driven asyncio loop, so `asyncSlot`
handlers, the controller and the simulated devices all share one loop as in the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from app.controller.service import Controller
from hardware.devicesim.sim import DeviceSim
from hardware.link.runner import ServerAddress
from tests.controller.conftest import loopback_config

Runner = Callable[[Callable[[], Awaitable[Any]]], Any]


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture
def run(qloop: qasync.QEventLoop) -> Runner:
    def runner(body: Callable[[], Awaitable[Any]]) -> Any:
        return qloop.run_until_complete(asyncio.wait_for(body(), 60))

    return runner


class Site:
    """An embedded controller plus simulated devices, started and stopped on the test's loop."""

    def __init__(self, tmp_path: Path, readers: int, controllers: int) -> None:
        self.controller = Controller(loopback_config(tmp_path / "site"))
        self.tmp_path = tmp_path
        self.counts = (readers, controllers)
        self.sim: DeviceSim | None = None

    async def start(self) -> None:
        await self.controller.start()
        assert self.controller.device_port
        self.sim = DeviceSim(
            self.tmp_path / "devices",
            *self.counts,
            server=ServerAddress("127.0.0.1", self.controller.device_port, None),
            heartbeat_interval=None,
        )
        await self.sim.start()

    async def stop(self) -> None:
        if self.sim is not None:
            await self.sim.async_close()
        await self.controller.stop()
