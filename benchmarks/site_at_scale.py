"""Seed a large site straight into the store, fast: for benchmarks only.

100,000 members with cards, 1,000 doors in groups, 10,000 schedules. It writes rows with the
same columns the site service writes, in one transaction; validation is not what is measured.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from app.access.schedule_codec import parse_schedule, schedule_to_dict
from app.access.wiegand import encode
from app.controller.service import Controller

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class Scale:
    users: int = 100_000
    doors: int = 1_000
    groups: int = 500
    schedules: int = 10_000


def seed(controller: Controller, scale: Scale, rng: random.Random) -> dict[str, Any]:
    """Create the site; returns what the load generator needs.

    The first four doors (the ones the generator's readers open) also belong to group 0, and
    a tenth of all members are in group 0; ``bits`` holds their cards.
    """
    store = controller.store
    now = store.now()
    org = controller.organization_id
    stamp = {"created_at": now, "updated_at": now}
    with store.transaction():
        place = store.insert(
            "places",
            {
                "organization_id": org,
                "name": "Campus",
                "address": "1 Bench Way",
                "time_zone": "Europe/Berlin",
            },
        )
        locks = [
            store.insert("locks", {"place_id": place, "name": f"Door {i}", **stamp})
            for i in range(scale.doors)
        ]
        groups = [
            store.insert(
                "groups",
                {
                    "organization_id": org,
                    "name": f"Group {g}",
                    "time_restriction_enabled": g % 2,
                    **stamp,
                },
            )
            for g in range(scale.groups)
        ]
        for i, lock in enumerate(locks):  # every door in two groups
            # The four front doors also open for group 0, the staff the generator plays.
            for g in {i % scale.groups, (i * 7 + 3) % scale.groups} | ({0} if i < 4 else set()):
                store.execute(
                    "INSERT OR IGNORE INTO group_locks (group_id, lock_id, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?)",
                    (groups[g], lock, now, now),
                )
        members: list[str] = []
        for u in range(scale.users):
            user = store.insert(
                "users",
                {"organization_id": org, "email": f"u{u}@bench.test", "name": f"User {u}", **stamp},
            )
            chosen = {rng.randrange(scale.groups) for _ in range(rng.randint(1, 3))}
            if u % 10 == 0:
                chosen.add(0)
            for g in chosen:
                store.insert(
                    "role_assignments",
                    {
                        "role_id": "group_basic",
                        "assignee_type": "User",
                        "assignee_id": user,
                        "applies_to_type": "Group",
                        "applies_to_id": groups[g],
                        **stamp,
                    },
                )
            fc, cn = u // 65536, u % 65536
            card = store.insert(
                "cards",
                {
                    "type": "third_party_lf_hid_h10301",
                    "facility_code": fc,
                    "card_number": cn,
                    **stamp,
                },
            )
            store.insert(
                "card_assignments",
                {
                    "card_id": card,
                    "assignee_type": "User",
                    "assignee_id": user,
                    "status": "activated",
                    **stamp,
                },
            )
            if 0 in chosen:
                members.append(encode("H10301", fc, cn))
        for s in range(scale.schedules):
            # Half time restrictions of the groups that restrict time (all day, every day),
            # half evening unlock schedules of doors.
            if s % 2:
                target, kind, consequence = (
                    groups[(s // 2 * 2 + 1) % scale.groups],
                    "Group",
                    "allow",
                )
            else:
                target, kind, consequence = locks[s % scale.doors], "Lock", "unlock"
            schedule = parse_schedule(
                {
                    "type": "recurring_event",
                    "name": f"S{s}",
                    "enabled": True,
                    "override": False,
                    "consequence": consequence,
                    "scheduleable_type": kind,
                    "scheduleable_id": target,
                    **dict.fromkeys(DAYS, True),
                    "starts_at_time": "00:00" if consequence == "allow" else "22:00",
                    "ends_at_time": "00:00" if consequence == "allow" else "23:00",
                }
            )
            store.insert(
                "schedules",
                {
                    "type": "recurring_event",
                    "scheduleable_type": kind,
                    "scheduleable_id": target,
                    "consequence": consequence,
                    "enabled": 1,
                    "body": json.dumps(schedule_to_dict(schedule)),
                    **stamp,
                },
            )
    return {"place": place, "locks": locks, "bits": members}
