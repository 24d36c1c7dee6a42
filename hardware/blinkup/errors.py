"""Errors raised by ``hardware.blinkup`` (one base class for the whole package)."""

from __future__ import annotations

from enum import StrEnum


class BlinkUpError(ValueError):
    """Base class of every BlinkUp error: bad settings, a packet too long, a failed decode."""


class DecodeFailure(StrEnum):
    """Why a transfer could not be decoded; the values are stable codes."""

    NO_PREAMBLE = "no_preamble"
    LOST_SYNC = "lost_sync"
    CRC_MISMATCH = "crc_mismatch"
    TOO_MANY_ERRORS = "too_many_errors"
    TRUNCATED = "truncated"
    MALFORMED = "malformed"
    BAD_SAMPLES = "bad_samples"


_TEXT = {
    DecodeFailure.NO_PREAMBLE: "no preamble found",
    DecodeFailure.LOST_SYNC: "lost sync",
    DecodeFailure.CRC_MISMATCH: "CRC mismatch",
    DecodeFailure.TOO_MANY_ERRORS: "too many errors to correct",
    DecodeFailure.TRUNCATED: "the transfer was cut short",
    DecodeFailure.MALFORMED: "malformed packet",
    DecodeFailure.BAD_SAMPLES: "bad samples",
}


class BlinkUpDecodeError(BlinkUpError):
    """Light-sensor samples or a packet could not be turned into settings.

    The message is safe to show to an installer: it never contains a password.

    Attributes:
        reason: The stable failure code.
        detail: What exactly went wrong (a position, a count, a bad type byte...).
    """

    def __init__(self, reason: DecodeFailure, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        text = _TEXT[reason]
        super().__init__(f"{text}: {detail}" if detail else text)
