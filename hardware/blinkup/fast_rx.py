"""Receiving ``fast`` transfers: sync word, level training, then 2 bits per frame.

After the lock on the black/white alternation, each frame is read as one of black, middle and
white until the sync word appears (one wrong or missing frame allowed). The training frames then
place levels 1 and 3, whatever the screen's gamma; from there every frame is read against all
five levels, a frame equal to the one before is skipped as a repeat, and the header and body are
decoded by :mod:`hardware.blinkup.fast_decode`.
"""

from __future__ import annotations

import itertools
import statistics
from enum import Enum, auto

from hardware.blinkup.errors import BlinkUpDecodeError, DecodeFailure
from hardware.blinkup.fast import (
    ALTERNATION,
    HEADER_BYTES,
    PREAMBLE,
    SYNC,
    TOP,
    TRAINING,
    dibit_for,
    frame_count,
)
from hardware.blinkup.fast_decode import (
    Header,
    Received,
    body_dibits,
    decode_body,
    decode_header,
)
from hardware.blinkup.rxbase import FalseLock
from hardware.blinkup.settings import Settings
from hardware.blinkup.tracker import MAX_CARRY, Frame, LevelModel

_SYNC = list(SYNC)


class _Stage(Enum):
    PREAMBLE = auto()
    TRAINING = auto()
    DATA = auto()


def _collapse(symbols: list[int]) -> list[int]:
    return [s for i, s in enumerate(symbols) if i == 0 or s != symbols[i - 1]]


# The sync word as read with one frame dropped (equal neighbours then read as one frame); not
# the last frame: that would read the same as "not yet shown".
_SYNC_SHORT = [_collapse(_SYNC[:k] + _SYNC[k + 1 :]) for k in range(len(_SYNC) - 1)]
MAX_PREAMBLE = len(ALTERNATION) + len(SYNC) + 12  # frames after the lock without a sync word
MIN_GAP = 0.05  # least distance between neighbouring learned levels (0 black .. 1 white)
REPEAT_MARGIN = 0.4  # a frame read as its predecessor's level is a repeat only this surely
LEARN_RATE, TRACK_RATE = 0.3, 0.08
LEARN_FRAMES = 8


