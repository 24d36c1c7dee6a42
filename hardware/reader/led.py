"""The reader's LED as a pure state model: an idle colour plus one timed override.

The LED is computed when read, from an injected clock, so no timer task is needed and tests
can drive time directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from hardware.link.messages import LedState

Clock = Callable[[], float]


def idle_led(connected: bool, configured: bool, assigned: bool) -> LedState:
    """Return the LED colour when nothing else is being shown.

    Args:
        connected: The reader has an admitted link to the controller.
        configured: The reader was ever admitted by a controller (it has a pinned key).
        assigned: The controller last said the reader is assigned to a door.

    Returns:
        Amber before any controller was reached; bright white when assigned to a door
        (online or offline: ready to process an unlock); dim white otherwise.
    """
    if not connected and not configured:
        return LedState.AMBER
    if assigned:
        return LedState.WHITE
    return LedState.DIM_WHITE


class ReaderLed:
    """Holds the current LED override (decision feedback, ``SetLed``, ``Identify``)."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        """Create an LED showing its idle colour.

        Args:
            clock: Monotonic seconds; injected so tests control time.
        """
        self._clock = clock
        self._state: LedState | None = None
        self._until: float | None = None

    def show(self, state: LedState, seconds: float | None) -> None:
        """Show ``state`` for ``seconds`` (None: until the next ``show`` or ``clear``).

        The latest command wins; there is no stack of overrides.
        """
        self._state = state
        self._until = None if seconds is None else self._clock() + seconds

    def clear(self) -> None:
        """Drop any override and go back to the idle colour."""
        self._state = None
        self._until = None

    def current(self, idle: LedState) -> LedState:
        """Return what the LED shows now, given the idle colour."""
        if self._state is None:
            return idle
        if self._until is not None and self._clock() >= self._until:
            self.clear()
            return idle
        return self._state
