"""Schedules through the API and live: time restrictions, scheduled unlocks, first to arrive."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.access.wiegand import encode
from app.controller.resources import GROUPS, LOCKS
from hardware.link.messages import Credential
from tests.controller.wired import START, FakeClock, Rig, clocked_rig
from tests.waiting import until


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    async with clocked_rig(tmp_path, FakeClock()) as setup:
        yield setup


WEEKDAYS = {
    d: d not in ("saturday", "sunday")
    for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


def recurring(target: str, target_id: int, consequence: str, start: str, end: str) -> dict:
    return {
        "schedule": {
            "type": "recurring_event",
            "name": f"{consequence} {start}-{end}",
            "enabled": True,
            "override": False,
            "consequence": consequence,
            "scheduleable_type": target,
            "scheduleable_id": target_id,
            **WEEKDAYS,
            "starts_at_time": start,
            "ends_at_time": end,
        }
    }


async def test_schedule_resource_round_trip(rig: Rig) -> None:
    lock_id = rig.wired.lock["id"]
    created = await rig.api.ok(
        "POST", "/schedules", recurring("Lock", lock_id, "unlock", "09:00", "17:00")
    )
    assert created["resource_type"] == "Schedule" and created["scheduleable"]["name"]
    assert created["starts_at_time"] == "09:00" and created["place_id"] == rig.wired.place["id"]
    await rig.api.ok(
        "PATCH", f"/schedules/{created['id']}", {"schedule": {"ends_at_time": "18:30"}}
    )
    got = await rig.api.ok("GET", f"/schedules/{created['id']}")
    assert got["ends_at_time"] == "18:30"
    listed = await rig.api.ok(
        "GET", f"/schedules?scheduleable_type=Lock&scheduleable_id={lock_id}&consequence=unlock"
    )
    assert [s["id"] for s in listed] == [created["id"]]
    status, err, _ = await rig.api.call(
        "POST",
        "/schedules",
        {
            "schedule": {
                **recurring("Lock", lock_id, "unlock", "09:00", "17:00")["schedule"],
                "starts_at_time": "25:00",
            }
        },
    )
    assert status == 422 and "starts_at_time" in err["errors"]
    status, err, _ = await rig.api.call(
        "POST", "/schedules", recurring("Lock", 999, "unlock", "09:00", "17:00")
    )
    assert status == 422 and "scheduleable_id" in err["errors"]
    summary = await rig.api.ok(
        "GET",
        f"/calendar/summary?lock_id={lock_id}&consequence=unlock"
        "&around=2026-11-23T00:00:00Z/2026-11-30T00:00:00Z",
    )
    assert len(summary["events"]) == 5 and summary["exceptions"] == []
    assert summary["events"][0]["starts_at"] == "2026-11-23T08:00:00.000Z"  # 09:00 Berlin
    await rig.api.ok("DELETE", f"/schedules/{created['id']}")
    assert await rig.api.ok("GET", "/schedules") == []


async def test_group_time_restriction_denies_outside_its_hours(rig: Rig) -> None:
    c = rig.controller
    member = rig.wired.member(c.site, "shift@example.com")
    from app.controller.resources import CARD_ASSIGNMENTS, CARDS

    card = c.site.create(
        CARDS, {"type": "third_party_lf_hid_h10301", "facility_code": 3, "card_number": 33}
    )
    c.site.create(
        CARD_ASSIGNMENTS,
        {"card_id": card["id"], "assignee_type": "User", "assignee_id": member["id"]},
    )
    group_id = rig.wired.group["id"]
    await rig.api.ok("POST", "/schedules", recurring("Group", group_id, "allow", "09:00", "17:00"))
    c.site.update(GROUPS, group_id, {"time_restriction_enabled": True})
    reader = rig.wired.sim.readers[0]
    await until(lambda: reader.assigned, what="reader assigned")
    bits = encode("H10301", 3, 33)
    decision = await reader.present(Credential(wiegand=bits))  # 08:00 Berlin
    assert not decision.granted and decision.code == "34ffaa"
    rig.clock.now = START + timedelta(hours=2)  # 10:00
    assert (await reader.present(Credential(wiegand=bits))).granted
    # A door restriction takes priority: the door's own hours replace the group's.
    lock_id = rig.wired.lock["id"]
    await rig.api.ok("POST", "/schedules", recurring("Lock", lock_id, "allow", "06:00", "09:30"))
    c.site.update(LOCKS, lock_id, {"time_restriction_enabled": True})
    assert not (await reader.present(Credential(wiegand=bits))).granted  # 10:00 > 09:30
    rig.clock.now = START + timedelta(minutes=30)  # 08:30: the door allows, the group would not
    assert (await reader.present(Credential(wiegand=bits))).granted


async def test_scheduled_unlock_holds_the_relay_and_records_it(rig: Rig) -> None:
    c = rig.controller
    lock_id = rig.wired.lock["id"]
    relay = rig.wired.sim.controllers[0].relay(1)
    await rig.api.ok("POST", "/schedules", recurring("Lock", lock_id, "unlock", "09:00", "17:00"))
    await rig.at(START)  # 08:00
    assert not relay.energized
    await rig.at(START + timedelta(hours=1))  # 09:00 sharp
    await until(lambda: relay.energized, what="relay held")
    lock = c.site.get(LOCKS, lock_id)
    assert lock["on_scheduled_unlock"] and lock["unlocked"]
    # A lockdown overrides the schedule.
    await rig.api.ok("POST", f"/locks/{lock_id}/lock_down")
    await rig.at(START + timedelta(hours=2))
    await until(lambda: not relay.energized, what="released by lockdown")
    await rig.api.ok("POST", f"/locks/{lock_id}/cancel_lockdown")
    await rig.at(START + timedelta(hours=3))
    await until(lambda: relay.energized, what="held again")
    await rig.at(START + timedelta(hours=10))  # 17:00
    await until(lambda: not relay.energized, what="released at 17:00")
    types = [e["type"] for e in reversed(c.event_log.recent(20))]
    assert types.count("lock.scheduled_unlock_started") == 2
    assert types.count("lock.scheduled_unlock_ended") == 2


async def test_first_to_arrive_waits_for_the_first_grant(rig: Rig) -> None:
    lock_id = rig.wired.lock["id"]
    relay = rig.wired.sim.controllers[0].relay(1)
    await rig.api.ok(
        "POST", "/schedules", recurring("Lock", lock_id, "first_to_arrive", "07:00", "12:00")
    )
    await rig.at(START)  # 08:00, inside the window, nobody yet
    assert not relay.energized
    await rig.api.ok("POST", f"/locks/{lock_id}/unlock")  # the first to arrive
    await until(
        lambda: relay.energized and lock_id in rig.controller.doors.held,
        what="held after first arrival",
    )
    await rig.at(START + timedelta(hours=4))  # 12:00
    await until(lambda: not relay.energized, what="released at the window's end")


async def test_a_rebooted_door_controller_gets_its_hold_back(rig: Rig) -> None:
    lock_id = rig.wired.lock["id"]
    door = rig.wired.sim.controllers[0]
    await rig.api.ok("POST", "/schedules", recurring("Lock", lock_id, "unlock", "07:00", "17:00"))
    await rig.at(START)
    await until(lambda: door.relay(1).energized, what="held")
    await door.reboot()  # power cycle: the relay drops
    assert not door.relay(1).energized
    await until(lambda: door.connected, what="back online")
    await until(lambda: door.relay(1).energized, what="hold re-asserted after the restart")
    started = [
        e
        for e in rig.controller.event_log.recent(30)
        if e["type"] == "lock.scheduled_unlock_started"
    ]
    assert len(started) == 1  # the same scheduled unlock, not a new one


async def test_a_change_while_planning_is_planned_at_once(rig: Rig) -> None:
    # A pass yields to decisions on a big site; a change that lands meanwhile (a first arrival,
    # a zone arming) must start another full pass, not wait for some door's next edge.
    planner = rig.controller.scheduled_unlocks
    await planner.stop()
    passes: list[bool] = []
    plan = planner.evaluate

    async def evaluate(only_due: bool = False) -> datetime | None:
        passes.append(only_due)
        if len(passes) == 1:
            planner.poke()
        return await plan(only_due)

    planner.evaluate = evaluate  # type: ignore[method-assign]
    planner.start()
    await until(lambda: len(passes) >= 2, what="a second pass after the poke")
    assert passes[:2] == [False, False]
