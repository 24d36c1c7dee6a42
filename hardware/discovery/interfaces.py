"""Network interface setting: list the host's IPv4 interfaces and resolve the chosen one.

Discovery always runs on exactly one explicitly chosen interface. Nothing in this
package falls back to "all interfaces" or the OS default route.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

import ifaddr

from hardware.discovery.errors import InterfaceError

_IFF_UP = 0x1


@dataclass(frozen=True, slots=True)
class InterfaceChoice:
    """One IPv4 interface the user may pick for discovery.

    Attributes:
        name: OS interface name (``"lo"``, ``"eth0"``; a GUID on Windows).
        label: Human name (``nice_name`` on Windows, else the same as ``name``).
        address: The interface's first IPv4 address.
        is_loopback: True for a loopback address (``127.0.0.0/8``).
    """

    name: str
    label: str
    address: str
    is_loopback: bool


def list_interfaces() -> list[InterfaceChoice]:
    """Return every interface that has an IPv4 address, in OS order.

    Returns:
        One entry per interface (its first IPv4 address), for a settings dropdown.
    """
    choices: list[InterfaceChoice] = []
    for adapter in ifaddr.get_adapters():
        address = _first_ipv4(adapter)
        if address is not None:
            choices.append(
                InterfaceChoice(
                    name=adapter.name,
                    label=adapter.nice_name or adapter.name,
                    address=address,
                    is_loopback=ipaddress.IPv4Address(address).is_loopback,
                )
            )
    return choices


def resolve_interface(setting: str) -> str:
    """Return the IPv4 address of the interface named by a setting.

    Args:
        setting: An interface name (``"lo"``, ``"eth0"``, or a Windows friendly name)
            or an IPv4 address assigned to one of this host's interfaces.

    Returns:
        The interface's IPv4 address, e.g. ``"127.0.0.1"``.

    Raises:
        InterfaceError: The setting is empty, names no interface, names an interface
            without IPv4, or is an address no local interface has.
    """
    wanted = setting.strip()
    if not wanted:
        raise InterfaceError(setting, "No network interface is set for device discovery.")
    choices = list_interfaces()
    available = ", ".join(f"{c.name} ({c.address})" for c in choices) or "none"
    try:
        address = ipaddress.ip_address(wanted)
    except ValueError:
        address = None
    if address is not None:
        if address.version != 4 or address.is_unspecified or address.is_multicast:
            raise InterfaceError(
                setting, f"{wanted} cannot be used for discovery: give a local IPv4 address."
            )
        if _has_address(str(address)):
            return str(address)
        raise InterfaceError(
            setting, f"No network interface has the address {wanted}. Available: {available}."
        )
    for adapter in ifaddr.get_adapters():
        if wanted in (adapter.name, adapter.nice_name):
            found = _first_ipv4(adapter)
            if found is None:
                raise InterfaceError(setting, f"Network interface {wanted!r} has no IPv4 address.")
            return found
    raise InterfaceError(setting, f"No network interface named {wanted!r}. Available: {available}.")


def default_interface() -> InterfaceChoice | None:
    """Pick an interface for a real user: the first up, non-loopback IPv4 interface.

    Link-local (``169.254.0.0/16``) addresses are skipped. Tests never call this;
    they name loopback explicitly.

    Returns:
        The chosen interface, or ``None`` when the host has none.
    """
    for choice in list_interfaces():
        address = ipaddress.IPv4Address(choice.address)
        if not choice.is_loopback and not address.is_link_local and _is_up(choice.name):
            return choice
    return None


def _first_ipv4(adapter: ifaddr.Adapter) -> str | None:
    """Return the adapter's first IPv4 address, if any."""
    for ip in adapter.ips:
        if ip.is_IPv4 and isinstance(ip.ip, str):
            return ip.ip
    return None


def _has_address(address: str) -> bool:
    """Return True when any local interface carries ``address`` (not only its first one)."""
    return any(
        ip.is_IPv4 and ip.ip == address for adapter in ifaddr.get_adapters() for ip in adapter.ips
    )


def _is_up(name: str) -> bool:
    """Return the interface's IFF_UP flag on Linux; assume up where it cannot be read."""
    try:
        flags = Path("/sys/class/net", name, "flags").read_text().strip()
        return bool(int(flags, 16) & _IFF_UP)
    except (OSError, ValueError):
        return True
