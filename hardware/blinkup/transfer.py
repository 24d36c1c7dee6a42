"""One entry point per question, whatever the mode: the packet, the symbols, the screen levels."""

from __future__ import annotations

from enum import StrEnum

from hardware.blinkup import fast, imp
from hardware.blinkup.settings import Settings


class Mode(StrEnum):
    """The optical format: ``imp`` (compatible, tri-level) or ``fast`` (ours, five levels)."""

    IMP = "imp"
    FAST = "fast"


def packet(settings: Settings, mode: Mode) -> bytes:
    """The bytes sent before any line coding: the ``imp`` packet or the ``fast`` message."""
    return imp.packet(settings) if Mode(mode) is Mode.IMP else fast.packet(settings)


def symbols(settings: Settings, mode: Mode) -> list[int]:
    """One symbol per display frame (``imp``: 0 black, 1 gray, 2 white; ``fast``: level 0–4)."""
    return imp.symbols(settings) if Mode(mode) is Mode.IMP else fast.symbols(settings)


def screen_levels(mode: Mode) -> tuple[int, ...]:
    """The screen level (0–255) of each symbol of ``mode``."""
    return imp.LEVELS if Mode(mode) is Mode.IMP else fast.LEVELS


def frames(settings: Settings, mode: Mode) -> list[int]:
    """One screen level (0–255) per display frame: what the flasher shows, frame by frame.

    Args:
        settings: What to send.
        mode: The optical format.

    Returns:
        Gray levels to fill the flashing area with, one per display refresh, in order.

    Raises:
        BlinkUpError: If the settings cannot be sent in this mode.
    """
    levels = screen_levels(mode)
    return [levels[s] for s in symbols(settings, mode)]


def duration(frame_count: int, fps: float) -> float:
    """Seconds needed to show ``frame_count`` frames at ``fps`` frames per second."""
    return frame_count / fps
