"""The settings model: validation with plain errors, normalisation, masked secrets."""

from __future__ import annotations

import pytest

from hardware.blinkup import (
    BlinkUpError,
    Enrolment,
    NetworkSettings,
    Proxy,
    Security,
    StaticIP,
    WiFi,
)


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (lambda: WiFi("", "password1"), "SSID must be 1–32 bytes"),
        (lambda: WiFi("é" * 17, "password1"), "SSID must be 1–32 bytes of UTF-8, got 34"),
        (lambda: WiFi("net", "short"), "password must be 8–63 bytes"),
        (lambda: WiFi("net", "x" * 64), "password must be 8–63 bytes"),
        (lambda: WiFi("net", "password1", Security.OPEN), "open network takes no password"),
        (lambda: WiFi("net", "pass\nword1"), "control character"),
        (lambda: WiFi("net", "password1", "wep"), "unknown Wi-Fi security 'wep'"),  # type: ignore[arg-type]
        (lambda: StaticIP("10.0.0.300", "255.0.0.0", "10.0.0.1", "1.1.1.1"), "not an IPv4"),
        (lambda: StaticIP("10.0.0.5", "255.0.255.0", "10.0.0.1", "1.1.1.1"), "netmask"),
        (lambda: StaticIP("10.0.0.5", "255.255.255.0", "10.0.1.1", "1.1.1.1"), "outside"),
        (lambda: StaticIP("10.0.0.0", "255.255.255.0", "10.0.0.1", "1.1.1.1"), "network or"),
        (lambda: Proxy("proxy", 0), "proxy port must be 1–65535"),
        (lambda: Proxy("bad host!", 80), "not a host name"),
        (lambda: Proxy("proxy", 80, None, "secret"), "needs a proxy user"),
        (lambda: Enrolment("abc", "00"), "plan id must be"),
        (lambda: Enrolment("00", "xyz1"), "token must be"),
        (lambda: Enrolment("00" * 33, "00"), "plan id must be"),
        (lambda: Enrolment("00", "00", "host:99999"), "port must be 1–65535"),
        (lambda: Enrolment("00", "00", "host:http"), "not a number"),
        (lambda: NetworkSettings(), "nothing to send"),
    ],
)
def test_invalid_settings_are_refused_with_a_plain_message(build, text: str) -> None:
    with pytest.raises(BlinkUpError, match=text):
        build()


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        WiFi("")


def test_normalisation() -> None:
    enrol = Enrolment("ABCDEF0123456789", "FF", "Lintel.Local")
    assert (enrol.plan, enrol.token, enrol.server) == (
        "abcdef0123456789",
        "ff",
        "lintel.local:31314",
    )
    assert Enrolment("00", "00", "[::1]:993").server == "[::1]:993"
    assert StaticIP(" 10.0.0.5", "255.255.255.0", "10.0.0.1", "1.1.1.1").address == "10.0.0.5"
    assert WiFi("net", "password1", "wpa").security is Security.WPA  # type: ignore[arg-type]
    assert WiFi("net", security=Security.OPEN).password == ""


def test_repr_masks_secrets() -> None:
    settings = NetworkSettings(
        WiFi("net", "hunter2hunter2"),
        proxy=Proxy("proxy", 3128, "bob", "swordfish"),
        enrolment=Enrolment("00", "c0ffee"),
    )
    text = repr(settings)
    for secret in ("hunter2hunter2", "swordfish", "c0ffee"):
        assert secret not in text
    assert "ssid='net'" in text
    assert "password=********" in text
    assert str(settings) == text
    assert "password=''" in repr(WiFi("open", security=Security.OPEN))
