"""Intrusion zones live: policy by time, violations sound the AUX siren, overrides disarm."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.controller.logins import create_login
from app.controller.resources import CONTROLLER_INPUTS
from tests.controller.test_schedules_live import recurring
from tests.controller.wired import START, FakeClock, Rig, clocked_rig
from tests.waiting import until

NIGHTS = {
    "weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "start": "20:00",
    "end": "07:30",
    "level": "away",
}


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    # 07:00 Berlin: armed (away) until 07:30.
    async with clocked_rig(tmp_path, FakeClock(START - timedelta(hours=1))) as setup:
        yield setup


async def make_zone(rig: Rig) -> Any:
    ctl_id = rig.controller.store.scalar("SELECT id FROM controllers")
    return await rig.api.ok(
        "POST",
        "/zones",
        {
            "zone": {
                "name": "Ground floor",
                "controller_id": ctl_id,
                "default_level": "disarmed",
                "doors": [{"lock_id": rig.wired.lock["id"], "exterior": True}],
                "rules": [NIGHTS],
            }
        },
    )


async def test_zone_policy_violation_siren_and_override(rig: Rig) -> None:
    c = rig.controller
    zone = await make_zone(rig)
    assert zone["level"] == "away" and not zone["alarm"]
    inputs = c.site.list(CONTROLLER_INPUTS, {"limit": "20"}).items
    c.site.update(
        CONTROLLER_INPUTS,
        inputs[0]["id"],
        {"type": "contact_sensor", "lock_id": rig.wired.lock["id"]},
    )
    door = rig.wired.sim.controllers[0]
    aux = door.relay(5)

    # Forced open while away: violation, siren on the AUX relay, blue/red on the reader.
    await door.set_input(1, "open")
    await until(lambda: aux.energized, what="siren")
    await until(lambda: rig.wired.sim.readers[0].led == "blue_red", what="intrusion LED")
    got = await rig.api.ok("GET", f"/zones/{zone['id']}")
    assert got["alarm"] is True
    assert any(e["type"] == "zone.policy_violate" for e in c.event_log.recent(10))
    await door.set_input(1, "closed")

    # An administrator's unlock overrides away -> disarmed and silences the siren.
    await rig.api.ok("POST", f"/locks/{rig.wired.lock['id']}/unlock")
    await c.zones.settle()
    got = await rig.api.ok("GET", f"/zones/{zone['id']}")
    assert got["level"] == "disarmed" and got["alarm"] is False
    assert not aux.energized
    assert any(e["type"] == "zone.override" for e in c.event_log.recent(10))


async def test_member_without_override_rights_does_not_disarm(rig: Rig) -> None:
    c = rig.controller
    zone = await make_zone(rig)
    member = rig.wired.member(c.site, "late@example.com")
    secret = create_login(c.store, "member", "basic", member["id"])
    status, err, _ = await rig.api.call(
        "POST", f"/locks/{rig.wired.lock['id']}/unlock", secret=secret
    )
    # Armed (away): a member who may not override is denied by the zone.
    assert status == 403 and err["code"] == "fad137"
    await c.zones.settle()
    assert (await rig.api.ok("GET", f"/zones/{zone['id']}"))["level"] == "away"


async def test_armed_exterior_door_skips_its_scheduled_unlock(rig: Rig) -> None:
    c = rig.controller
    lock_id = rig.wired.lock["id"]
    await make_zone(rig)
    await rig.api.ok("POST", "/schedules", recurring("Lock", lock_id, "unlock", "06:00", "18:00"))
    await rig.at(rig.clock.now)  # 07:00, away: the exterior door stays locked
    assert lock_id not in c.doors.held
    rig.clock.now = START  # 08:00: the policy disarms at 07:30
    c.zones.tick_all()
    await c.zones.settle()
    await c.scheduled_unlocks.evaluate()
    await until(lambda: rig.wired.sim.controllers[0].relay(1).energized, what="held")


async def test_zones_are_validated(rig: Rig) -> None:
    ctl_id = rig.controller.store.scalar("SELECT id FROM controllers")
    await make_zone(rig)
    status, err, _ = await rig.api.call(
        "POST",
        "/zones",
        {
            "zone": {
                "name": "Again",
                "controller_id": ctl_id,
                "doors": [{"lock_id": rig.wired.lock["id"], "exterior": False}],
            }
        },
    )
    assert status == 422  # a door may be in one zone only
    for i in range(3):
        await rig.api.ok("POST", "/zones", {"zone": {"name": f"Z{i}", "controller_id": ctl_id}})
    status, err, _ = await rig.api.call(
        "POST", "/zones", {"zone": {"name": "Fifth", "controller_id": ctl_id}}
    )
    assert status == 422 and err["errors"]
