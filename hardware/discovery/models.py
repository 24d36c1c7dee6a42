"""Shared models for DNS-SD discovery: what a device announces and what a browser sees.

The validators here are the single definition of a well-formed field; both the
announcing side (:class:`AnnouncedDevice`) and the wire decoder in
:mod:`hardware.discovery.records` use them.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Final, Literal, get_args

from hardware.discovery.errors import InvalidRecordError

SERVICE_TYPE: Final = "_lintel-device._tcp.local."
"""DNS-SD service type every Lintel device announces."""

DeviceKind = Literal["reader", "door_controller"]
DeviceState = Literal["unconfigured", "pending", "adopted"]
DeviceSource = Literal["dns-sd"]
EventKind = Literal["added", "updated", "removed"]

DEVICE_KINDS: Final[frozenset[str]] = frozenset(get_args(DeviceKind))
DEVICE_STATES: Final[frozenset[str]] = frozenset(get_args(DeviceState))

MAX_LABEL_BYTES: Final = 63
MAX_TEXT_CHARS: Final = 63

_SERIAL_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
_MAC_RE: Final = re.compile(r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}")


def check_kind(value: str) -> DeviceKind:
    """Return ``value`` as a device kind, or raise :class:`InvalidRecordError`."""
    if value == "reader":
        return "reader"
    if value == "door_controller":
        return "door_controller"
    raise InvalidRecordError("kind", value, f"expected one of {sorted(DEVICE_KINDS)}")


def check_state(value: str) -> DeviceState:
    """Return ``value`` as a device state, or raise :class:`InvalidRecordError`."""
    if value == "unconfigured":
        return "unconfigured"
    if value == "pending":
        return "pending"
    if value == "adopted":
        return "adopted"
    raise InvalidRecordError("state", value, f"expected one of {sorted(DEVICE_STATES)}")


def check_serial(value: str) -> str:
    """Return the serial number if it is 1-40 letters, digits, ``-`` or ``_``."""
    if not _SERIAL_RE.fullmatch(value):
        raise InvalidRecordError("serial", value, "expected 1-40 letters, digits, '-' or '_'")
    return value


def check_mac(value: str) -> str:
    """Return the MAC address in lower case, or raise for anything but ``aa:bb:cc:dd:ee:ff``."""
    if not _MAC_RE.fullmatch(value):
        raise InvalidRecordError("mac", value, "expected six hex pairs separated by ':'")
    return value.lower()


def check_text(field: str, value: str) -> str:
    """Return a short printable text (model, firmware): 1-63 characters."""
    if not value or len(value) > MAX_TEXT_CHARS or not value.isprintable():
        raise InvalidRecordError(field, value, f"expected 1-{MAX_TEXT_CHARS} printable characters")
    return value


def check_name(value: str) -> str:
    """Return a device name: printable, no dots, short enough for a DNS label."""
    if not value or not value.isprintable() or "." in value:
        raise InvalidRecordError("name", value, "expected printable text without dots")
    if len(value.encode()) > MAX_LABEL_BYTES:
        raise InvalidRecordError("name", value, f"longer than {MAX_LABEL_BYTES} bytes")
    return value


def instance_label(name: str, serial: str) -> str:
    """Return the DNS-SD instance label ``"<name> (<serial>)"``, at most 63 bytes."""
    label = f"{name} ({serial})"
    if len(label.encode()) > MAX_LABEL_BYTES:
        raise InvalidRecordError(
            "name", name, f"name and serial together longer than {MAX_LABEL_BYTES - 3} bytes"
        )
    return label


def check_port(value: int) -> int:
    """Return a TCP port number (1-65535)."""
    if not 0 < value < 65536:
        raise InvalidRecordError("port", value, "expected 1-65535")
    return value


def check_ipv4(field: str, value: str) -> str:
    """Return a dotted-quad IPv4 address in canonical form."""
    try:
        return str(ipaddress.IPv4Address(value))
    except ValueError:
        raise InvalidRecordError(field, value, "expected an IPv4 address") from None


@dataclass(frozen=True, slots=True)
class AnnouncedDevice:
    """What a device publishes about itself over DNS-SD.

    Every field is validated on construction; a bad value raises
    :class:`~hardware.discovery.errors.InvalidRecordError`.

    Attributes:
        kind: ``"reader"`` or ``"door_controller"``.
        serial: Serial number (1-40 letters, digits, ``-``, ``_``); unique per device.
        name: Human name shown to the installer (no dots).
        port: TCP port of the device's own service.
        mac: MAC address ``aa:bb:cc:dd:ee:ff``.
        model: Model name.
        firmware: Firmware version.
        state: ``"unconfigured"``, ``"pending"`` or ``"adopted"``.
        host: IPv4 address to publish; ``None`` publishes the announcer's interface address.
    """

    kind: DeviceKind
    serial: str
    name: str
    port: int
    mac: str
    model: str
    firmware: str
    state: DeviceState = "unconfigured"
    host: str | None = None

    def __post_init__(self) -> None:
        check_kind(self.kind)
        check_serial(self.serial)
        instance_label(check_name(self.name), self.serial)
        check_port(self.port)
        object.__setattr__(self, "mac", check_mac(self.mac))
        check_text("model", self.model)
        check_text("firmware", self.firmware)
        check_state(self.state)
        if self.host is not None:
            object.__setattr__(self, "host", check_ipv4("host", self.host))


@dataclass(frozen=True, slots=True)
class DiscoveredDevice:
    """A device seen by a browser, decoded from its DNS-SD records.

    Attributes:
        kind: ``"reader"`` or ``"door_controller"``.
        serial: Serial number.
        name: Human name (the service instance name without the serial suffix).
        host: IPv4 address, dotted quad.
        port: TCP port.
        mac: MAC address, lower case ``aa:bb:cc:dd:ee:ff``.
        model: Model name.
        firmware: Firmware version.
        state: ``"unconfigured"``, ``"pending"`` or ``"adopted"``.
        source: How it was found; always ``"dns-sd"`` here.
    """

    kind: DeviceKind
    serial: str
    name: str
    host: str
    port: int
    mac: str
    model: str
    firmware: str
    state: DeviceState
    source: DeviceSource = "dns-sd"


@dataclass(frozen=True, slots=True)
class DiscoveryEvent:
    """A change seen by a :class:`~hardware.discovery.browse.DeviceBrowser`.

    Attributes:
        kind: ``"added"``, ``"updated"`` or ``"removed"``.
        device: The device after the change (for ``"removed"``: as last seen).
    """

    kind: EventKind
    device: DiscoveredDevice
