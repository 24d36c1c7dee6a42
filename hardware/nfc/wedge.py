"""Keyboard-wedge LF readers: USB readers that type each card as keystrokes, then Enter.

A wedge reader is set (with its vendor's tool) to one output mode; ``WedgeConfig`` says which,
and ``read_typed`` turns one typed line into the card's numbers and full Wiegand bits. Because
the reader types into whatever has focus, ``KeystrokeBuffer`` tells a machine's burst of keys
from a person typing: keys must come within ``max_gap`` of each other. Both are pure: the caller
passes key timestamps in, so there is no clock here and tests need no sleeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from app.access.wiegand import (
    FORMATS,
    CardFields,
    WiegandError,
    WiegandFormat,
    bits_to_hex,
    decode_with,
    encode,
    parse_bits,
)

MAX_TYPED = 64  # characters: the longest read (128 bits) is 39 decimal digits
_SHOW = 40  # characters of a bad read quoted in a message; a stuck key can type thousands
_SEPARATED = re.compile(r"^([0-9]+)\s*[:,;./\- ]\s*([0-9]+)$")


class WedgeOutput(StrEnum):
    """What the reader types for a card."""

    RAW_HEX = "raw_hex"  # hex of the full Wiegand bits, parity included ("2F623AE")
    RAW_DECIMAL = "raw_decimal"  # decimal of the full Wiegand bits
    CARD_NUMBER = "card_number"  # the card number only; the facility code comes from the config
    FACILITY_CARD = "facility_card"  # fixed-width facility then card number ("12304567")


class WedgeErrorReason(StrEnum):
    """Why a typed read (or a wedge configuration) was refused."""

    BAD_CONFIG = "bad_config"
    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    WRONG_LENGTH = "wrong_length"
    PARITY = "parity"
    OUT_OF_RANGE = "out_of_range"


class WedgeError(ValueError):
    """A typed read that is not a card of the configured format; the message is safe to show.

    Attributes:
        reason: the kind of problem, for callers that react differently to each.
    """

    def __init__(self, reason: WedgeErrorReason, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class WedgeConfig:
    """How a wedge reader is set up.

    Attributes:
        format: the Wiegand format of the site's cards, a key of ``app.access.wiegand.FORMATS``.
        output: what the reader types.
        facility_code: the site's facility code; needed (and only used) with ``card_number``
            output for formats that have one.
    """

    format: str = "H10301"
    output: WedgeOutput = WedgeOutput.RAW_HEX
    facility_code: int | None = None

    def __post_init__(self) -> None:
        fmt = FORMATS.get(self.format)
        if fmt is None:
            known = ", ".join(FORMATS)
            raise WedgeError(
                WedgeErrorReason.BAD_CONFIG, f"Unknown card format {self.format!r}; known: {known}"
            )
        try:
            object.__setattr__(self, "output", WedgeOutput(self.output))
        except ValueError:
            known = ", ".join(WedgeOutput)
            raise WedgeError(
                WedgeErrorReason.BAD_CONFIG, f"Unknown output {self.output!r}; known: {known}"
            ) from None
        if self.output is WedgeOutput.FACILITY_CARD and fmt.facility_code is None:
            raise WedgeError(
                WedgeErrorReason.BAD_CONFIG,
                f"{fmt.name} has no facility code; set the reader to card_number output",
            )
        if self.output is WedgeOutput.CARD_NUMBER:
            if fmt.facility_code is not None and self.facility_code is None:
                raise WedgeError(
                    WedgeErrorReason.BAD_CONFIG,
                    f"Card-number-only reads of {fmt.name} need the site's facility code",
                )
            try:  # a facility code out of range, or given for a format without one
                encode(fmt.name, self.facility_code, 0)
            except WiegandError as exc:
                raise WedgeError(WedgeErrorReason.BAD_CONFIG, str(exc)) from None


@dataclass(frozen=True)
class WedgeRead:
    """One card read from a wedge reader.

    Attributes:
        card: the card's format, facility code and card number.
        bits: the card's full Wiegand bits: as typed for raw outputs, else encoded from ``card``.
    """

    card: CardFields
    bits: str

    @property
    def hex(self) -> str:
        """The bits in hex, as ``raw_hex`` readers type them."""
        return bits_to_hex(self.bits)


def _show(text: str) -> str:
    return repr(text if len(text) <= _SHOW else text[:_SHOW] + "…")


def _digits(text: str, base: int) -> int:
    allowed = "0123456789abcdefABCDEF" if base == 16 else "0123456789"
    if not text or any(c not in allowed for c in text):
        kind = "hexadecimal" if base == 16 else "decimal"
        raise WedgeError(
            WedgeErrorReason.NOT_A_NUMBER, f"The reader typed {_show(text)}, not a {kind} number"
        )
    return int(text, base)


def _encode(fmt: WiegandFormat, facility_code: int | None, card_number: int) -> str:
    try:
        return encode(fmt.name, facility_code, card_number)
    except WiegandError as exc:
        raise WedgeError(WedgeErrorReason.OUT_OF_RANGE, str(exc)) from None


def _raw(fmt: WiegandFormat, typed: str, base: int) -> WedgeRead:
    value = _digits(typed, base)
    if value >> fmt.length:
        raise WedgeError(
            WedgeErrorReason.WRONG_LENGTH,
            f"{_show(typed)} is longer than a {fmt.length}-bit {fmt.name} card; "
            "is the reader set to another format?",
        )
    bits = f"{value:0{fmt.length}b}"
    found = decode_with(fmt, parse_bits(bits))
    if not found.parity_ok:
        raise WedgeError(
            WedgeErrorReason.PARITY, f"Parity error in {_show(typed)} read as {fmt.name}"
        )
    return WedgeRead(CardFields(fmt.name, found.facility_code, found.card_number), bits)


def _facility_card(fmt: WiegandFormat, typed: str) -> tuple[int, int]:
    assert fmt.facility_code is not None  # WedgeConfig refuses facility_card output otherwise
    fc_width = len(str(fmt.facility_code.maximum))
    cn_width = len(str(fmt.card_number.maximum))
    match = _SEPARATED.match(typed)
    if match is not None:
        return int(match[1]), int(match[2])
    number = _digits(typed, 10)
    if len(typed) != fc_width + cn_width:
        raise WedgeError(
            WedgeErrorReason.WRONG_LENGTH,
            f"Expected {fc_width + cn_width} digits for {fmt.name} ({fc_width} for the facility "
            f"code, {cn_width} for the card number), the reader typed {len(typed)}",
        )
    return number // 10**cn_width, number % 10**cn_width


def read_typed(text: str, config: WedgeConfig) -> WedgeRead:
    """Read one line typed by a wedge reader (the Enter already removed, or not).

    Args:
        text: what the reader typed; surrounding whitespace is ignored.
        config: how the reader is set up.

    Returns:
        The card's numbers and its full Wiegand bits.

    Raises:
        WedgeError: empty, not a number, wrong length, parity error or a value out of range
            (``reason`` says which).
    """
    fmt = FORMATS[config.format]
    typed = text.strip()
    if not typed:
        raise WedgeError(WedgeErrorReason.EMPTY, "Nothing was read from the card reader")
    if len(typed) > MAX_TYPED:
        # A stuck key; also keeps int() below Python's limit on digits it converts.
        raise WedgeError(
            WedgeErrorReason.WRONG_LENGTH,
            f"The reader typed {len(typed)} characters, more than any card holds (a stuck key?)",
        )
    if config.output is WedgeOutput.RAW_HEX:
        return _raw(fmt, typed, 16)
    if config.output is WedgeOutput.RAW_DECIMAL:
        return _raw(fmt, typed, 10)
    if config.output is WedgeOutput.CARD_NUMBER:
        facility, number = config.facility_code, _digits(typed, 10)
    else:
        facility, number = _facility_card(fmt, typed)
    bits = _encode(fmt, facility, number)
    return WedgeRead(CardFields(fmt.name, facility, number), bits)


class KeystrokeBuffer:
    """Collects typed characters and hands back a line only when a machine typed it.

    Feed every character with its timestamp (seconds, from any monotonic clock). A key that
    comes more than ``max_gap`` after the previous one starts the line afresh, so a person's
    slow typing never joins a card read; Enter completes the line if it, too, came in time.
    """

    def __init__(
        self,
        max_gap: float = 0.050,
        min_chars: int = 1,
        terminators: frozenset[str] = frozenset({"\r", "\n"}),
    ) -> None:
        """Set the timing rule.

        Args:
            max_gap: the longest pause between two keys of one read, in seconds.
            min_chars: fewer characters before Enter are not a read.
            terminators: the characters that end a read.
        """
        self._max_gap = max_gap
        self._min_chars = min_chars
        self._terminators = terminators
        self._chars: list[str] = []
        self._last: float | None = None

    @property
    def pending(self) -> str:
        """The characters collected since the line (re)started."""
        return "".join(self._chars)

    def reset(self) -> None:
        """Forget the characters collected so far."""
        self._chars.clear()
        self._last = None

    def feed(self, char: str, at: float) -> str | None:
        """Add one typed character.

        Args:
            char: the character (one of ``terminators`` for Enter).
            at: when it was typed, in seconds.

        Returns:
            The completed read when ``char`` ends a fast enough line, else None.
        """
        in_time = self._last is not None and 0 <= at - self._last <= self._max_gap
        if char in self._terminators:
            line = self.pending
            self.reset()
            return line if in_time and len(line) >= self._min_chars else None
        if not in_time:
            self._chars.clear()
        self._chars.append(char)
        self._last = at
        return None
