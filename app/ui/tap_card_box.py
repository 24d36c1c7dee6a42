"""The "Tap a card" box: wait for a card on the HF reader, with a busy line and Cancel."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget
from qasync import asyncSlot

from app.ui.card_enrolment import CardEnrolment, Enrolled, EnrolmentError, UidOnlyOffer
from app.ui.card_messages import nfc_message
from app.ui.card_reader_link import CardReaderLink
from app.ui.dialogs import DialogService
from app.ui.widgets import named
from hardware.nfc.errors import NfcCancelled

NO_READER = "No card reader is set up. Start Lintel with --card-reader, or type the card's number."
IDLE = "Tap a card to enrol it for this person."


class TapCardBox(QGroupBox):
    """Waits for a card (cancellable), then writes and enrols it; reports by signals."""

    enrolled = Signal(str)  # what to tell the person at the desk
    failed = Signal(str)

    def __init__(
        self,
        enrolment: CardEnrolment,
        reader: CardReaderLink,
        dialogs: DialogService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Tap a card", parent)
        self._enrolment = enrolment
        self._reader = reader
        self._dialogs = dialogs
        self.person_id: int | None = None
        self._cancel: asyncio.Event | None = None
        self.tap_button = named(QPushButton("Tap a card"), "tapCard")
        self.tap_button.clicked.connect(self.tap)
        self.prompt = named(QLabel(IDLE), "tapPrompt")
        self.prompt.setWordWrap(True)
        self.busy = named(QProgressBar(), "tapBusy")
        self.busy.setRange(0, 0)  # no steps to count: a moving bar says "working"
        self.busy.setMaximumWidth(120)
        self.cancel_button = named(QPushButton("Cancel"), "cancelTap")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.addWidget(self.tap_button)
        layout.addWidget(self.prompt, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.cancel_button)
        self._idle()

    @property
    def working(self) -> bool:
        """Whether a tap is under way."""
        return self._cancel is not None

    def _idle(self) -> None:
        self._cancel = None
        self.tap_button.setEnabled(self.person_id is not None)
        self.busy.hide()
        self.cancel_button.hide()
        self.prompt.setText(IDLE)

    def set_person(self, person_id: int | None) -> None:
        """The person the next tap enrols for (a tap under way keeps its own)."""
        self.person_id = person_id
        if not self.working:
            self.tap_button.setEnabled(person_id is not None)

    def cancel(self) -> None:
        """Stop waiting for a card; nothing is written or enrolled."""
        if self._cancel is not None:
            self._cancel.set()

    @asyncSlot()
    async def tap(self) -> None:
        """Wait for a card on the reader and enrol it for the current person."""
        person_id, reader = self.person_id, self._reader.reader
        if person_id is None or self.working:
            return
        if reader is None:
            self.failed.emit(NO_READER)
            return
        self._cancel = asyncio.Event()
        self.tap_button.setEnabled(False)
        self.busy.show()
        self.cancel_button.show()
        try:
            outcome = await self._enrolment.tap(
                reader, person_id, self._cancel, on_step=self.prompt.setText
            )
        except NfcCancelled as exc:
            self.failed.emit(nfc_message(exc))
            return
        except EnrolmentError as exc:
            self.failed.emit(str(exc))
            return
        finally:
            self._idle()
        if isinstance(outcome, Enrolled):
            self.enrolled.emit(outcome.message)
        else:
            # Asked from a plain Qt callback: a modal dialog's own event loop must not run
            # inside this coroutine's step.
            QTimer.singleShot(0, lambda: self._ask_uid_only(outcome, person_id))

    def _ask_uid_only(self, offer: UidOnlyOffer, person_id: int) -> None:
        if not self._dialogs.confirm(self, "Enrol by UID only?", offer.question):
            self.failed.emit("The card was not enrolled.")
            return
        try:
            done = self._enrolment.enrol_uid_only(offer, person_id)
        except EnrolmentError as exc:
            self.failed.emit(str(exc))
            return
        self.enrolled.emit(done.message)
