"""The light-sensor side: samples in, settings out, chunk by chunk.

``Receiver`` buffers samples, searches for a preamble (``acquire``), follows frames
(``tracker``) and hands them to the mode's decoder. A false start (an alternation that is not
followed by a sync word) sends it back to searching; a failure after the sync raises
:class:`BlinkUpDecodeError` and the receiver stays failed until :meth:`Receiver.reset`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn

from hardware.blinkup.acquire import Acquirer
from hardware.blinkup.errors import BlinkUpDecodeError, BlinkUpError, DecodeFailure
from hardware.blinkup.fast_rx import FastDecoder
from hardware.blinkup.imp_rx import ImpDecoder
from hardware.blinkup.rxbase import FalseLock, ModeDecoder
from hardware.blinkup.samples import SampleBuffer
from hardware.blinkup.settings import Settings
from hardware.blinkup.tracker import FrameTracker, LevelModel
from hardware.blinkup.transfer import Mode

MIN_SAMPLES_PER_FRAME = 4
# Bounds that keep a bogus rate from costing seconds and memory before the first sample is
# read (the acquirer's tables grow with the samples per frame): a real sensor at up to 10 kHz
# watching a 24-240 Hz screen is well inside them.
MAX_SAMPLES_PER_FRAME = 1000
MIN_FPS = 1.0
MAX_FPS = 240.0


class RxState(StrEnum):
    """Where a receiver stands."""

    SEARCHING = "searching"
    RECEIVING = "receiving"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Progress:
    """A receiver's state after a chunk of samples.

    Attributes:
        state: Searching for a preamble, receiving, done or failed.
        frames: Frames of the transfer received so far.
        expected: Total frames of the transfer, once the receiver knows it.
        settings: The decoded settings once ``state`` is ``DONE``.
    """

    state: RxState
    frames: int = 0
    expected: int | None = None
    settings: Settings | None = None

    @property
    def fraction(self) -> float:
        """Share of the transfer received, 0–1 (0 while the total is unknown)."""
        if self.state is RxState.DONE:
            return 1.0
        return min(1.0, self.frames / self.expected) if self.expected else 0.0


class Receiver:
    """Decodes a BlinkUp transfer from light-sensor samples fed in chunks.

    Example::

        rx = Receiver("fast", rate=1000.0, fps=60.0)
        for chunk in sensor_chunks:
            if rx.feed(chunk).state is RxState.DONE:
                break
        settings = rx.finish()
    """

    def __init__(self, mode: Mode | str, rate: float, fps: float) -> None:
        """Listen for ``mode`` transfers sampled at ``rate`` Hz, shown at ``fps`` frames/s.

        Raises:
            BlinkUpError: For an unknown mode or fewer than 4 samples per frame.
        """
        try:
            self.mode = Mode(mode)
        except ValueError:
            raise BlinkUpError(f"unknown BlinkUp mode {mode!r} (imp or fast)") from None
        if not (math.isfinite(rate) and math.isfinite(fps) and fps > 0):
            raise BlinkUpError(f"bad sample rate {rate!r} or frame rate {fps!r}")
        if not (MIN_FPS <= fps <= MAX_FPS):
            raise BlinkUpError(f"a screen shows {MIN_FPS:g} to {MAX_FPS:g} frames/s, not {fps:g}")
        if not (MIN_SAMPLES_PER_FRAME <= rate / fps <= MAX_SAMPLES_PER_FRAME):
            raise BlinkUpError(
                f"{rate:g} Hz gives {rate / fps:.1f} samples per frame at {fps:g} fps; "
                f"need {MIN_SAMPLES_PER_FRAME} to {MAX_SAMPLES_PER_FRAME}"
            )
        self.rate = rate
        self.fps = fps
        self.period = rate / fps
        self.reset()

    def reset(self) -> None:
        """Forget everything and listen for a new transfer."""
        self._buffer = SampleBuffer()
        self._acquirer = Acquirer(self.period)
        self._decoder: ModeDecoder = self._new_decoder()
        self._tracker: FrameTracker | None = None
        self._model: LevelModel | None = None
        self._state = RxState.SEARCHING
        self._settings: Settings | None = None
        self._error: BlinkUpDecodeError | None = None
        self._false_start = ""  # why the last lock was dropped, for the final error

    def _new_decoder(self) -> ModeDecoder:
        return ImpDecoder() if self.mode is Mode.IMP else FastDecoder()

    @property
    def progress(self) -> Progress:
        """The state and how far the transfer has come."""
        if self._state is RxState.SEARCHING:
            return Progress(self._state)
        frames, expected = self._decoder.progress()
        return Progress(self._state, frames, expected, self._settings)

    def feed(self, samples: Iterable[float]) -> Progress:
        """Add samples (any scale) and decode as far as they allow.

        Returns:
            The progress; ``state`` is ``DONE`` and ``settings`` set once decoded.

        Raises:
            BlinkUpDecodeError: The transfer failed (lost sync, CRC mismatch, too many errors,
                bad samples); raised again by later calls until :meth:`reset`.
        """
        if self._error is not None:
            raise self._error
        if self._state is RxState.DONE:
            return self.progress
        try:
            self._buffer.extend(samples)
            self._run()
        except BlinkUpDecodeError as exc:
            self._fail(exc)
        return self.progress

    def _fail(self, exc: BlinkUpDecodeError) -> NoReturn:
        self._state, self._error = RxState.FAILED, exc
        raise exc

    def _run(self) -> None:
        while self._state is not RxState.DONE:
            if self._tracker is None or self._model is None:
                lock = self._acquirer.scan(self._buffer)
                if lock is None:
                    self._buffer.trim(self._acquirer.next)
                    return
                self._decoder = self._new_decoder()
                self._model = self._decoder.start(lock.low, lock.high)
                self._tracker = FrameTracker(self.period, lock.start, self._decoder.low_symbol)
                self._state = RxState.RECEIVING
                continue
            frame = self._tracker.next(self._buffer, self._model)
            if frame is None:
                self._buffer.trim(math.floor(self._tracker.start - 2 * self.period))
                return
            try:
                settings = self._decoder.on_frame(frame)
            except FalseLock as exc:
                self._false_start = str(exc)
                self._acquirer.next = max(self._acquirer.next, math.floor(frame.start))
                self._tracker = self._model = None
                self._state = RxState.SEARCHING
                continue
            if settings is not None:
                self._settings, self._state = settings, RxState.DONE

    def finish(self) -> Settings:
        """Call when the input has ended: return the settings, or say why there are none.

        Raises:
            BlinkUpDecodeError: ``NO_PREAMBLE``, ``TRUNCATED``, or the failure already raised.
        """
        if self._error is not None:
            raise self._error
        if self._settings is not None:
            return self._settings
        if self._state is RxState.SEARCHING:
            detail = "no alternation of frames found"
            if self._false_start:
                detail = f"found an alternation of frames, but then {self._false_start}"
            self._fail(BlinkUpDecodeError(DecodeFailure.NO_PREAMBLE, detail))
        try:
            settings = self._decoder.at_end()
        except BlinkUpDecodeError as exc:
            self._fail(exc)
        self._settings, self._state = settings, RxState.DONE
        return settings


def decode(samples: Iterable[float], rate: float, fps: float, mode: Mode | str) -> Settings:
    """Decode a whole recording of light-sensor samples (see :class:`Receiver`)."""
    receiver = Receiver(mode, rate, fps)
    receiver.feed(samples)
    return receiver.finish()
