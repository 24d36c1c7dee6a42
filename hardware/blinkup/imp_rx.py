"""Receiving ``imp`` transfers: a bit from each black + gray/white frame pair, then the packet.

The preamble's zeros (black/gray) set black and gray; the three ones of its ``2A`` byte set
white. The format has no error correction, so anything that breaks the black-every-other-frame
rhythm (a dropped or repeated frame) stops the transfer with an error instead of letting
shifted bits reach the CRC check.
"""

from __future__ import annotations

import statistics
from typing import NoReturn

from hardware.blinkup.errors import BlinkUpDecodeError, DecodeFailure
from hardware.blinkup.imp import BLACK, GRAY, PREAMBLE, TRAILER_FRAMES, WHITE, parse_packet
from hardware.blinkup.rxbase import FalseLock
from hardware.blinkup.settings import Settings
from hardware.blinkup.tracker import Frame, LevelModel

SYNC_BITS = [(PREAMBLE[-1] >> shift) & 1 for shift in range(7, -1, -1)]
MIN_ZEROS = 12  # zero bits that must precede the sync byte
MAX_PREAMBLE_BITS = 48  # more than this after the lock without a sync byte: not a preamble
FIRST_WHITE = 1.25  # before white is known: a frame this far above gray (black = 0, gray = 1)
LEARN_RATE, TRACK_RATE = 0.3, 0.08  # level tracking: quick at first, then slow
LEARN_FRAMES = 8


class ImpDecoder:
    """The ``imp`` mode's decoder (see :class:`hardware.blinkup.rxbase.ModeDecoder`)."""

    low_symbol = BLACK
    high_symbol = GRAY

    def __init__(self) -> None:
        """Prepare for one transfer."""
        self.model = LevelModel([0.0, 1.0, 1.6], 0.0, 1.0)
        self.frames = 0
        self.expect_black = False  # the lock starts on a bright frame
        self.bits: list[int] = []
        self.whites: list[float] = []
        self.white_cut = FIRST_WHITE
        self.synced = False
        self.data = bytearray()
        self.data_bits = 0
        self.total: int | None = None

    def start(self, low: float, high: float) -> LevelModel:
        """Begin on the preamble's black/gray alternation."""
        self.model = LevelModel([0.0, 1.0, 1.6], low, high - low)
        return self.model

    def _broken(self, detail: str) -> NoReturn:
        if not self.synced:
            raise FalseLock(detail)
        where = f"bit {self.data_bits} of the packet"
        raise BlinkUpDecodeError(DecodeFailure.LOST_SYNC, f"{detail} at {where}")

    def on_frame(self, frame: Frame) -> Settings | None:
        """Take one frame (see the protocol)."""
        self.frames += 1
        rate = LEARN_RATE if self.frames <= LEARN_FRAMES else TRACK_RATE
        where = self.model.position(frame.value)
        if self.expect_black:
            if where >= 0.5:
                self._broken(f"expected a black frame, saw level {where:.2f} of gray")
            self.model.update(BLACK, frame.value, rate)
            self.expect_black = False
            return None
        if where < 0.5:
            self._broken("expected a gray or white frame, saw black")
        self.expect_black = True
        # The first frames after the lock are inside the alternation that was found: gray.
        bit = int(where > self.white_cut and self.frames > LEARN_FRAMES)
        if not bit or self.synced:  # white's position is a guess until the sync byte
            self.model.update(WHITE if bit else GRAY, frame.value, rate)
        if self.synced:
            return self._data_bit(bit)
        self._preamble_bit(bit, where)
        return None

    def _preamble_bit(self, bit: int, where: float) -> None:
        self.bits.append(bit)
        if bit:
            self.whites.append(where)
        tail = self.bits[-8 - MIN_ZEROS :]
        if len(tail) == 8 + MIN_ZEROS and tail[-8:] == SYNC_BITS and not any(tail[:-8]):
            white = statistics.median(self.whites[-3:])
            self.model.positions[WHITE] = white
            self.white_cut = (1.0 + white) / 2
            self.synced = True
        elif len(self.bits) > MAX_PREAMBLE_BITS:
            raise FalseLock("no sync byte after the alternation")

    def _data_bit(self, bit: int) -> Settings | None:
        index = self.data_bits
        self.data_bits += 1
        if index % 8 == 0:
            self.data.append(0)
        self.data[-1] = (self.data[-1] << 1) | bit
        if self.data_bits % 8:
            return None
        if len(self.data) == 1:
            self.total = self.data[0] + 3  # LEN counts the TLVs; plus LEN and the CRC
        if len(self.data) == self.total:
            return parse_packet(bytes(self.data))
        return None

    def progress(self) -> tuple[int, int | None]:
        """Frames of the transfer received so far, and the total once known."""
        done = 2 * (8 * len(PREAMBLE) + self.data_bits) if self.synced else self.frames
        total = None if self.total is None else 16 * (len(PREAMBLE) + self.total) + TRAILER_FRAMES
        return done, total

    def at_end(self) -> Settings:
        """The input ended before the packet was complete."""
        if not self.synced:
            raise BlinkUpDecodeError(DecodeFailure.NO_PREAMBLE, "no sync byte after the zeros")
        expected = "?" if self.total is None else str(self.total)
        raise BlinkUpDecodeError(
            DecodeFailure.TRUNCATED, f"received {len(self.data)} of {expected} packet bytes"
        )
