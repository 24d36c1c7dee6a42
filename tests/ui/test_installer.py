"""Adopt a reader and a door controller and assign them to a door by clicking, as an installer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTableWidget

from app.access.wiegand import encode
from app.controller.resources import (
    CARD_ASSIGNMENTS,
    CARDS,
    GROUP_LOCKS,
    GROUPS,
    LOCKS,
    ROLE_ASSIGNMENTS,
    USERS,
)
from app.ui.device_table import DeviceRow
from app.ui.installer import InstallerArea
from app.ui.main_window import MainWindow
from hardware.link.messages import Credential
from tests.ui.conftest import Runner, Site
from tests.waiting import until


def click(qtbot, window: MainWindow, name: str) -> None:
    button = window.findChild(QPushButton, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled: {button.toolTip()}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def row(installer: InstallerArea, index: int) -> DeviceRow:
    found = installer.model.row_at(index)
    assert found is not None
    return found


def cell(table: QTableWidget, r: int, c: int) -> str:
    item = table.item(r, c)
    assert item is not None
    return item.text()


def test_adopt_and_assign_by_clicking(qtbot, run: Runner, tmp_path: Path) -> None:
    site = Site(tmp_path, readers=1, controllers=1)

    async def body() -> None:
        await site.start()
        try:
            await scenario(qtbot, site)
        finally:
            await site.stop()

    run(body)


async def scenario(qtbot, site: Site) -> None:
    window = MainWindow(site.controller)
    qtbot.addWidget(window)
    window.show()
    assert site.sim is not None
    reader = site.sim.readers[0]
    door_controller = site.sim.controllers[0]
    installer = window.installer

    # Both devices reach the device server and show as pending.
    await until(lambda: installer.model.rowCount() == 2, what="two devices listed")
    assert {row(installer, i).status for i in range(2)} == {"Pending"}

    # Site: a place and a door, typed into the site area.
    window.tabs.setCurrentWidget(window.site)
    qtbot.keyClicks(window.site.place_name, "HQ")
    qtbot.keyClicks(window.site.place_address, "1 Main St")
    window.site.place_zone.setCurrentText("Europe/Berlin")
    click(qtbot, window, "addPlace")
    assert window.site.places.rowCount() == 1, window.site.feedback.text()
    qtbot.keyClicks(window.site.door_name, "Front door")
    click(qtbot, window, "addDoor")
    assert window.site.doors.rowCount() == 1, window.site.feedback.text()

    # Installer: adopt the reader with a wrong code first, then the right one.
    window.tabs.setCurrentWidget(installer)
    installer.select_serial(reader.serial)
    assert installer.stack.currentWidget() is installer.adopt_page
    qtbot.keyClicks(installer.adopt_token, "ffffffffffff")
    qtbot.keyClicks(installer.adopt_name, "Front door reader")
    click(qtbot, window, "adoptButton")
    await until(lambda: "label" in installer.feedback.text(), what="wrong-code message")
    installer.adopt_token.clear()
    qtbot.keyClicks(installer.adopt_token, reader.token)
    click(qtbot, window, "adoptButton")
    await until(
        lambda: installer.stack.currentWidget() is installer.reader_page, what="reader adopted"
    )
    selected = installer.selected()
    assert selected is not None and selected.status == "Adopted"

    # Assign it to the door: the reader turns bright white.
    installer.reader_door.setCurrentIndex(0)
    click(qtbot, window, "assignDoorButton")
    await until(lambda: reader.led == "white", what="reader LED bright white")
    # The reader reports its LED, so the installer sees it in the list.
    await until(
        lambda: row(installer, installer.model.find(reader.serial)).led == "white",
        what="LED shown in the device list",
    )

    # Identify: the LED blinks.
    click(qtbot, window, "identifyButton")
    await until(lambda: reader.led == "blinking_white", what="identify blink")

    # The door controller: adopt, then connect relay 1 to the door.
    installer.select_serial(door_controller.serial)
    qtbot.keyClicks(installer.adopt_token, door_controller.token)
    qtbot.keyClicks(installer.adopt_name, "Controller 1")
    click(qtbot, window, "adoptButton")
    await until(
        lambda: installer.stack.currentWidget() is installer.controller_page,
        what="controller adopted",
    )
    installer.relay_channel.setCurrentIndex(0)
    installer.relay_duration.setValue(4)
    click(qtbot, window, "connectRelayButton")
    assert "Relay 1: Front door (4 s)" in installer.relay_summary.text()

    # Proof it is wired: a member's card opens the door through relay 1.
    ctl = site.controller
    lock_id = ctl.site.list(LOCKS, {}).items[0]["id"]
    group = ctl.site.create(GROUPS, {"name": "Staff"})
    ctl.site.create(GROUP_LOCKS, {"group_id": group["id"], "lock_id": lock_id})
    user = ctl.site.create(USERS, {"email": "a@example.com", "name": "Ann"})
    ctl.site.create(
        ROLE_ASSIGNMENTS,
        {
            "role_id": "group_basic",
            "assignee_type": "User",
            "assignee_id": user["id"],
            "applies_to_type": "Group",
            "applies_to_id": group["id"],
        },
    )
    card = ctl.site.create(
        CARDS, {"type": "third_party_lf_hid_h10301", "facility_code": 1, "card_number": 2}
    )
    ctl.site.create(
        CARD_ASSIGNMENTS,
        {"card_id": card["id"], "assignee_type": "User", "assignee_id": user["id"]},
    )
    decision = await reader.present(Credential(wiegand=encode("H10301", 1, 2)))
    assert decision.granted
    await until(lambda: door_controller.relay(1).pulses == 1, what="relay 1 pulse")

    # The events area saw it.
    window.tabs.setCurrentWidget(window.events)
    await until(lambda: window.events.table.rowCount() > 0, what="events listed")
    texts = [cell(window.events.table, r, 4) for r in range(window.events.table.rowCount())]
    assert "Granted" in texts
    await window.shutdown()