class FastDecoder:
    """The ``fast`` mode's decoder (see :class:`hardware.blinkup.rxbase.ModeDecoder`)."""

    low_symbol = 0
    high_symbol = TOP

    def __init__(self) -> None:
        """Prepare for one transfer."""
        self.model = LevelModel([0.0, 0.25, 0.5, 0.75, 1.0], 0.0, 1.0)
        self.frames = 0
        self.coarse: list[int] = []  # preamble frames read as 0, 2 or 4 (repeats skipped)
        self.skipped: list[int] = []  # where in `coarse` repeats were skipped
        self.values: list[float] = []  # the raw reading of each `coarse` frame
        self.training: list[tuple[int, float]] = []
        self.stage = _Stage.PREAMBLE
        self.previous = TRAINING[-1]
        self.rx = Received()
        self.header: Header | None = None
        self.needed = 0

    def start(self, low: float, high: float) -> LevelModel:
        """Begin on the preamble's black/white alternation."""
        self.model = LevelModel([0.0, 0.25, 0.5, 0.75, 1.0], low, high - low)
        return self.model

    def on_frame(self, frame: Frame) -> Settings | None:
        """Take one frame (see the protocol)."""
        self.frames += 1
        if self.stage is _Stage.PREAMBLE:
            self._preamble(frame)
        elif self.stage is _Stage.TRAINING:
            self._training(frame)
        else:
            return self._data(frame)
        return None

    def _preamble(self, frame: Frame) -> None:
        # The first frames after the lock are inside the alternation that was found.
        allowed = (0, TOP) if self.frames <= LEARN_FRAMES else (0, 2, TOP)
        symbol = self.model.classify(frame.value, allowed)
        if self.coarse and symbol == self.coarse[-1]:
            self.skipped.append(len(self.coarse))  # a repeated frame (or a wrong one)
            return
        self.coarse.append(symbol)
        self.values.append(frame.value)
        if symbol != 2:
            rate = LEARN_RATE if self.frames <= LEARN_FRAMES else TRACK_RATE
            self.model.update(symbol, frame.value, rate)
        tail = self.coarse[-len(_SYNC) :]
        misses = sum(a != b for a, b in zip(tail, _SYNC, strict=False))
        if misses <= 1 and len(tail) == len(_SYNC):
            found = len(_SYNC)
        elif short := [v for v in _SYNC_SHORT if self.coarse[-len(v) :] == v]:
            found, misses = len(short[0]), 1
        else:
            if len(self.coarse) > MAX_PREAMBLE:
                raise FalseLock("no sync word after the alternation")
            return
        if misses or any(at > len(self.coarse) - found for at in self.skipped):
            # The sync word was not read cleanly: the data may start a value or two early.
            self.rx.repeats.append(0)
        self._settle_scale(found)
        self.stage = _Stage.TRAINING

    def _settle_scale(self, found: int) -> None:
        # Until now black and white are the alternation's readings, each pulled toward the
        # other by a slow screen. The sync word shows the middle level after black and after
        # white: the difference is that pull (the carry), which gives the settled scale.
        after: dict[int, list[float]] = {0: [], TOP: []}
        for i in range(len(self.coarse) - found, len(self.coarse)):
            before = self.coarse[i - 1] if i > 0 else None
            if self.coarse[i] == 2 and before in after:
                after[before].append(self.values[i])
        model = self.model
        span, low = model.gain, model.offset
        carry = 0.0
        if after[0] and after[TOP]:
            pull = statistics.mean(after[TOP]) - statistics.mean(after[0])
            if span + 2 * pull > 0:
                carry = min(MAX_CARRY, max(0.0, pull / (span + 2 * pull)))
        model.carry = carry
        model.gain = span / (1 - 2 * carry)
        model.offset = low - carry * model.gain
        middles = after[0] + after[TOP]
        if middles:
            where = model.position(statistics.mean(middles))
            model.positions[2] = (where - carry / 2) / (1 - carry)

    def _training(self, frame: Frame) -> None:
        # Exactly len(TRAINING) frames, counted like data frames, so that a frame dropped here
        # costs the data one value (found by the slip search) rather than the alignment.
        previous = self.training[-1][0] if self.training else SYNC[-1]
        model = self.model
        symbol = model.classify(frame.value, previous=previous)
        if symbol == previous and model.margin(frame.value, symbol, previous) >= REPEAT_MARGIN:
            self.rx.repeats.append(0)  # values may have been lost before the data: try there
            return
        # Where the frame's level sits once the previous frame's carry-over is taken out.
        where = model.position(frame.value) - model.carry * model.positions[previous]
        self.training.append((symbol, where / (1 - model.carry)))
        if len(self.training) < len(TRAINING):
            return
        positions = self.model.positions
        for level in (1, 3):
            seen = [where for got, where in self.training if got == level]
            if seen:
                positions[level] = statistics.median(seen)
        gaps = [b - a for a, b in itertools.pairwise(positions)]
        if min(gaps) < MIN_GAP:
            shown = ", ".join(f"{p:.2f}" for p in positions)
            raise BlinkUpDecodeError(
                DecodeFailure.LOST_SYNC, f"training levels not distinct or out of order ({shown})"
            )
        self.previous = symbol
        self.stage = _Stage.DATA

    def _data(self, frame: Frame) -> Settings | None:
        model, previous = self.model, self.previous
        symbol = model.classify(frame.value, previous=previous)
        if symbol == previous:
            if model.margin(frame.value, symbol, previous) >= REPEAT_MARGIN:
                self.rx.repeats.append(len(self.rx.dibits))
                return None
            # Near a decision boundary: a frame of the neighbouring level read a little off,
            # since two frames in a row never show the same level.
            others = [s for s in range(len(model.positions)) if s != previous]
            symbol = model.classify(frame.value, others, previous)
            self.rx.extras.append(len(self.rx.dibits))
        self.rx.dibits.append(dibit_for(symbol, previous))
        self.rx.margins.append(model.margin(frame.value, symbol, previous))
        model.update(symbol, frame.value, TRACK_RATE, previous)
        self.previous = symbol
        if self.header is None and len(self.rx.dibits) >= 4 * HEADER_BYTES:
            self.header = decode_header(self.rx)
            if self.header is None:
                raise BlinkUpDecodeError(DecodeFailure.TOO_MANY_ERRORS, "header unreadable")
            # One spare value, for a reading that assumes a lost frame.
            self.needed = max(self.header.starts) + body_dibits(self.header.length) + 1
        if self.header is not None and len(self.rx.dibits) >= self.needed:
            return decode_body(self.rx, self.header)
        return None

    def progress(self) -> tuple[int, int | None]:
        """Frames of the transfer received so far, and the total once known."""
        if self.stage is not _Stage.DATA:
            return self.frames, None
        done = len(PREAMBLE) + len(self.rx.dibits)
        return done, None if self.header is None else frame_count(self.header.length)

    def at_end(self) -> Settings:
        """The input ended: decode if at most the spare value is missing."""
        if self.stage is not _Stage.DATA:
            raise BlinkUpDecodeError(
                DecodeFailure.NO_PREAMBLE, "no sync word after the alternation"
            )
        if self.header is not None and len(self.rx.dibits) >= self.needed - 1:
            return decode_body(self.rx, self.header)
        expected = "?" if self.header is None else str(self.needed - 1)
        raise BlinkUpDecodeError(
            DecodeFailure.TRUNCATED, f"received {len(self.rx.dibits)} of {expected} data frames"
        )
