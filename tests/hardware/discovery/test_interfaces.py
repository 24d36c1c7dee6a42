"""The interface setting: listing, resolving and rejecting interfaces. Sends nothing."""

from __future__ import annotations

import ipaddress

import pytest

from hardware.discovery import (
    DiscoveryError,
    InterfaceError,
    default_interface,
    list_interfaces,
    resolve_interface,
)


def test_loopback_name_resolves_to_its_address() -> None:
    assert resolve_interface("lo") == "127.0.0.1"


def test_address_setting_resolves_to_itself() -> None:
    assert resolve_interface(" 127.0.0.1 ") == "127.0.0.1"


def test_list_interfaces_includes_loopback() -> None:
    loopbacks = [c for c in list_interfaces() if c.name == "lo"]
    assert len(loopbacks) == 1
    assert loopbacks[0].address == "127.0.0.1"
    assert loopbacks[0].is_loopback
    assert all(ipaddress.IPv4Address(c.address) for c in list_interfaces())


def test_unknown_interface_names_the_setting_and_the_choices() -> None:
    with pytest.raises(DiscoveryError) as caught:
        resolve_interface("nosuch0")
    assert isinstance(caught.value, InterfaceError)
    assert caught.value.setting == "nosuch0"
    message = str(caught.value)
    assert "No network interface named 'nosuch0'" in message
    assert "lo (127.0.0.1)" in message


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("", "No network interface is set"),
        ("   ", "No network interface is set"),
        ("0.0.0.0", "give a local IPv4 address"),
        ("224.0.0.251", "give a local IPv4 address"),
        ("::1", "give a local IPv4 address"),
        ("203.0.113.77", "No network interface has the address 203.0.113.77"),
    ],
)
def test_unusable_setting_is_a_clear_error(setting: str, expected: str) -> None:
    with pytest.raises(InterfaceError, match=expected):
        resolve_interface(setting)


def test_default_interface_is_never_loopback() -> None:
    choice = default_interface()  # a pure lookup; nothing is opened or sent
    assert choice is None or not choice.is_loopback
