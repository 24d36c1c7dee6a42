"""The front desk area: find or add a person, then give them cards and groups.

Cards come three ways: tapped on the HF reader (written site-secured when the card allows),
read by a keyboard-wedge LF reader (keys typed anywhere in the area), or typed by hand.
The logic lives in :mod:`app.controller.front_desk` and :mod:`app.ui.card_enrolment`;
this module lays out widgets and passes clicks on.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.controller.front_desk import FrontDesk
from app.ui.bridge import ControllerBridge
from app.ui.card_enrolment import CardEnrolment, EnrolmentError
from app.ui.card_reader_link import CardReaderLink, ReaderFactory
from app.ui.dialogs import Dialogs, DialogService
from app.ui.errors import explain
from app.ui.front_desk_person import PersonPanel
from app.ui.wedge_filter import WedgeKeyFilter
from app.ui.widgets import Feedback, named
from hardware.nfc.wedge import WedgeConfig, WedgeError, WedgeOutput

PEOPLE_SHOWN = 50


class FrontDeskArea(QWidget):
    """People on the left; the chosen person's cards, groups and events on the right."""

    def __init__(
        self,
        bridge: ControllerBridge,
        dialogs: DialogService | None = None,
        card_reader: str | None = None,
        *,
        reader_factory: ReaderFactory | None = None,
        wedge_output: WedgeOutput = WedgeOutput.RAW_HEX,
        parent: QWidget | None = None,
    ) -> None:
        """Build the area and start opening the card reader.

        Args:
            bridge: The controller and its signals.
            dialogs: Message boxes (tests pass their own).
            card_reader: nfcpy path of the HF reader; None for none.
            reader_factory: Makes the reader from its path (tests tune polling with it).
            wedge_output: What the site's keyboard-wedge readers are set to type.
            parent: Qt parent.
        """
        super().__init__(parent)
        self.bridge = bridge
        controller = bridge.controller
        self.desk = FrontDesk(controller.site, controller.event_log)
        self.enrolment = CardEnrolment(self.desk, controller.card_signer)
        self.wedge_output = wedge_output
        self.feedback = named(Feedback(), "frontDeskFeedback")
        self.reader = CardReaderLink(card_reader, reader_factory, self)
        self.reader_status = named(QLabel(self.reader.status), "readerStatus")
        self.reader.status_changed.connect(self.reader_status.setText)
        self.person = PersonPanel(
            self.desk, self.enrolment, self.reader, dialogs or Dialogs(), self.feedback
        )
        self.person.changed.connect(bridge.site_changed.emit)

        splitter = QSplitter()
        splitter.addWidget(self._people_box())
        splitter.addWidget(self.person)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([320, 880])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.feedback)
        layout.addWidget(self.reader_status)

        self.wedge = WedgeKeyFilter(self)
        self.wedge.line_read.connect(self.enrol_wedge)
        bridge.site_changed.connect(self.refresh)
        bridge.event_recorded.connect(self.person.event_recorded)
        self.refresh()
        self.reader.start()

    def _people_box(self) -> QWidget:
        box = QGroupBox("People")
        self.search = named(QLineEdit(), "findPerson")
        self.search.setPlaceholderText("Find by name or e-mail")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.results = named(QListWidget(), "peopleResults")
        self.results.currentItemChanged.connect(self._person_chosen)
        self.new_name = named(QLineEdit(), "newPersonName")
        self.new_email = named(QLineEdit(), "newPersonEmail")
        create = named(QPushButton("Add person"), "createPerson")
        create.clicked.connect(self.create_person)
        form = QFormLayout()
        form.addRow("Name", self.new_name)
        form.addRow("E-mail", self.new_email)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(create)
        layout = QVBoxLayout(box)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(QLabel("New person"))
        layout.addLayout(form)
        layout.addLayout(row)
        return box

    # --- people --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the search results and the shown person."""
        self.results.blockSignals(True)
        self.results.clear()
        for person in self.desk.find_people(self.search.text(), PEOPLE_SHOWN):
            item = QListWidgetItem(person.label)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.results.addItem(item)
            if person.id == self.person.person_id:
                self.results.setCurrentItem(item)
        self.results.blockSignals(False)
        self.person.refresh()

    def _person_chosen(self, current: QListWidgetItem | None, _previous: object) -> None:
        # Clearing the search keeps the person shown: only picking someone else changes it.
        if current is not None:
            self.show_person(int(current.data(Qt.ItemDataRole.UserRole)))

    def show_person(self, person_id: int | None) -> None:
        """Show this person on the right."""
        self.feedback.clear()
        self.person.show_person(person_id)

    def create_person(self) -> None:
        """Add the person typed in the form and show them."""
        try:
            person = self.desk.create_person(self.new_name.text(), self.new_email.text())
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.new_name.clear()
        self.new_email.clear()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.show_person(person.id)
        self.feedback.success(f"Added {person.short}. Now tap or type their card.")
        self.bridge.site_changed.emit()

    # --- keyboard-wedge reads ------------------------------------------------------------------

    def wedge_config(self) -> WedgeConfig:
        """How wedge reads are read: the chosen card format, the configured output.

        Raises:
            WedgeError: the combination cannot be read (e.g. no facility code for card_number).
        """
        facility = self.person.card_facility.text()
        return WedgeConfig(
            format=str(self.person.card_format.currentData()),
            output=self.wedge_output,
            facility_code=int(facility)
            if self.wedge_output is WedgeOutput.CARD_NUMBER and facility.isdigit()
            else None,
        )

    def enrol_wedge(self, typed: str) -> None:
        """A keyboard-wedge reader typed a card: enrol it for the shown person."""
        person_id = self.person.person_id
        if person_id is None:
            self.feedback.error(
                "A card was read. Choose or add the person first, then read it again."
            )
            return
        try:
            config = self.wedge_config()
        except WedgeError as exc:
            self.feedback.error(f"{exc}. Choose another card format or set the facility code.")
            return
        try:
            done = self.enrolment.enrol_wedge(typed, config, person_id)
        except EnrolmentError as exc:
            self.feedback.error(str(exc))
            return
        self.person.card_enrolled(done.message)

    async def shutdown(self) -> None:
        """Close the card reader; idempotent."""
        self.person.tap_box.cancel()
        await self.reader.async_close()
