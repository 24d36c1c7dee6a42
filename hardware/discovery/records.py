"""DNS-SD record codec: devices <-> service names and TXT properties. Pure, no sockets.

A device is published as the service instance ``"<name> (<serial>)"`` of type
:data:`~hardware.discovery.models.SERVICE_TYPE`, with TXT keys ``kind``, ``serial``,
``mac``, ``model``, ``fw`` and ``state``, plus ``rev``: a change counter that makes
every update a distinct TXT record. (mDNS caches keep a superseded record for a
second; without ``rev`` a quick flip back to an earlier value, e.g. adopted then
pending again, equals the stale cached record and browsers never see it.)
Unknown TXT keys, ``rev`` included, are ignored by the decoder so later firmware
can add keys; a missing or malformed required key rejects the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from hardware.discovery.errors import InvalidRecordError
from hardware.discovery.models import (
    SERVICE_TYPE,
    AnnouncedDevice,
    DiscoveredDevice,
    check_ipv4,
    check_kind,
    check_mac,
    check_port,
    check_serial,
    check_state,
    check_text,
    instance_label,
)

TXT_KEYS: Final = ("kind", "serial", "mac", "model", "fw", "state")
"""The TXT keys every device record must carry."""


def service_name(device: AnnouncedDevice) -> str:
    """Return the fully qualified service name a device announces.

    Args:
        device: The device to announce.

    Returns:
        ``"<name> (<serial>)._lintel-device._tcp.local."``.
    """
    return f"{instance_label(device.name, device.serial)}.{SERVICE_TYPE}"


def server_name(device: AnnouncedDevice) -> str:
    """Return the host name (SRV target) a device announces, ``"lintel-<serial>.local."``."""
    return f"lintel-{device.serial.lower()}.local."


def encode_properties(device: AnnouncedDevice, revision: int = 0) -> dict[str, str]:
    """Return the TXT properties for a device.

    Args:
        device: The device to announce.
        revision: Change counter, incremented by the announcer on every update.

    Returns:
        A mapping of every key in :data:`TXT_KEYS`, and ``rev``, to its value.
    """
    return {
        "kind": device.kind,
        "serial": device.serial,
        "mac": device.mac,
        "model": device.model,
        "fw": device.firmware,
        "state": device.state,
        "rev": str(revision),
    }


def decode_device(
    name: str,
    properties: Mapping[bytes, bytes | None],
    addresses: Sequence[str],
    port: int | None,
) -> DiscoveredDevice:
    """Decode a resolved service into a device.

    Args:
        name: Fully qualified service name, e.g. ``"Reader (R1)._lintel-device._tcp.local."``.
        properties: TXT properties as raw bytes (zeroconf's ``ServiceInfo.properties``).
        addresses: The service's IPv4 addresses, dotted quads; the first one is used.
        port: Port from the SRV record, ``None`` when missing.

    Returns:
        The decoded device.

    Raises:
        InvalidRecordError: A required part is missing or malformed; the error names
            the field and shows the bad value.
    """
    suffix = "." + SERVICE_TYPE
    if not name.lower().endswith(suffix) or len(name) == len(suffix):
        raise InvalidRecordError("service name", name, f"expected '<instance>{suffix}'")
    label = name[: -len(suffix)]
    txt = _decode_txt(properties)
    serial = check_serial(txt["serial"])
    if not addresses:
        raise InvalidRecordError("host", None, "no IPv4 address in the record")
    if port is None:
        raise InvalidRecordError("port", None, "no SRV record")
    display = label.removesuffix(f" ({serial})") or label
    return DiscoveredDevice(
        kind=check_kind(txt["kind"]),
        serial=serial,
        name=display,
        host=check_ipv4("host", addresses[0]),
        port=check_port(port),
        mac=check_mac(txt["mac"]),
        model=check_text("model", txt["model"]),
        firmware=check_text("fw", txt["fw"]),
        state=check_state(txt["state"]),
    )


def _decode_txt(properties: Mapping[bytes, bytes | None]) -> dict[str, str]:
    """Return the required TXT keys as text; keys match case-insensitively (RFC 6763 6.4)."""
    lowered = {key.lower(): value for key, value in properties.items()}
    out: dict[str, str] = {}
    for key in TXT_KEYS:
        raw = lowered.get(key.encode())
        if raw is None:
            raise InvalidRecordError(key, raw, "missing from TXT record")
        try:
            out[key] = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidRecordError(key, raw, "not UTF-8") from None
    return out
