"""The schedules tab: pick a door or group, see its week, and add, edit, disable or delete.

A thin widget over :class:`app.ui.schedule_model.ScheduleEditorModel`; the week is drawn by
:class:`app.ui.week_view.WeekView`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.access.schedules import Consequence, ScheduleType
from app.ui.bridge import ControllerBridge
from app.ui.dialogs import Dialogs, DialogService
from app.ui.schedule_model import (
    CONSEQUENCE_NAMES,
    REGION_NAMES,
    TYPE_NAMES,
    ScheduleEditorModel,
    ScheduleForm,
    Target,
    consequences_for,
    describe,
    plain_error,
)
from app.ui.week_view import WeekView
from app.ui.widgets import Feedback, fill_combo, named

SHORT_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def _row(*widgets: QWidget) -> QHBoxLayout:
    """Widgets side by side (edits and combos take the spare room)."""
    row = QHBoxLayout()
    for widget in widgets:
        grows = isinstance(widget, QComboBox | QTimeEdit)
        row.addWidget(widget, 1 if grows else 0)
    return row


class ScheduleEditor(QWidget):
    """Week view on the left; the schedule list and the form on the right."""

    def __init__(
        self,
        bridge: ControllerBridge,
        dialogs: DialogService | None = None,
        feedback: Feedback | None = None,
        model: ScheduleEditorModel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.model = model or ScheduleEditorModel(bridge.controller)
        self.dialogs = dialogs or Dialogs()
        self.feedback = feedback or Feedback()
        self.editing: int | None = None  # the schedule the form shows, None for a new one
        self._ignored: tuple[tuple[str, ...], str] = ((), "")  # kept for the loaded region
        self._targets: dict[str, Target] = {}
        self.target = named(QComboBox(), "scheduleTarget")
        self.zone_label = named(QLabel(), "scheduleZone")
        self.week_label = named(QLabel(), "scheduleWeek")
        self.week = WeekView()
        self.week.block_clicked.connect(self.select_schedule)
        self.list = named(QListWidget(), "scheduleList")
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(1)
        self.list.currentItemChanged.connect(lambda *_: self._load_selected())

        top = QHBoxLayout()
        top.addWidget(QLabel("Schedules of"))
        top.addWidget(self.target)
        top.addWidget(self.zone_label)
        top.addStretch(1)
        for text, name, weeks in (
            ("◀ Previous week", "previousWeek", -1),
            ("This week", "thisWeek", None),
            ("Next week ▶", "nextWeek", 1),
        ):
            top.addWidget(self._button(text, name, lambda _=False, w=weeks: self.go_week(w)))
        top.addWidget(self.week_label)
        side = QVBoxLayout()
        side.addWidget(self.list, 1)
        self.toggle_button = self._button("Disable", "toggleSchedule", self.toggle_enabled)
        new = self._button("New", "newSchedule", self.new_schedule)
        delete = self._button("Delete", "deleteSchedule", self.delete_schedule)
        side.addLayout(_row(new, self.toggle_button, delete))
        side.addLayout(self._form())
        self.save_button = self._button("Add schedule", "saveSchedule", self.save)
        side.addWidget(self.save_button)
        panel = QWidget()
        panel.setLayout(side)
        panel.setFixedWidth(390)
        body = QHBoxLayout()
        body.addWidget(self.week, 1)
        body.addWidget(panel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        if feedback is None:
            layout.addWidget(self.feedback)
        self.target.currentIndexChanged.connect(lambda _i: self._target_chosen())
        bridge.site_changed.connect(self.refresh_targets)
        bridge.event_recorded.connect(self._on_event)
        self.refresh_targets()

    @staticmethod
    def _button(text: str, name: str, slot: Any) -> QPushButton:
        button = named(QPushButton(text), name)
        button.clicked.connect(slot)
        return button

    def _form(self) -> QFormLayout:
        self.name = named(QLineEdit(), "scheduleName")
        self.name.setPlaceholderText("e.g. Office hours")
        self.kind = named(QComboBox(), "scheduleType")
        for kind, words in TYPE_NAMES.items():
            self.kind.addItem(words, kind)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.consequence = named(QComboBox(), "scheduleConsequence")
        self.enabled = named(QCheckBox("Enabled"), "scheduleEnabled")
        self.override = named(QCheckBox("Override: cancels the others"), "scheduleOverride")
        self.days = [named(QCheckBox(d), f"day{i}") for i, d in enumerate(SHORT_DAYS)]
        self.start_time = named(QTimeEdit(), "startTime")
        self.end_time = named(QTimeEdit(), "endTime")
        for edit in (self.start_time, self.end_time):
            edit.setDisplayFormat("HH:mm")
        self.starts_at = named(QDateTimeEdit(), "startsAt")
        self.ends_at = named(QDateTimeEdit(), "endsAt")
        self.first_day = named(QDateEdit(), "firstDay")
        self.last_day = named(QDateEdit(), "lastDay")
        for picker in (self.starts_at, self.ends_at, self.first_day, self.last_day):
            picker.setCalendarPopup(True)
            picker.setDisplayFormat(
                "yyyy-MM-dd" if isinstance(picker, QDateEdit) else "yyyy-MM-dd HH:mm"
            )
        self.region = named(QComboBox(), "holidayRegion")
        for key, words in REGION_NAMES.items():
            self.region.addItem(words, key)
        self.observed = named(QCheckBox("Observed days"), "holidayObserved")
        self.observed.setToolTip("Move weekend holidays as the country does.")
        day_row = _row(*self.days)
        times = _row(QLabel("from"), self.start_time, QLabel("until"), self.end_time)
        holiday = _row(self.region, self.observed)
        self.rows: dict[str, list[Any]] = {
            "recurring_event": [day_row, times],
            "single_event": [self.starts_at, self.ends_at],
            "single_all_day_event": [self.first_day, self.last_day],
            "holiday_calendar": [holiday],
        }
        form = self.form_layout = QFormLayout()
        for label, field in (
            ("Name", self.name),
            ("Type", self.kind),
            ("What it does", self.consequence),
            ("", _row(self.enabled, self.override)),
            ("Days", day_row),
            ("Time", times),
            ("Starts", self.starts_at),
            ("Ends", self.ends_at),
            ("First day", self.first_day),
            ("Last day", self.last_day),
            ("Region", holiday),
        ):
            form.addRow(label, field)
        return form

    # --- showing -------------------------------------------------------------------------------

    def refresh_targets(self) -> None:
        """Reload the door and group picker; the form is kept unless the target went away."""
        before = self.target.currentData()
        self._targets = {f"{t.kind}:{t.id}": t for t in self.model.targets()}
        fill_combo(self.target, [(t.label, key) for key, t in self._targets.items()])
        if self.target.currentData() != before or self.model.target is None:
            self._target_chosen()
        else:
            self.model.set_target(self._targets.get(self.target.currentData()))
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the tab shows what changed meanwhile (and where "now" is)."""
        super().showEvent(event)
        self.refresh_targets()

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = str(event.get("type", ""))
        if kind in ("lock.create", "group.create", "place.create"):
            self.refresh_targets()
        elif kind.startswith("schedule."):  # e.g. added through the REST API
            self.refresh()

    def _target_chosen(self) -> None:
        target = self._targets.get(self.target.currentData())
        self.model.set_target(target)
        self.zone_label.setText(f"(times in {self.model.zone})" if target else "")
        kinds = consequences_for(target.kind if target else "Lock")
        fill_combo(self.consequence, [(CONSEQUENCE_NAMES[c], c) for c in kinds])
        self.refresh()
        self.new_schedule()

    def choose_target(self, kind: str, target_id: int) -> None:
        """Show the schedules of a door (``Lock``) or group."""
        self.target.setCurrentIndex(self.target.findData(f"{kind}:{target_id}"))

    def go_week(self, weeks: int | None) -> None:
        """Show another week (None: this week)."""
        self.model.show_week(weeks)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list and the week."""
        days = self.model.week_days()
        self.week_label.setText(f"{days[0]:%d %b} – {days[-1]:%d %b %Y}")
        self.week.show_week(
            self.model.parsed(), self.model.week_start, self.model.zone, self.model.now_marker()
        )
        self.list.blockSignals(True)
        self.list.clear()
        for schedule in self.model.schedules():
            item = QListWidgetItem(
                f"{schedule['name'] or 'Untitled'}\n{describe(schedule, self.model.zone)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, schedule)
            if not schedule["enabled"]:
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
            if schedule["id"] == self.editing:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def select_schedule(self, schedule_id: int) -> None:
        """Show a schedule in the form (a click on its block)."""
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole)["id"] == schedule_id:
                self.list.setCurrentRow(i)
                return

    def _selected(self) -> dict[str, Any] | None:
        item = self.list.currentItem()
        found: dict[str, Any] | None = item.data(Qt.ItemDataRole.UserRole) if item else None
        return found

    def _load_selected(self) -> None:
        schedule = self._selected()
        if schedule is None:
            return
        self.editing = schedule["id"]
        self.show_form(ScheduleForm.from_schedule(schedule, self.model.zone))
        self.save_button.setText("Save changes")
        self.toggle_button.setText("Disable" if schedule["enabled"] else "Enable")

    def new_schedule(self) -> None:
        """Clear the form for a new schedule."""
        self.editing = None
        self.list.setCurrentRow(-1)
        self.show_form(self.model.new_form())
        self.save_button.setText("Add schedule")
        self.toggle_button.setText("Disable")

    def show_form(self, form: ScheduleForm) -> None:
        """Put a form's values into the widgets."""
        self.name.setText(form.name)
        self.kind.setCurrentIndex(self.kind.findData(form.type))
        self.consequence.setCurrentIndex(max(0, self.consequence.findData(form.consequence)))
        self.enabled.setChecked(form.enabled)
        self.override.setChecked(form.override)
        for box, on in zip(self.days, form.days, strict=True):
            box.setChecked(on)
        self.start_time.setTime(QTime.fromString(form.starts_at_time, "HH:mm"))
        self.end_time.setTime(
            QTime.fromString(form.ends_at_time.replace("24:00", "00:00"), "HH:mm")
        )
        self.starts_at.setDateTime(QDateTime(form.starts_at))
        self.ends_at.setDateTime(QDateTime(form.ends_at))
        self.first_day.setDate(QDate(form.first_day))
        self.last_day.setDate(QDate(form.last_day))
        self.region.setCurrentIndex(max(0, self.region.findData(form.region)))
        self.observed.setChecked(form.observed)
        self._ignored = form.ignored_holidays, form.region
        self._show_rows()

    def _show_rows(self) -> None:
        chosen = self.kind.currentData()
        for kind, rows in self.rows.items():
            for row in rows:
                self.form_layout.setRowVisible(row, kind == chosen)

    def read_form(self) -> ScheduleForm:
        """The widgets' values as a form."""
        ignored, region = self._ignored
        return ScheduleForm(
            type=ScheduleType(self.kind.currentData()),
            consequence=Consequence(self.consequence.currentData() or Consequence.ALLOW),
            name=self.name.text(),
            enabled=self.enabled.isChecked(),
            override=self.override.isChecked(),
            days=tuple(box.isChecked() for box in self.days),
            starts_at_time=self.start_time.time().toString("HH:mm"),
            ends_at_time=self.end_time.time().toString("HH:mm"),
            starts_at=self.starts_at.dateTime().toPython(),  # type: ignore[arg-type]
            ends_at=self.ends_at.dateTime().toPython(),  # type: ignore[arg-type]
            first_day=self.first_day.date().toPython(),  # type: ignore[arg-type]
            last_day=self.last_day.date().toPython(),  # type: ignore[arg-type]
            region=str(self.region.currentData()),
            observed=self.observed.isChecked(),
            ignored_holidays=ignored if self.region.currentData() == region else (),
        )

    # --- changing ------------------------------------------------------------------------------

    def _change(self, change: Callable[[], object], done: str) -> bool:
        """Carry out a change; say what happened, or what is wrong, in plain words."""
        try:
            change()
        except Exception as exc:
            self.feedback.error(plain_error(exc))
            return False
        self.feedback.success(done)
        self.refresh()
        return True

    def save(self) -> None:
        """Add the form as a new schedule, or save the changes to the one shown."""
        form, editing = self.read_form(), self.editing

        def store() -> None:
            if editing is None:
                self.editing = int(self.model.create(form)["id"])
            else:
                self.model.update(editing, form)

        if self._change(store, "Schedule added." if editing is None else "Schedule saved."):
            self._load_selected()

    def toggle_enabled(self) -> None:
        """Disable the shown schedule, or enable it again."""
        schedule = self._selected()
        if schedule is None:
            self.feedback.error("Select a schedule first.")
            return
        on = not schedule["enabled"]
        done = "Schedule enabled." if on else "Schedule disabled."
        if self._change(lambda: self.model.set_enabled(schedule["id"], on), done):
            self._load_selected()

    def delete_schedule(self) -> None:
        """Delete the shown schedule, after asking."""
        schedule = self._selected()
        if schedule is None:
            self.feedback.error("Select a schedule first.")
            return
        name = schedule["name"] or "this schedule"
        if self.dialogs.confirm(self, "Delete schedule", f"Delete {name}?"):
            self.editing = None
            if self._change(lambda: self.model.delete(schedule["id"]), f"Deleted {name}."):
                self.new_schedule()
