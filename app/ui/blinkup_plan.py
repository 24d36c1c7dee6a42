"""What the BlinkUp form asks for, turned into the settings and the frames to flash (no Qt).

The form hands over plain strings (:class:`FormValues`); :func:`make_plan` checks them with
messages an installer can act on (:class:`FormError` names the field to show it next to),
builds ``hardware.blinkup`` settings with the controller's enrolment, and lists the frames.
The Wi-Fi password only lives in these objects; their ``repr`` masks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from hardware.blinkup import (
    BlinkUpError,
    Enrolment,
    Mode,
    NetworkSettings,
    Security,
    StaticIP,
    WiFi,
    duration,
    frames,
)
from hardware.blinkup.settings import ipv4, mask
from hardware.discovery import InterfaceChoice

FPS = 60.0
"""Frames per second the flasher shows and the reader expects."""

PLACEHOLDER_ID = "00" * 8
"""Stands in for the plan id and token when estimating before an enrolment is issued."""


class NetworkType(StrEnum):
    """How the reader reaches the network."""

    WIFI = "wifi"
    WIFI_OPEN = "wifi_open"
    ETHERNET_STATIC = "ethernet_static"
    ETHERNET_DHCP = "ethernet_dhcp"


NETWORK_LABELS = {
    NetworkType.WIFI: "Wi-Fi (WPA/WPA2)",
    NetworkType.WIFI_OPEN: "Wi-Fi (open, no password)",
    NetworkType.ETHERNET_STATIC: "Ethernet with a static IP",
    NetworkType.ETHERNET_DHCP: "Ethernet with DHCP (enrolment only)",
}
MODE_LABELS = {Mode.IMP: "Compatible (imp)", Mode.FAST: "Fast"}
STATIC_FIELDS = ("address", "netmask", "gateway", "dns1", "dns2")
FIELD_LABELS = {
    "address": "IP address",
    "netmask": "Netmask",
    "gateway": "Gateway",
    "dns1": "DNS 1",
    "dns2": "DNS 2",
}


class FormError(BlinkUpError):
    """A form value that cannot be sent; ``field`` names it (``""``: the form as a whole)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True, repr=False)
class FormValues:
    """What the installer typed, as plain strings."""

    network: NetworkType = NetworkType.WIFI
    ssid: str = ""
    password: str = ""
    static: dict[str, str] = field(default_factory=dict)
    mode: Mode = Mode.IMP

    def __repr__(self) -> str:
        return (
            f"FormValues(network={self.network.value!r}, ssid={self.ssid!r}, "
            f"password={mask(self.password)}, static={self.static!r}, mode={self.mode.value!r})"
        )


@dataclass(frozen=True)
class Plan:
    """One transfer ready to flash: the settings and one screen level per frame."""

    settings: NetworkSettings
    mode: Mode
    frames: tuple[int, ...]

    @property
    def seconds(self) -> float:
        """How long the frames take at :data:`FPS`."""
        return duration(len(self.frames), FPS)


@dataclass(frozen=True)
class ServerChoice:
    """The device server address to send in fast mode, and a note when it is a fallback."""

    address: str
    note: str = ""


def device_server(
    interface: str | None, interfaces: Sequence[InterfaceChoice], port: int | None
) -> ServerChoice:
    """The device server as a reader on the chosen network would reach it.

    Args:
        interface: The interface picked for discovery (None: none picked).
        interfaces: This host's interfaces (``hardware.discovery.list_interfaces()``).
        port: The device server's port.

    Returns:
        ``address:port`` of that interface, or ``127.0.0.1`` with a note saying why.
    """
    port = port or 31314
    for choice in interfaces:
        if choice.name == interface:
            return ServerChoice(f"{choice.address}:{port}")
    return ServerChoice(
        f"127.0.0.1:{port}",
        "No network is chosen at the top of the window, so Fast mode sends 127.0.0.1, which "
        "only a simulated reader on this computer can reach. Choose the readers' network first.",
    )


