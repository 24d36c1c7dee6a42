"""The imp wire format, checked against the reference: CRC, TLV layout, frames, figures."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.blinkup import (
    BlinkUpDecodeError,
    BlinkUpError,
    ClearSettings,
    DecodeFailure,
    Enrolment,
    Mode,
    NetworkSettings,
    Proxy,
    Security,
    StaticIP,
    WiFi,
    duration,
    frames,
    imp,
)
from hardware.blinkup.crc import ARC_TABLE, crc16_imp
from tests.hardware.blinkup.support import SMALL, WORST, network_settings, receivable

KNOWN = NetworkSettings(
    WiFi("Lab", "password1"),
    static=StaticIP("192.168.1.50", "255.255.255.0", "192.168.1.1", "1.1.1.1"),
    proxy=Proxy("proxy.lan", 3128, "bob", "hunter22"),
    enrolment=Enrolment("0011223344556677", "8899aabbccddeeff"),
)
KNOWN_PACKET = bytes.fromhex(
    "4f"  # LEN: 79 bytes of TLVs
    "01 03 4c6162"  # SSID "Lab"
    "06 09 70617373776f726431"  # password "password1"
    "0b 10 c0a80132 ffffff00 c0a80101 01010101"  # static IP: ip, mask, gateway, dns1
    "0d 19 380c 09 70726f78792e6c616e 03 626f62 08 68756e7465723232"  # proxy, port LE
    "05 10 7766554433221100 ffeeddccbbaa9988"  # enrolment: plan, token byte-reversed
    "0601"  # CRC-16, big-endian
)


def test_crc_check_value_and_table() -> None:
    assert crc16_imp(b"123456789") == 0x9540
    assert ARC_TABLE[:4] == (0x0000, 0xC0C1, 0xC181, 0x0140)
    assert crc16_imp(b"") == 0


def test_known_packet_layout() -> None:
    assert imp.packet(KNOWN) == KNOWN_PACKET
    assert imp.parse_packet(KNOWN_PACKET) == receivable(KNOWN, Mode.IMP)


def test_clear_packet() -> None:
    assert imp.packet(ClearSettings()) == bytes.fromhex("0207001d41")
    assert imp.parse_packet(bytes.fromhex("0207001d41")) == ClearSettings()


def test_open_network_has_no_password_tlv() -> None:
    pkt = imp.packet(NetworkSettings(WiFi("Cafe", security=Security.OPEN)))
    assert pkt[:7] == bytes.fromhex("06 01 04") + b"Cafe"
    assert len(pkt) == 1 + 6 + 2


def test_frames_are_preamble_then_packet_bits_then_black() -> None:
    symbols = imp.symbols_for_packet(b"\x81")
    preamble = [0, 1] * 24 + [0, 1, 0, 1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2, 0, 1]
    assert symbols == preamble + [0, 2] + [0, 1] * 6 + [0, 2] + [0] * 6
    assert imp.LEVELS == (0, 191, 255)
    assert set(frames(SMALL, Mode.IMP)) == {0, 191, 255}


def test_reference_figures() -> None:
    assert len(imp.packet(WORST)) == 120
    worst = frames(WORST, Mode.IMP)
    assert len(worst) == 1990
    assert round(duration(len(worst), 60)) == 33
    assert round(duration(len(frames(SMALL, Mode.IMP)), 60), 1) == 11.8


def test_plan_id_must_be_eight_bytes_and_tlvs_fit_a_byte() -> None:
    with pytest.raises(BlinkUpError, match="8-byte plan id"):
        imp.packet(NetworkSettings(enrolment=Enrolment("0011", "22")))
    long_proxy = Proxy(".".join(["p" * 60] * 3), 8080, "u" * 40, "x" * 40)
    with pytest.raises(BlinkUpError, match="at most 255"):
        imp.packet(NetworkSettings(WiFi("a" * 32, "b" * 63), proxy=long_proxy))


@given(network_settings(Mode.IMP))
@settings(max_examples=200)
def test_packet_round_trip(sent: NetworkSettings) -> None:
    assert imp.parse_packet(imp.packet(sent)) == receivable(sent, Mode.IMP)


@pytest.mark.parametrize(
    ("packet", "reason", "text"),
    [
        (KNOWN_PACKET[:-1] + b"\x00", DecodeFailure.CRC_MISMATCH, "0600"),
        (KNOWN_PACKET[:-3], DecodeFailure.MALFORMED, "LEN"),
        (b"\x02\x09\x00", DecodeFailure.MALFORMED, "LEN"),
    ],
)
def test_bad_packets(packet: bytes, reason: DecodeFailure, text: str) -> None:
    with pytest.raises(BlinkUpDecodeError, match=text) as info:
        imp.parse_packet(packet)
    assert info.value.reason is reason


def _sealed(body: bytes) -> bytes:
    head = bytes([len(body)]) + body
    return head + crc16_imp(head).to_bytes(2, "big")


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (b"\x09\x00", "unknown TLV type 9"),
        (b"\x01\x01a\x01\x01b", "appears twice"),
        (b"\x01\x05ab", "overruns"),
        (b"\x06\x08password", "password without SSID"),
        (b"\x07\x00\x01\x01a", "clear TLV must be alone"),
        (b"\x0b\x04\x01\x02\x03\x04", "16 or 20 bytes"),
        (b"\x01\x02\xff\xfe", "not UTF-8"),
        (b"\x01\x01a\x06\x03abc", "8–63 bytes"),
        (b"\x05\x04\x01\x02\x03\x04", "enrolment TLV too short"),
    ],
)
def test_malformed_tlvs_are_named(body: bytes, text: str) -> None:
    with pytest.raises(BlinkUpDecodeError, match=text) as info:
        imp.parse_packet(_sealed(body))
    assert info.value.reason is DecodeFailure.MALFORMED


@given(st.binary(max_size=40))
def test_random_packets_raise_only_decode_errors(data: bytes) -> None:
    with contextlib.suppress(BlinkUpDecodeError):
        imp.parse_packet(_sealed(data))
