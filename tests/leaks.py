"""Checks that a test leaves no thread or asyncio task running (use them as autouse fixtures)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

from tests.waiting import until


def threads_left_behind() -> Iterator[None]:
    """Fail when the test leaves a thread running that was not there before it."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not leaked, f"leaked threads: {leaked}"


async def tasks_left_behind() -> AsyncIterator[None]:
    """Fail when the test leaves a task pending on its event loop."""
    yield
    current = asyncio.current_task()

    def pending() -> list[asyncio.Task[Any]]:
        return [t for t in asyncio.all_tasks() if t is not current and not t.done()]

    # Tasks cancelled while the test closed things down still need a turn to end.
    with contextlib.suppress(TimeoutError):  # the assert below names what is left
        await until(lambda: not pending(), 2.0, "the test's tasks to end")
    assert not pending(), f"leaked tasks: {pending()}"
