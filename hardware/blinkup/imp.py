"""The ``imp`` mode: the tri-level BlinkUp wire format readers of this kind understand.

Packet: ``LEN, TLV..., CRC_hi, CRC_lo`` (LEN counts the TLV bytes). Frames: the preamble
``00 00 00 2A`` and the packet, each bit as a black frame then a gray (0) or white (1) frame,
most significant bit first, then 6 black frames. See ``docs/blinkup-fast.md`` for the contrast
with our own ``fast`` mode.
"""

from __future__ import annotations

import ipaddress

from hardware.blinkup.crc import crc16_imp
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
)

SSID, ENROLMENT, PASSWORD, CLEAR, STATIC_IP, PROXY = 1, 5, 6, 7, 11, 13
BLACK, GRAY, WHITE = 0, 1, 2
LEVELS = (0, 191, 255)  # screen level of each symbol
PREAMBLE = b"\x00\x00\x00\x2a"
TRAILER_FRAMES = 6
PLAN_BYTES = 8  # the format has no separator: the plan id is the first 8 bytes of TLV 5


def _tlv(kind: int, value: bytes) -> bytes:
    if len(value) > 255:
        raise BlinkUpError(f"TLV {kind} too long for imp: {len(value)} bytes, at most 255")
    return bytes([kind, len(value)]) + value


def _lp(text: str) -> bytes:
    raw = text.encode("utf-8")
    return bytes([len(raw)]) + raw


def _proxy_value(proxy: Proxy) -> bytes:
    value = proxy.port.to_bytes(2, "little") + _lp(proxy.server)
    if proxy.user is not None:
        value += _lp(proxy.user)
        if proxy.password is not None:
            value += _lp(proxy.password)
    return value


def packet(settings: Settings) -> bytes:
    """Build the ``imp`` packet: LEN, TLVs in the SDK's order, CRC-16 big-endian.

    Args:
        settings: What to send. The enrolment's device server is not part of this format.

    Returns:
        The packet bytes (without the preamble).

    Raises:
        BlinkUpError: If the plan id is not 8 bytes or the TLVs exceed 255 bytes.
    """
    if isinstance(settings, ClearSettings):
        body = _tlv(CLEAR, b"")
    else:
        body = b""
        if settings.wifi is not None:
            body += _tlv(SSID, settings.wifi.ssid.encode("utf-8"))
            if settings.wifi.security is not Security.OPEN:
                body += _tlv(PASSWORD, settings.wifi.password.encode("utf-8"))
        if settings.static is not None:
            packed = b"".join(ipaddress.IPv4Address(a).packed for a in settings.static.addresses)
            body += _tlv(STATIC_IP, packed)
        if settings.proxy is not None:
            body += _tlv(PROXY, _proxy_value(settings.proxy))
        if settings.enrolment is not None:
            enrol = settings.enrolment
            if len(enrol.plan_bytes) != PLAN_BYTES:
                raise BlinkUpError(f"imp mode needs an {PLAN_BYTES}-byte plan id (16 hex digits)")
            # Each id is sent byte-reversed, as the SDK does.
            body += _tlv(ENROLMENT, enrol.plan_bytes[::-1] + enrol.token_bytes[::-1])
    if len(body) > 255:
        raise BlinkUpError(f"settings too long for imp: {len(body)} bytes of TLVs, at most 255")
    head = bytes([len(body)]) + body
    return head + crc16_imp(head).to_bytes(2, "big")


def symbols_for_packet(pkt: bytes) -> list[int]:
    """Return one symbol per frame (0 black, 1 gray, 2 white) for a packet, preamble included."""
    out: list[int] = []
    for byte in PREAMBLE + pkt:
        for shift in range(7, -1, -1):
            out += (BLACK, WHITE if (byte >> shift) & 1 else GRAY)
    return out + [BLACK] * TRAILER_FRAMES


def symbols(settings: Settings) -> list[int]:
    """Return one ``imp`` symbol per display frame (0 black, 1 gray, 2 white)."""
    return symbols_for_packet(packet(settings))


def frames(settings: Settings) -> list[int]:
    """Return one screen level (0–255) per display frame for ``settings`` in ``imp`` mode."""
    return [LEVELS[s] for s in symbols(settings)]


