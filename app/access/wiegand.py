"""Wiegand card formats: encode and decode bit strings with their parity.

Layouts follow the reference table (``shared/reference/card-formats.md``). Positions are 0-based
from the first bit transmitted. Each format is data, so adding one is adding a table row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class WiegandError(ValueError):
    """A bit string or field value that does not fit a format; the message is safe to show."""


class Parity(StrEnum):
    """Whether a parity bit makes the count of ones in its range even or odd."""

    EVEN = "even"
    ODD = "odd"


@dataclass(frozen=True)
class ParityBit:
    """One parity bit at ``position`` covering ``covers`` (positions, not including itself)."""

    position: int
    parity: Parity
    covers: tuple[int, ...]


@dataclass(frozen=True)
class Field:
    """A big-endian unsigned field occupying ``start``..``end`` inclusive."""

    start: int
    end: int

    @property
    def width(self) -> int:
        """Number of bits in the field."""
        return self.end - self.start + 1

    @property
    def maximum(self) -> int:
        """Largest value the field can hold."""
        return (1 << self.width) - 1


@dataclass(frozen=True)
class WiegandFormat:
    """A card layout: total length, facility and card-number fields, parity bits (in order)."""

    name: str
    length: int
    card_number: Field
    facility_code: Field | None
    parity: tuple[ParityBit, ...]


@dataclass(frozen=True)
class CardFields:
    """The numbers carried by a card."""

    format: str
    facility_code: int | None
    card_number: int


@dataclass(frozen=True)
class DecodeCandidate:
    """One reading of a bit string: a format whose length fits, with its parity verdict."""

    format: str
    facility_code: int | None
    card_number: int
    parity_ok: bool


def _span(start: int, end: int) -> tuple[int, ...]:
    return tuple(range(start, end + 1))


FORMATS: dict[str, WiegandFormat] = {
    f.name: f
    for f in (
        WiegandFormat(
            "H10301",
            26,
            card_number=Field(9, 24),
            facility_code=Field(1, 8),
            parity=(
                ParityBit(0, Parity.EVEN, _span(1, 12)),
                ParityBit(25, Parity.ODD, _span(13, 24)),
            ),
        ),
        WiegandFormat(
            "H10306",
            34,
            card_number=Field(17, 32),
            facility_code=Field(1, 16),
            parity=(
                ParityBit(0, Parity.EVEN, _span(1, 16)),
                ParityBit(33, Parity.ODD, _span(17, 32)),
            ),
        ),
        WiegandFormat(
            "H10302",
            37,
            card_number=Field(1, 35),
            facility_code=None,
            parity=(
                ParityBit(0, Parity.EVEN, _span(1, 18)),
                ParityBit(36, Parity.ODD, _span(18, 35)),
            ),
        ),
        WiegandFormat(
            "H10304",
            37,
            card_number=Field(17, 35),
            facility_code=Field(1, 16),
            parity=(
                ParityBit(0, Parity.EVEN, _span(1, 18)),
                ParityBit(36, Parity.ODD, _span(18, 35)),
            ),
        ),
    )
}


def _ones(bits: list[int], positions: Iterable[int]) -> int:
    return sum(bits[p] for p in positions)


def _parity_value(bits: list[int], rule: ParityBit) -> int:
    ones = _ones(bits, rule.covers)
    if rule.parity is Parity.EVEN:
        return ones % 2
    return 1 - ones % 2


def _check_range(value: int, field: Field, label: str, fmt: str) -> None:
    if not 0 <= value <= field.maximum:
        raise WiegandError(f"{label} {value} is out of range for {fmt} (0–{field.maximum})")


def encode(format_name: str, facility_code: int | None, card_number: int) -> str:
    """Encode card numbers into a Wiegand bit string with parity.

    Args:
        format_name: a key of ``FORMATS`` such as ``"H10301"``.
        facility_code: the facility code, or None for formats without one.
        card_number: the card number.

    Returns:
        The bits as a string of ``0`` and ``1``, first transmitted bit first.

    Raises:
        WiegandError: unknown format or a value outside the field's range.
    """
    fmt = FORMATS.get(format_name)
    if fmt is None:
        raise WiegandError(f"Unknown card format {format_name!r}")
    bits = [0] * fmt.length
    _check_range(card_number, fmt.card_number, "Card number", fmt.name)
    _put(bits, fmt.card_number, card_number)
    if fmt.facility_code is not None:
        if facility_code is None:
            raise WiegandError(f"{fmt.name} needs a facility code")
        _check_range(facility_code, fmt.facility_code, "Facility code", fmt.name)
        _put(bits, fmt.facility_code, facility_code)
    elif facility_code is not None:
        raise WiegandError(f"{fmt.name} has no facility code")
    for rule in fmt.parity:
        bits[rule.position] = _parity_value(bits, rule)
    return "".join(map(str, bits))


def _put(bits: list[int], field: Field, value: int) -> None:
    for i in range(field.width):
        bits[field.end - i] = (value >> i) & 1


def _get(bits: list[int], field: Field) -> int:
    value = 0
    for p in range(field.start, field.end + 1):
        value = (value << 1) | bits[p]
    return value


def parse_bits(text: str) -> list[int]:
    """Turn a ``0``/``1`` string into a bit list.

    Raises:
        WiegandError: empty, too long, or holding anything but 0 and 1.
    """
    if not text:
        raise WiegandError("No bits were read")
    if len(text) > 128:
        raise WiegandError(f"{len(text)} bits is longer than any card format")
    if set(text) - {"0", "1"}:
        raise WiegandError("A Wiegand read may contain only the digits 0 and 1")
    return [1 if c == "1" else 0 for c in text]


def decode_with(fmt: WiegandFormat, bits: list[int]) -> DecodeCandidate:
    """Read ``bits`` with one format (its length must match) and check parity."""
    if len(bits) != fmt.length:
        raise WiegandError(f"{fmt.name} has {fmt.length} bits, the read has {len(bits)}")
    parity_ok = all(bits[r.position] == _parity_value(bits, r) for r in fmt.parity)
    facility = _get(bits, fmt.facility_code) if fmt.facility_code else None
    return DecodeCandidate(fmt.name, facility, _get(bits, fmt.card_number), parity_ok)


def candidates(text: str) -> list[DecodeCandidate]:
    """Every format whose length fits the bit string, each with its parity verdict."""
    bits = parse_bits(text)
    return [decode_with(f, bits) for f in FORMATS.values() if f.length == len(bits)]


def readings(text: str) -> list[CardFields]:
    """All parity-valid readings of a bit string (more than one when formats share a layout).

    Raises:
        WiegandError: the read is malformed, no format fits, or parity fails for all.
    """
    found = candidates(text)
    if not found:
        raise WiegandError(f"No supported card format is {len(text)} bits long")
    good = [CardFields(c.format, c.facility_code, c.card_number) for c in found if c.parity_ok]
    if not good:
        raise WiegandError(f"Parity error in a {len(text)}-bit read")
    return good
