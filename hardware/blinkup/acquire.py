"""Find a transfer's preamble: an alternation of two levels, one per display frame.

Both modes start with one (``imp``: black/gray, ``fast``: black/white). Over a sliding window
of 16 frames we measure the signal's component at half the frame rate (a single DFT bin);
an alternation puts about 81 % of the window's variance there, a steady screen or noise almost
none, whatever the scale, offset or swing of the sensor. The bin's phase says where the bright
frames are; its amplitude gives first estimates of the two levels.
"""

from __future__ import annotations

import cmath
import math
import operator
import statistics
from dataclasses import dataclass

from hardware.blinkup.samples import SampleBuffer

WINDOW_FRAMES = 16
MIN_SHARE = 0.5  # share of the window's variance that must sit at half the frame rate
_PEAK_HOPS = 4  # after the first hit, look this many hops further for a better window


@dataclass(frozen=True)
class Lock:
    """Where an alternation was found.

    Attributes:
        start: Stream position (in samples) where a bright frame begins.
        low: Estimated level of the dark frames (relative to the buffer's reference).
        high: Estimated level of the bright frames.
        share: Share of the window's variance at half the frame rate (0–1).
    """

    start: float
    low: float
    high: float
    share: float


class Acquirer:
    """Scans a :class:`SampleBuffer` for the preamble alternation."""

    def __init__(self, period: float) -> None:
        """Prepare for frames of ``period`` samples."""
        self.period = period
        self.size = max(8, round(WINDOW_FRAMES * period))
        self.hop = max(1, round(period / 2))
        self.next = 0  # stream index of the next window to try
        omega = math.pi / period  # half the frame rate, in radians per sample
        self._omega = omega
        self._cos = [math.cos(omega * n) for n in range(self.size)]
        self._sin = [math.sin(omega * n) for n in range(self.size)]
        self._sum_cos = math.fsum(self._cos)
        self._sum_sin = math.fsum(self._sin)

    def _measure(self, buffer: SampleBuffer, start: int) -> tuple[float, complex, float]:
        window = buffer.window(start, start + self.size)
        first = window[0]
        rel = [v - first for v in window]  # keeps the sums of squares precise
        mean = math.fsum(rel) / self.size
        var = math.fsum(map(operator.mul, rel, rel)) / self.size - mean * mean
        re = math.fsum(map(operator.mul, rel, self._cos)) - mean * self._sum_cos
        im = math.fsum(map(operator.mul, rel, self._sin)) - mean * self._sum_sin
        bin_ = complex(re, -im)
        if not var > 0.0 or not math.isfinite(var):
            return 0.0, bin_, mean + first
        amplitude = 2.0 * abs(bin_) / self.size
        return min(1.0, amplitude * amplitude / 2.0 / var), bin_, mean + first

    def scan(self, buffer: SampleBuffer) -> Lock | None:
        """Look for the alternation in the samples buffered so far.

        Returns:
            The lock, or None if more samples are needed (``next`` says where to resume).
        """
        self.next = max(self.next, buffer.base)
        while self.next + self.size + _PEAK_HOPS * self.hop <= buffer.end:
            share, _, _ = self._measure(buffer, self.next)
            if share >= MIN_SHARE:
                return self._lock(buffer, self.next)
            self.next += self.hop
        return None

    def _lock(self, buffer: SampleBuffer, first: int) -> Lock:
        best = max(
            (
                (*self._measure(buffer, first + k * self.hop), first + k * self.hop)
                for k in range(_PEAK_HOPS + 1)
                if first + k * self.hop + self.size <= buffer.end
            ),
            key=operator.itemgetter(0),
        )
        share, bin_, mean, start = best
        phase = -cmath.phase(bin_)  # bright-frame centres at start + (phase + 2πk) / ω
        centre = start + (phase % (2 * math.pi)) / self._omega
        while centre < start + self.size / 2:
            centre += 2 * self.period
        self.next = start + self.size
        low, high = self._levels(buffer, centre - self.period / 2, start + self.size)
        if not high > low:  # the levels must be ordered for the decoders' scales
            half_swing = math.pi / 4 * 2 * abs(bin_) / self.size  # fundamental = 4/π · half swing
            low, high = mean - half_swing, mean + half_swing
        return Lock(centre - self.period / 2, low, high, share)

    def _levels(self, buffer: SampleBuffer, bright: float, end: int) -> tuple[float, float]:
        # Median level of the bright and of the dark frames in the window's second half (the
        # first half may still hold the idle screen).
        means: list[list[float]] = [[], []]
        for k in range(round(WINDOW_FRAMES / 2)):
            begin = bright + k * self.period
            if begin + self.period > end:
                break
            means[k % 2].append(buffer.mean(begin + 0.25 * self.period, begin + 0.85 * self.period))
        if not means[1]:  # too close to the end of the window to see both
            return 0.0, 0.0
        return statistics.median(means[1]), statistics.median(means[0])
