"""A controller with a door wired to a simulated door controller and reader, ready to open."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from app.controller.resources import (
    GROUP_LOCKS,
    GROUPS,
    LOCKS,
    PLACES,
    READERS,
    RELAY_CONNECTIONS,
    ROLE_ASSIGNMENTS,
    USERS,
)
from app.controller.service import Controller
from app.controller.site import SiteService
from hardware.devicesim.sim import DeviceSim
from hardware.link.runner import ServerAddress
from tests.controller.conftest import Api, loopback_config
from tests.waiting import until


@dataclass
class Wired:
    sim: DeviceSim
    place: dict[str, Any]
    lock: dict[str, Any]
    group: dict[str, Any]
    reader_id: int

    def member(self, site: SiteService, email: str, **role: Any) -> dict[str, Any]:
        """A user in the door's group (role assignment fields may be overridden)."""
        user = site.create(USERS, {"email": email, "name": email.split("@")[0].title()})
        site.create(
            ROLE_ASSIGNMENTS,
            {
                "role_id": "group_basic",
                "assignee_type": "User",
                "assignee_id": user["id"],
                "applies_to_type": "Group",
                "applies_to_id": self.group["id"],
                **role,
            },
        )
        return user


async def wire(controller: Controller, tmp_path: Path) -> Wired:
    """Adopt one simulated reader and door controller and wire relay 1 to a new door."""
    assert controller.device_port
    sim = DeviceSim(
        tmp_path / "devices",
        1,
        1,
        ServerAddress("127.0.0.1", controller.device_port, None),
        heartbeat_interval=None,
    )
    await sim.start()
    site = controller.site
    place = site.create(
        PLACES,
        {
            "name": "HQ",
            "address": "1 Main St",
            "time_zone": "Europe/Berlin",
            "latitude": 52.52,
            "longitude": 13.405,
        },
    )
    lock = site.create(LOCKS, {"name": "Front door", "place_id": place["id"]})
    group = site.create(GROUPS, {"name": "Staff"})
    site.create(GROUP_LOCKS, {"group_id": group["id"], "lock_id": lock["id"]})
    reader, door_controller = sim.readers[0], sim.controllers[0]
    await until(lambda: reader.connected and door_controller.connected, what="devices up")
    reader_id = await controller.adoption.assign_reader(
        reader.token, {"name": "Front reader", "place_id": place["id"]}
    )
    site.update(READERS, reader_id, {"lock_id": lock["id"]})
    await controller.adoption.push_reader_state(reader_id)
    await controller.adoption.assign_controller(
        door_controller.token, {"name": "Controller", "place_id": place["id"]}
    )
    relay = controller.adoption.relays(door_controller.serial)[0]
    site.create(
        RELAY_CONNECTIONS,
        {"type": "lock", "relay_id": relay["id"], "lock_id": lock["id"], "duration": 2},
    )
    return Wired(sim, place, lock, group, reader_id)


# Monday 2026-11-23, 08:00 in Berlin (UTC+1).
START = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Rig:
    """A controller on a fake clock with a wired door, and an API client for it."""

    controller: Controller
    api: Api
    wired: Wired
    clock: FakeClock

    async def at(self, moment: datetime) -> None:
        """Move time and let the scheduled unlocks re-plan."""
        self.clock.now = moment
        await self.controller.scheduled_unlocks.evaluate()


@asynccontextmanager
async def clocked_rig(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Rig]:
    """Start a controller on ``clock`` with a wired door; stop everything afterwards."""
    controller = Controller(loopback_config(tmp_path / "site", api_port=0, clock=clock))
    await controller.start()
    wired = await wire(controller, tmp_path)
    secret = (controller.config.data_dir / "admin.secret").read_text().strip()
    try:
        async with aiohttp.ClientSession() as session:
            api = Api(session, f"http://127.0.0.1:{controller.api_port}", secret)
            yield Rig(controller, api, wired, clock)
    finally:
        await wired.sim.async_close()
        await controller.stop()
