"""Frame timing and brightness levels, shared by both modes' receivers.

``LevelModel`` maps each symbol to a sensor value ``offset + gain * position`` (plus, for a slow
screen, a share of the step from the previous frame): the positions (black 0, the preamble's
bright level 1) are learned once from the preamble, while ``offset`` and ``gain`` follow ambient
light and auto-brightness from every frame decided afterwards.

``FrameTracker`` walks the samples one display frame at a time. Both formats change level at
every frame boundary, so it re-times each boundary on the edge it finds there and so follows
frames that come early or late (jitter) or a screen that runs a little fast or slow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hardware.blinkup.samples import SampleBuffer

MEASURE = (0.15, 0.8)  # part of a frame averaged for its level (the start is still settling)
EDGE_GAIN = 0.6  # share of a measured timing error applied to the boundary
PERIOD_GAIN = 0.02  # and to the frame period, so a steady rate error is learned
MAX_STEP = 0.3  # largest correction per frame, in frames
RATE_RANGE = 0.1  # the period may drift 10 % from nominal
MAX_CARRY = 0.45  # beyond this share of the last step, a screen is too slow for the frame rate


class LevelModel:
    """Sensor value of each symbol: ``offset + gain * positions[symbol]``, plus a carry-over.

    A slow screen has not finished changing when a frame is measured, so the reading still holds
    a share ``carry`` of the step from the previous frame's level. Decisions that know the
    previous symbol take it into account (a one-tap decision-feedback equaliser).
    """

    def __init__(
        self, positions: Sequence[float], offset: float, gain: float, carry: float = 0.0
    ) -> None:
        """Start from the preamble's dark (``offset``) and bright (``offset + gain``) values."""
        self.positions = list(positions)
        self.offset = offset
        self.gain = gain
        self.carry = carry
        self._min_gain = abs(gain) * 1e-3

    def _place(self, symbol: int, previous: int | None) -> float:
        # Expected reading of `symbol` after `previous`, on the scale of the positions.
        u = self.positions[symbol]
        if previous is None:
            return u
        return u + self.carry * (self.positions[previous] - u)

    def value(self, symbol: int, previous: int | None = None) -> float:
        """Expected sensor value of ``symbol`` (after ``previous``, if known)."""
        return self.offset + self.gain * self._place(symbol, previous)

    def position(self, value: float) -> float:
        """Where a sensor value sits on the symbol scale (0 black, 1 the preamble's bright)."""
        return (value - self.offset) / self.gain

    def classify(
        self, value: float, allowed: Sequence[int] | None = None, previous: int | None = None
    ) -> int:
        """The symbol whose expected value (after ``previous``) is nearest to ``value``."""
        where = self.position(value)
        choices = range(len(self.positions)) if allowed is None else allowed
        return min(choices, key=lambda s: abs(self._place(s, previous) - where))

    def margin(self, value: float, symbol: int, previous: int | None = None) -> float:
        """How safely ``value`` was decided as ``symbol``: 0 on a boundary, 1 dead on the level."""
        where = self.position(value)
        own_place = self._place(symbol, previous)
        nearest = min(
            abs(self._place(other, previous) - own_place)
            for other in range(len(self.positions))
            if other != symbol
        )
        own = abs(own_place - where)
        return max(0.0, 1.0 - 2.0 * own / nearest) if nearest > 0 else 0.0

    def update(self, symbol: int, value: float, rate: float, previous: int | None = None) -> None:
        """Nudge the scale (and, given ``previous``, the carry) toward a decided frame.

        The middle of the scale and its span are moved separately: fitting offset and gain
        directly would let a change of ambient light leak into the gain and be followed only
        slowly (the two are strongly correlated when every position is between 0 and 1).
        """
        place = self._place(symbol, previous)
        error = value - (self.offset + self.gain * place)
        if previous is not None:
            step = self.positions[previous] - self.positions[symbol]
            self.carry = min(MAX_CARRY, max(0.0, self.carry + rate * error / self.gain * step))
        middle = self.offset + 0.5 * self.gain + rate * error
        gain = self.gain + rate * error * 2.0 * (place - 0.5)
        if abs(gain) < self._min_gain:  # never let the scale collapse to nothing
            gain = self._min_gain if gain >= 0 else -self._min_gain
        self.gain = gain
        self.offset = middle - 0.5 * gain


@dataclass(frozen=True)
class Frame:
    """One display frame as measured.

    Attributes:
        start: Stream position (samples) where the frame was found to begin.
        value: Mean sensor value over the settled part of the frame.
        symbol: The nearest symbol of the level model at the time.
        edge: Whether the level changed from the previous frame.
    """

    start: float
    value: float
    symbol: int
    edge: bool


class FrameTracker:
    """Follows display frames through the samples, re-timing on every edge."""

    def __init__(self, period: float, start: float, previous: int) -> None:
        """Start at the frame beginning at ``start``; ``previous`` is the symbol before it."""
        self.nominal = period
        self.period = period
        self.start = start
        self.previous = previous

    def _level(self, buffer: SampleBuffer, start: float) -> float:
        return buffer.mean(start + MEASURE[0] * self.period, start + MEASURE[1] * self.period)

    def _edge(self, buffer: SampleBuffer, model: LevelModel, symbol: int) -> float:
        # Over one frame centred on the expected boundary, the mean says what share of samples
        # still shows the old level, hence where the change happened; averaging many samples
        # makes this far steadier than looking for a single threshold crossing.
        half = self.period / 2
        lo, hi = buffer.span(self.start - half, self.start + half)
        before, after = model.value(self.previous), model.value(symbol)
        if hi <= lo or before == after:
            return 0.0
        share = (buffer.mean(lo, hi) - after) / (before - after)
        share = min(1.0, max(0.0, share))
        return lo + share * (hi - lo) - self.start

    def next(self, buffer: SampleBuffer, model: LevelModel) -> Frame | None:
        """Measure the next frame, or return None until enough samples are buffered."""
        if buffer.end < self.start + (1 + MAX_STEP) * self.period + 1:
            return None
        value = self._level(buffer, self.start)
        symbol = model.classify(value, previous=self.previous)
        edge = symbol != self.previous
        if edge:
            limit = MAX_STEP * self.period
            error = min(limit, max(-limit, self._edge(buffer, model, symbol)))
            self.start += EDGE_GAIN * error
            low, high = self.nominal * (1 - RATE_RANGE), self.nominal * (1 + RATE_RANGE)
            self.period = min(high, max(low, self.period + PERIOD_GAIN * error))
            value = self._level(buffer, self.start)
            symbol = model.classify(value, previous=self.previous)
        frame = Frame(self.start, value, symbol, edge)
        self.previous = symbol
        self.start += self.period
        return frame
