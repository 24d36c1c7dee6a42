"""The receiver's sample buffer: light-sensor readings with O(1) means over any span."""

from __future__ import annotations

import math
from collections.abc import Iterable

from hardware.blinkup.errors import BlinkUpDecodeError, DecodeFailure

_MAX_MAGNITUDE = 1e100  # far beyond any sensor; keeps sums of squares finite


class SampleBuffer:
    """Samples indexed from 0 since the start of the stream; old ones can be dropped.

    Values are stored relative to the first sample, so the running sums stay precise even with
    a large ambient offset (a 16-bit ADC reading 50,000 ± 10, say).
    """

    def __init__(self) -> None:
        self.base = 0  # stream index of self._x[0]
        self._x: list[float] = []
        self._cum: list[float] = [0.0]
        self._ref: float | None = None

    @property
    def end(self) -> int:
        """Stream index one past the last sample."""
        return self.base + len(self._x)

    def extend(self, samples: Iterable[float]) -> None:
        """Append samples.

        Raises:
            BlinkUpDecodeError: ``BAD_SAMPLES`` for a value that is not a finite number.
        """
        for value in samples:
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise BlinkUpDecodeError(
                    DecodeFailure.BAD_SAMPLES, f"sample {self.end} is not a number"
                ) from None
            if not math.isfinite(number) or abs(number) > _MAX_MAGNITUDE:
                raise BlinkUpDecodeError(
                    DecodeFailure.BAD_SAMPLES, f"sample {self.end} is {number!r}"
                )
            if self._ref is None:
                self._ref = number
            rel = number - self._ref
            self._x.append(rel)
            self._cum.append(self._cum[-1] + rel)

    def window(self, start: int, stop: int) -> list[float]:
        """Samples ``start..stop-1`` (stream indices, clipped), relative to the reference."""
        lo, hi = max(start, self.base) - self.base, max(min(stop, self.end) - self.base, 0)
        return self._x[lo:hi]

    def span(self, start: float, stop: float) -> tuple[int, int]:
        """The stream indices of the samples taken at times in ``[start, stop)``, clipped."""
        return max(math.ceil(start), self.base), min(math.ceil(stop), self.end)

    def mean(self, start: float, stop: float) -> float:
        """Mean of the samples in ``[start, stop)`` relative to the reference (0 if none)."""
        lo, hi = self.span(start, stop)
        if hi <= lo:
            return 0.0
        return (self._cum[hi - self.base] - self._cum[lo - self.base]) / (hi - lo)

    def trim(self, keep_from: int) -> None:
        """Forget samples before stream index ``keep_from``."""
        drop = min(max(keep_from - self.base, 0), len(self._x))
        if drop > 4096 or drop > len(self._x) // 2:  # amortise the list copies
            del self._x[:drop]
            del self._cum[:drop]
            self.base += drop
