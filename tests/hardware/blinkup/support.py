"""Shared helpers for the BlinkUp tests: settings strategies and a simulated transfer."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import strategies as st

from hardware.blinkup import (
    Enrolment,
    Mode,
    NetworkSettings,
    Security,
    SensorModel,
    Settings,
    StaticIP,
    WiFi,
    decode,
    frames,
    simulate,
)

ENROL = Enrolment("0123456789abcdef", "fedcba9876543210", "192.168.1.10:31314")
SMALL = NetworkSettings(WiFi("MyWiFi", "secret123"), enrolment=ENROL)
WORST = NetworkSettings(WiFi("W" * 32, "p" * 63), enrolment=ENROL)

# Hard but honest conditions: a 10 % swing, ambient light and its drift, auto-brightness drift,
# noise at 3 % of the swing, ±5 % frame times, a slowish pixel response.
HARD = SensorModel(
    gain=0.1,
    ambient=0.35,
    drift=0.004,
    gain_drift=-0.008,
    noise=0.003,
    jitter=0.05,
    response=0.003,
)


def _utf8(low: int, high: int, alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=low, max_size=high).filter(
        lambda s: low <= len(s.encode("utf-8")) <= high
    )


_CHARS = st.characters(min_codepoint=0x20, max_codepoint=0x2FF, exclude_characters="\x7f")
_HEX8 = st.binary(min_size=8, max_size=8).map(bytes.hex)


@st.composite
def wifis(draw: st.DrawFn) -> WiFi:
    """Any valid Wi-Fi network."""
    security = draw(st.sampled_from(list(Security)))
    password = "" if security is Security.OPEN else draw(_utf8(8, 63, _CHARS))
    return WiFi(draw(_utf8(1, 32, _CHARS)), password, security)


@st.composite
def statics(draw: st.DrawFn) -> StaticIP:
    """A valid static IPv4 setup on a /24."""
    net = draw(st.tuples(*[st.integers(1, 223)] + [st.integers(0, 255)] * 2))
    prefix = ".".join(map(str, net))
    host, gateway = draw(st.lists(st.integers(1, 254), min_size=2, max_size=2, unique=True))
    dns2 = draw(st.none() | st.just("9.9.9.9"))
    return StaticIP(f"{prefix}.{host}", "255.255.255.0", f"{prefix}.{gateway}", "1.1.1.1", dns2)


@st.composite
def network_settings(draw: st.DrawFn, mode: Mode) -> NetworkSettings:
    """Random settings as an installer would send them in ``mode`` (always with enrolment)."""
    wifi = draw(st.none() | wifis())
    static = draw(st.none() | statics())
    token = draw(st.binary(min_size=1, max_size=16).map(bytes.hex))
    server = draw(st.sampled_from(["10.0.0.2:31314", "lintel.local:993", "[::1]:31314"]))
    enrolment = Enrolment(draw(_HEX8), token, server if mode is Mode.FAST else None)
    return NetworkSettings(wifi, static, None, enrolment)


def receivable(settings: Settings, mode: Mode) -> Settings:
    """What a receiver gives back: ``imp`` has no server field and no WPA/WPA2 distinction."""
    if mode is Mode.FAST or not isinstance(settings, NetworkSettings):
        return settings
    wifi = settings.wifi
    if wifi is not None and wifi.security is Security.WPA:
        wifi = replace(wifi, security=Security.WPA2)
    enrol = settings.enrolment
    return replace(settings, wifi=wifi, enrolment=enrol and replace(enrol, server=None))


def slipped(model: SensorModel, kind: str, index: int) -> SensorModel:
    """``model`` with frame ``index`` "dropped" or "repeated" by the display."""
    if kind == "dropped":
        return replace(model, dropped=(index,))
    return replace(model, repeated=(index,))


def transfer(
    levels: list[int], mode: Mode, model: SensorModel = HARD, seed: int = 1, fps: float = 60.0
) -> Settings:
    """Show ``levels`` to the simulated sensor and decode what it saw."""
    samples = simulate(levels, fps, model, random.Random(seed))
    return decode(samples, model.rate, fps, mode)


def send(settings: Settings, mode: Mode, model: SensorModel = HARD, seed: int = 1) -> Settings:
    """A whole transfer of ``settings`` through the simulated sensor."""
    return transfer(frames(settings, mode), mode, model, seed)