def _wifi(values: FormValues) -> WiFi:
    if not values.ssid.strip():
        raise FormError("ssid", "Type the Wi-Fi network name (SSID).")
    if len(values.ssid.encode("utf-8")) > 32:
        raise FormError("ssid", "That network name is too long: an SSID has at most 32 bytes.")
    if values.network is NetworkType.WIFI_OPEN:
        security, password = Security.OPEN, ""
    else:
        security, password = Security.WPA2, values.password
        if not password:
            raise FormError("password", "Type the Wi-Fi password.")
        size = len(password.encode("utf-8"))
        if size < 8 or size > 63:
            raise FormError(
                "password",
                "A WPA/WPA2 password has 8 to 63 characters; check the one you typed.",
            )
    try:
        return WiFi(values.ssid, password, security)
    except BlinkUpError as exc:
        where = "ssid" if "SSID" in str(exc) else "password"
        raise FormError(where, f"{exc}. Check what you typed.") from None


def _static(values: FormValues) -> StaticIP:
    typed = {name: values.static.get(name, "").strip() for name in STATIC_FIELDS}
    for name in STATIC_FIELDS:
        label = FIELD_LABELS[name]
        if not typed[name]:
            if name == "dns2":
                continue
            raise FormError(name, f"Type the {label}, e.g. {_EXAMPLES[name]}.")
        try:
            ipv4(typed[name], label)
        except BlinkUpError:
            raise FormError(
                name, f"{label} is not an IPv4 address; type it like {_EXAMPLES[name]}."
            ) from None
    try:
        return StaticIP(
            typed["address"],
            typed["netmask"],
            typed["gateway"],
            typed["dns1"],
            typed["dns2"] or None,
        )
    except BlinkUpError as exc:
        text = str(exc)
        where = next((n for n in ("netmask", "gateway") if n in text), "address")
        message = f"{text[:1].upper()}{text[1:]}. Check the {FIELD_LABELS[where]}."
        raise FormError(where, message) from None


_EXAMPLES = {
    "address": "192.168.1.50",
    "netmask": "255.255.255.0",
    "gateway": "192.168.1.1",
    "dns1": "192.168.1.1",
    "dns2": "9.9.9.9",
}


def build_settings(
    values: FormValues, plan_id: str, token: str, server: str | None
) -> NetworkSettings:
    """The settings to send: the network part of the form plus the enrolment.

    Args:
        values: The form.
        plan_id: The enrolment's plan id (hex).
        token: The enrolment's one-time token (hex, secret).
        server: The device server ``host:port``; sent in fast mode only (``imp`` has no field).

    Raises:
        FormError: A value is missing or wrong; ``field`` says which.
    """
    wifi = _wifi(values) if values.network in (NetworkType.WIFI, NetworkType.WIFI_OPEN) else None
    static = _static(values) if values.network is NetworkType.ETHERNET_STATIC else None
    try:
        enrolment = Enrolment(plan_id, token, server if values.mode is Mode.FAST else None)
    except BlinkUpError as exc:
        raise FormError("", f"The device server address cannot be sent: {exc}.") from None
    return NetworkSettings(wifi=wifi, static=static, enrolment=enrolment)


def make_plan(values: FormValues, plan_id: str, token: str, server: str | None) -> Plan:
    """Check the form and list the frames to flash.

    Raises:
        FormError: A value is missing or wrong, or the whole does not fit in one transfer.
    """
    settings = build_settings(values, plan_id, token, server)
    try:
        levels = frames(settings, values.mode)
    except BlinkUpError as exc:
        raise FormError("", f"These settings do not fit in one transfer: {exc}.") from None
    return Plan(settings, values.mode, tuple(levels))


def estimate(values: FormValues, server: str | None) -> float:
    """Seconds the transfer would take at :data:`FPS` (with a placeholder enrolment).

    Raises:
        FormError: As :func:`make_plan`.
    """
    return make_plan(values, PLACEHOLDER_ID, PLACEHOLDER_ID, server).seconds
