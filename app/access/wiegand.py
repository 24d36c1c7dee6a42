"""Wiegand card formats: encode and decode bit strings with their checks.

Layouts follow the reference table (``shared/reference/card-formats.md``). Positions are 0-based
from the first bit transmitted. Each format is one data row: its fields and an ordered tuple of
checks (parity bits, fixed bits, an XOR checksum), so adding a format is adding a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WiegandError(ValueError):
    """A bit string or field value that does not fit a format; the message is safe to show."""


class Parity(StrEnum):
    """Whether a parity bit makes the count of ones in its range even or odd."""

    EVEN = "even"
    ODD = "odd"


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

    @property
    def positions(self) -> tuple[int, ...]:
        """The bit positions of the field, first transmitted first."""
        return tuple(range(self.start, self.end + 1))


@dataclass(frozen=True)
class ParityBit:
    """One parity bit at ``position`` covering ``covers`` (positions, not including itself)."""

    position: int
    parity: Parity
    covers: tuple[int, ...]

    @property
    def outputs(self) -> tuple[int, ...]:
        """The bits this check writes."""
        return (self.position,)

    def apply(self, bits: list[int]) -> None:
        """Set the parity bit from the bits it covers."""
        bits[self.position] = self._expected(bits)

    def holds(self, bits: list[int]) -> bool:
        """Whether the parity bit agrees with the bits it covers."""
        return bits[self.position] == self._expected(bits)

    def _expected(self, bits: list[int]) -> int:
        ones = sum(bits[p] for p in self.covers)
        return ones % 2 if self.parity is Parity.EVEN else 1 - ones % 2


@dataclass(frozen=True)
class FixedBits:
    """A field that always holds ``value`` (a format marker rather than data)."""

    field: Field
    value: int

    @property
    def covers(self) -> tuple[int, ...]:
        """Fixed bits depend on no other bit."""
        return ()

    @property
    def outputs(self) -> tuple[int, ...]:
        """The bits this check writes."""
        return self.field.positions

    def apply(self, bits: list[int]) -> None:
        """Write the fixed value."""
        _put(bits, self.field, self.value)

    def holds(self, bits: list[int]) -> bool:
        """Whether the field holds the fixed value."""
        return _get(bits, self.field) == self.value


@dataclass(frozen=True)
class XorChecksum:
    """A ``target`` field equal to the XOR of the ``sources`` fields (all of the same width)."""

    target: Field
    sources: tuple[Field, ...]

    @property
    def covers(self) -> tuple[int, ...]:
        """The bits the checksum is computed over."""
        return tuple(p for f in self.sources for p in f.positions)

    @property
    def outputs(self) -> tuple[int, ...]:
        """The bits this check writes."""
        return self.target.positions

    def apply(self, bits: list[int]) -> None:
        """Write the checksum of the source fields."""
        _put(bits, self.target, self._expected(bits))

    def holds(self, bits: list[int]) -> bool:
        """Whether the target field equals the checksum of the sources."""
        return _get(bits, self.target) == self._expected(bits)

    def _expected(self, bits: list[int]) -> int:
        value = 0
        for source in self.sources:
            value ^= _get(bits, source)
        return value


Check = ParityBit | FixedBits | XorChecksum


@dataclass(frozen=True)
class WiegandFormat:
    """A card layout: total length, facility and card-number fields, and checks (in order).

    Encoding applies the checks in order, so a check may cover the output of an earlier one
    (Corporate 1000's outer parity bit covers its inner ones) but never of itself or a later one.
    """

    name: str
    length: int
    card_number: Field
    facility_code: Field | None
    checks: tuple[Check, ...]

    def __post_init__(self) -> None:
        # A wrong row would encode cards that no reader accepts; refuse it at import instead.
        owned = [*self.card_number.positions]
        owned += self.facility_code.positions if self.facility_code else ()
        written: set[int] = set()
        for check in reversed(self.checks):
            written.update(check.outputs)
            if written & set(check.covers):
                raise ValueError(f"{self.name}: a check covers its own or a later check's bits")
        owned += [p for check in self.checks for p in check.outputs]
        if sorted(owned) != list(range(self.length)):
            raise ValueError(f"{self.name}: fields and checks must use each bit exactly once")


@dataclass(frozen=True)
class CardFields:
    """The numbers carried by a card."""

    format: str
    facility_code: int | None
    card_number: int


@dataclass(frozen=True)
class DecodeCandidate:
    """One reading of a bit string: a format whose length fits, with its verdict.

    ``parity_ok`` is true when every check of the format holds (parity, fixed bits, checksum).
    """

    format: str
    facility_code: int | None
    card_number: int
    parity_ok: bool


def _span(start: int, end: int, skip_mod3: int | None = None) -> tuple[int, ...]:
    """Positions ``start``..``end``, leaving out those with ``p % 3 == skip_mod3``."""
    return tuple(p for p in range(start, end + 1) if skip_mod3 is None or p % 3 != skip_mod3)


def _even(position: int, covers: tuple[int, ...]) -> ParityBit:
    return ParityBit(position, Parity.EVEN, covers)


def _odd(position: int, covers: tuple[int, ...]) -> ParityBit:
    return ParityBit(position, Parity.ODD, covers)


_ROWS = (
    WiegandFormat(
        "H10301", 26, Field(9, 24), Field(1, 8), (_even(0, _span(1, 12)), _odd(25, _span(13, 24)))
    ),
    WiegandFormat(
        "H10306", 34, Field(17, 32), Field(1, 16), (_even(0, _span(1, 16)), _odd(33, _span(17, 32)))
    ),
    WiegandFormat(
        "H10302", 37, Field(1, 35), None, (_even(0, _span(1, 18)), _odd(36, _span(18, 35)))
    ),
    WiegandFormat(
        "H10304", 37, Field(17, 35), Field(1, 16), (_even(0, _span(1, 18)), _odd(36, _span(18, 35)))
    ),
    # Corporate 1000: P1 first, then the bit that covers P1, then P0 over everything.
    WiegandFormat(
        "C1k35s",
        35,
        Field(14, 33),
        Field(2, 13),
        (_even(1, _span(2, 33, 1)), _odd(34, _span(1, 32, 0)), _odd(0, _span(1, 34))),
    ),
    WiegandFormat(
        "C1k48s",
        48,
        Field(24, 46),
        Field(2, 23),
        (_even(1, _span(3, 46, 2)), _odd(47, _span(2, 45, 1)), _odd(0, _span(1, 47))),
    ),
    WiegandFormat(
        "D10202", 33, Field(8, 31), Field(1, 7), (_even(0, _span(1, 16)), _odd(32, _span(16, 31)))
    ),
    # Pyramid: a 1111 marker, then a checksum byte over the four bytes before it (marker included).
    WiegandFormat(
        "P10001",
        40,
        Field(16, 31),
        Field(4, 15),
        (
            FixedBits(Field(0, 3), 0xF),
            XorChecksum(Field(32, 39), tuple(Field(s, s + 7) for s in range(0, 32, 8))),
        ),
    ),
)
FORMATS: dict[str, WiegandFormat] = {f.name: f for f in _ROWS}


def format_named(name: str) -> WiegandFormat:
    """The format called ``name`` (as in ``FORMATS``).

    Raises:
        WiegandError: no such format.
    """
    fmt = FORMATS.get(name)
    if fmt is None:
        raise WiegandError(f"Unknown card format {name!r}; known: {', '.join(FORMATS)}")
    return fmt


def _check_range(value: int, field: Field, label: str, fmt: str) -> None:
    if not 0 <= value <= field.maximum:
        raise WiegandError(f"{label} {value} is out of range for {fmt} (0–{field.maximum})")


def encode(format_name: str, facility_code: int | None, card_number: int) -> str:
    """Encode card numbers into a Wiegand bit string with its checks.

    Args:
        format_name: a key of ``FORMATS`` such as ``"H10301"``.
        facility_code: the facility code, or None for formats without one.
        card_number: the card number.

    Returns:
        The bits as a string of ``0`` and ``1``, first transmitted bit first.

    Raises:
        WiegandError: unknown format or a value outside the field's range.
    """
    fmt = format_named(format_name)
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
    for check in fmt.checks:
        check.apply(bits)
    return "".join(map(str, bits))


def _put(bits: list[int], field: Field, value: int) -> None:
    for i in range(field.width):
        bits[field.end - i] = (value >> i) & 1


def _get(bits: list[int], field: Field) -> int:
    value = 0
    for p in field.positions:
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


def bits_to_hex(text: str) -> str:
    """The bit string's value in upper-case hex, zero-padded to ``ceil(len / 4)`` digits.

    Raises:
        WiegandError: ``text`` is not a bit string (see ``parse_bits``).
    """
    parse_bits(text)
    return f"{int(text, 2):0{-(-len(text) // 4)}X}"


def hex_to_bits(text: str, length: int) -> str:
    """The ``length``-bit string whose value is the hex ``text`` (the inverse of ``bits_to_hex``).

    Args:
        text: hex digits, optionally with a ``0x`` prefix; case does not matter.
        length: how many bits the card has, 1 to 128.

    Raises:
        WiegandError: not hex, a bad length, or a value that needs more than ``length`` bits.
    """
    if not 1 <= length <= 128:
        raise WiegandError(f"A bit length must be 1 to 128, not {length}")
    digits = text.strip().removeprefix("0x").removeprefix("0X")
    if not digits or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise WiegandError(f"{text!r} is not a hexadecimal number")
    value = int(digits, 16)
    if value >> length:
        raise WiegandError(f"0x{value:X} does not fit in {length} bits")
    return f"{value:0{length}b}"


def decode_with(fmt: WiegandFormat, bits: list[int]) -> DecodeCandidate:
    """Read ``bits`` with one format (its length must match) and run all its checks.

    Raises:
        WiegandError: the read's length is not the format's.
    """
    if len(bits) != fmt.length:
        raise WiegandError(f"{fmt.name} has {fmt.length} bits, the read has {len(bits)}")
    parity_ok = all(check.holds(bits) for check in fmt.checks)
    facility = _get(bits, fmt.facility_code) if fmt.facility_code else None
    return DecodeCandidate(fmt.name, facility, _get(bits, fmt.card_number), parity_ok)


def candidates(text: str) -> list[DecodeCandidate]:
    """Every format whose length fits the bit string, each with its verdict.

    Raises:
        WiegandError: the read is malformed (see ``parse_bits``).
    """
    bits = parse_bits(text)
    return [decode_with(f, bits) for f in FORMATS.values() if f.length == len(bits)]


def readings(text: str) -> list[CardFields]:
    """All check-valid readings of a bit string (more than one when formats share a length).

    Raises:
        WiegandError: the read is malformed, no format fits, or the checks fail for all.
    """
    found = candidates(text)
    if not found:
        raise WiegandError(f"No supported card format is {len(text)} bits long")
    good = [CardFields(c.format, c.facility_code, c.card_number) for c in found if c.parity_ok]
    if not good:
        raise WiegandError(f"Parity error in a {len(text)}-bit read")
    return good
