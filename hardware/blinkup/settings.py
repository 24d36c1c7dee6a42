"""What a reader can receive by BlinkUp: Wi-Fi, static IP, proxy, enrolment, or "clear".

Frozen dataclasses that validate themselves, so settings that no reader could use can be neither
built nor decoded. Passwords and the enrolment token are secrets: ``repr`` masks them (a settings
object may end up in a log line or a traceback).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum

from hardware.blinkup.errors import BlinkUpError

DEFAULT_SERVER_PORT = 31314
MAX_ID_BYTES = 32
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_MASK = "********"


def mask(secret: str | None) -> str:
    """Return a fixed mask for a non-empty secret (its length would leak too), else ``''``."""
    return _MASK if secret else "''"


class Security(StrEnum):
    """Wi-Fi security; WPA and WPA2 are personal (passphrase) modes."""

    OPEN = "open"
    WPA = "wpa"
    WPA2 = "wpa2"


def _utf8_len(text: str, what: str, low: int, high: int) -> int:
    size = len(text.encode("utf-8"))
    if not low <= size <= high:
        raise BlinkUpError(f"{what} must be {low}–{high} bytes of UTF-8, got {size}")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise BlinkUpError(f"{what} contains a control character")
    return size


def ipv4(text: str, what: str) -> str:
    """Return ``text`` as a normalised dotted IPv4 address.

    Raises:
        BlinkUpError: If it is not an IPv4 address.
    """
    try:
        return str(ipaddress.IPv4Address(text.strip()))
    except ValueError:
        raise BlinkUpError(f"{what} is not an IPv4 address: {text!r}") from None


def _hex_id(text: str, what: str) -> str:
    if not _HEX.fullmatch(text) or len(text) // 2 > MAX_ID_BYTES:
        raise BlinkUpError(f"{what} must be 2–{2 * MAX_ID_BYTES} hex digits (whole bytes)")
    return text.lower()


def _host(text: str, what: str) -> str:
    if text.startswith("[") and text.endswith("]"):
        try:
            return f"[{ipaddress.IPv6Address(text[1:-1])}]"
        except ValueError:
            raise BlinkUpError(f"{what} is not an IPv6 address: {text!r}") from None
    if re.fullmatch(r"[0-9.]+", text):
        return ipv4(text, what)
    labels = text.rstrip(".").split(".")
    if len(text) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise BlinkUpError(f"{what} is not a host name or address: {text!r}")
    return text.lower()


def _port(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise BlinkUpError(f"{what} must be 1–65535, got {value!r}")
    return value


@dataclass(frozen=True, repr=False)
class WiFi:
    """A Wi-Fi network: SSID 1–32 bytes; passphrase 8–63 bytes (WPA/WPA2) or empty (open)."""

    ssid: str
    password: str = ""
    security: Security = Security.WPA2

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "security", Security(self.security))
        except ValueError:
            raise BlinkUpError(f"unknown Wi-Fi security {self.security!r}") from None
        _utf8_len(self.ssid, "SSID", 1, 32)
        if self.security is Security.OPEN:
            if self.password:
                raise BlinkUpError("an open network takes no password")
        else:
            _utf8_len(self.password, "Wi-Fi password", 8, 63)

    def __repr__(self) -> str:
        return (
            f"WiFi(ssid={self.ssid!r}, password={mask(self.password)}, "
            f"security={self.security.value!r})"
        )


@dataclass(frozen=True)
class StaticIP:
    """A fixed IPv4 configuration (instead of DHCP)."""

    address: str
    netmask: str
    gateway: str
    dns1: str
    dns2: str | None = None

    def __post_init__(self) -> None:
        for name in ("address", "netmask", "gateway", "dns1", "dns2"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, ipv4(value, name))
        try:
            net = ipaddress.IPv4Network(f"{self.address}/{self.netmask}", strict=False)
        except ValueError:
            raise BlinkUpError(f"netmask {self.netmask} is not a valid netmask") from None
        if ipaddress.IPv4Address(self.gateway) not in net:
            raise BlinkUpError(f"gateway {self.gateway} is outside {net}")
        if net.prefixlen < 31 and ipaddress.IPv4Address(self.address) in (
            net.network_address,
            net.broadcast_address,
        ):
            raise BlinkUpError(f"address {self.address} is the network or broadcast address")

    @property
    def addresses(self) -> list[str]:
        """The addresses in wire order: address, netmask, gateway, dns1 [, dns2]."""
        fixed = [self.address, self.netmask, self.gateway, self.dns1]
        return fixed + ([self.dns2] if self.dns2 else [])


@dataclass(frozen=True, repr=False)
class Proxy:
    """An HTTP proxy; a password needs a user."""

    server: str
    port: int
    user: str | None = None
    password: str | None = None

    def __post_init__(self) -> None:
        _utf8_len(self.server, "proxy server", 1, 255)
        _host(self.server, "proxy server")
        _port(self.port, "proxy port")
        if self.user is not None:
            _utf8_len(self.user, "proxy user", 1, 255)
        if self.password is not None:
            if self.user is None:
                raise BlinkUpError("a proxy password needs a proxy user")
            _utf8_len(self.password, "proxy password", 1, 255)

    def __repr__(self) -> str:
        return (
            f"Proxy(server={self.server!r}, port={self.port}, user={self.user!r}, "
            f"password={mask(self.password)})"
        )


@dataclass(frozen=True, repr=False)
class Enrolment:
    """Who the reader belongs to: plan id and one-time token (hex), and the device server.

    ``server`` is ``host:port`` (or just ``host`` for port 31314). The ``fast`` mode sends it;
    the ``imp`` format has no field for it, so an ``imp`` reader uses its configured default.
    """

    plan: str
    token: str
    server: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "plan", _hex_id(self.plan, "plan id"))
        object.__setattr__(self, "token", _hex_id(self.token, "enrolment token"))
        if self.server is not None:
            host, port = split_server(self.server)
            object.__setattr__(self, "server", f"{host}:{port}")

    @property
    def plan_bytes(self) -> bytes:
        """The plan id as bytes, in the order written."""
        return bytes.fromhex(self.plan)

    @property
    def token_bytes(self) -> bytes:
        """The token as bytes, in the order written."""
        return bytes.fromhex(self.token)

    def __repr__(self) -> str:
        return f"Enrolment(plan={self.plan!r}, token={mask(self.token)}, server={self.server!r})"


def split_server(text: str) -> tuple[str, int]:
    """Split a device server ``host[:port]`` into a normalised host and a port.

    Raises:
        BlinkUpError: If the host or the port is not valid.
    """
    host, sep, port = text.strip().rpartition(":")
    if not sep or (host.count(":") and not host.endswith("]")):
        host, port = text.strip(), str(DEFAULT_SERVER_PORT)
    if not port.isdigit():
        raise BlinkUpError(f"device server port is not a number: {text!r}")
    return _host(host, "device server"), _port(int(port), "device server port")


@dataclass(frozen=True)
class NetworkSettings:
    """Everything sent in one transfer; at least one part must be present."""

    wifi: WiFi | None = None
    static: StaticIP | None = None
    proxy: Proxy | None = None
    enrolment: Enrolment | None = None

    def __post_init__(self) -> None:
        if not (self.wifi or self.static or self.proxy or self.enrolment):
            raise BlinkUpError("nothing to send: give Wi-Fi, static IP, proxy or enrolment")


@dataclass(frozen=True)
class ClearSettings:
    """Tell the reader to forget its Wi-Fi settings."""


Settings = NetworkSettings | ClearSettings
