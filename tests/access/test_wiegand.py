"""Wiegand codec: the public check value, parity, ranges, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.access.wiegand import FORMATS, WiegandError, candidates, encode, readings


def test_h10301_public_check_value() -> None:
    bits = encode("H10301", 123, 4567)
    assert bits == "10111101100010001110101110"
    assert int(bits, 2) == 0x2F623AE
    assert readings(bits)[0].facility_code == 123 and readings(bits)[0].card_number == 4567


def test_parity_error_is_reported() -> None:
    bits = list(encode("H10301", 123, 4567))
    bits[5] = "1" if bits[5] == "0" else "0"
    flipped = "".join(bits)
    assert candidates(flipped)[0].parity_ok is False
    with pytest.raises(WiegandError, match="Parity"):
        readings(flipped)


@pytest.mark.parametrize("text", ["", "012", "1" * 200, "10a1"])
def test_malformed_reads_are_clear_errors(text: str) -> None:
    with pytest.raises(WiegandError):
        readings(text)


def test_ranges_are_checked() -> None:
    with pytest.raises(WiegandError, match="Facility code 256"):
        encode("H10301", 256, 1)
    with pytest.raises(WiegandError, match="no facility code"):
        encode("H10302", 1, 1)


@pytest.mark.parametrize("name", sorted(FORMATS))
@given(data=st.data())
def test_round_trip(name: str, data: st.DataObject) -> None:
    fmt = FORMATS[name]
    facility = data.draw(st.integers(0, fmt.facility_code.maximum)) if fmt.facility_code else None
    number = data.draw(st.integers(0, fmt.card_number.maximum))
    bits = encode(name, facility, number)
    assert len(bits) == fmt.length
    assert any(
        r.format == name and r.facility_code == facility and r.card_number == number
        for r in readings(bits)
    )
