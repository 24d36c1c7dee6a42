"""The zones tab: add a zone by the form, see its live level, disarm it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from app.controller.resources import LOCKS, PLACES
from app.ui.main_window import MainWindow
from tests.ui.conftest import Runner, Site
from tests.waiting import until


def item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    found = table.item(row, column)
    assert found is not None
    return found


def test_add_zone_and_disarm(qtbot, run: Runner, tmp_path: Path) -> None:
    site = Site(tmp_path, readers=0, controllers=1)

    async def body() -> None:
        await site.start()
        try:
            ctl = site.controller
            assert site.sim is not None
            door_controller = site.sim.controllers[0]
            await until(lambda: door_controller.connected, what="controller connected")
            place = ctl.site.create(PLACES, {"name": "HQ", "address": "x"})
            ctl.site.create(LOCKS, {"name": "Front", "place_id": place["id"]})
            await ctl.adoption.assign_controller(
                door_controller.token, {"name": "Controller 1", "place_id": place["id"]}
            )
            window = MainWindow(ctl)
            qtbot.addWidget(window)
            view = window.site.zones
            view.bridge.site_changed.emit()
            view.name.setText("Ground floor")
            item(view.doors, 0, 0).setCheckState(Qt.CheckState.Checked)
            item(view.doors, 0, 1).setCheckState(Qt.CheckState.Checked)
            # Armed all day, every day, so the zone is armed now whatever the clock says.
            view.armed_from.setTime(view.armed_from.time().fromString("00:00", "HH:mm"))
            view.armed_until.setTime(view.armed_until.time().fromString("00:00", "HH:mm"))
            view.add_zone()
            assert "Added zone Ground floor" in view.feedback.text(), view.feedback.text()
            assert view.table.rowCount() == 1
            assert item(view.table, 0, 2).text() == "Armed: away"
            assert "Front (exterior)" in item(view.table, 0, 1).text()
            view.table.selectRow(0)
            view.disarm()
            await ctl.zones.settle()
            assert item(view.table, 0, 2).text() == "Disarmed"
            # Bad input: a zone without a name is refused in plain words.
            view.name.setText("")
            view.add_zone()
            assert "Name" in view.feedback.text() and view.table.rowCount() == 1
            await window.shutdown()
        finally:
            await site.stop()

    run(body)
