"""Decisions per second and latency on a large site: 100,000 users, 1,000 doors, 10,000 schedules.

Run: `.venv/bin/python benchmarks/decisions_at_scale.py [--rate 1000] [--seconds 10]`.

The controller runs as its own `lintel controller` process pinned to one core; simulated
readers and a door controller run in this process on the other core and present member cards
(10 % strangers) at a fixed rate over the encrypted device link. Each latency is the time from
a reader sending a card to it receiving the decision. Then a closed loop measures the most
decisions per second. Prints figures; asserts nothing. benchmarks/link_floor.py prints what the
link and the load generator cost by themselves.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.controller.service import Controller, ControllerConfig  # noqa: E402
from benchmarks.cores import cpu_seconds, pin  # noqa: E402
from benchmarks.site_at_scale import Scale, seed  # noqa: E402
from hardware.devicesim.sim import DeviceSim  # noqa: E402
from hardware.link.messages import Credential  # noqa: E402
from hardware.link.runner import ServerAddress  # noqa: E402
from tests.e2e.processes import start_controller  # noqa: E402

READERS = 20


async def call(http: aiohttp.ClientSession, method: str, url: str, body: Any = None) -> Any:
    async with http.request(method, url, json=body) as response:
        assert response.status in (200, 204), (url, response.status, await response.text())
        return await response.json() if response.status == 200 else None


async def wire(api: str, secret: str, sim: DeviceSim, locks: list[int], place: int) -> None:
    """Adopt the simulated devices; readers go to the first 4 doors, wired to relays 1-4."""
    async with aiohttp.ClientSession(headers={"Authorization": f"KISI-LOGIN {secret}"}) as http:
        while not all(d.connected for d in [*sim.readers, *sim.controllers]):
            await asyncio.sleep(0.05)
        ctl = sim.controllers[0]
        await call(
            http,
            "POST",
            f"{api}/controllers/{ctl.token}/assign",
            {"controller": {"name": "C", "place_id": place}},
        )
        found = await call(http, "GET", f"{api}/controllers?query={ctl.token}")
        relays = await call(http, "GET", f"{api}/controller_relays?controller_id={found[0]['id']}")
        for channel in range(4):
            await call(
                http,
                "POST",
                f"{api}/controller_relay_connections",
                {
                    "controller_relay_connection": {
                        "type": "lock",
                        "relay_id": relays[channel]["id"],
                        "lock_id": locks[channel],
                        "duration": 1,
                    }
                },
            )
        for i, reader in enumerate(sim.readers):
            await call(
                http,
                "POST",
                f"{api}/readers/{reader.token}/assign",
                {"reader": {"name": reader.serial, "place_id": place}},
            )
            found = await call(http, "GET", f"{api}/readers?query={reader.token}")
            await call(
                http,
                "PATCH",
                f"{api}/readers/{found[0]['id']}",
                {"reader": {"lock_id": locks[i % 4]}},
            )
        while not all(r.assigned for r in sim.readers):
            await asyncio.sleep(0.05)


def card(bits: list[str], rng: random.Random) -> Credential:
    if rng.random() < 0.1:
        return Credential(wiegand="1" * 26)  # parity fails: a stranger's unreadable card
    return Credential(wiegand=rng.choice(bits))


async def open_loop(
    sim: DeviceSim, bits: list[str], rate: float, seconds: float
) -> tuple[list[float], int]:
    """Present at a fixed rate regardless of answers; returns latencies (ms) and grants."""
    rng = random.Random(11)
    latencies: list[float] = []
    granted = 0
    tasks: list[asyncio.Task[None]] = []

    async def one(index: int) -> None:
        nonlocal granted
        start = time.perf_counter()
        decision = await sim.readers[index % READERS].present(card(bits, rng), timeout=10)
        latencies.append((time.perf_counter() - start) * 1000)
        granted += decision.granted

    begin = time.perf_counter()
    for n in range(int(rate * seconds)):
        delay = begin + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(n)))
    await asyncio.gather(*tasks)
    return latencies, granted


async def closed_loop(sim: DeviceSim, bits: list[str], seconds: float) -> int:
    rng = random.Random(5)
    done = 0
    deadline = time.monotonic() + seconds

    async def worker(index: int) -> None:
        nonlocal done
        while time.monotonic() < deadline:
            await sim.readers[index].present(card(bits, rng), timeout=10)
            done += 1

    await asyncio.gather(*(worker(i) for i in range(READERS)))
    return done


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--users", type=int, default=100_000)
    args = parser.parse_args()
    scale = Scale(users=args.users)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        seeder = Controller(ControllerConfig(data_dir=root / "site", api_port=None))
        site: dict[str, Any] = seed(seeder, scale, random.Random(3))
        seeder.store.close()
        print(
            f"seeded {scale.users} users, {scale.doors} doors, {scale.schedules} schedules "
            f"in {time.perf_counter() - started:.1f} s"
        )
        taskset = ["taskset", "-c", "0"] if (os.cpu_count() or 1) > 1 else []
        proc, endpoints = start_controller(root / "site", root / "controller.log", taskset)
        pin(1)
        sim = None
        try:
            port = int(endpoints["devices"].rsplit(":", 1)[1])
            sim = DeviceSim(
                root / "devices",
                READERS,
                1,
                ServerAddress("127.0.0.1", port, None),
                heartbeat_interval=None,
                feedback_seconds=3.0,  # a reader's real green/red time
            )
            await sim.start()
            secret = (root / "site" / "admin.secret").read_text().strip()
            await wire(f"http://{endpoints['api']}", secret, sim, site["locks"], site["place"])
            await open_loop(sim, site["bits"], 200, 1)  # warm the caches
            cpu_before = cpu_seconds(proc.pid)
            sim_before = time.process_time()
            latencies, granted = await open_loop(sim, site["bits"], args.rate, args.seconds)
            cpu_after = cpu_seconds(proc.pid)
            user, kernel = (
                (after - before) / len(latencies)
                for after, before in zip(cpu_after, cpu_before, strict=True)
            )
            sim_per_decision = (time.process_time() - sim_before) / len(latencies)
            most = await closed_loop(sim, site["bits"], 5)
        finally:
            if sim is not None:
                await sim.async_close()
            proc.terminate()
            proc.wait()
    latencies.sort()
    n = len(latencies)
    print(
        f"open loop: {n} presentations at {args.rate:.0f}/s for {args.seconds:.0f} s "
        f"({granted} granted)"
    )
    print(
        f"decision latency: p50 {statistics.median(latencies):.2f} ms, "
        f"p99 {latencies[int(n * 0.99) - 1]:.2f} ms, max {latencies[-1]:.2f} ms"
    )
    print(
        f"controller CPU per decision: {(user + kernel) * 1000:.3f} ms "
        f"(user {user * 1000:.3f}, kernel {kernel * 1000:.3f})"
    )
    print(f"simulated devices' CPU per decision: {sim_per_decision * 1000:.3f} ms (other core)")
    print(f"closed loop: {most / 5:.0f} decisions per second (controller on one core)")


if __name__ == "__main__":
    asyncio.run(main())
