"""Open an mDNS responder bound to exactly one IPv4 interface.

This is the only place the package creates a zeroconf instance, and it always
passes one explicit interface address: never ``InterfaceChoice.All`` or
``InterfaceChoice.Default``.
"""

from __future__ import annotations

import ipaddress

from zeroconf import IPVersion, NotRunningException
from zeroconf.asyncio import AsyncZeroconf

from hardware.discovery.errors import InterfaceError


async def async_open_mdns(address: str) -> AsyncZeroconf:
    """Start zeroconf on the running loop, sending and listening on one interface only.

    Args:
        address: The interface's IPv4 address, as returned by
            :func:`hardware.discovery.interfaces.resolve_interface`.

    Returns:
        A started ``AsyncZeroconf``; the caller owns it and must ``async_close()`` it.

    Raises:
        InterfaceError: ``address`` is not a single unicast IPv4 address, or the mDNS
            sockets could not be opened on it.
    """
    try:
        parsed = ipaddress.IPv4Address(address)
    except ValueError:
        raise InterfaceError(address, f"{address!r} is not an IPv4 address.") from None
    if parsed.is_unspecified or parsed.is_multicast:
        raise InterfaceError(address, f"{address} is not the address of one interface.")
    try:
        aiozc = AsyncZeroconf(interfaces=[str(parsed)], ip_version=IPVersion.V4Only)
    except OSError as exc:
        raise InterfaceError(
            address, f"Could not open mDNS on {address}: {exc.strerror or exc}."
        ) from exc
    try:
        await aiozc.zeroconf.async_wait_for_start()
    except NotRunningException as exc:
        await aiozc.async_close()
        raise InterfaceError(address, f"mDNS did not start on {address}.") from exc
    if not aiozc.zeroconf.engine.senders:
        await aiozc.async_close()
        raise InterfaceError(address, f"Could not open an mDNS socket on {address}.")
    return aiozc
