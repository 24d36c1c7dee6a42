"""Checks that a test leaves no thread or asyncio task running (use them as autouse fixtures)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator


def threads_left_behind() -> Iterator[None]:
    """Fail when the test leaves a thread running that was not there before it."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not leaked, f"leaked threads: {leaked}"


async def tasks_left_behind() -> AsyncIterator[None]:
    """Fail when the test leaves a task pending on its event loop."""
    yield
    await asyncio.sleep(0)
    current = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    assert not pending, f"leaked tasks: {pending}"
