"""What the receiver needs from each mode's decoder (internal to ``hardware.blinkup``)."""

from __future__ import annotations

from typing import Protocol

from hardware.blinkup.settings import Settings
from hardware.blinkup.tracker import Frame, LevelModel


class FalseLock(Exception):
    """The alternation locked on was not a preamble after all: go back to searching."""


class ModeDecoder(Protocol):
    """Turns measured frames into settings for one mode."""

    low_symbol: int  # the preamble alternates between these two symbols
    high_symbol: int

    def start(self, low: float, high: float) -> LevelModel:
        """Begin after a lock; ``low``/``high`` are the alternation's measured levels."""
        ...

    def on_frame(self, frame: Frame) -> Settings | None:
        """Take one frame; return the settings once complete.

        Raises:
            FalseLock: The lock was not a real preamble.
            BlinkUpDecodeError: The transfer failed for good.
        """
        ...

    def progress(self) -> tuple[int, int | None]:
        """Frames of the transfer received so far, and the total once known."""
        ...

    def at_end(self) -> Settings:
        """The input ended: decode what was received, or raise ``BlinkUpDecodeError``."""
        ...
