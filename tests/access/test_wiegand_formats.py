"""Every Wiegand format: round trips, the reference's bit arithmetic, checks, ranges, detection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.access.wiegand import (
    FORMATS,
    Field,
    Parity,
    ParityBit,
    WiegandError,
    WiegandFormat,
    bits_to_hex,
    candidates,
    decode_with,
    encode,
    hex_to_bits,
    parse_bits,
    readings,
)

EXPECTED = {
    # name: (bits, facility-code bits, card-number bits), straight from the reference table
    "H10301": (26, 8, 16),
    "H10306": (34, 16, 16),
    "H10302": (37, 0, 35),
    "H10304": (37, 16, 19),
    "C1k35s": (35, 12, 20),
    "C1k48s": (48, 22, 23),
    "D10202": (33, 7, 24),
    "P10001": (40, 12, 16),
}


def _draw_card(name: str, data: st.DataObject) -> tuple[int | None, int]:
    fmt = FORMATS[name]
    facility = data.draw(st.integers(0, fmt.facility_code.maximum)) if fmt.facility_code else None
    return facility, data.draw(st.integers(0, fmt.card_number.maximum))


# Independent oracles: the reference implementation's own arithmetic (Proxmark3 wiegand_formats.c
# packs Corporate 1000 with 32-bit masks, not position lists), rewritten for Python ints.
def _parity(value: int) -> int:
    return bin(value).count("1") & 1


def _pm_c1k35s(fc: int, cn: int) -> str:
    bot = (cn << 1) | ((fc & 0x7FF) << 21)
    mid = fc >> 11
    mid |= _parity((mid & 0x1) ^ (bot & 0xB6DB6DB6)) << 1
    bot |= 1 ^ _parity((mid & 0x3) ^ (bot & 0x6DB6DB6C))
    mid |= (1 ^ _parity((mid & 0x3) ^ bot)) << 2
    return f"{mid:03b}{bot:032b}"


def _pm_c1k48s(fc: int, cn: int) -> str:
    bot = (cn << 1) | ((fc & 0xFF) << 24)
    mid = fc >> 8
    mid |= _parity((mid & 0x1B6D) ^ (bot & 0xB6DB6DB6)) << 14
    bot |= 1 ^ _parity((mid & 0x36DB) ^ (bot & 0x6DB6DB6C))
    mid |= (1 ^ _parity((mid & 0x7FFF) ^ bot)) << 15
    return f"{mid:016b}{bot:032b}"


def _pm_d10202(fc: int, cn: int) -> str:
    data = f"{fc:07b}{cn:024b}"  # positions 1..31
    first = _parity(int(data[0:16], 2))  # even over 1–16
    last = 1 ^ _parity(int(data[15:31], 2))  # odd over 16–31
    return f"{first}{data}{last}"


def _pm_p10001(fc: int, cn: int) -> str:
    body = bytes([0xF0 | fc >> 8, fc & 0xFF, cn >> 8, cn & 0xFF])
    check = body[0] ^ body[1] ^ body[2] ^ body[3]
    return "".join(f"{b:08b}" for b in (*body, check))


ORACLES = {"C1k35s": _pm_c1k35s, "C1k48s": _pm_c1k48s, "D10202": _pm_d10202, "P10001": _pm_p10001}


def test_the_table_matches_the_reference_sizes() -> None:
    sizes = {
        name: (f.length, f.facility_code.width if f.facility_code else 0, f.card_number.width)
        for name, f in FORMATS.items()
    }
    assert sizes == EXPECTED


def test_public_check_value() -> None:
    bits = encode("H10301", 123, 4567)
    assert bits == "10111101100010001110101110"
    assert bits_to_hex(bits) == "2F623AE"
    assert hex_to_bits("2F623AE", 26) == bits


@pytest.mark.parametrize("name", sorted(EXPECTED))
@given(data=st.data())
def test_round_trip_over_the_whole_range(name: str, data: st.DataObject) -> None:
    facility, number = _draw_card(name, data)
    bits = encode(name, facility, number)
    assert len(bits) == FORMATS[name].length
    mine = [c for c in candidates(bits) if c.format == name]
    assert len(mine) == 1
    assert (mine[0].facility_code, mine[0].card_number, mine[0].parity_ok) == (
        facility,
        number,
        True,
    )


@pytest.mark.parametrize("name", sorted(ORACLES))
@given(data=st.data())
def test_new_formats_match_the_reference_arithmetic(name: str, data: st.DataObject) -> None:
    facility, number = _draw_card(name, data)
    assert facility is not None
    assert encode(name, facility, number) == ORACLES[name](facility, number)


@pytest.mark.parametrize(
    ("name", "facility", "number", "hex_value"),
    [
        # P1 even over zeros = 0; P34 odd over zeros = 1; P0 odd over 1–34 already sees P34.
        ("C1k35s", 0, 0, "000000001"),
        # bytes FA BC 12 34; FA ^ BC = 46, ^ 12 = 54, ^ 34 = 60
        ("P10001", 0xABC, 0x1234, "FABC123460"),
        # twelve ones under each parity bit: P0 (even) = 0, P25 (odd) = 1
        ("H10301", 255, 65535, "1FFFFFF"),
    ],
)
def test_literal_values(name: str, facility: int, number: int, hex_value: str) -> None:
    bits = encode(name, facility, number)
    assert bits_to_hex(bits) == hex_value
    assert hex_to_bits(hex_value, len(bits)) == bits


@pytest.mark.parametrize("name", sorted(EXPECTED))
@given(data=st.data())
def test_any_single_bit_flip_is_caught(name: str, data: st.DataObject) -> None:
    facility, number = _draw_card(name, data)
    bits = list(encode(name, facility, number))
    position = data.draw(st.integers(0, len(bits) - 1))
    bits[position] = "1" if bits[position] == "0" else "0"
    read = decode_with(FORMATS[name], parse_bits("".join(bits)))
    # Every bit of these formats is covered by a check, so a flip can never pass as valid.
    assert read.parity_ok is False
    assert (read.facility_code, read.card_number) != (facility, number) or position in {
        p for check in FORMATS[name].checks for p in check.outputs
    }


def test_p10001_marker_is_checked_even_when_the_checksum_agrees() -> None:
    bits = list(encode("P10001", 1, 2))
    bits[0] = "0"  # marker 1111 -> 0111
    bits[32] = "1" if bits[32] == "0" else "0"  # repair the checksum's matching bit
    read = decode_with(FORMATS["P10001"], parse_bits("".join(bits)))
    assert (read.facility_code, read.card_number, read.parity_ok) == (1, 2, False)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_out_of_range_values_are_refused(name: str) -> None:
    fmt = FORMATS[name]
    fc_ok = 0 if fmt.facility_code else None
    top = fmt.card_number.maximum
    with pytest.raises(WiegandError, match=f"Card number {top + 1} is out of range for {name}"):
        encode(name, fc_ok, top + 1)
    with pytest.raises(
        WiegandError, match=f"Card number -1 is out of range for {name} \\(0–{top}\\)"
    ):
        encode(name, fc_ok, -1)
    if fmt.facility_code is not None:
        big = fmt.facility_code.maximum + 1
        with pytest.raises(WiegandError, match=f"Facility code {big} is out of range for {name}"):
            encode(name, big, 0)
        with pytest.raises(WiegandError, match="needs a facility code"):
            encode(name, None, 0)


def test_range_message_is_plain_words() -> None:
    with pytest.raises(WiegandError) as info:
        encode("H10301", 300, 1)
    assert str(info.value) == "Facility code 300 is out of range for H10301 (0–255)"


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(WiegandError, match="Unknown card format 'H99999'"):
        encode("H99999", 1, 1)


@pytest.mark.parametrize(
    ("length", "names"),
    [
        (26, ["H10301"]),
        (33, ["D10202"]),
        (34, ["H10306"]),
        (35, ["C1k35s"]),
        (37, ["H10302", "H10304"]),
        (40, ["P10001"]),
        (48, ["C1k48s"]),
    ],
)
def test_detection_lists_every_format_of_the_length(length: int, names: list[str]) -> None:
    assert sorted(c.format for c in candidates("0" * length)) == names


def test_37_bits_read_both_ways_with_their_verdicts() -> None:
    bits = encode("H10304", 1234, 56789)
    found = {c.format: c for c in candidates(bits)}
    assert (found["H10304"].facility_code, found["H10304"].card_number) == (1234, 56789)
    assert found["H10302"].facility_code is None
    assert found["H10302"].card_number == (1234 << 19) | 56789
    assert found["H10302"].parity_ok and found["H10304"].parity_ok  # same parity layout
    assert {r.format for r in readings(bits)} == {"H10302", "H10304"}
    broken = ("1" if bits[0] == "0" else "0") + bits[1:]
    assert [c.parity_ok for c in candidates(broken)] == [False, False]
    with pytest.raises(WiegandError, match="Parity error in a 37-bit read"):
        readings(broken)


def test_a_length_no_format_has_is_reported() -> None:
    assert candidates("1" * 30) == []
    with pytest.raises(WiegandError, match="No supported card format is 30 bits long"):
        readings("1" * 30)


@given(st.text("01", min_size=1, max_size=128))
def test_hex_round_trip(bits: str) -> None:
    text = bits_to_hex(bits)
    assert len(text) == -(-len(bits) // 4)
    assert text == text.upper()
    assert hex_to_bits(text, len(bits)) == bits


@pytest.mark.parametrize(
    ("text", "length", "message"),
    [
        ("2F623AE", 25, "does not fit in 25 bits"),
        ("xyz", 26, "not a hexadecimal number"),
        ("", 26, "not a hexadecimal number"),
        ("1", 0, "bit length must be 1 to 128"),
        ("1", 129, "bit length must be 1 to 128"),
    ],
)
def test_hex_to_bits_errors(text: str, length: int, message: str) -> None:
    with pytest.raises(WiegandError, match=message):
        hex_to_bits(text, length)


def test_hex_to_bits_accepts_prefix_and_case() -> None:
    assert hex_to_bits("0x2f623ae", 26) == "10111101100010001110101110"
    assert hex_to_bits("0000002F623AE", 26) == "10111101100010001110101110"


def test_bits_to_hex_refuses_non_bits() -> None:
    with pytest.raises(WiegandError):
        bits_to_hex("0102")


def _row(checks: tuple[ParityBit, ...], length: int = 4) -> WiegandFormat:
    return WiegandFormat("T", length, Field(1, 2), None, checks)


def test_a_row_whose_check_covers_a_later_one_is_refused() -> None:
    with pytest.raises(ValueError, match="later check"):
        _row((ParityBit(0, Parity.ODD, (1, 2, 3)), ParityBit(3, Parity.EVEN, (1, 2))))
    _row((ParityBit(3, Parity.EVEN, (1, 2)), ParityBit(0, Parity.ODD, (1, 2, 3))))  # fine


def test_a_row_that_leaves_a_bit_unused_is_refused() -> None:
    with pytest.raises(ValueError, match="exactly once"):
        _row((ParityBit(0, Parity.ODD, (1, 2)),))
