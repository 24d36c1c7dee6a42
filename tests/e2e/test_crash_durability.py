"""kill -9 the controller while readers present cards: no decision a reader got is lost."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app.access.wiegand import encode
from hardware.devicesim.sim import DeviceSim
from hardware.link.errors import LinkError
from hardware.link.messages import Credential
from hardware.link.runner import Backoff, ServerAddress
from tests.e2e.processes import start_controller, stop
from tests.waiting import until

pytestmark = pytest.mark.e2e
MEMBERS = 120


class Client:
    def __init__(self, http: aiohttp.ClientSession, base: str, secret: str) -> None:
        self.http, self.base, self.secret = http, base, secret

    async def ok(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"Authorization": f"KISI-LOGIN {self.secret}"}
        async with self.http.request(method, self.base + path, json=body, headers=headers) as r:
            assert r.status in (200, 204), (path, r.status, await r.text())
            return await r.json() if r.status == 200 else None


async def test_every_decision_a_reader_received_survives_kill_9(tmp_path: Path) -> None:
    site = tmp_path / "site"
    process, endpoints = start_controller(site, tmp_path / "controller-1.log")
    sim: DeviceSim | None = None
    try:
        async with aiohttp.ClientSession() as http:
            api = Client(
                http, f"http://{endpoints['api']}", (site / "admin.secret").read_text().strip()
            )
            port = int(endpoints["devices"].rsplit(":", 1)[1])
            sim = DeviceSim(
                tmp_path / "devices",
                2,
                1,
                ServerAddress("127.0.0.1", port, None),
                heartbeat_interval=None,
                backoff=Backoff(initial=0.05, maximum=0.5),
            )
            await sim.start()
            card_ids = await seed(api, sim)
            received: dict[int, bool] = {}  # card number -> granted, as the reader was told
            numbers = iter(range(1, MEMBERS + 1))

            async def keep_presenting(index: int) -> None:
                reader = sim.readers[index] if sim else None
                assert reader is not None
                for number in numbers:
                    try:
                        decision = await reader.present(
                            Credential(wiegand=encode("H10301", 7, number)), timeout=2
                        )
                    except LinkError:
                        return  # the controller is gone; nothing was decided for this one
                    received[number] = decision.granted

            workers = [asyncio.create_task(keep_presenting(i)) for i in range(2)]
            await until(lambda: len(received) >= 30, what="some decisions before the crash")
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            await asyncio.gather(*workers)
    finally:
        if sim is not None:
            await sim.async_close()
        stop(process)

    assert 30 <= len(received) < MEMBERS and all(received.values())
    process, endpoints = start_controller(site, tmp_path / "controller-2.log")
    try:
        async with aiohttp.ClientSession() as http:
            api = Client(
                http, f"http://{endpoints['api']}", (site / "admin.secret").read_text().strip()
            )
            trail: set[int] = set()
            offset = 0
            while True:
                page = await api.ok(
                    "GET", f"/events?type=lock.unlock&success=true&limit=250&offset={offset}"
                )
                trail |= {e["authenticated_by_id"] for e in page}
                if len(page) < 250:
                    break
                offset += 250
    finally:
        stop(process)
    missing = [n for n in received if card_ids[n] not in trail]
    assert not missing, f"decisions lost in the crash for cards {missing}"


async def seed(api: Client, sim: DeviceSim) -> dict[int, int]:
    """A wired door, a group, and MEMBERS members with card 7:<n>; returns n -> card id."""
    await until(
        lambda: all(d.connected for d in [*sim.readers, *sim.controllers]), what="devices connected"
    )
    place = await api.ok("POST", "/places", {"place": {"name": "HQ", "address": "x"}})
    lock = await api.ok("POST", "/locks", {"lock": {"name": "Door", "place_id": place["id"]}})
    group = await api.ok("POST", "/groups", {"group": {"name": "All"}})
    await api.ok(
        "POST", "/group_locks", {"group_lock": {"group_id": group["id"], "lock_id": lock["id"]}}
    )
    for reader in sim.readers:
        await api.ok(
            "POST",
            f"/readers/{reader.token}/assign",
            {"reader": {"name": reader.serial, "place_id": place["id"]}},
        )
        found = await api.ok("GET", f"/readers?query={reader.token}")
        await api.ok("PATCH", f"/readers/{found[0]['id']}", {"reader": {"lock_id": lock["id"]}})
    ctl = sim.controllers[0]
    await api.ok(
        "POST",
        f"/controllers/{ctl.token}/assign",
        {"controller": {"name": "C", "place_id": place["id"]}},
    )
    found = await api.ok("GET", f"/controllers?query={ctl.token}")
    relays = await api.ok("GET", f"/controller_relays?controller_id={found[0]['id']}")
    await api.ok(
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
    cards: dict[int, int] = {}
    for n in range(1, MEMBERS + 1):
        user = await api.ok("POST", "/users", {"user": {"email": f"m{n}@example.com"}})
        await api.ok(
            "POST",
            "/role_assignments",
            {
                "role_assignment": {
                    "role_id": "group_basic",
                    "assignee_type": "User",
                    "assignee_id": user["id"],
                    "applies_to_type": "Group",
                    "applies_to_id": group["id"],
                }
            },
        )
        card = await api.ok(
            "POST",
            "/cards",
            {"card": {"type": "third_party_lf_hid_h10301", "facility_code": 7, "card_number": n}},
        )
        await api.ok(
            "POST",
            "/card_assignments",
            {
                "card_assignment": {
                    "card_id": card["id"],
                    "assignee_type": "User",
                    "assignee_id": user["id"],
                }
            },
        )
        cards[n] = card["id"]
    await until(lambda: all(r.assigned for r in sim.readers), what="readers assigned")
    return cards