def _bad(detail: str) -> BlinkUpDecodeError:
    return BlinkUpDecodeError(DecodeFailure.MALFORMED, detail)


def _text(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad(f"{what} is not UTF-8") from None


def _parse_proxy(value: bytes) -> Proxy:
    if len(value) < 3:
        raise _bad(f"proxy TLV too short ({len(value)} bytes)")
    port = int.from_bytes(value[:2], "little")
    fields: list[str] = []
    pos = 2
    while pos < len(value):
        size = value[pos]
        if pos + 1 + size > len(value) or len(fields) == 3:
            raise _bad("proxy TLV fields overrun its length")
        fields.append(_text(value[pos + 1 : pos + 1 + size], "proxy field"))
        pos += 1 + size
    user = fields[1] if len(fields) > 1 else None
    password = fields[2] if len(fields) > 2 else None
    return Proxy(fields[0], port, user, password)


def _split_tlvs(body: bytes) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    pos = 0
    while pos < len(body):
        if pos + 2 > len(body) or pos + 2 + body[pos + 1] > len(body):
            raise _bad(f"TLV at offset {pos + 1} overruns the packet")
        kind, size = body[pos], body[pos + 1]
        if kind not in (SSID, ENROLMENT, PASSWORD, CLEAR, STATIC_IP, PROXY):
            raise _bad(f"unknown TLV type {kind}")
        if kind in found:
            raise _bad(f"TLV type {kind} appears twice")
        found[kind] = body[pos + 2 : pos + 2 + size]
        pos += 2 + size
    return found


def _build(tlvs: dict[int, bytes]) -> Settings:
    if CLEAR in tlvs:
        if len(tlvs) != 1 or tlvs[CLEAR]:
            raise _bad("a clear TLV must be alone and empty")
        return ClearSettings()
    wifi = static = proxy = enrolment = None
    if PASSWORD in tlvs and SSID not in tlvs:
        raise _bad("password without SSID")
    if SSID in tlvs:
        ssid = _text(tlvs[SSID], "SSID")
        if PASSWORD in tlvs:  # the format has no security type: WPA2 stands for WPA/WPA2
            wifi = WiFi(ssid, _text(tlvs[PASSWORD], "password"), Security.WPA2)
        else:
            wifi = WiFi(ssid, "", Security.OPEN)
    if STATIC_IP in tlvs:
        raw = tlvs[STATIC_IP]
        if len(raw) not in (16, 20):
            raise _bad(f"static IP TLV must be 16 or 20 bytes, got {len(raw)}")
        ips = [str(ipaddress.IPv4Address(raw[i : i + 4])) for i in range(0, len(raw), 4)]
        static = StaticIP(*ips)
    if PROXY in tlvs:
        proxy = _parse_proxy(tlvs[PROXY])
    if ENROLMENT in tlvs:
        raw = tlvs[ENROLMENT]
        if len(raw) <= PLAN_BYTES:
            raise _bad(f"enrolment TLV too short ({len(raw)} bytes)")
        enrolment = Enrolment(raw[:PLAN_BYTES][::-1].hex(), raw[PLAN_BYTES:][::-1].hex())
    return NetworkSettings(wifi, static, proxy, enrolment)


def parse_packet(data: bytes) -> Settings:
    """Check and decode an ``imp`` packet (LEN, TLVs, CRC).

    Raises:
        BlinkUpDecodeError: ``CRC_MISMATCH`` or ``MALFORMED`` (bad length, unknown or repeated
            TLV type, invalid value), with the offending value in the message.
    """
    if len(data) < 3 or data[0] != len(data) - 3:
        raise _bad(f"LEN byte does not match a {len(data)}-byte packet")
    sent = int.from_bytes(data[-2:], "big")
    computed = crc16_imp(data[:-2])
    if sent != computed:
        raise BlinkUpDecodeError(
            DecodeFailure.CRC_MISMATCH, f"packet says {sent:04x}, computed {computed:04x}"
        )
    try:
        return _build(_split_tlvs(data[1:-2]))
    except BlinkUpDecodeError:
        raise
    except BlinkUpError as exc:  # a field the settings model refuses
        raise _bad(str(exc)) from None
