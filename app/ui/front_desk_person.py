"""The selected person at the front desk: their cards, groups and recent events."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.access.wiegand import FORMATS
from app.controller.front_desk import FrontDesk
from app.ui.card_enrolment import CardEnrolment, EnrolmentError
from app.ui.card_reader_link import CardReaderLink
from app.ui.dialogs import DialogService
from app.ui.errors import explain
from app.ui.events_area import describe
from app.ui.tap_card_box import TapCardBox
from app.ui.widgets import Feedback, named

NOBODY = "Find or add a person on the left."
EVENTS_SHOWN = 20


def _button(text: str, name: str) -> QPushButton:
    return named(QPushButton(text), name)


class PersonPanel(QWidget):
    """Cards (tap, type, switch on/off), groups and recent events of one person."""

    changed = Signal()  # the person's cards or groups changed

    def __init__(
        self,
        desk: FrontDesk,
        enrolment: CardEnrolment,
        reader: CardReaderLink,
        dialogs: DialogService,
        feedback: Feedback,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.enrolment = enrolment
        self.feedback = feedback
        self.person_id: int | None = None
        self.title = named(QLabel(NOBODY), "personTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.tap_box = TapCardBox(enrolment, reader, dialogs)
        self.tap_box.enrolled.connect(self.card_enrolled)
        self.tap_box.failed.connect(feedback.error)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.tap_box)
        body.addWidget(self._typed_box())
        row = QHBoxLayout()
        row.addWidget(self._cards_box(), 3)
        row.addWidget(self._groups_box(), 2)
        body.addLayout(row, 2)
        body.addWidget(self._events_box(), 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.body, 1)
        self.show_person(None)

    # --- building ------------------------------------------------------------------------------

    def _typed_box(self) -> QGroupBox:
        box = QGroupBox("Type a card number")
        self.card_format = named(QComboBox(), "cardFormat")
        for name, fmt in FORMATS.items():
            self.card_format.addItem(f"{name} ({fmt.length}-bit)", name)
        self.card_format.currentIndexChanged.connect(self._format_chosen)
        self.card_facility = named(QLineEdit(), "cardFacility")
        self.card_number = named(QLineEdit(), "cardNumber")
        self.card_number.setPlaceholderText("printed on the card")
        self.enrol_typed_button = _button("Enrol card", "enrolTyped")
        self.enrol_typed_button.clicked.connect(self.enrol_typed)
        form = QFormLayout(box)
        form.addRow("Card format", self.card_format)
        form.addRow("Facility code", self.card_facility)
        form.addRow("Card number", self.card_number)
        form.addRow(self.enrol_typed_button)
        self._format_chosen()
        return box

    def _cards_box(self) -> QGroupBox:
        box = QGroupBox("Cards")
        self.cards = named(QTableWidget(0, 2), "personCards")
        self.cards.setHorizontalHeaderLabels(["Card", "State"])
        self.cards.verticalHeader().hide()
        self.cards.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cards.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.cards.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.cards.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        activate = _button("Activate", "activateCard")
        activate.clicked.connect(lambda: self.set_activated(True))
        deactivate = _button("Deactivate", "deactivateCard")
        deactivate.clicked.connect(lambda: self.set_activated(False))
        buttons = QHBoxLayout()
        buttons.addWidget(activate)
        buttons.addWidget(deactivate)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.cards, 1)
        layout.addLayout(buttons)
        return box

    def _groups_box(self) -> QGroupBox:
        box = QGroupBox("Groups")
        self.groups = named(QListWidget(), "personGroups")
        save = _button("Save groups", "saveGroups")
        save.clicked.connect(self.save_groups)
        layout = QVBoxLayout(box)
        layout.addWidget(self.groups, 1)
        layout.addWidget(save)
        return box

    def _events_box(self) -> QGroupBox:
        box = QGroupBox("Recent events")
        self.events = named(QListWidget(), "personEvents")
        QVBoxLayout(box).addWidget(self.events)
        return box

    # --- showing -------------------------------------------------------------------------------

    def show_person(self, person_id: int | None) -> None:
        """Show this person (None: nobody)."""
        self.person_id = person_id
        self.tap_box.set_person(person_id)
        self.body.setEnabled(person_id is not None)
        self.refresh()

    def refresh(self) -> None:
        """Reload the person's name, cards, groups and events."""
        if self.person_id is None:
            self.title.setText(NOBODY)
            self.cards.setRowCount(0)
            self.groups.clear()
            self.events.clear()
            return
        self.title.setText(self.desk.person(self.person_id).label)
        cards = self.desk.cards_of(self.person_id)
        self.cards.setRowCount(len(cards))
        for r, card in enumerate(cards):
            cells = [card.label, "Active" if card.activated else "Deactivated"]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, card.assignment_id)
                self.cards.setItem(r, c, cell)
        member_of = self.desk.groups_of(self.person_id)
        self.groups.clear()
        for group_id, name in self.desk.groups():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, group_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Checked if group_id in member_of else Qt.CheckState.Unchecked
            item.setCheckState(checked)
            self.groups.addItem(item)
        self.refresh_events()

    def refresh_events(self) -> None:
        """Reload the person's recent events."""
        self.events.clear()
        if self.person_id is None:
            return
        for event in self.desk.recent_events(self.person_id, EVENTS_SHOWN):
            when, name, _who, where, result, reason = describe(event)
            text = f"{when} · {name} · {where} · {result}"
            self.events.addItem(f"{text}: {reason}" if reason and not event["success"] else text)

    def event_recorded(self, event: dict[str, Any]) -> None:
        """A new audit event: show it when it is this person's."""
        if event.get("actor_type") == "User" and event.get("actor_id") == self.person_id:
            self.refresh_events()

    # --- acting --------------------------------------------------------------------------------

    def _format_chosen(self) -> None:
        fmt = FORMATS[str(self.card_format.currentData())]
        has_facility = fmt.facility_code is not None
        self.card_facility.setEnabled(has_facility)
        self.card_facility.setPlaceholderText(
            f"0–{fmt.facility_code.maximum}" if fmt.facility_code else "none for this format"
        )
        if not has_facility:
            self.card_facility.clear()
        self.card_number.setPlaceholderText(f"0–{fmt.card_number.maximum}")

    def enrol_typed(self) -> None:
        """Enrol the typed LF card for the person."""
        if self.person_id is None:
            return
        try:
            done = self.enrolment.enrol_typed(
                self.person_id,
                str(self.card_format.currentData()),
                self.card_facility.text(),
                self.card_number.text(),
            )
        except EnrolmentError as exc:
            self.feedback.error(str(exc))
            return
        self.card_number.clear()
        self.card_enrolled(done.message)

    def card_enrolled(self, message: str) -> None:
        """Say a card was enrolled and show it in the list."""
        self.feedback.success(message)
        self.refresh()
        self.changed.emit()

    def set_activated(self, activated: bool) -> None:
        """Switch the selected card on or off."""
        items = self.cards.selectedItems()
        if not items:
            self.feedback.error("Select a card in the list first.")
            return
        try:
            self.desk.set_activated(items[0].data(Qt.ItemDataRole.UserRole), activated)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        first = self.cards.item(items[0].row(), 0)
        name = first.text() if first is not None else "The card"
        state = "works again" if activated else "no longer opens any door"
        self.feedback.success(f"{name} {state}.")
        self.refresh()
        self.changed.emit()

    def save_groups(self) -> None:
        """Make the person a member of exactly the checked groups."""
        if self.person_id is None:
            return
        chosen = [
            int(self.groups.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.groups.count())
            if self.groups.item(i).checkState() == Qt.CheckState.Checked
        ]
        try:
            self.desk.set_groups(self.person_id, chosen)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.feedback.success("Saved the person's groups.")
        self.refresh()
        self.changed.emit()
