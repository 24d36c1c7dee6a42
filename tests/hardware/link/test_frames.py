"""Frame codec: literal packets, round trips, and strict rejection of bad bodies."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.link.errors import LinkDecodeError
from hardware.link.frames import decode, encode, encode_unsigned_welcome
from hardware.link.messages import (
    Accepted,
    Ack,
    AdmissionState,
    Auth,
    Credential,
    Decision,
    DeviceKind,
    Energize,
    Heartbeat,
    Hello,
    Identify,
    InputChanged,
    InputState,
    LedChanged,
    LedState,
    Message,
    Present,
    Pulse,
    Rejected,
    SetLed,
    Tamper,
    Welcome,
)

LITERALS: list[tuple[bytes, Message]] = [
    (b'\x06{}', Heartbeat()),
    (b'\x07{"seq":42}', Ack(42)),
    (b'\x10{"credential":{"wiegand":"10111101100010001110101110"},"seq":1}',
     Present(1, Credential(wiegand="10111101100010001110101110"))),
    (b'\x10{"credential":{"uid":"04a1b2c3d4e5f6"},"seq":2}',
     Present(2, Credential(uid="04a1b2c3d4e5f6"))),
    (b'\x10{"credential":{"ndef":"d1010f","uid":"04a1b2c3"},"seq":3}',
     Present(3, Credential(uid="04a1b2c3", ndef="d1010f"))),
    (b'\x11{"active":true}', Tamper(True)),
    (
        b'\x10{"credential":{"phone_unlocked":false,"uid":"0A0B0C0D"},"seq":2}',
        Present(2, Credential(uid="0A0B0C0D", phone_unlocked=False)),
    ),
    (b'\x13{"state":"green"}', LedChanged(LedState.GREEN)),
    (b'\x12{"channel":3,"state":"open"}', InputChanged(3, InputState.OPEN)),
    (b'\x04{"assigned":true,"name":"Front door","state":"adopted"}',
     Accepted(AdmissionState.ADOPTED, True, "Front door")),
    (b'\x05{"reason":"unknown device"}', Rejected("unknown device")),
    (b'\x20{"code":"afc496","granted":false,"message":"access denied","seq":9}',
     Decision(9, False, "afc496", "access denied")),
    (b'\x21{"seconds":2.5,"state":"blinking_red"}', SetLed(LedState.BLINKING_RED, 2.5)),
    (b'\x22{"seconds":10.0}', Identify(10.0)),
    (b'\x23{"channel":5,"seconds":3.0}', Pulse(5, 3.0)),
    (b'\x24{"channel":1,"on":false}', Energize(1, False)),
]  # fmt: skip


@pytest.mark.parametrize(("packet", "msg"), LITERALS)
def test_literal_packets_decode_and_encode(packet: bytes, msg: Message) -> None:
    assert decode(packet) == msg
    assert encode(msg) == packet


def test_hello_literal_packet() -> None:
    key = bytes(range(32))
    packet = (
        b'\x01{"ephemeral":"' + b"A" * 43 + b'=","firmware":"2.4.1","identity_key":'
        b'"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","kind":"reader",'
        b'"mac":"02:00:00:00:00:01","model":"reader-pro-2.1","nonce":"AAAAAAAAAAAAAAAAAAAAAA==",'
        b'"proto":1,"serial":"LR2-0000TEST"}'
    )
    msg = decode(packet)
    assert msg == Hello(
        kind=DeviceKind.READER,
        serial="LR2-0000TEST",
        model="reader-pro-2.1",
        firmware="2.4.1",
        mac="02:00:00:00:00:01",
        identity_key=key,
        ephemeral=bytes(32),
        nonce=bytes(16),
    )
    assert encode(msg) == packet


def test_unsigned_welcome_leaves_out_the_signature() -> None:
    welcome = Welcome(bytes(32), bytes(32), bytes(16), b"\x01" * 64)
    body = encode_unsigned_welcome(welcome)
    assert body[0] == 0x02
    assert b"signature" not in body
    assert b"signature" in encode(welcome)


@pytest.mark.parametrize(
    ("packet", "needle"),
    [
        (b"", "empty frame"),
        (b"\x99{}", "unknown message type 0x99"),
        (b"\x07", "not valid JSON"),
        (b"\x07{", "not valid JSON"),
        (b'\x07{"seq":1,"seq":2}', "duplicate key"),
        (b"\x07\xff\xfe", "not valid JSON"),
        (b"\x07[1]", "must be a JSON object"),
        (b'\x07{"seq":"1"}', "field 'seq' must be an integer, got '1'"),
        (b'\x07{"seq":true}', "field 'seq' must be an integer, got True"),
        (b'\x07{"seq":-1}', "seq out of range"),
        (b'\x07{"seq":1,"extra":0}', "unknown field(s) ['extra']"),
        (b"\x07{}", "missing field 'seq'"),
        (b'\x23{"channel":6,"seconds":1}', "channel out of range 1..5: 6"),
        (b'\x23{"channel":1,"seconds":0}', "seconds must be in"),
        (b'\x23{"channel":1,"seconds":NaN}', "non-finite"),
        (b'\x23{"channel":1,"seconds":1e999}', "seconds must be in"),
        (b'\x12{"channel":9,"state":"open"}', "channel out of range 1..8: 9"),
        (b'\x12{"channel":1,"state":"ajar"}', "one of open, closed, cut, short, got 'ajar'"),
        (b'\x21{"state":"purple"}', "got 'purple'"),
        (b'\x10{"credential":{},"seq":1}', "needs wiegand or uid"),
        (b'\x10{"credential":{"wiegand":"012"},"seq":1}', "wiegand must be"),
        (b'\x10{"credential":{"wiegand":"' + b"1" * 129 + b'"},"seq":1}', "wiegand must be"),
        (b'\x10{"credential":{"uid":"04a1b2"},"seq":1}', "uid length out of range 8..20: 6"),
        (b'\x10{"credential":{"uid":"04a1b2c3z"},"seq":1}', "uid must be hex"),
        (b'\x10{"credential":{"uid":"04a1b2c3","wiegand":"1"},"seq":1}', "both wiegand"),
        (b'\x10{"credential":{"pin":"1234"},"seq":1}', "credential: unknown field"),
        (b'\x10{"credential":"x","seq":1}', "must be an object"),
        (b'\x02{"controller_key":"!!","ephemeral":"","nonce":"","signature":""}', "base64"),
        (b'\x01{"proto":1}', "missing field 'kind'"),
        (b"\x06" + b"[" * 100_000, "not valid JSON"),
        (b'\x07{"seq":' + b"9" * 5000 + b"}", "not valid JSON"),
    ],
)
def test_bad_bodies_are_rejected_with_the_bad_value(packet: bytes, needle: str) -> None:
    with pytest.raises(LinkDecodeError) as info:
        decode(packet)
    assert needle in str(info.value)
    assert info.value.raw == packet


def test_decode_error_truncates_huge_values() -> None:
    packet = b'\x05{"reason":' + b'"' + b"x" * 1000 + b'"}'
    with pytest.raises(LinkDecodeError) as info:
        decode(packet)
    assert len(str(info.value)) < 300


_hex_bytes = st.binary(min_size=4, max_size=10).map(bytes.hex)
_credentials = st.one_of(
    st.text("01", min_size=1, max_size=128).map(lambda bits: Credential(wiegand=bits)),
    st.builds(
        Credential,
        uid=_hex_bytes,
        ndef=st.none() | st.binary(min_size=1, max_size=64).map(bytes.hex),
    ),
)
_seq = st.integers(0, 2**31 - 1)
_seconds = st.floats(min_value=0.001, max_value=86_400, allow_nan=False)
_text = st.text(max_size=40).filter(str.isprintable)
_messages = st.one_of(
    st.builds(Present, seq=_seq, credential=_credentials),
    st.builds(Tamper, active=st.booleans()),
    st.builds(LedChanged, state=st.sampled_from(LedState)),
    st.builds(InputChanged, channel=st.integers(1, 8), state=st.sampled_from(InputState)),
    st.builds(Ack, seq=_seq),
    st.just(Heartbeat()),
    st.builds(
        Accepted,
        state=st.sampled_from(AdmissionState),
        assigned=st.booleans(),
        name=st.none() | _text.filter(bool),
    ),
    st.builds(Decision, seq=_seq, granted=st.booleans(), code=st.none(), message=_text),
    st.builds(SetLed, state=st.sampled_from(LedState), seconds=st.none() | _seconds),
    st.builds(Identify, seconds=_seconds),
    st.builds(Pulse, channel=st.integers(1, 5), seconds=_seconds),
    st.builds(Energize, channel=st.integers(1, 5), on=st.booleans()),
    st.builds(
        Auth,
        signature=st.binary(min_size=64, max_size=64),
        token_id=st.just("0123456789abcdef"),
        token_proof=st.just("ab" * 32),
    ),
)


@given(_messages)
def test_every_message_round_trips(msg: Message) -> None:
    assert decode(encode(msg)) == msg


@given(st.sampled_from([b"", b"\x01", b"\x10", b"\x23"]), st.binary(max_size=200))
def test_garbage_never_raises_anything_but_decode_errors(prefix: bytes, data: bytes) -> None:
    with contextlib.suppress(LinkDecodeError):
        decode(prefix + data)
