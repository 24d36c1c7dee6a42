"""End to end with real processes on loopback: adopt devices, enrol a member, open a door.

The controller and the device simulator run as separate `lintel` processes; the test speaks
only HTTP to both, as an integrator and a test rig would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app.access.wiegand import encode
from tests.e2e.processes import read_json_file, spawn, start_controller, stop
from tests.waiting import until

pytestmark = pytest.mark.e2e


@dataclass
class Rig:
    http: aiohttp.ClientSession
    api: str
    sim: str
    secret: str

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        headers = {"Authorization": f"KISI-LOGIN {self.secret}", "Accept": "application/json"}
        async with self.http.request(method, self.api + path, json=body, headers=headers) as r:
            text = await r.text()
            return r.status, (await r.json(content_type=None)) if text else None

    async def ok(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        got, data = await self.call(method, path, body)
        assert got == status, (method, path, got, data)
        return data

    async def sim_get(self, path: str) -> Any:
        async with self.http.get(self.sim + path) as r:
            assert r.status == 200
            return await r.json()

    async def sim_post(self, path: str, body: Any = None) -> tuple[int, Any]:
        async with self.http.post(self.sim + path, json=body or {}) as r:
            return r.status, await r.json(content_type=None)


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    site, devices = tmp_path / "site", tmp_path / "devices"
    ctl_log, sim_log = tmp_path / "controller.log", tmp_path / "device-sim.log"
    controller, endpoints = start_controller(site, ctl_log)
    sim = None
    try:
        device_port = endpoints["devices"].rsplit(":", 1)[1]
        sim = spawn(
            [
                "device-sim",
                "--readers",
                "2",
                "--controllers",
                "1",
                "--server",
                f"127.0.0.1:{device_port}",
                "--control",
                "127.0.0.1:0",
                "--data",
                str(devices),
            ],
            sim_log,
        )
        control = read_json_file(devices / "control.json", sim, sim_log)
        secret = (site / "admin.secret").read_text().strip()
        async with aiohttp.ClientSession() as http:
            yield Rig(http, f"http://{endpoints['api']}", f"http://{control['control']}", secret)
    finally:
        if sim is not None:
            stop(sim)
        stop(controller)
    assert secret not in ctl_log.read_text(), "the admin secret must never be logged"


async def test_member_card_opens_the_door_and_a_stranger_card_does_not(rig: Rig) -> None:
    async def all_connected() -> Any:
        readers = await rig.sim_get("/readers")
        controllers = await rig.sim_get("/controllers")
        devices = readers + controllers
        return (readers, controllers) if all(d["connected"] for d in devices) else None

    readers, controllers = await until(all_connected, what="devices to connect")
    assert len(readers) == 2 and len(controllers) == 1
    reader, spare = readers
    door_controller = controllers[0]
    assert not reader["adopted"]

    # 1-2. A place and its door.
    place = await rig.ok(
        "POST",
        "/places",
        {"place": {"name": "HQ", "address": "1 Main St", "time_zone": "Europe/London"}},
    )
    lock = await rig.ok("POST", "/locks", {"lock": {"name": "Front door", "place_id": place["id"]}})

    # 3. Adopt the reader by the token on its label, find it, bind it to the door.
    await rig.ok(
        "POST",
        f"/readers/{reader['token']}/assign",
        {"reader": {"name": "Front door reader", "place_id": place["id"]}},
        status=204,
    )
    found = await rig.ok("GET", f"/readers?query={reader['token']}&place_id={place['id']}")
    assert [r["token"] for r in found] == [reader["token"]]
    await rig.ok(
        "PATCH", f"/readers/{found[0]['id']}", {"reader": {"lock_id": lock["id"]}}, status=204
    )

    # A wrong token adopts nothing.
    status, body = await rig.call(
        "POST", "/readers/000000000000/assign", {"reader": {"name": "x", "place_id": place["id"]}}
    )
    assert status == 404 and body["code"]

    # The door controller: adopt, find its relays, wire relay 1 to the door.
    await rig.ok(
        "POST",
        f"/controllers/{door_controller['token']}/assign",
        {"controller": {"name": "Controller 1", "place_id": place["id"]}},
        status=204,
    )
    ctl = await rig.ok("GET", f"/controllers?query={door_controller['token']}")
    relays = await rig.ok("GET", f"/controller_relays?controller_id={ctl[0]['id']}")
    relay1 = next(r for r in relays if r["channel"] == 1)
    await rig.ok(
        "POST",
        "/controller_relay_connections",
        {
            "controller_relay_connection": {
                "type": "lock",
                "relay_id": relay1["id"],
                "lock_id": lock["id"],
                "duration": 3,
            }
        },
    )

    # 4. A group with the door.
    group = await rig.ok("POST", "/groups", {"group": {"name": "Staff", "place_id": place["id"]}})
    await rig.ok(
        "POST", "/group_locks", {"group_lock": {"group_id": group["id"], "lock_id": lock["id"]}}
    )

    # 5. A member of the group.
    user = await rig.ok(
        "POST",
        "/users",
        {"user": {"email": "jane@example.com", "name": "Jane Doe", "confirm": True}},
    )
    roles = await rig.ok("GET", "/roles")
    group_role = next(
        r for r in roles if r["applies_to"] == "Group" and not r["permissions"]["manage_people"]
    )
    await rig.ok(
        "POST",
        "/role_assignments",
        {
            "role_assignment": {
                "assignee_type": "User",
                "assignee_id": user["id"],
                "applies_to_type": "Group",
                "applies_to_id": group["id"],
                "role_id": group_role["id"],
            }
        },
    )

    # 6. Her H10301 card.
    card = await rig.ok(
        "POST",
        "/cards",
        {"card": {"type": "third_party_lf_hid_h10301", "facility_code": 118, "card_number": 1603}},
    )
    assignment = await rig.ok(
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
    assert assignment["status"] == "activated"

    async def reader_state() -> dict[str, Any]:
        states = await rig.sim_get("/readers")
        return next(r for r in states if r["serial"] == reader["serial"])

    await until(
        lambda: _when(reader_state(), lambda r: r["adopted"] and r["led"] == "white"),
        what="reader adopted and assigned (bright white)",
    )

    # 7. The member's card: granted, green, relay 1 pulsed.
    status, result = await rig.sim_post(
        f"/readers/{reader['serial']}/present", {"wiegand": encode("H10301", 118, 1603)}
    )
    assert status == 200 and result["granted"] is True
    state = await reader_state()
    assert state["last_decision"] == "granted" and state["led"] == "green"

    async def relay1_pulses() -> Any:
        ctl_state = next(
            c for c in await rig.sim_get("/controllers") if c["serial"] == door_controller["serial"]
        )
        return next(r["pulses"] for r in ctl_state["relays"] if r["channel"] == 1)

    assert await until(relay1_pulses, what="relay 1 to pulse") == 1

    # A stranger's card: denied, red, no pulse.
    status, result = await rig.sim_post(
        f"/readers/{reader['serial']}/present", {"wiegand": encode("H10301", 7, 4242)}
    )
    assert status == 200 and result["granted"] is False
    state = await reader_state()
    assert state["last_decision"] == "denied" and state["led"] == "red"
    assert state["decisions"] == 2
    assert await relay1_pulses() == 1

    # The unadopted spare reader decides nothing.
    status, result = await rig.sim_post(
        f"/readers/{spare['serial']}/present", {"wiegand": encode("H10301", 118, 1603)}
    )
    assert status == 200 and result["granted"] is False

    # 8. The audit trail names who and where.
    event_set = await rig.ok(
        "POST",
        "/event_sets",
        {
            "event_set": {
                "event_type": "lock.unlock",
                "event_object_type": "Lock",
                "event_object_id": lock["id"],
            }
        },
    )
    polled = await rig.ok("GET", f"/event_sets/{event_set['id']}?limit=50")
    assert polled["status"] == "finished"
    events = polled["events"]
    granted = [e for e in events if e["success"]]
    denied = [e for e in events if not e["success"]]
    assert len(granted) == 1 and len(denied) == 1
    assert granted[0]["actor_id"] == user["id"] and granted[0]["object_id"] == lock["id"]
    assert granted[0]["actor_type"] == "User" and granted[0]["authenticated_by_id"] == card["id"]
    assert denied[0]["object_id"] == lock["id"] and denied[0]["code"] == "faa9ef"


async def _when(value: Any, check: Any) -> Any:
    got = await value
    return got if check(got) else None
