"""The ``fast`` mode's message: a compact binary form of the settings, then a CRC-32.

Layout (all integers big-endian, ``lp`` = one length byte then that many bytes)::

    flags   1 byte: bits 0-1 security (0 open, 1 WPA, 2 WPA2), 0x04 Wi-Fi, 0x08 static IP,
            0x10 second DNS, 0x20 proxy, 0x40 enrolment, 0x80 clear (alone: no other bit)
    Wi-Fi   lp(SSID) [lp(password) unless open]
    static  address, netmask, gateway, dns1 [, dns2]: 4 bytes each
    proxy   port (2), lp(server), lp(user), lp(password)   (length 0 = none)
    enrol   lp(plan id), lp(token), host, port (2); host = 0x00 + 4 bytes for IPv4,
            else lp(host name)
    CRC-32  of everything before it (4 bytes)
"""

from __future__ import annotations

import ipaddress

from hardware.blinkup.crc import crc32
from hardware.blinkup.errors import BlinkUpDecodeError, BlinkUpError, DecodeFailure
from hardware.blinkup.settings import (
    ClearSettings,
    Enrolment,
    NetworkSettings,
    Proxy,
    Security,
    Settings,
    StaticIP,
    WiFi,
    split_server,
)

WIFI, STATIC, DNS2, PROXY, ENROL, CLEAR = 0x04, 0x08, 0x10, 0x20, 0x40, 0x80
_SECURITY = (Security.OPEN, Security.WPA, Security.WPA2)


def _lp(raw: bytes) -> bytes:
    return bytes([len(raw)]) + raw


def _enrolment(enrol: Enrolment) -> bytes:
    if enrol.server is None:
        raise BlinkUpError("fast mode sends the device server with the enrolment: give host:port")
    host, port = split_server(enrol.server)
    try:
        where = b"\x00" + ipaddress.IPv4Address(host).packed
    except ValueError:
        where = _lp(host.encode("ascii"))
    return _lp(enrol.plan_bytes) + _lp(enrol.token_bytes) + where + port.to_bytes(2, "big")


def encode_message(settings: Settings) -> bytes:
    """Return the compact message for ``settings``, CRC-32 included.

    Raises:
        BlinkUpError: If an enrolment has no device server address.
    """
    if isinstance(settings, ClearSettings):
        body = bytes([CLEAR])
    else:
        flags, body = 0, b""
        if settings.wifi is not None:
            flags |= WIFI | _SECURITY.index(settings.wifi.security)
            body += _lp(settings.wifi.ssid.encode("utf-8"))
            if settings.wifi.security is not Security.OPEN:
                body += _lp(settings.wifi.password.encode("utf-8"))
        if settings.static is not None:
            flags |= STATIC | (DNS2 if settings.static.dns2 else 0)
            body += b"".join(ipaddress.IPv4Address(a).packed for a in settings.static.addresses)
        if settings.proxy is not None:
            proxy = settings.proxy
            flags |= PROXY
            body += proxy.port.to_bytes(2, "big") + _lp(proxy.server.encode("utf-8"))
            body += _lp((proxy.user or "").encode("utf-8"))
            body += _lp((proxy.password or "").encode("utf-8"))
        if settings.enrolment is not None:
            flags |= ENROL
            body += _enrolment(settings.enrolment)
        body = bytes([flags]) + body
    return body + crc32(body).to_bytes(4, "big")


class _Reader:
    """A cursor over the message that reports overruns as decode errors."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise BlinkUpDecodeError(DecodeFailure.MALFORMED, "message ends inside a field")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def lp(self) -> bytes:
        return self.take(self.take(1)[0])

    def text(self) -> str:
        try:
            return self.lp().decode("utf-8")
        except UnicodeDecodeError:
            raise BlinkUpDecodeError(DecodeFailure.MALFORMED, "a text field is not UTF-8") from None


def _parse(flags: int, reader: _Reader) -> Settings:
    if flags & CLEAR:
        if flags != CLEAR:
            raise BlinkUpDecodeError(DecodeFailure.MALFORMED, f"clear with flags {flags:02x}")
        return ClearSettings()
    if flags & 0x03 == 3 or (flags & 0x03 and not flags & WIFI):
        raise BlinkUpDecodeError(DecodeFailure.MALFORMED, f"bad security bits in {flags:02x}")
    wifi = static = proxy = enrol = None
    if flags & WIFI:
        security = _SECURITY[flags & 0x03]
        ssid = reader.text()
        wifi = WiFi(ssid, reader.text() if security is not Security.OPEN else "", security)
    if flags & STATIC:
        count = 5 if flags & DNS2 else 4
        static = StaticIP(*(str(ipaddress.IPv4Address(reader.take(4))) for _ in range(count)))
    if flags & PROXY:
        port = int.from_bytes(reader.take(2), "big")
        server, user, password = reader.text(), reader.text(), reader.text()
        proxy = Proxy(server, port, user or None, password or None)
    if flags & ENROL:
        plan, token = reader.lp().hex(), reader.lp().hex()
        kind = reader.take(1)[0]
        if kind == 0:
            host = str(ipaddress.IPv4Address(reader.take(4)))
        else:
            host = reader.take(kind).decode("ascii", "replace")
        port = int.from_bytes(reader.take(2), "big")
        enrol = Enrolment(plan, token, f"{host}:{port}")
    return NetworkSettings(wifi, static, proxy, enrol)


def decode_message(data: bytes) -> Settings:
    """Check the CRC-32 of a compact message and turn it back into settings.

    Raises:
        BlinkUpDecodeError: ``CRC_MISMATCH``, or ``MALFORMED`` for a bad field or trailing bytes.
    """
    if len(data) < 5:
        raise BlinkUpDecodeError(DecodeFailure.MALFORMED, f"message of {len(data)} bytes")
    sent, computed = int.from_bytes(data[-4:], "big"), crc32(data[:-4])
    if sent != computed:
        raise BlinkUpDecodeError(
            DecodeFailure.CRC_MISMATCH, f"message says {sent:08x}, computed {computed:08x}"
        )
    reader = _Reader(data[:-4])
    flags = reader.take(1)[0]
    try:
        settings = _parse(flags, reader)
    except BlinkUpDecodeError:
        raise
    except BlinkUpError as exc:
        raise BlinkUpDecodeError(DecodeFailure.MALFORMED, str(exc)) from None
    if reader.pos != len(reader.data):
        raise BlinkUpDecodeError(DecodeFailure.MALFORMED, "trailing bytes after the settings")
    return settings
