"""An unconfigured reader set up by BlinkUp: light samples in, enrolled and pending out."""

from __future__ import annotations

import random
from pathlib import Path

import aiohttp
import pytest

from app.controller.service import Controller
from hardware.blinkup import Enrolment, Mode, NetworkSettings, SensorModel, WiFi, frames, simulate
from hardware.devicesim.sim import DeviceSim
from hardware.link.runner import ServerAddress
from tests.hardware.link.support import closed_port
from tests.waiting import until

NOISY = SensorModel(gain=0.3, ambient=0.2, noise=0.01, jitter=0.03)


def samples_for(settings: NetworkSettings, mode: Mode, seed: int = 1) -> list[float]:
    return simulate(frames(settings, mode), 60.0, NOISY, random.Random(seed))


async def fresh_reader(controller: Controller, tmp_path: Path, default_port: int) -> DeviceSim:
    """One reader fresh from the box whose factory default device server is ``default_port``."""
    default = ServerAddress("127.0.0.1", default_port, None)
    sim = DeviceSim(
        tmp_path / "devices", 0, 0, default, heartbeat_interval=None, unconfigured_readers=1
    )
    await sim.start()
    return sim


@pytest.mark.parametrize("mode", [Mode.IMP, Mode.FAST])
async def test_light_samples_configure_a_fresh_reader_which_then_waits_pending(
    controller: Controller, tmp_path: Path, mode: Mode
) -> None:
    assert controller.device_port
    # imp carries no address, so the reader uses its default; fast sends the address, so a
    # default where nothing listens proves the reader took the one it was sent.
    default_port = controller.device_port if mode is Mode.IMP else closed_port()
    sim = await fresh_reader(controller, tmp_path, default_port)
    reader = sim.readers[0]
    try:
        assert reader.led == "amber" and not reader.connected
        enrolment = controller.enrolments.issue()
        server = f"127.0.0.1:{controller.device_port}" if mode is Mode.FAST else None
        settings = NetworkSettings(
            wifi=WiFi("Site WiFi", "correct horse battery"),
            enrolment=Enrolment(enrolment.plan_id, enrolment.token, server),
        )
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"http://127.0.0.1:{sim.control_port}/readers/{reader.serial}/light",
                json={"samples": samples_for(settings, mode), "rate": 1000, "fps": 60},
            ) as response,
        ):
            assert response.status == 200
            body = await response.json()
        assert body["ssid"] == "Site WiFi" and body["enrolled"] and body["mode"] == mode.value
        assert "correct horse battery" not in str(body) and enrolment.token not in str(body)
        await until(
            lambda: controller.enrolments.claimed_by(enrolment.plan_id) == reader.serial,
            what="the reader proved its enrolment",
        )
        live = controller.registry.pending("reader")
        assert [p.serial for p in live] == [reader.serial]
        assert reader.led == "dim_white"
    finally:
        await sim.async_close()


async def test_an_unreadable_transfer_is_refused_and_the_reader_stays_fresh(
    controller: Controller, tmp_path: Path
) -> None:
    assert controller.device_port
    sim = await fresh_reader(controller, tmp_path, controller.device_port)
    reader = sim.readers[0]
    try:
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{sim.control_port}/readers/{reader.serial}/light"
            noise = [random.Random(3).random() for _ in range(5000)]
            async with http.post(url, json={"samples": noise, "rate": 1000}) as response:
                assert response.status == 422
                assert (await response.json())["code"] == "blinkup_failed"
            async with http.post(url, json={"samples": ["x"], "rate": 1000}) as response:
                assert response.status == 400
            # Absurd rates are refused at once, before any work (they once took seconds,
            # gigabytes, or a 500).
            for rate, fps in (
                (1e6, 1),
                (1000, 1e-300),
                (1e300, 60),
                (1e308, 1e-308),
                (10**400, 60),
            ):
                body = f'{{"samples": [0.5, 0.5], "rate": {rate}, "fps": {fps}}}'
                async with http.post(
                    url, data=body, headers={"Content-Type": "application/json"}
                ) as response:
                    assert response.status in (400, 422), (rate, fps, response.status)
        assert not reader.configured and reader.led == "red"  # connection failed
    finally:
        await sim.async_close()
