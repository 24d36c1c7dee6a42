"""The doors tab: every door with its live state, and what can be done to the selected one.

A thin widget over :class:`app.ui.door_state.DoorsModel`. It refreshes from the bridge's signals
(device changes and door events), never by polling; the only timer is a one-shot refresh at the
moment a door's unlock pulse ends, which no event announces.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.ui.bridge import ControllerBridge
from app.ui.dialogs import Dialogs, DialogService
from app.ui.door_state import DoorRow, DoorSettings, DoorsModel, DoorStatus, event_lock
from app.ui.errors import explain
from app.ui.widgets import Feedback, fill_combo, named

COLUMNS = ("Door", "Place", "Wiring (door controller · relay)", "State")
STATE = 3
Index = QModelIndex | QPersistentModelIndex


def state_items(row: DoorRow) -> list[QStandardItem]:
    """The cells of one door; the state cell carries the colour cue and the explanation."""
    cells = [QStandardItem(text) for text in (row.name, row.place, row.wiring, row.status.value)]
    for cell in cells:
        cell.setData(row.lock_id, Qt.ItemDataRole.UserRole)
        cell.setToolTip(f"{row.status.value}: {row.detail}")
        cell.setEditable(False)
    text, background = row.colours
    state = cells[STATE]
    state.setForeground(QColor(text))
    state.setBackground(QColor(background))
    font = state.font()
    font.setBold(row.status is not DoorStatus.NOT_WIRED)
    state.setFont(font)
    return cells


class StateDelegate(QStyledItemDelegate):
    """Draws the state cell in its own colours even on the selected row."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        """The usual option, minus the selection highlight."""
        super().initStyleOption(option, index)
        option.state &= ~QStyle.StateFlag.State_Selected


class DoorsView(QWidget):
    """Table of doors on top; new door, actions and settings of the selected door below."""

    def __init__(
        self,
        bridge: ControllerBridge,
        dialogs: DialogService | None = None,
        feedback: Feedback | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.doors = DoorsModel(bridge.controller)
        self.dialogs = dialogs or Dialogs()
        self.feedback = feedback or Feedback()
        self.rows: list[DoorRow] = []
        self.model = QStandardItemModel(0, len(COLUMNS))
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = named(QTableView(), "doorsTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setItemDelegateForColumn(STATE, StateDelegate(self.table))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.detail = named(QLabel("Select a door to see why it is in its state."), "doorDetail")
        self._pulse_timers: dict[int, QTimer] = {}

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(self._boxes())
        if feedback is None:
            layout.addWidget(self.feedback)

        bridge.device_changed.connect(lambda _device: self.refresh())
        bridge.event_recorded.connect(self._on_event)
        bridge.site_changed.connect(self.refresh)
        self.refresh()

    # --- building ------------------------------------------------------------------------------

    @staticmethod
    def _button(text: str, name: str, slot: Any) -> QPushButton:
        button = named(QPushButton(text), name)
        button.clicked.connect(slot)
        return button

    def _boxes(self) -> QHBoxLayout:
        new, actions, settings = (
            QGroupBox(title) for title in ("New door", "Selected door", "Door settings")
        )
        self.door_name = named(QLineEdit(), "doorName")
        self.door_place = named(QComboBox(), "doorPlace")
        form = QFormLayout(new)
        form.addRow("Name", self.door_name)
        form.addRow("Place", self.door_place)
        form.addRow(self._button("Add door", "addDoor", self.add_door))
        self.unlock_button = self._button("Unlock now", "unlockDoor", self.unlock_door)
        self.lock_down_button = self._button("Lock down", "lockDownDoor", self.lock_down)
        self.cancel_button = self._button("Cancel lockdown", "cancelLockdown", self.cancel_lockdown)
        column = QVBoxLayout(actions)
        for button in (self.unlock_button, self.lock_down_button, self.cancel_button):
            column.addWidget(button)
        column.addStretch(1)
        self.held_open = named(QSpinBox(), "heldOpenSeconds")
        self.held_open.setRange(1, 3600)
        self.held_open.setSuffix(" s")
        self.held_open.setToolTip("How long the door may stand open before the held-open alarm.")
        self.fail_mode = named(QComboBox(), "failMode")
        self.fail_mode.addItem("Fail-secure (locked without power)", "secure")
        self.fail_mode.addItem("Fail-safe (unlocked without power)", "safe")
        self.time_restriction = named(QCheckBox("Only during its Allow schedules"), "timeRestrict")
        form = QFormLayout(settings)
        form.addRow("Held-open alarm after", self.held_open)
        form.addRow("Lock type", self.fail_mode)
        form.addRow("Time restriction", self.time_restriction)
        form.addRow(self._button("Save settings", "saveDoorSettings", self.save_settings))
        boxes = QHBoxLayout()
        for box in (new, actions, settings):
            boxes.addWidget(box, 1)
        return boxes

    # --- reading -------------------------------------------------------------------------------

    def index_of(self, lock_id: int) -> int:
        """Position of a door in the table, or -1."""
        return next((i for i, r in enumerate(self.rows) if r.lock_id == lock_id), -1)

    def row_of(self, lock_id: int | None) -> DoorRow | None:
        """What the table shows for a door."""
        found = self.index_of(lock_id) if lock_id is not None else -1
        return self.rows[found] if found >= 0 else None

    def status_of(self, lock_id: int) -> DoorStatus | None:
        """The shown state of a door."""
        row = self.row_of(lock_id)
        return row.status if row else None

    def selected_lock(self) -> int | None:
        """The selected door's id."""
        chosen = self.table.selectionModel().selectedRows()
        return self.rows[chosen[0].row()].lock_id if chosen else None

    def select_lock(self, lock_id: int) -> None:
        """Select a door by id."""
        if (found := self.index_of(lock_id)) >= 0:
            self.table.selectRow(found)

    def refresh(self) -> None:
        """Reload every door and the place picker; the selection stays on its door."""
        fill_combo(self.door_place, self.doors.places())
        selected = self.selected_lock()
        rows = self.doors.rows()
        if [r.lock_id for r in rows] != [r.lock_id for r in self.rows]:
            self.model.setRowCount(0)
            self.rows = []
        for row in rows:
            self._put(row)
        if selected is not None and self.selected_lock() != selected:
            self.select_lock(selected)
        self._show_selected()

    def refresh_row(self, lock_id: int) -> None:
        """Reload one door's state."""
        try:
            self._put(self.doors.row(lock_id))
        except Exception:  # the door was deleted meanwhile
            self.refresh()
        self._show_selected()

    def _put(self, row: DoorRow) -> None:
        found = self.index_of(row.lock_id)
        if found < 0:
            self.rows.append(row)
            self.model.appendRow(state_items(row))
            return
        self.rows[found] = row
        for column, item in enumerate(state_items(row)):
            self.model.setItem(found, column, item)

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the tab shows fresh wiring (the installer may have changed it)."""
        super().showEvent(event)
        self.refresh()

    def _on_event(self, event: dict[str, Any]) -> None:
        lock_id = event_lock(event)
        if lock_id is None:
            return
        if lock_id == 0:
            self.refresh()
            return
        self.refresh_row(lock_id)
        if event.get("type") == "lock.unlock" and event.get("success"):
            self._refresh_after_pulse(lock_id)

    def _refresh_after_pulse(self, lock_id: int) -> None:
        timer = self._pulse_timers.get(lock_id)
        if timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda: self.refresh_row(lock_id))
            self._pulse_timers[lock_id] = timer
        timer.start(int(self.doors.pulse_seconds(lock_id) * 1000) + 100)

    def _selected_changed(self) -> None:
        lock_id = self.selected_lock()
        if lock_id is not None:
            settings = self.doors.settings(lock_id)
            self.held_open.setValue(settings.held_open_seconds)
            self.fail_mode.setCurrentIndex(self.fail_mode.findData(settings.fail_mode))
            self.time_restriction.setChecked(settings.time_restriction)
        self._show_selected()

    def _show_selected(self) -> None:
        found = self.row_of(self.selected_lock())
        for widget in (self.unlock_button, self.lock_down_button, self.cancel_button):
            widget.setEnabled(found is not None)
        if found is None:
            self.detail.setText("Select a door to act on it or change its settings.")
            return
        down = found.status is DoorStatus.LOCKED_DOWN
        self.lock_down_button.setEnabled(not down)
        self.cancel_button.setEnabled(down)
        self.detail.setText(f"<b>{found.name}</b> — {found.status.value}. {found.detail}")

    # --- actions -------------------------------------------------------------------------------

    def add_door(self) -> None:
        """Create a door from the form."""
        name = self.door_name.text().strip()
        try:
            self.doors.add_door(name, self.door_place.currentData())
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.door_name.clear()
        self.feedback.success(f"Added door {name}.")
        self.bridge.site_changed.emit()

    def _need_door(self) -> int | None:
        lock_id = self.selected_lock()
        if lock_id is None:
            self.feedback.error("Select a door first.")
        return lock_id

    @asyncSlot()
    async def unlock_door(self) -> None:
        """Unlock the selected door now, as an administrator at this computer."""
        lock_id = self._need_door()
        if lock_id is None:
            return
        problem = await self.doors.unlock(lock_id)
        if problem:
            self.feedback.error(problem)
        else:
            self.feedback.success("Door unlocked.")
        self.refresh_row(lock_id)

    @asyncSlot()
    async def lock_down(self) -> None:
        """Lock the selected door down, after asking."""
        lock_id = self._need_door()
        if lock_id is None:
            return
        row = self.row_of(lock_id)
        question = (
            f"Lock down {row.name if row else 'the door'}? No card, phone or schedule will open "
            "it; only administrators can, until you cancel the lockdown."
        )
        if not self.dialogs.confirm(self, "Lock down door", question):
            return
        await self._set_lockdown(lock_id, True)

    @asyncSlot()
    async def cancel_lockdown(self) -> None:
        """End the selected door's lockdown."""
        lock_id = self._need_door()
        if lock_id is not None:
            await self._set_lockdown(lock_id, False)

    async def _set_lockdown(self, lock_id: int, on: bool) -> None:
        try:
            await self.doors.lock_down(lock_id, on)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.feedback.success("Door locked down." if on else "Lockdown cancelled.")
        self.refresh_row(lock_id)

    def save_settings(self) -> None:
        """Store the selected door's settings, or say what is wrong with them."""
        lock_id = self._need_door()
        if lock_id is None:
            return
        settings = DoorSettings(
            self.held_open.value(),
            str(self.fail_mode.currentData()),
            self.time_restriction.isChecked(),
        )
        try:
            problems = self.doors.save_settings(lock_id, settings)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        if problems:
            self.feedback.error(" ".join(problems))
        else:
            self.feedback.success("Door settings saved.")
            self.refresh_row(lock_id)
