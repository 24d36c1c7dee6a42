"""The live events list: every decision and change, newest first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.controller.resources import LOCKS
from app.ui.bridge import ControllerBridge
from app.ui.dialogs import Dialogs, DialogService
from app.ui.widgets import Feedback, fill_combo, named

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
    "controller_input.tamper": "Input line fault",
    "lock.opened": "Door opened",
    "lock.closed": "Door closed",
    "lock.held_open": "Door held open",
    "lock.forced_open": "Door forced open",
    "lock.scheduled_unlock_started": "Scheduled unlock started",
    "lock.scheduled_unlock_ended": "Scheduled unlock ended",
    "controller.tamper": "Door controller tamper",
    "reader.reset_tamper": "Reader tamper cleared",
    "group_link.create": "Access link created",
    "schedule.create": "Schedule added",
    "schedule.update": "Schedule changed",
    "schedule.delete": "Schedule removed",
    "zone.create": "Zone added",
    "zone.policy_activate": "Zone policy",
    "zone.transition": "Zone level changed",
    "zone.override": "Zone disarmed by a member",
    "zone.policy_violate": "Zone intrusion",
}


def local_time(stamp: str) -> str:
    """An RFC 3339 UTC time shown in this computer's time zone."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _nameless(event: dict[str, Any]) -> str:
    """Who acted when the event names nobody: how the unlock was asked for."""
    if event.get("type") != "lock.unlock":
        return "—"
    return {
        "Login": "App (administrator login)",
        "GroupLink": "Access link",
        "Card": "Card",
    }.get(
        str(event.get("authenticated_by_type")),
        {
            "request_to_exit": "Request to exit",
            "schedule": "Schedule",
        }.get(str(event.get("via")), "Unknown card"),
    )


def describe(event: dict[str, Any]) -> list[str]:
    """The cells of one event row, in plain words."""
    when = local_time(str(event["created_at"]))
    who = event.get("actor_name") or event.get("actor_email") or _nameless(event)
    where = event.get("object_name") or (
        f"{event.get('object_type')} {event.get('object_id')}" if event.get("object_type") else "—"
    )
    result = "Granted" if event["success"] else "Denied"
    if event.get("type") != "lock.unlock":
        result = "OK" if event["success"] else "Problem"
    reason = event.get("error_message") or (event.get("message") or "")
    name = EVENT_NAMES.get(str(event["type"]), str(event["type"]))
    return [when, name, str(who), str(where), result, reason]


KINDS: list[tuple[str, str | None]] = [
    ("All events", None),
    ("Unlocks", "lock.unlock"),
    (
        "Door activity",
        "lock.opened,lock.closed,lock.held_open,lock.forced_open,"
        "lock.scheduled_unlock_started,lock.scheduled_unlock_ended,lock.lock_down,"
        "lock.cancel_lockdown",
    ),
    (
        "Devices",
        "reader.assign,controller.assign,reader.tamper,reader.reset_tamper,"
        "controller.tamper,device.rejected,controller_input.opened,controller_input.closed",
    ),
    (
        "People and cards",
        "user.create,card.create,card.assign,card.activate,card.deactivate,"
        "role_assignment.create,group_link.create",
    ),
    (
        "Alarms",
        "lock.forced_open,lock.held_open,reader.tamper,controller.tamper,zone.policy_violate",
    ),
]
RESULTS: list[tuple[str, str | None]] = [
    ("Any result", None),
    ("Granted / OK", "true"),
    ("Denied / problem", "false"),
]
PAGE = 200


class EventsArea(QWidget):
    """Filters on top, a table that grows as the audit trail does, and CSV export."""

    def __init__(
        self,
        bridge: ControllerBridge,
        dialogs: DialogService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.controller = bridge.controller
        self.dialogs = dialogs or Dialogs()
        self.kind = named(QComboBox(), "eventKind")
        for text, value in KINDS:
            self.kind.addItem(text, value)
        self.door = named(QComboBox(), "eventDoor")
        self.result = named(QComboBox(), "eventResult")
        for text, value in RESULTS:
            self.result.addItem(text, value)
        self.since = named(QDateEdit(), "eventSince")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setSpecialValueText("Any day")
        self.since.setMinimumDate(QDate(2000, 1, 1))
        self.since.setDate(self.since.minimumDate())
        export = named(QPushButton("Export CSV…"), "exportEvents")
        export.clicked.connect(self.export_csv)
        self.count = named(QLabel(), "eventCount")
        self.feedback = Feedback()
        filters = QHBoxLayout()
        for label, widget in (
            ("Show", self.kind),
            ("Door", self.door),
            ("Result", self.result),
            ("Since", self.since),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count)
        filters.addWidget(export)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("eventsTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.feedback)
        self.refresh_doors()
        for combo in (self.kind, self.door, self.result):
            combo.currentIndexChanged.connect(self.reload)
        self.since.dateChanged.connect(self.reload)
        self._total = 0
        bridge.site_changed.connect(self.refresh_doors)
        bridge.event_recorded.connect(self._live)
        self.reload()

    def filters(self) -> dict[str, str]:
        """The chosen filters as ``GET /events`` query parameters."""
        params: dict[str, str] = {}
        if self.kind.currentData():
            params["type"] = self.kind.currentData()
        if self.door.currentData() is not None:
            params["lock_id"] = str(self.door.currentData())
        if self.result.currentData():
            params["success"] = self.result.currentData()
        if self.since.date() > self.since.minimumDate():
            start = QDateTime(self.since.date(), QTime(0, 0)).toSecsSinceEpoch()
            params["since"] = datetime.fromtimestamp(start, UTC).isoformat()
        return params

    def refresh_doors(self) -> None:
        """Reload the door picker."""
        locks = self.controller.site.list(LOCKS, {"limit": "250"}).items
        fill_combo(self.door, [("All doors", None)] + [(lk["name"], lk["id"]) for lk in locks])

    def reload(self) -> None:
        """Show the newest events that match the filters."""
        page = self.controller.event_log.page(self.filters(), PAGE, 0)
        self.table.setRowCount(0)
        for event in reversed(page.items):
            self.add(event)
        self._total = page.total
        self._show_count()

    def _live(self, event: dict[str, Any]) -> None:
        if self._matches(event):
            self.add(event)
            self._total += 1
            self._show_count()

    def _show_count(self) -> None:
        self.count.setText(f"{self._total} event{'s' if self._total != 1 else ''}")

    def _matches(self, event: dict[str, Any]) -> bool:
        params = self.filters()
        if "type" in params and event["type"] not in params["type"].split(","):
            return False
        if "lock_id" in params and not (
            event.get("object_type") == "Lock" and str(event.get("object_id")) == params["lock_id"]
        ):
            return False
        return "success" not in params or event["success"] == (params["success"] == "true")

    def export_csv(self) -> None:
        """Save the matching events as a CSV file the person chooses."""
        path = self.dialogs.save_file(
            self, "Export events", "lintel-events.csv", "CSV files (*.csv)"
        )
        if path is None:
            return
        try:
            path.write_text(self.controller.event_log.csv(self.filters()), encoding="utf-8")
        except OSError as exc:
            self.feedback.error(
                f"Could not save {path.name}: {exc.strerror}. Choose another folder and try again."
            )
            return
        self.feedback.success(f"Saved the {self.count.text()} shown to {path}.")

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
