"""The doors view: live states from door events, lockdown, unlock and settings, by clicking."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from app.controller.resources import CONTROLLER_INPUTS, LOCKS
from app.controller.service import Controller
from app.ui.bridge import ControllerBridge
from app.ui.door_state import DoorStatus
from app.ui.doors_view import DoorsView
from tests.controller.conftest import loopback_config
from tests.controller.wired import START, FakeClock, Wired, wire
from tests.ui.conftest import Runner
from tests.waiting import until


class FakeDialogs:
    """Stands in for the person: answers every question with ``answer``."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def save_file(self, parent: QWidget, title: str, suggested: str, filter_: str) -> None:
        return None

    def open_file(self, parent: QWidget, title: str, filter_: str) -> None:
        return None

    def confirm(self, parent: QWidget, title: str, question: str) -> bool:
        self.asked.append(question)
        return self.answer

    def error(self, parent: QWidget, title: str, message: str) -> None:
        self.asked.append(message)


Scenario = Callable[[Controller, Wired, FakeClock, DoorsView, FakeDialogs], Awaitable[None]]


def on_rig(qtbot, run: Runner, tmp_path: Path, scenario: Scenario) -> None:
    """Run a scenario against a started controller (clock injected) with one wired door."""
    clock = FakeClock()

    async def body() -> None:
        controller = Controller(loopback_config(tmp_path / "site", clock=clock))
        await controller.start()
        wired = await wire(controller, tmp_path)
        bridge = ControllerBridge(controller)
        dialogs = FakeDialogs()
        view = DoorsView(bridge, dialogs)
        qtbot.addWidget(view)
        view.show()
        try:
            await scenario(controller, wired, clock, view, dialogs)
        finally:
            bridge.close()
            # The unlock planner must take its last poke before it is stopped: cancelled in the
            # same loop turn as a poke, ScheduledUnlocks.stop() waits out its sleep (Python
            # 3.11's asyncio.wait_for swallows the cancel when the awaited event is already set).
            planner = controller.scheduled_unlocks
            await until(lambda: not planner._wake.is_set(), what="planner idle")
            await wired.sim.async_close()
            await controller.stop()

    run(body)


