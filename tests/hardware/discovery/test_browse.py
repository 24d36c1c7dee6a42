"""Announce and browse real DNS-SD services on loopback (127.0.0.1 only)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable

import pytest
from zeroconf import IPVersion, ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

from hardware.discovery import (
    SERVICE_TYPE,
    AnnouncedDevice,
    DeviceAnnouncer,
    DeviceBrowser,
    DiscoveryClosedError,
    DiscoveryEvent,
)
from tests.hardware.discovery.support import LOOPBACK, Recorder, wait_until

pytestmark = pytest.mark.timeout(20)

MakeDevice = Callable[..., AnnouncedDevice]


def seen(browser: DeviceBrowser, serial: str) -> list[str]:
    return [d.state for d in browser.devices() if d.serial == serial]


async def test_browser_sees_two_devices_with_their_fields(
    announcer: DeviceAnnouncer,
    browser: DeviceBrowser,
    recorder: Recorder,
    make_device: MakeDevice,
) -> None:
    reader = make_device("R1", "reader", "pending")
    controller = make_device("C1", "door_controller")
    await asyncio.gather(announcer.announce(reader), announcer.announce(controller))

    mine = {reader.serial, controller.serial}
    await wait_until(lambda: mine <= {d.serial for d in browser.devices()})

    found = {d.serial: d for d in browser.devices() if d.serial in mine}
    got = found[reader.serial]
    assert (got.kind, got.name, got.host, got.port) == (
        "reader",
        reader.name,
        LOOPBACK,
        reader.port,
    )
    assert (got.mac, got.model, got.firmware, got.state) == (
        reader.mac,
        reader.model,
        reader.firmware,
        "pending",
    )
    assert got.source == "dns-sd"
    assert found[controller.serial].kind == "door_controller"
    assert found[controller.serial].state == "unconfigured"
    assert recorder.kinds(reader.serial) == ["added"]
    assert recorder.kinds(controller.serial) == ["added"]


async def test_state_update_and_withdraw_are_seen(
    announcer: DeviceAnnouncer,
    browser: DeviceBrowser,
    recorder: Recorder,
    make_device: MakeDevice,
) -> None:
    device = make_device("U1", state="pending")
    await announcer.announce(device)
    await wait_until(lambda: seen(browser, device.serial) == ["pending"])

    await announcer.update(dataclasses.replace(device, state="adopted"))
    await wait_until(lambda: seen(browser, device.serial) == ["adopted"])
    assert recorder.kinds(device.serial) == ["added", "updated"]
    assert recorder.of(device.serial)[-1].device.state == "adopted"

    await announcer.withdraw(device.serial)
    await wait_until(lambda: seen(browser, device.serial) == [])
    assert recorder.kinds(device.serial) == ["added", "updated", "removed"]
    assert recorder.of(device.serial)[-1].device.state == "adopted"


async def test_quick_flip_back_to_an_earlier_state_is_seen(
    announcer: DeviceAnnouncer, browser: DeviceBrowser, make_device: MakeDevice
) -> None:
    device = make_device("F1", state="pending")
    await announcer.announce(device)
    await wait_until(lambda: seen(browser, device.serial) == ["pending"])
    await announcer.update(dataclasses.replace(device, state="adopted"))
    await wait_until(lambda: seen(browser, device.serial) == ["adopted"])
    await announcer.update(device)  # within the mDNS cache's one-second flush window
    await wait_until(lambda: seen(browser, device.serial) == ["pending"])


async def test_rename_replaces_the_service(
    announcer: DeviceAnnouncer,
    browser: DeviceBrowser,
    recorder: Recorder,
    make_device: MakeDevice,
) -> None:
    device = make_device("N1")
    await announcer.announce(device)
    await wait_until(lambda: bool(seen(browser, device.serial)))
    await announcer.update(dataclasses.replace(device, name="Back door"))
    await wait_until(
        lambda: [d.name for d in browser.devices() if d.serial == device.serial] == ["Back door"]
    )
    assert recorder.kinds(device.serial) == ["added", "removed", "added"]


async def test_malformed_records_are_ignored_and_browsing_goes_on(
    announcer: DeviceAnnouncer,
    browser: DeviceBrowser,
    recorder: Recorder,
    make_device: MakeDevice,
    serial: Callable[[str], str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="hardware.discovery")
    good = dict(kind="reader", mac="02:00:00:00:00:09", model="LR-1", fw="1", state="pending")
    bad_txts = {
        "no-serial": good,
        "bad-kind": {**good, "kind": "camera", "serial": serial("BK")},
        "bad-mac": {**good, "mac": "nope", "serial": serial("BM")},
        "bad-state": {**good, "state": "", "serial": serial("BS")},
    }
    infos = [
        ServiceInfo(
            SERVICE_TYPE,
            f"{label} {serial('X')}.{SERVICE_TYPE}",
            port=9,
            properties=props,
            server=f"{label}-{serial('X').lower()}.local.",
            parsed_addresses=[LOOPBACK],
        )
        for label, props in bad_txts.items()
    ]
    # A raw zeroconf peer publishes what our announcer would refuse to.
    async with AsyncZeroconf(interfaces=[LOOPBACK], ip_version=IPVersion.V4Only) as rogue:
        registrations = [rogue.async_register_service(info) for info in infos]
        valid = make_device("OK")
        await asyncio.gather(*registrations, announcer.announce(valid))

        bad_names = [info.name for info in infos]
        await wait_until(
            lambda: all(
                any(
                    name in r.getMessage() and "malformed" in r.getMessage() for r in caplog.records
                )
                for name in bad_names
            )
        )
        await wait_until(lambda: seen(browser, valid.serial) == ["unconfigured"])
        assert {e.device.serial for e in recorder.events} & {
            props.get("serial") for props in bad_txts.values()
        } == set()
        assert not [d for d in browser.devices() if d.port == 9]


async def test_failing_listener_does_not_stop_the_browser(
    announcer: DeviceAnnouncer, make_device: MakeDevice
) -> None:
    calls: list[DiscoveryEvent] = []

    def explode(event: DiscoveryEvent) -> None:
        calls.append(event)
        raise RuntimeError("listener bug")

    device = make_device("L1")
    async with DeviceBrowser(LOOPBACK, explode) as browser:
        await announcer.announce(device)
        await wait_until(lambda: bool(seen(browser, device.serial)))
        await announcer.update(dataclasses.replace(device, state="pending"))
        await wait_until(lambda: seen(browser, device.serial) == ["pending"])
    assert [e.kind for e in calls if e.device.serial == device.serial] == ["added", "updated"]


async def test_browser_close_is_idempotent_and_final(recorder: Recorder) -> None:
    browser = DeviceBrowser("lo", recorder)
    await browser.async_close()  # never started
    await browser.async_close()
    with pytest.raises(DiscoveryClosedError):
        await browser.async_start()

    async with DeviceBrowser("lo", recorder) as started:
        assert started.address == LOOPBACK
        await started.async_start()  # no-op when running
    await started.async_close()
    assert started.devices() == []
