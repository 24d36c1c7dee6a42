"""The fast format: compact message, coding, frame counts against imp."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings

from hardware.blinkup import (
    BlinkUpDecodeError,
    BlinkUpError,
    ClearSettings,
    DecodeFailure,
    Enrolment,
    Mode,
    NetworkSettings,
    Proxy,
    WiFi,
    fast,
    frames,
    symbols,
)
from hardware.blinkup.compact import decode_message, encode_message
from hardware.blinkup.crc import crc32
from tests.hardware.blinkup.support import SMALL, WORST, network_settings


def test_message_layout() -> None:
    settings = NetworkSettings(
        WiFi("ab", "password"), enrolment=Enrolment("01", "0203", "10.0.0.2:31314")
    )
    body = (
        bytes.fromhex("46 02 6162 08")
        + b"password"
        + bytes.fromhex("01 01 02 0203 00 0a000002 7a52")
    )
    assert encode_message(settings) == body + crc32(body).to_bytes(4, "big")
    assert encode_message(ClearSettings()) == b"\x80" + crc32(b"\x80").to_bytes(4, "big")


@given(network_settings(Mode.FAST))
@settings(max_examples=200)
def test_message_round_trip(sent: NetworkSettings) -> None:
    assert decode_message(encode_message(sent)) == sent


def test_proxy_and_clear_round_trip() -> None:
    sent = NetworkSettings(proxy=Proxy("proxy.lan", 3128, "bob", "hunter22"))
    assert decode_message(encode_message(sent)) == sent
    assert decode_message(encode_message(ClearSettings())) == ClearSettings()


def test_bad_messages() -> None:
    good = encode_message(SMALL)
    with pytest.raises(BlinkUpDecodeError) as info:
        decode_message(good[:-1] + bytes([good[-1] ^ 1]))
    assert info.value.reason is DecodeFailure.CRC_MISMATCH
    trailing = good[:-4] + b"\x00"
    with pytest.raises(BlinkUpDecodeError, match="trailing") as info:
        decode_message(trailing + crc32(trailing).to_bytes(4, "big"))
    assert info.value.reason is DecodeFailure.MALFORMED


def test_enrolment_needs_the_server_in_fast_mode() -> None:
    with pytest.raises(BlinkUpError, match="device server"):
        frames(NetworkSettings(enrolment=Enrolment("00", "00")), Mode.FAST)


def test_worst_case_is_at_least_three_times_shorter_than_imp() -> None:
    imp_frames, fast_frames = len(frames(WORST, Mode.IMP)), len(frames(WORST, Mode.FAST))
    assert imp_frames == 1990
    assert fast_frames * 3 <= imp_frames
    assert fast_frames == fast.frame_count(len(fast.packet(WORST)))
    assert len(frames(SMALL, Mode.FAST)) < len(frames(SMALL, Mode.IMP))


@given(network_settings(Mode.FAST))
@settings(max_examples=50)
def test_consecutive_frames_always_differ(sent: NetworkSettings) -> None:
    shown = symbols(sent, Mode.FAST)
    assert shown[: len(fast.PREAMBLE)] == list(fast.PREAMBLE)
    assert all(a != b for a, b in itertools.pairwise(shown))
    assert set(frames(sent, Mode.FAST)) <= set(fast.LEVELS)


def test_levels_and_symbol_mapping() -> None:
    assert fast.LEVELS == (0, 136, 186, 224, 255)
    for previous, dibit in itertools.product(range(5), range(4)):
        level = fast.level_for(dibit, previous)
        assert level != previous
        assert fast.dibit_for(level, previous) == dibit


@pytest.mark.parametrize(
    ("length", "plan"), [(47, [(47, 12)]), (127, [(127, 16)]), (400, [(200, 26), (200, 26)])]
)
def test_codeword_layout(length: int, plan: list[tuple[int, int]]) -> None:
    assert fast.layout(length) == plan


def test_interleaving_goes_column_by_column() -> None:
    assert fast.interleave_order([3, 2]) == [(0, 0), (1, 0), (0, 1), (1, 1), (0, 2)]


def test_whitening_is_pn9() -> None:
    assert fast.whitening(4).hex() == "ff e1 1d 9a".replace(" ", "")
