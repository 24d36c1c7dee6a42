"""The doors view-model: which state a door shows, and which events change which door."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.access.doorstate import DoorState
from app.ui.door_state import ALARMS, COLOURS, DoorRow, DoorStatus, door_status, event_lock

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CLOSED = DoorState()
OPEN = DoorState(open=True, opened_at=AT)
FORCED = DoorState(open=True, opened_at=AT, forced_open=True)
HELD_OPEN = DoorState(open=True, opened_at=AT, held_open_alarm=True)
FORCED_CLOSED = DoorState(open=False, forced_open=True)  # the alarm ends when it closes

BASE: dict[str, Any] = {
    "wired": True,
    "online": True,
    "locked_down": False,
    "place_locked_down": False,
    "monitor": None,
    "held": False,
    "pulsing": False,
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, DoorStatus.LOCKED),
        ({"monitor": CLOSED}, DoorStatus.LOCKED),
        ({"pulsing": True}, DoorStatus.UNLOCKED),
        ({"held": True}, DoorStatus.SCHEDULED_UNLOCK),
        ({"held": True, "pulsing": True}, DoorStatus.SCHEDULED_UNLOCK),
        ({"monitor": OPEN}, DoorStatus.OPEN),
        ({"monitor": OPEN, "held": True}, DoorStatus.OPEN),
        ({"monitor": FORCED}, DoorStatus.FORCED_OPEN),
        ({"monitor": FORCED_CLOSED}, DoorStatus.LOCKED),
        ({"monitor": HELD_OPEN}, DoorStatus.HELD_OPEN),
        ({"locked_down": True}, DoorStatus.LOCKED_DOWN),
        ({"place_locked_down": True}, DoorStatus.LOCKED_DOWN),
        ({"locked_down": True, "held": True, "monitor": OPEN}, DoorStatus.LOCKED_DOWN),
        # An alarm needs a look even during a lockdown.
        ({"locked_down": True, "monitor": FORCED}, DoorStatus.FORCED_OPEN),
        # Without its door controller nothing else is known.
        ({"online": False, "locked_down": True, "monitor": FORCED}, DoorStatus.OFFLINE),
        ({"wired": False, "online": False}, DoorStatus.NOT_WIRED),
    ],
)
def test_door_status(changes: dict[str, Any], expected: DoorStatus) -> None:
    status, detail = door_status(**{**BASE, **changes})
    assert status is expected
    assert detail.endswith(".") and detail[0].isupper()


def test_every_status_has_colours_and_alarms_are_red() -> None:
    assert set(COLOURS) == set(DoorStatus)
    assert {DoorStatus.HELD_OPEN, DoorStatus.FORCED_OPEN} == ALARMS
    row = DoorRow(1, "Front", "HQ", "C1 · relay 1", DoorStatus.HELD_OPEN, "Standing open.")
    assert row.alarm and row.colours == COLOURS[DoorStatus.HELD_OPEN]
    assert door_status(**{**BASE, "monitor": HELD_OPEN}, held_open_seconds=45)[1] == (
        "Standing open longer than 45 s."
    )


@pytest.mark.parametrize(
    ("event", "lock"),
    [
        ({"type": "lock.opened", "object_type": "Lock", "object_id": 7}, 7),
        ({"type": "lock.held_open", "object_type": "Lock", "object_id": 7}, 7),
        ({"type": "lock.scheduled_unlock_started", "object_type": "Lock", "object_id": 3}, 3),
        ({"type": "lock.lock_down", "object_type": "Lock", "object_id": 3}, 3),
        ({"type": "lock.unlock", "object_type": "Lock", "object_id": 2}, 2),
        ({"type": "controller.tamper", "object_type": "Lock", "object_id": 2}, 2),
        ({"type": "lock.unlock", "object_type": "Reader", "object_id": 2}, None),
        ({"type": "place.lock_down", "object_type": "Place", "object_id": 1}, 0),
        ({"type": "place.cancel_lockdown", "object_type": "Place", "object_id": 1}, 0),
        ({"type": "lock.create", "object_type": "Lock", "object_id": 9}, 0),
        ({"type": "user.create", "object_type": "User", "object_id": 9}, None),
        ({"type": "place.create", "object_type": "Place", "object_id": 9}, None),
    ],
)
def test_event_lock(event: dict[str, Any], lock: int | None) -> None:
    assert event_lock(event) == lock
