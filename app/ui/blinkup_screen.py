"""The installer's BlinkUp dialog: form -> enrolment -> flasher -> wait for the reader -> result.

The controller issues a one-time enrolment; the flasher sends it with the network settings;
then the dialog waits (on the asyncio loop, woken by device changes, with a timeout) until the
controller says which device proved the enrolment. A cancelled or failed attempt withdraws
the enrolment, so a token nobody used does not linger.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.ui.blinkup_flasher import BlinkUpFlasher
from app.ui.blinkup_form import BlinkUpForm
from app.ui.blinkup_plan import FPS, FormError, ServerChoice, make_plan
from app.ui.bridge import ControllerBridge
from app.ui.widgets import Feedback, named

WAIT_SECONDS = 90.0
POLL_SECONDS = 0.5  # also look now and then, in case a device event was missed
ADVICE = (
    "What to try:<ul>"
    "<li>Turn the screen brightness to maximum; switch off auto-brightness and night mode.</li>"
    "<li>Hold the reader flat against the screen and keep it still; shade it from lamps "
    "and windows.</li>"
    "<li>Try the other mode (Compatible or Fast).</li>"
    "<li>Check the Wi-Fi name and password: a wrong password looks just like this.</li>"
    "</ul>If the reader's LED shows red, it could not read the flashes."
)


class BlinkUpDialog(QDialog):
    """Set up a new reader's network by flashing the screen, then wait for it to connect.

    ``reader_connected(serial)`` is emitted when the reader that received this transfer has
    reached the device server.
    """

    reader_connected = Signal(str)

    def __init__(
        self,
        bridge: ControllerBridge,
        server: Callable[[], ServerChoice],
        parent: QWidget | None = None,
        *,
        countdown_seconds: float = 3.0,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        """Build the dialog.

        Args:
            bridge: The controller (enrolments) and its device events.
            server: Where readers reach the device server (asked when the dialog opens).
            parent: The owning widget.
            countdown_seconds: Countdown before flashing.
            wait_seconds: How long to wait for the reader after flashing.
        """
        super().__init__(parent)
        self.setObjectName("blinkupDialog")
        self.setWindowTitle("Set up a reader with BlinkUp")
        self.bridge = bridge
        self.enrolments = bridge.controller.enrolments
        self.countdown_seconds = countdown_seconds
        self.wait_seconds = wait_seconds
        self.flasher: BlinkUpFlasher | None = None
        self.plan_id: str | None = None
        self.serial: str | None = None
        self._wake = asyncio.Event()
        self._waiting = False

        self.form = BlinkUpForm()
        choice = server()
        self.form.set_server(choice.address, choice.note)
        self.feedback = Feedback()
        self.start_button = named(QPushButton("Start flashing"), "blinkupStart")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.form_page = self._page(self.form, self.feedback, self.start_button)

        self.waiting_label = named(QLabel(), "blinkupWaiting")
        self.waiting_label.setWordWrap(True)
        busy = QProgressBar()
        busy.setRange(0, 0)
        self.cancel_wait_button = named(QPushButton("Cancel"), "blinkupCancelWait")
        self.cancel_wait_button.clicked.connect(self.cancel_wait)
        self.waiting_page = self._page(self.waiting_label, busy, self.cancel_wait_button)

        self.result_label = named(QLabel(), "blinkupResult")
        self.result_label.setWordWrap(True)
        self.retry_button = named(QPushButton("Try again"), "blinkupRetry")
        self.retry_button.clicked.connect(self.show_form)
        self.close_button = named(QPushButton("Close"), "blinkupClose")
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.close_button)
        self.result_page = self._page(self.result_label)
        page_layout = self.result_page.layout()
        assert isinstance(page_layout, QVBoxLayout)
        page_layout.insertLayout(page_layout.count() - 1, buttons)  # above the stretch
        page_layout.insertStretch(0, 1)  # the outcome sits in the middle of the dialog

        self.stack = QStackedWidget()
        for page in (self.form_page, self.waiting_page, self.result_page):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        bridge.device_changed.connect(self._on_device)

    @staticmethod
    def _page(*widgets: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        return page

    # --- steps ---------------------------------------------------------------------------------

    def show_form(self) -> None:
        """Back to the form (values kept), ready for another attempt."""
        self.stack.setCurrentWidget(self.form_page)

    def start(self) -> None:
        """Check the form, issue an enrolment and start the countdown, then the flashing."""
        self.feedback.clear()
        values = self.form.values()
        try:
            make_plan(values, "00" * 8, "00" * 8, self.form.server)  # check before issuing
            enrolment = self.enrolments.issue()
            plan = make_plan(values, enrolment.plan_id, enrolment.token, self.form.server)
        except FormError as exc:
            self.form.show_error(exc)
            return
        self.form.clear_errors()
        self.plan_id, self.serial = enrolment.plan_id, None
        self.flasher = BlinkUpFlasher(plan.frames, FPS, self.countdown_seconds)
        self.flasher.finished.connect(self._flashed)
        self.flasher.cancelled.connect(self._flash_cancelled)
        self.flasher.setScreen(self.screen())  # flash on the screen the installer looks at
        self.flasher.begin()

    def _flash_cancelled(self) -> None:
        self._withdraw()
        self._drop_flasher()
        self.show_form()
        self.feedback.error("Stopped. Nothing was set up; press Start flashing to try again.")

    @asyncSlot()
    async def _flashed(self) -> None:
        self._drop_flasher()
        plan_id = self.plan_id
        if plan_id is None:
            return
        self.waiting_label.setText(
            "Waiting for the reader to connect… The reader joins the network and connects "
            f"to this computer; this can take up to {self.wait_seconds:.0f} seconds."
        )
        self.stack.setCurrentWidget(self.waiting_page)
        self.raise_()
        self.activateWindow()
        serial = await self._wait_for_claim(plan_id)
        if serial is not None:
            self.serial = serial
            self.show_result(
                f"<h3>Reader {serial} connected</h3>It took its network settings from the "
                "screen and is waiting, selected, in the Installer's device list. Adopt it "
                "there: type the code printed on its label and choose its place.",
                True,
            )
            self.reader_connected.emit(serial)
        elif self.plan_id == plan_id:  # not cancelled meanwhile
            self._withdraw()
            self.show_result(
                f"No reader connected within {self.wait_seconds:.0f} seconds.<br>{ADVICE}", False
            )

    async def _wait_for_claim(self, plan_id: str) -> str | None:
        # Wakes on every device change (and every POLL_SECONDS); None on timeout or cancel.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_seconds
        self._waiting = True
        try:
            while self._waiting and self.plan_id == plan_id:
                serial = self.enrolments.claimed_by(plan_id)
                if serial is not None:
                    return serial
                left = deadline - loop.time()
                if left <= 0:
                    return None
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), min(left, POLL_SECONDS))
            return None
        finally:
            self._waiting = False

    def cancel_wait(self) -> None:
        """Stop waiting for the reader; its enrolment is withdrawn."""
        self._withdraw()
        self._waiting = False
        self._wake.set()
        self.show_form()
        self.feedback.error("Stopped waiting. Press Start flashing to try again.")

    def show_result(self, text: str, success: bool) -> None:
        """Show how the attempt ended (rich text); a failure offers "Try again"."""
        colour = "#1b5e20" if success else "#b71c1c"
        self.result_label.setText(f"<span style='color:{colour}'>{text}</span>")
        self.retry_button.setVisible(not success)
        self.stack.setCurrentWidget(self.result_page)

    def _on_device(self, _device: object) -> None:
        self._wake.set()

    def _withdraw(self) -> None:
        if self.plan_id is not None:
            self.enrolments.withdraw(self.plan_id)
            self.plan_id = None

    def _drop_flasher(self) -> None:
        if self.flasher is not None:
            self.flasher.deleteLater()
            self.flasher = None

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing mid-way stops everything and withdraws an unclaimed enrolment."""
        self._stop_all()
        super().closeEvent(event)

    def reject(self) -> None:
        """Esc or the window's close button: as :meth:`closeEvent`."""
        self._stop_all()
        super().reject()

    def _stop_all(self) -> None:
        if self.flasher is not None:
            self.flasher.cancel()
        if self._waiting:
            self.cancel_wait()
