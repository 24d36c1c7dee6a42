"""DeviceAnnouncer bookkeeping and errors, on loopback (127.0.0.1 only)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from hardware.discovery import (
    AnnouncedDevice,
    DeviceAnnouncer,
    DeviceConflictError,
    DiscoveryClosedError,
    InterfaceError,
    UnknownDeviceError,
)
from tests.hardware.discovery.support import LOOPBACK

pytestmark = pytest.mark.timeout(20)

MakeDevice = Callable[..., AnnouncedDevice]


async def test_announced_tracks_announce_update_withdraw(
    announcer: DeviceAnnouncer, make_device: MakeDevice
) -> None:
    assert announcer.address == LOOPBACK
    device = make_device("A1")
    await announcer.announce(device)
    assert announcer.announced() == [device]

    adopted = dataclasses.replace(device, state="adopted")
    await announcer.update(adopted)
    await announcer.update(adopted)  # unchanged: nothing to send
    assert announcer.announced() == [adopted]

    await announcer.withdraw(device.serial)
    assert announcer.announced() == []


async def test_same_serial_twice_is_a_conflict(
    announcer: DeviceAnnouncer, make_device: MakeDevice
) -> None:
    device = make_device("D1")
    await announcer.announce(device)
    with pytest.raises(DeviceConflictError, match="already announced") as caught:
        await announcer.announce(dataclasses.replace(device, state="pending"))
    assert caught.value.serial == device.serial


async def test_name_owned_by_another_responder_is_a_conflict(
    announcer: DeviceAnnouncer, make_device: MakeDevice
) -> None:
    device = make_device("D2")
    await announcer.announce(device)
    async with DeviceAnnouncer(LOOPBACK) as other:
        with pytest.raises(DeviceConflictError, match="already uses the name"):
            await other.announce(device)
        assert other.announced() == []


async def test_unknown_serial_cannot_be_updated_or_withdrawn(
    announcer: DeviceAnnouncer, make_device: MakeDevice
) -> None:
    device = make_device("Z9")
    with pytest.raises(UnknownDeviceError):
        await announcer.update(device)
    with pytest.raises(UnknownDeviceError, match=device.serial):
        await announcer.withdraw(device.serial)


async def test_not_started_or_closed_announcer_refuses_work(make_device: MakeDevice) -> None:
    announcer = DeviceAnnouncer(LOOPBACK)
    with pytest.raises(DiscoveryClosedError):
        await announcer.announce(make_device("C1"))
    await announcer.async_close()
    await announcer.async_close()
    with pytest.raises(DiscoveryClosedError):
        await announcer.async_start()


async def test_close_withdraws_everything_and_is_idempotent(make_device: MakeDevice) -> None:
    async with DeviceAnnouncer("lo") as announcer:
        await announcer.announce(make_device("W1"))
        await announcer.async_close()
        assert announcer.announced() == []
        with pytest.raises(DiscoveryClosedError):
            await announcer.announce(make_device("W2"))
    await announcer.async_close()


async def test_unknown_interface_fails_on_start() -> None:
    with pytest.raises(InterfaceError, match="nosuch0"):
        async with DeviceAnnouncer("nosuch0"):
            pass
