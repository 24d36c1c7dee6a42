"""Presentations per second and decision latency through the device server, 10,000 users.

Run: `.venv/bin/python benchmarks/decisions.py [--users N] [--readers R] [--seconds S]`.
The controller runs as its own `lintel controller` process on loopback; simulated readers in
this process present member cards (and some unknown ones) over the encrypted device link and
time each answer. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.access.wiegand import encode
from app.controller.resources import (
    CARD_ASSIGNMENTS,
    CARDS,
    GROUP_LOCKS,
    GROUPS,
    LOCKS,
    PLACES,
    ROLE_ASSIGNMENTS,
    USERS,
)
from app.controller.service import Controller, ControllerConfig
from hardware.devicesim.sim import DeviceSim
from hardware.doorctl.sim import SimDoorController
from hardware.link.messages import Credential
from hardware.link.runner import ServerAddress
from hardware.reader.sim import SimReader
from tests.e2e.processes import start_controller, stop


def seed(data: Path, users: int) -> list[tuple[int, int]]:
    """Create a place, a door, a group and ``users`` members with an H10301 card each."""
    controller = Controller(ControllerConfig(data_dir=data, api_port=None))
    site = controller.site
    cards: list[tuple[int, int]] = []
    with controller.store.transaction():
        place = site.create(PLACES, {"name": "Bench", "address": "Loopback 1"})
        lock = site.create(LOCKS, {"name": "Door", "place_id": place["id"]})
        group = site.create(GROUPS, {"name": "Everyone"})
        site.create(GROUP_LOCKS, {"group_id": group["id"], "lock_id": lock["id"]})
        for i in range(users):
            fc, cn = i // 65536, i % 65536
            user = site.create(USERS, {"email": f"u{i}@bench.test", "name": f"User {i}"})
            site.create(
                ROLE_ASSIGNMENTS,
                {
                    "role_id": "group_basic",
                    "assignee_type": "User",
                    "assignee_id": user["id"],
                    "applies_to_type": "Group",
                    "applies_to_id": group["id"],
                },
            )
            card = site.create(
                CARDS, {"type": "third_party_lf_hid_h10301", "facility_code": fc, "card_number": cn}
            )
            site.create(
                CARD_ASSIGNMENTS,
                {"card_id": card["id"], "assignee_type": "User", "assignee_id": user["id"]},
            )
            cards.append((fc, cn))
    controller.store.close()
    return cards


async def adopt(api: str, secret: str, sim: DeviceSim) -> None:
    """Adopt every simulated device over the REST API and wire the door."""
    headers = {"Authorization": f"KISI-LOGIN {secret}"}
    async with aiohttp.ClientSession(headers=headers) as http:

        async def call(method: str, path: str, body: object = None) -> Any:
            async with http.request(method, api + path, json=body) as r:
                assert r.status in (200, 204), (path, r.status, await r.text())
                return await r.json() if r.status == 200 else None

        devices: list[SimReader | SimDoorController] = [*sim.readers, *sim.controllers]
        for device in devices:
            while not device.connected:
                await asyncio.sleep(0.05)
        lock = (await call("GET", "/locks"))[0]
        for reader in sim.readers:
            await call(
                "POST",
                f"/readers/{reader.token}/assign",
                {"reader": {"name": reader.serial, "place_id": lock["place_id"]}},
            )
            found = await call("GET", f"/readers?query={reader.token}")
            await call("PATCH", f"/readers/{found[0]['id']}", {"reader": {"lock_id": lock["id"]}})
        ctl = sim.controllers[0]
        await call(
            "POST",
            f"/controllers/{ctl.token}/assign",
            {"controller": {"name": "C", "place_id": lock["place_id"]}},
        )
        found = await call("GET", f"/controllers?query={ctl.token}")
        relays = await call("GET", f"/controller_relays?controller_id={found[0]['id']}")
        await call(
            "POST",
            "/controller_relay_connections",
            {
                "controller_relay_connection": {
                    "type": "lock",
                    "relay_id": relays[0]["id"],
                    "lock_id": lock["id"],
                    "duration": 1,
                }
            },
        )


async def load(sim: DeviceSim, cards: list[tuple[int, int]], seconds: float) -> list[float]:
    """Each reader presents cards back to back for ``seconds``; returns latencies in ms."""
    latencies: list[float] = []
    granted = denied = 0
    deadline = time.monotonic() + seconds
    rng = random.Random(7)

    async def one_reader(index: int) -> None:
        nonlocal granted, denied
        reader = sim.readers[index]
        while time.monotonic() < deadline:
            if rng.random() < 0.1:
                bits = encode("H10301", 255, rng.randrange(65536))  # nobody has facility 255
            else:
                bits = encode("H10301", *rng.choice(cards))
            start = time.perf_counter()
            decision = await reader.present(Credential(wiegand=bits))
            latencies.append((time.perf_counter() - start) * 1000)
            granted += decision.granted
            denied += not decision.granted

    await asyncio.gather(*(one_reader(i) for i in range(len(sim.readers))))
    print(f"granted {granted}, denied {denied}")
    return latencies


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        cards = seed(root / "site", args.users)
        print(f"seeded {args.users} users with cards in {time.perf_counter() - started:.1f} s")
        log = root / "controller.log"
        proc, endpoints = start_controller(root / "site", log)
        sim = None
        try:
            port = int(endpoints["devices"].rsplit(":", 1)[1])
            sim = DeviceSim(
                root / "devices",
                args.readers,
                1,
                server=ServerAddress("127.0.0.1", port, None),
                heartbeat_interval=None,
                feedback_seconds=0.1,
            )
            await sim.start()
            secret = (root / "site" / "admin.secret").read_text().strip()
            await adopt(f"http://{endpoints['api']}", secret, sim)
            latencies = await load(sim, cards, args.seconds)
        finally:
            if sim is not None:
                await sim.async_close()
            stop(proc)
    latencies.sort()
    count = len(latencies)
    print(
        f"presentations: {count} in {args.seconds:.0f} s with {args.readers} readers "
        f"-> {count / args.seconds:.0f} per second"
    )
    print(
        f"decision latency: p50 {statistics.median(latencies):.2f} ms, "
        f"p99 {latencies[int(count * 0.99) - 1]:.2f} ms, max {latencies[-1]:.2f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
