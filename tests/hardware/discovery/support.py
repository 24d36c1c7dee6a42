"""Helpers for discovery tests: loopback only, condition waits instead of sleeps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from hardware.discovery import DiscoveryEvent

LOOPBACK = "127.0.0.1"


async def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``predicate()`` is true, checking every 20 ms; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.02)


class Recorder:
    """Collects browser events; tests filter by their own serials (loopback is shared)."""

    def __init__(self) -> None:
        self.events: list[DiscoveryEvent] = []

    def __call__(self, event: DiscoveryEvent) -> None:
        self.events.append(event)

    def of(self, serial: str) -> list[DiscoveryEvent]:
        return [e for e in self.events if e.device.serial == serial]

    def kinds(self, serial: str) -> list[str]:
        return [e.kind for e in self.of(serial)]
