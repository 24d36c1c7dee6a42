"""The zeroconf instance is bound to the one address given, never to all interfaces."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hardware.discovery
from hardware.discovery import InterfaceError
from hardware.discovery.mdns import async_open_mdns


async def test_sockets_are_bound_to_loopback_only() -> None:
    aiozc = await async_open_mdns("127.0.0.1")
    try:
        senders = aiozc.zeroconf.engine.senders
        assert senders
        bound = {s.transport.get_extra_info("sockname")[0] for s in senders}
        assert bound == {"127.0.0.1"}
    finally:
        await aiozc.async_close()


@pytest.mark.parametrize("address", ["0.0.0.0", "224.0.0.251", "lo", ""])
async def test_wildcard_or_non_address_is_refused_before_any_socket(address: str) -> None:
    with pytest.raises(InterfaceError):
        await async_open_mdns(address)


def test_only_mdns_module_creates_zeroconf_instances() -> None:
    """Guard the interface rule: one place opens zeroconf, never on all/default interfaces."""
    package = Path(hardware.discovery.__file__).parent
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("All", "Default"):
                assert not (
                    isinstance(node.value, ast.Name) and node.value.id == "InterfaceChoice"
                ), f"{source.name}:{node.lineno}"
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Zeroconf", "AsyncZeroconf")
            ):
                assert source.name == "mdns.py", f"{source.name}:{node.lineno}"
                assert any(k.arg == "interfaces" for k in node.keywords)
