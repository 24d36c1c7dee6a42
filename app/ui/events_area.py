"""The live events list: every decision and change, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.bridge import ControllerBridge

HEADERS = ["Time", "Event", "Who", "Where", "Result", "Reason"]
MAX_ROWS = 500


EVENT_NAMES = {
    "lock.unlock": "Unlock",
    "lock.create": "Door added",
    "lock.lock_down": "Door locked down",
    "lock.cancel_lockdown": "Door lockdown ended",
    "place.create": "Place added",
    "place.lock_down": "Place locked down",
    "place.cancel_lockdown": "Place lockdown ended",
    "group.create": "Group added",
    "group_lock.create": "Door given to group",
    "user.create": "Person added",
    "role_assignment.create": "Person added to group",
    "card.create": "Card enrolled",
    "card.assign": "Card given",
    "card.activate": "Card activated",
    "card.deactivate": "Card deactivated",
    "reader.assign": "Reader adopted",
    "controller.assign": "Door controller adopted",
    "reader.tamper": "Reader tamper",
    "device.rejected": "Device refused",
    "controller_input.opened": "Input opened",
    "controller_input.closed": "Input closed",
}


def local_time(stamp: str) -> str:
    """An RFC 3339 UTC time shown in this computer's time zone."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def describe(event: dict[str, Any]) -> list[str]:
    """The cells of one event row, in plain words."""
    when = local_time(str(event["created_at"]))
    who = (
        event.get("actor_name")
        or event.get("actor_email")
        or ("Unknown card" if event.get("type") == "lock.unlock" else "—")
    )
    where = event.get("object_name") or (
        f"{event.get('object_type')} {event.get('object_id')}" if event.get("object_type") else "—"
    )
    result = "Granted" if event["success"] else "Denied"
    if event.get("type") != "lock.unlock":
        result = "OK" if event["success"] else "Problem"
    reason = event.get("error_message") or (event.get("message") or "")
    name = EVENT_NAMES.get(str(event["type"]), str(event["type"]))
    return [when, name, str(who), str(where), result, reason]


class EventsArea(QWidget):
    """A table that grows as the audit trail does."""

    def __init__(self, bridge: ControllerBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("eventsTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Live events from every door and device on this site."))
        layout.addWidget(self.table, 1)
        recent = bridge.controller.event_log.recent(100)
        for event in reversed(recent):
            self.add(event)
        bridge.event_recorded.connect(self.add)

    def add(self, event: dict[str, Any]) -> None:
        """Put a new event at the top."""
        self.table.insertRow(0)
        cells = describe(event)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(str(event["type"]) if column == 1 else text)
            if column == 4:
                item.setForeground(QColor("#2e7d32" if event["success"] else "#c62828"))
            self.table.setItem(0, column, item)
        if self.table.rowCount() > MAX_ROWS:
            self.table.removeRow(MAX_ROWS)
