"""Wait on conditions, never on fixed sleeps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any


async def until(probe: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    """Poll ``probe`` until it returns something truthy; return that value.

    Raises:
        TimeoutError: naming ``what``, when it never held.
    """
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        result = probe()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return result
        last = result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what} (last: {last!r})")
        await asyncio.sleep(0.02)