def click(qtbot, view: DoorsView, name: str) -> None:
    button = view.findChild(QPushButton, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def state(view: DoorsView, lock_id: int) -> DoorStatus | None:
    return view.status_of(lock_id)


async def shows(view: DoorsView, lock_id: int, status: DoorStatus) -> None:
    await until(lambda: state(view, lock_id) is status, what=f"door shown as {status.value}")


def recurring(lock_id: int, start: str, end: str) -> dict:
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return {
        "type": "recurring_event",
        "name": "Opening hours",
        "enabled": True,
        "consequence": "unlock",
        "scheduleable_type": "Lock",
        "scheduleable_id": lock_id,
        **{d: d not in ("saturday", "sunday") for d in days},
        "starts_at_time": start,
        "ends_at_time": end,
    }


def test_scheduled_unlock_and_lockdown(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(
        controller: Controller, wired: Wired, clock: FakeClock, view: DoorsView, dialogs
    ) -> None:
        lock_id = wired.lock["id"]
        relay = wired.sim.controllers[0].relay(1)
        assert view.model.rowCount() == 1
        await shows(view, lock_id, DoorStatus.LOCKED)
        row = view.rows[0]
        assert row is not None and row.place == "HQ" and "relay 1" in row.wiring

        # A schedule holds the door from 09:00 (Berlin); the view hears of it from the event.
        controller.schedules.create(recurring(lock_id, "09:00", "17:00"))
        clock.now = START + timedelta(hours=1)
        await controller.scheduled_unlocks.evaluate()
        await shows(view, lock_id, DoorStatus.SCHEDULED_UNLOCK)
        await until(lambda: relay.energized, what="relay held by the schedule")

        # Lock down through the view: it asks first, then the schedule gives way.
        view.select_lock(lock_id)
        click(qtbot, view, "lockDownDoor")
        await shows(view, lock_id, DoorStatus.LOCKED_DOWN)
        assert dialogs.asked and "Lock down Front door" in dialogs.asked[0]
        await until(lambda: not relay.energized, what="relay released by the lockdown")
        assert not view.lock_down_button.isEnabled() and view.cancel_button.isEnabled()
        assert "Locked down" in view.detail.text()
        types = [e["type"] for e in controller.event_log.recent(10)]
        assert "lock.lock_down" in types

        # Cancelling brings the scheduled unlock back.
        click(qtbot, view, "cancelLockdown")
        await shows(view, lock_id, DoorStatus.SCHEDULED_UNLOCK)
        await until(lambda: relay.energized, what="held again")

        # Answering no to the question changes nothing.
        dialogs.answer = False
        click(qtbot, view, "lockDownDoor")
        assert state(view, lock_id) is DoorStatus.SCHEDULED_UNLOCK
        assert not controller.site.get(LOCKS, lock_id)["locked_down"]

    on_rig(qtbot, run, tmp_path, scenario)


def wire_inputs(controller: Controller, lock_id: int) -> None:
    contact, rex = controller.site.list(CONTROLLER_INPUTS, {"limit": "20"}).items[:2]
    controller.site.update(
        CONTROLLER_INPUTS, contact["id"], {"type": "contact_sensor", "lock_id": lock_id}
    )
    controller.site.update(
        CONTROLLER_INPUTS, rex["id"], {"type": "request_to_exit", "lock_id": lock_id}
    )


def test_open_held_open_and_forced_open_from_inputs(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(
        controller: Controller, wired: Wired, clock: FakeClock, view: DoorsView, dialogs
    ) -> None:
        lock_id = wired.lock["id"]
        controller.site.update(LOCKS, lock_id, {"held_open_duration": 30})
        wire_inputs(controller, lock_id)
        door = wired.sim.controllers[0]

        # Opened with no grant: forced open, an alarm.
        await door.set_input(1, "open")
        await shows(view, lock_id, DoorStatus.FORCED_OPEN)
        row = view.rows[0]
        assert row is not None and row.alarm
        await door.set_input(1, "closed")
        await shows(view, lock_id, DoorStatus.LOCKED)

        # Unlocked from the view, then opened: open, and past its time, held open.
        view.select_lock(lock_id)
        click(qtbot, view, "unlockDoor")
        await shows(view, lock_id, DoorStatus.UNLOCKED)
        assert view.feedback.text() == "Door unlocked."
        await door.set_input(1, "open")
        await shows(view, lock_id, DoorStatus.OPEN)
        clock.now += timedelta(seconds=31)
        await controller.monitor.tick(lock_id)
        await shows(view, lock_id, DoorStatus.HELD_OPEN)
        assert "30 s" in view.detail.text()

        # Closed again: locked once the unlock pulse is over (a one-shot refresh, no polling).
        await door.set_input(1, "closed")
        await until(
            lambda: state(view, lock_id) is DoorStatus.LOCKED, timeout=10, what="locked again"
        )

    on_rig(qtbot, run, tmp_path, scenario)


def test_settings_with_plain_validation(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(
        controller: Controller, wired: Wired, clock: FakeClock, view: DoorsView, dialogs
    ) -> None:
        lock_id = wired.lock["id"]
        view.select_lock(lock_id)
        assert view.held_open.value() == 30
        view.held_open.setValue(45)
        view.fail_mode.setCurrentIndex(view.fail_mode.findData("safe"))
        click(qtbot, view, "saveDoorSettings")
        assert view.feedback.text() == "Door settings saved."
        lock = controller.site.get(LOCKS, lock_id)
        assert lock["held_open_duration"] == 45 and lock["fail_mode"] == "safe"

        # A time restriction with no allowed hours would keep everyone out: refused in words.
        view.time_restriction.setChecked(True)
        click(qtbot, view, "saveDoorSettings")
        assert "Add an enabled “Allow” schedule" in view.feedback.text()
        assert not controller.site.get(LOCKS, lock_id)["time_restriction_enabled"]
        allow = {**recurring(lock_id, "07:00", "19:00"), "consequence": "allow"}
        controller.schedules.create(allow)
        click(qtbot, view, "saveDoorSettings")
        assert view.feedback.text() == "Door settings saved."
        assert controller.site.get(LOCKS, lock_id)["time_restriction_enabled"]

        # A door with no relay says so; the one wired door still shows its controller.
        click(qtbot, view, "addDoor")  # no name: the controller's message, in words
        assert view.feedback.text() == "Name cannot be empty."
        qtbot.keyClicks(view.door_name, "Store room")
        click(qtbot, view, "addDoor")
        await until(lambda: view.model.rowCount() == 2, what="new door listed")
        new = view.rows[1]
        assert new is not None and new.status is DoorStatus.NOT_WIRED and new.wiring == "No relay"

    on_rig(qtbot, run, tmp_path, scenario)
