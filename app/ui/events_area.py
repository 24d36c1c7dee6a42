"""The live events list: every decision and change, newest first."""

from __future__ import annotations

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


def describe(event: dict[str, Any]) -> list[str]:
    """The cells of one event row, in plain words."""
    when = str(event["created_at"]).replace("T", " ")[:19]
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
    return [when, str(event["type"]), str(who), str(where), result, reason]


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
        recent = bridge.controller.event_sets.recent(100)
        for event in reversed(recent):
            self.add(event)
        bridge.event_recorded.connect(self.add)

    def add(self, event: dict[str, Any]) -> None:
        """Put a new event at the top."""
        self.table.insertRow(0)
        cells = describe(event)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 4:
                item.setForeground(QColor("#2e7d32" if event["success"] else "#c62828"))
            self.table.setItem(0, column, item)
        if self.table.rowCount() > MAX_ROWS:
            self.table.removeRow(MAX_ROWS)
