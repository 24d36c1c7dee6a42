"""Keyboard-wedge LF readers: each output mode, bad reads, and the machine-typing rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.access.wiegand import FORMATS, CardFields, encode
from hardware.nfc.wedge import (
    KeystrokeBuffer,
    WedgeConfig,
    WedgeError,
    WedgeErrorReason,
    WedgeOutput,
    read_typed,
)

CHECK = CardFields("H10301", 123, 4567)
CHECK_BITS = "10111101100010001110101110"  # = 0x2F623AE = 49685422


@pytest.mark.parametrize(
    ("output", "typed"),
    [
        (WedgeOutput.RAW_HEX, "2F623AE"),
        (WedgeOutput.RAW_HEX, "2f623ae\r\n"),
        (WedgeOutput.RAW_HEX, "0002F623AE"),
        (WedgeOutput.RAW_DECIMAL, "49685422"),
        (WedgeOutput.FACILITY_CARD, "12304567"),
        (WedgeOutput.FACILITY_CARD, "123:04567"),
        (WedgeOutput.FACILITY_CARD, "123,4567"),
        (WedgeOutput.FACILITY_CARD, "123 - 4567\n"),
    ],
)
def test_each_output_mode_reads_the_check_card(output: WedgeOutput, typed: str) -> None:
    read = read_typed(typed, WedgeConfig("H10301", output))
    assert read.card == CHECK
    assert read.bits == CHECK_BITS
    assert read.hex == "2F623AE"


def test_card_number_mode_takes_the_facility_code_from_the_config() -> None:
    read = read_typed("4567", WedgeConfig("H10301", WedgeOutput.CARD_NUMBER, facility_code=123))
    assert (read.card, read.bits) == (CHECK, CHECK_BITS)
    other = read_typed("4567", WedgeConfig("H10301", WedgeOutput.CARD_NUMBER, facility_code=1))
    assert other.card == CardFields("H10301", 1, 4567)


def test_card_number_mode_for_a_format_without_facility_code() -> None:
    read = read_typed("34359738367", WedgeConfig("H10302", WedgeOutput.CARD_NUMBER))
    assert read.card == CardFields("H10302", None, 2**35 - 1)
    assert read.bits == encode("H10302", None, 2**35 - 1)


def test_facility_card_widths_come_from_the_field_sizes() -> None:
    # H10306: 16-bit fields -> 5 + 5 digits; C1k48s: 22 and 23 bits -> 7 + 7 digits
    read = read_typed("6553500042", WedgeConfig("H10306", WedgeOutput.FACILITY_CARD))
    assert read.card == CardFields("H10306", 65535, 42)
    read = read_typed("40000000000077", WedgeConfig("C1k48s", WedgeOutput.FACILITY_CARD))
    assert read.card == CardFields("C1k48s", 4000000, 77)


@pytest.mark.parametrize("name", sorted(FORMATS))
@given(data=st.data())
def test_raw_modes_round_trip_every_format(name: str, data: st.DataObject) -> None:
    fmt = FORMATS[name]
    facility = data.draw(st.integers(0, fmt.facility_code.maximum)) if fmt.facility_code else None
    number = data.draw(st.integers(0, fmt.card_number.maximum))
    bits = encode(name, facility, number)
    for output, typed in (
        (WedgeOutput.RAW_HEX, f"{int(bits, 2):X}"),
        (WedgeOutput.RAW_DECIMAL, str(int(bits, 2))),
    ):
        read = read_typed(typed, WedgeConfig(name, output))
        assert (read.card, read.bits) == (CardFields(name, facility, number), bits)


@pytest.mark.parametrize(
    ("config", "typed", "reason", "message"),
    [
        (WedgeConfig(), "", WedgeErrorReason.EMPTY, "Nothing was read"),
        (WedgeConfig(), " \r\n", WedgeErrorReason.EMPTY, "Nothing was read"),
        (WedgeConfig(), "2F623AF", WedgeErrorReason.PARITY, "Parity error"),
        (WedgeConfig(), "12F623AE", WedgeErrorReason.WRONG_LENGTH, "longer than a 26-bit H10301"),
        (WedgeConfig(), "2F623AG", WedgeErrorReason.NOT_A_NUMBER, "not a hexadecimal number"),
        (WedgeConfig(), "0x2F623AE", WedgeErrorReason.NOT_A_NUMBER, "not a hexadecimal"),
        (
            WedgeConfig(output=WedgeOutput.RAW_DECIMAL),
            "2F623AE",
            WedgeErrorReason.NOT_A_NUMBER,
            "not a decimal number",
        ),
        (
            WedgeConfig(output=WedgeOutput.RAW_DECIMAL),
            "49685423",
            WedgeErrorReason.PARITY,
            "Parity error",
        ),
        (
            WedgeConfig(output=WedgeOutput.CARD_NUMBER, facility_code=1),
            "65536",
            WedgeErrorReason.OUT_OF_RANGE,
            "Card number 65536 is out of range for H10301 (0–65535)",
        ),
        (
            WedgeConfig(output=WedgeOutput.CARD_NUMBER, facility_code=1),
            "-5",
            WedgeErrorReason.NOT_A_NUMBER,
            "not a decimal number",
        ),
        (
            WedgeConfig(output=WedgeOutput.FACILITY_CARD),
            "30004567",
            WedgeErrorReason.OUT_OF_RANGE,
            "Facility code 300 is out of range for H10301 (0–255)",
        ),
        (
            WedgeConfig(output=WedgeOutput.FACILITY_CARD),
            "123:99999",
            WedgeErrorReason.OUT_OF_RANGE,
            "Card number 99999",
        ),
        (
            WedgeConfig(output=WedgeOutput.FACILITY_CARD),
            "1234567",
            WedgeErrorReason.WRONG_LENGTH,
            "Expected 8 digits for H10301 (3 for the facility code, 5 for the card number)",
        ),
        (
            WedgeConfig(output=WedgeOutput.FACILITY_CARD),
            "123:45:67",
            WedgeErrorReason.NOT_A_NUMBER,
            "not a decimal number",
        ),
    ],
)
def test_bad_reads_are_clear_errors(
    config: WedgeConfig, typed: str, reason: WedgeErrorReason, message: str
) -> None:
    with pytest.raises(WedgeError) as info:
        read_typed(typed, config)
    assert info.value.reason is reason
    assert message in str(info.value)


def test_a_runaway_read_is_quoted_briefly() -> None:
    with pytest.raises(WedgeError) as info:
        read_typed("z" * 5000, WedgeConfig())
    assert len(str(info.value)) < 100


@pytest.mark.parametrize("output", list(WedgeOutput))
def test_a_stuck_digit_key_is_a_clear_error_in_every_mode(output: WedgeOutput) -> None:
    config = WedgeConfig(
        output=output, facility_code=1 if output is WedgeOutput.CARD_NUMBER else None
    )
    with pytest.raises(WedgeError) as info:
        read_typed("1" * 5000, config)  # int() refuses more than 4,300 digits with ValueError
    assert info.value.reason is WedgeErrorReason.WRONG_LENGTH


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"format": "H99"}, "Unknown card format 'H99'"),
        ({"output": "typed_hex"}, "Unknown output 'typed_hex'"),
        ({"output": WedgeOutput.CARD_NUMBER}, "need the site's facility code"),
        ({"output": WedgeOutput.CARD_NUMBER, "facility_code": 256}, "Facility code 256"),
        ({"format": "H10302", "output": WedgeOutput.FACILITY_CARD}, "H10302 has no facility code"),
        (
            {"format": "H10302", "output": WedgeOutput.CARD_NUMBER, "facility_code": 1},
            "H10302 has no facility code",
        ),
    ],
)
def test_bad_configs_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(WedgeError) as info:
        WedgeConfig(**kwargs)  # type: ignore[arg-type]
    assert info.value.reason is WedgeErrorReason.BAD_CONFIG
    assert message in str(info.value)


def test_config_accepts_output_names_from_settings() -> None:
    config = WedgeConfig("H10301", "raw_decimal")  # type: ignore[arg-type]
    assert config.output is WedgeOutput.RAW_DECIMAL


def _type(buffer: KeystrokeBuffer, text: str, start: float, gap: float) -> list[str | None]:
    return [buffer.feed(char, start + i * gap) for i, char in enumerate(text)]


def test_a_machine_fast_line_is_a_read() -> None:
    buffer = KeystrokeBuffer()
    results = _type(buffer, "2F623AE\r", start=10.0, gap=0.008)
    assert results == [None] * 7 + ["2F623AE"]
    assert buffer.pending == ""


def test_a_person_typing_is_not_a_read() -> None:
    buffer = KeystrokeBuffer()
    assert _type(buffer, "smith\n", start=3.0, gap=0.120) == [None] * 6
    assert buffer.pending == ""


def test_the_default_gap_is_50_ms() -> None:
    assert _type(KeystrokeBuffer(), "12\n", 0.0, 0.049)[-1] == "12"
    assert _type(KeystrokeBuffer(), "12\n", 0.0, 0.051)[-1] is None


def test_the_gap_limit_is_inclusive_and_configurable() -> None:
    # quarters are exact in binary, so "equal to the limit" really is equal
    assert _type(KeystrokeBuffer(max_gap=0.25), "12\n", 0.0, 0.25)[-1] == "12"
    assert _type(KeystrokeBuffer(max_gap=0.25), "12\n", 0.0, 0.375)[-1] is None


def test_a_slow_enter_after_fast_keys_is_not_a_read() -> None:
    buffer = KeystrokeBuffer()
    _type(buffer, "4567", start=0.0, gap=0.01)
    assert buffer.feed("\r", 0.03 + 0.5) is None


def test_a_card_read_after_slow_typing_starts_afresh() -> None:
    buffer = KeystrokeBuffer()
    _type(buffer, "abc", start=0.0, gap=0.3)  # a person in the search box
    results = _type(buffer, "2F623AE\n", start=2.0, gap=0.01)  # then a card
    assert results[-1] == "2F623AE"


def test_one_slow_key_in_the_middle_breaks_the_read() -> None:
    buffer = KeystrokeBuffer()
    _type(buffer, "2F6", start=0.0, gap=0.01)
    _type(buffer, "23AE", start=0.5, gap=0.01)
    assert buffer.feed("\n", 0.54) == "23AE"  # only the keys after the pause count


def test_time_going_backwards_restarts_the_line() -> None:
    buffer = KeystrokeBuffer()
    _type(buffer, "12", start=5.0, gap=0.01)
    assert buffer.feed("3", 4.0) is None
    assert buffer.pending == "3"


def test_enter_alone_and_short_lines() -> None:
    buffer = KeystrokeBuffer(min_chars=4)
    assert buffer.feed("\n", 0.0) is None
    assert _type(buffer, "123\n", 1.0, 0.01)[-1] is None
    assert _type(buffer, "1234\n", 2.0, 0.01)[-1] == "1234"


def test_custom_terminator_and_reset() -> None:
    buffer = KeystrokeBuffer(terminators=frozenset({"\t"}))
    assert _type(buffer, "12\n3\t", 0.0, 0.01)[-1] == "12\n3"
    _type(buffer, "99", 1.0, 0.01)
    buffer.reset()
    assert buffer.pending == ""
    assert buffer.feed("\t", 1.03) is None


def test_buffer_and_reader_together() -> None:
    buffer = KeystrokeBuffer()
    line = _type(buffer, "123:04567\r", 0.0, 0.005)[-1]
    assert line is not None
    assert read_typed(line, WedgeConfig(output=WedgeOutput.FACILITY_CARD)).card == CHECK
