"""AnnouncedDevice validates every field before anything reaches the network."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from hardware.discovery import AnnouncedDevice, DiscoveryError, InvalidRecordError

VALID: dict[str, Any] = {
    "kind": "reader",
    "serial": "R-0001",
    "name": "Front door",
    "port": 8443,
    "mac": "02:AB:cd:00:00:01",
    "model": "LR-1",
    "firmware": "1.2.3",
}


def test_valid_device_normalises_mac_and_host() -> None:
    device = AnnouncedDevice(**VALID, host="10.0.0.1")
    assert device.mac == "02:ab:cd:00:00:01"
    assert device.host == "10.0.0.1"
    assert device.state == "unconfigured"
    assert dataclasses.replace(device, state="adopted").state == "adopted"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "camera"),
        ("state", "gone"),
        ("serial", ""),
        ("serial", "R.1"),
        ("serial", "R" * 41),
        ("name", ""),
        ("name", "Front.door"),
        ("name", "tab\there"),
        ("name", "x" * 60),  # with " (R-0001)" longer than a DNS label
        ("port", 0),
        ("port", 70000),
        ("mac", "02-ab-cd-00-00-01"),
        ("model", ""),
        ("firmware", "v" * 64),
        ("host", "::1"),
        ("host", "eth0"),
    ],
)
def test_invalid_field_is_rejected(field: str, value: object) -> None:
    with pytest.raises(InvalidRecordError) as caught:
        AnnouncedDevice(**{**VALID, field: value})
    assert isinstance(caught.value, DiscoveryError)
    assert caught.value.field == field
    assert caught.value.value == value
