"""The DNS-SD record codec, from literal TXT bytes. No sockets."""

from __future__ import annotations

import pytest
from zeroconf import ServiceInfo

from hardware.discovery import SERVICE_TYPE, AnnouncedDevice, DiscoveredDevice, InvalidRecordError
from hardware.discovery.records import (
    decode_device,
    encode_properties,
    server_name,
    service_name,
)

NAME = "Front door (R-0001)._lintel-device._tcp.local."
# kind=reader serial=R-0001 mac=02:00:00:00:00:01 model=LR-1 fw=1.2.3 state=pending
TXT = (
    b"\x0bkind=reader\rserial=R-0001\x15mac=02:00:00:00:00:01"
    b"\nmodel=LR-1\x08fw=1.2.3\rstate=pending"
)


def txt(*entries: bytes) -> bytes:
    """Build TXT rdata from entries (each a length byte then the bytes)."""
    return b"".join(bytes([len(e)]) + e for e in entries)


def properties(raw: bytes) -> dict[bytes, bytes | None]:
    """Parse TXT rdata the way the browser receives it."""
    return ServiceInfo(SERVICE_TYPE, NAME, properties=raw).properties


GOOD = [
    b"kind=reader",
    b"serial=R-0001",
    b"mac=02:00:00:00:00:01",
    b"model=LR-1",
    b"fw=1.2.3",
    b"state=pending",
]


def replaced(key: bytes, entry: bytes | None) -> list[bytes]:
    """GOOD with the entry for ``key`` replaced (or dropped when ``entry`` is None)."""
    out = [e for e in GOOD if not e.startswith(key + b"=")]
    return out if entry is None else [*out, entry]


def test_decode_literal_txt() -> None:
    device = decode_device(NAME, properties(TXT), ["192.0.2.10"], 8443)
    assert device == DiscoveredDevice(
        kind="reader",
        serial="R-0001",
        name="Front door",
        host="192.0.2.10",
        port=8443,
        mac="02:00:00:00:00:01",
        model="LR-1",
        firmware="1.2.3",
        state="pending",
        source="dns-sd",
    )


def test_encode_then_decode_round_trips() -> None:
    announced = AnnouncedDevice(
        kind="door_controller",
        serial="C_7",
        name="Relay box",
        port=31314,
        mac="02:AB:CD:EF:00:07",
        model="LC-4",
        firmware="2.0.0-beta",
        state="adopted",
    )
    name = service_name(announced)
    assert name == "Relay box (C_7)._lintel-device._tcp.local."
    assert server_name(announced) == "lintel-c_7.local."
    props = encode_properties(announced, revision=3)
    assert props["rev"] == "3"
    info = ServiceInfo(SERVICE_TYPE, name, properties=props)
    device = decode_device(name, info.properties, ["10.0.0.7"], 31314)
    assert (device.kind, device.serial, device.name, device.mac, device.state) == (
        "door_controller",
        "C_7",
        "Relay box",
        "02:ab:cd:ef:00:07",
        "adopted",
    )
    assert device.firmware == "2.0.0-beta"


def test_keys_match_case_insensitively_and_unknown_keys_are_ignored() -> None:
    raw = txt(*[e.replace(b"kind", b"KIND") for e in GOOD], b"future=1", b"flag")
    assert decode_device(NAME, properties(raw), ["127.0.0.1"], 1).kind == "reader"


def test_instance_name_without_serial_suffix_is_kept_whole() -> None:
    name = "Odd label._lintel-device._tcp.local."
    assert decode_device(name, properties(TXT), ["127.0.0.1"], 1).name == "Odd label"


@pytest.mark.parametrize(
    ("entries", "field"),
    [
        (replaced(b"serial", None), "serial"),
        (replaced(b"kind", None), "kind"),
        (replaced(b"kind", b"kind=camera"), "kind"),
        (replaced(b"kind", b"kind"), "kind"),  # key without '=' has no value
        (replaced(b"state", b"state=ADOPTED"), "state"),
        (replaced(b"serial", b"serial=R 1"), "serial"),
        (replaced(b"serial", b"serial="), "serial"),
        (replaced(b"mac", b"mac=02:00:00:00:00"), "mac"),
        (replaced(b"mac", b"mac=zz:00:00:00:00:01"), "mac"),
        (replaced(b"model", b"model="), "model"),
        (replaced(b"fw", b"fw=\x01\x02"), "fw"),
        (replaced(b"fw", b"fw=" + b"9" * 64), "fw"),
        (replaced(b"model", b"model=\xff\xfe"), "model"),
        ([], "kind"),
    ],
)
def test_malformed_txt_is_rejected_naming_the_field(entries: list[bytes], field: str) -> None:
    with pytest.raises(InvalidRecordError) as caught:
        decode_device(NAME, properties(txt(*entries)), ["127.0.0.1"], 1)
    assert caught.value.field == field
    assert field in str(caught.value)


@pytest.mark.parametrize(
    ("name", "addresses", "port", "field"),
    [
        (NAME, [], 1, "host"),
        (NAME, ["not-an-ip"], 1, "host"),
        (NAME, ["127.0.0.1"], None, "port"),
        (NAME, ["127.0.0.1"], 0, "port"),
        ("Front door (R-0001)._http._tcp.local.", ["127.0.0.1"], 1, "service name"),
        ("._lintel-device._tcp.local.", ["127.0.0.1"], 1, "service name"),
    ],
)
def test_incomplete_service_is_rejected(
    name: str, addresses: list[str], port: int | None, field: str
) -> None:
    with pytest.raises(InvalidRecordError) as caught:
        decode_device(name, properties(TXT), addresses, port)
    assert caught.value.field == field
