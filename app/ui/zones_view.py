"""The zones tab: intrusion zones with their live level, a form to add one, disarm and silence."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.controller.resources import CONTROLLERS, LOCKS
from app.controller.zone_codec import DAY_NAMES
from app.ui.bridge import ControllerBridge
from app.ui.door_state import APP_ACTOR
from app.ui.errors import explain
from app.ui.widgets import Feedback, fill_combo, named

LEVELS = {
    "disarmed": ("Disarmed", "#2e7d32"),
    "stay": ("Armed: stay", "#ef6c00"),
    "away": ("Armed: away", "#c62828"),
}
ALL = {"limit": "250"}


class ZonesView(QWidget):
    """Zones of the site's door controllers, live."""

    def __init__(self, bridge: ControllerBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.controller = bridge.controller
        self.table = named(QTableWidget(0, 4), "zonesTable")
        self.table.setHorizontalHeaderLabels(["Zone", "Doors", "Level", "Siren"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.feedback = Feedback()

        self.name = named(QLineEdit(), "zoneName")
        self.door_controller = named(QComboBox(), "zoneController")
        self.doors = named(QTableWidget(0, 2), "zoneDoors")
        self.doors.setHorizontalHeaderLabels(["In the zone", "Leads outside"])
        self.doors.verticalHeader().hide()
        self.doors.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.doors.setMaximumHeight(130)
        self.armed_level = named(QComboBox(), "zoneArmedLevel")
        self.armed_level.addItem("Away (everyone gone)", "away")
        self.armed_level.addItem("Stay (people inside)", "stay")
        self.armed_from = named(QTimeEdit(), "zoneFrom")
        self.armed_until = named(QTimeEdit(), "zoneUntil")
        for edit, hour in ((self.armed_from, 20), (self.armed_until, 7)):
            edit.setDisplayFormat("HH:mm")
            edit.setTime(edit.time().fromString(f"{hour:02d}:00", "HH:mm"))
        self.days = [QCheckBox(day[:3].title()) for day in DAY_NAMES]
        for box in self.days:
            box.setChecked(True)
        self.members_override = named(QCheckBox("Members' unlocks disarm it"), "zoneMembers")

        form_box = QGroupBox("New zone")
        form = QFormLayout(form_box)
        form.addRow("Name", self.name)
        form.addRow("Door controller", self.door_controller)
        form.addRow("Doors", self.doors)
        hours = QHBoxLayout()
        hours.addWidget(self.armed_level)
        hours.addWidget(QLabel("from"))
        hours.addWidget(self.armed_from)
        hours.addWidget(QLabel("until"))
        hours.addWidget(self.armed_until)
        form.addRow("Armed", hours)
        days = QHBoxLayout()
        for box in self.days:
            days.addWidget(box)
        form.addRow("On", days)
        form.addRow(self.members_override)
        add = named(QPushButton("Add zone"), "addZone")
        add.clicked.connect(self.add_zone)
        form.addRow(add)

        actions = QHBoxLayout()
        for text, name, slot in (
            ("Disarm now", "disarmZone", self.disarm),
            ("Silence siren", "silenceZone", self.silence),
            ("Delete zone", "deleteZone", self.delete),
        ):
            button = named(QPushButton(text), name)
            button.clicked.connect(slot)
            actions.addWidget(button)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Armed zones keep exterior doors shut on schedule and sound the "
                "siren (AUX relay) when a door is forced or a reader removed."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(form_box)
        layout.addWidget(self.feedback)
        bridge.site_changed.connect(self.refresh_choices)
        bridge.event_recorded.connect(self._on_event)
        bridge.device_changed.connect(lambda _device: self.refresh_choices())
        self.refresh_choices()
        self.refresh()

    def _on_event(self, event: dict[str, Any]) -> None:
        if str(event.get("type", "")).startswith("zone."):
            self.refresh()

    def refresh_choices(self) -> None:
        """Reload the door controllers and doors of the form."""
        controllers = self.controller.site.list(CONTROLLERS, ALL).items
        fill_combo(self.door_controller, [(c["name"], c["id"]) for c in controllers])
        locks = self.controller.site.list(LOCKS, ALL).items
        self.doors.setRowCount(len(locks))
        for row, lock in enumerate(locks):
            member = QTableWidgetItem(lock["name"])
            member.setData(Qt.ItemDataRole.UserRole, lock["id"])
            member.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            member.setCheckState(Qt.CheckState.Unchecked)
            exterior = QTableWidgetItem("exterior")
            exterior.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            exterior.setCheckState(Qt.CheckState.Unchecked)
            self.doors.setItem(row, 0, member)
            self.doors.setItem(row, 1, exterior)

    def refresh(self) -> None:
        """Reload the zones and their live levels."""
        names = {lk["id"]: lk["name"] for lk in self.controller.site.list(LOCKS, ALL).items}
        zones = self.controller.zones.all()
        self.table.setRowCount(len(zones))
        for row, zone in enumerate(zones):
            label, colour = LEVELS[zone["level"]]
            doors = ", ".join(
                names.get(d["lock_id"], "?") + (" (exterior)" if d["exterior"] else "")
                for d in zone["doors"]
            )
            cells = [zone["name"], doors or "—", label, "Sounding" if zone["alarm"] else "Off"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, zone["id"])
                if column == 2:
                    item.setForeground(QColor(colour))
                if column == 3 and zone["alarm"]:
                    item.setForeground(QColor("#c62828"))
                self.table.setItem(row, column, item)

    def body(self) -> dict[str, Any]:
        """The new zone as the API writes it, from the form."""
        doors = []
        for row in range(self.doors.rowCount()):
            member, exterior = self.doors.item(row, 0), self.doors.item(row, 1)
            if member is not None and member.checkState() == Qt.CheckState.Checked:
                doors.append(
                    {
                        "lock_id": member.data(Qt.ItemDataRole.UserRole),
                        "exterior": exterior is not None
                        and exterior.checkState() == Qt.CheckState.Checked,
                    }
                )
        days = [DAY_NAMES[i] for i, box in enumerate(self.days) if box.isChecked()]
        start = self.armed_from.time().toString("HH:mm")
        end = self.armed_until.time().toString("HH:mm")
        if end == start:
            end = "24:00"  # from a time until the same time: the whole day
        level = self.armed_level.currentData()
        rules = [{"weekdays": days, "start": start, "end": end, "level": level}] if days else []
        return {
            "name": self.name.text(),
            "controller_id": self.door_controller.currentData(),
            "doors": doors,
            "rules": rules,
            "default_level": "disarmed",
            "members_can_override": self.members_override.isChecked(),
        }

    def add_zone(self) -> None:
        """Create the zone from the form."""
        if self.door_controller.currentData() is None:
            self.feedback.error("Adopt a door controller first (Installer), then add its zones.")
            return
        try:
            zone = self.controller.zones.create(self.body(), APP_ACTOR)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.name.clear()
        self.refresh()
        self.feedback.success(f"Added zone {zone['name']}; it is {LEVELS[zone['level']][0]}.")

    def _selected(self) -> int | None:
        items = self.table.selectedItems()
        if not items:
            self.feedback.error("Select a zone first.")
            return None
        return int(items[0].data(Qt.ItemDataRole.UserRole))

    def disarm(self) -> None:
        """Disarm the selected zone until its policy next changes."""
        if (zone_id := self._selected()) is not None:
            self.controller.zones.disarm(zone_id, 0)
            self.refresh()
            self.feedback.success("Disarmed until the zone's next armed period.")

    def silence(self) -> None:
        """Stop the selected zone's siren."""
        if (zone_id := self._selected()) is not None:
            self.controller.zones.silence(zone_id)
            self.refresh()
            self.feedback.success("Siren off. The zone stays at its level.")

    def delete(self) -> None:
        """Remove the selected zone."""
        if (zone_id := self._selected()) is not None:
            self.controller.zones.delete(zone_id)
            self.refresh()
            self.feedback.success("Zone removed.")
