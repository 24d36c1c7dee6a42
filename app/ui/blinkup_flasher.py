"""The full-screen BlinkUp flasher: a light countdown, then one flat gray level per refresh.

Pacing counts display refreshes, not wall time: every ``UpdateRequest`` of the window (which Qt
delivers once per vsync where the platform supports it) may show the next frame, and
:class:`FramePacer` only holds a frame back when the requests come faster than the nominal rate
(a 5 ms timer on some platforms, a 120 Hz panel). So a slow machine repeats nothing and skips
nothing, as far as Qt lets us. Nothing else is drawn: the window is frameless, on top, without
a cursor, and the screen is kept awake while it runs.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from app.ui.blinkup_plan import FPS

log = logging.getLogger("lintel.ui.blinkup")

COUNTDOWN_BACKGROUND = QColor(232, 232, 232)  # light, so auto-brightness does not jump
PROGRESS_HEIGHT = 4  # pixels: thin, and drawn close to the frame's own level
PROGRESS_CONTRAST = 40
GUIDANCE = (
    "Hold the reader flat against the screen.\n"
    "Keep it still until the screen stops flashing.  Esc cancels."
)


class FramePacer:
    """Decides, at each display refresh, whether the next frame is due (no Qt, no clock).

    A request may advance a frame when it comes no earlier than a quarter period before the
    frame is due; a schedule more than half a frame late restarts from now (no bursts).
    """

    def __init__(self, fps: float) -> None:
        self.period = 1.0 / fps
        self._due: float | None = None

    def due(self, now: float) -> bool:
        """Return True if a refresh at ``now`` (seconds) should show the next frame."""
        if self._due is not None and now < self._due - self.period / 4:
            return False
        if self._due is None or now > self._due + self.period / 2:
            self._due = now + self.period
        else:
            self._due += self.period
        return True


class ScreenAwake:
    """Keeps the screen from dimming or locking through the freedesktop ScreenSaver API.

    The inhibition is held on a private D-Bus connection; closing that connection releases it
    (the service forgets inhibitors whose connection is gone). Without D-Bus it does nothing.
    """

    NAME = "lintel-blinkup-awake"

    def __init__(self) -> None:
        self.held = False

    def hold(self) -> None:
        """Ask the session's screen saver not to blank the screen; never raises."""
        try:
            from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

            bus = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, self.NAME)
            if not bus.isConnected():
                return
            message = QDBusMessage.createMethodCall(
                "org.freedesktop.ScreenSaver",
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver",
                "Inhibit",
            )
            message.setArguments(["Lintel", "Sending network setup to a reader by BlinkUp"])
            reply = bus.call(message, QDBus.CallMode.Block, 1000)
            self.held = reply.type() == QDBusMessage.MessageType.ReplyMessage
        except Exception as exc:
            log.info("cannot keep the screen awake: %s", exc)

    def release(self) -> None:
        """Let the screen saver work again (idempotent); never raises."""
        try:
            from PySide6.QtDBus import QDBusConnection

            QDBusConnection.disconnectFromBus(self.NAME)
        except Exception as exc:
            log.info("cannot release the screen saver: %s", exc)
        self.held = False


class Phase(StrEnum):
    """Where the flasher stands."""

    IDLE = "idle"
    COUNTDOWN = "countdown"
    FLASHING = "flashing"
    DONE = "done"
    CANCELLED = "cancelled"


class BlinkUpFlasher(QWidget):
    """A frameless full-screen window that shows a countdown, then ``levels`` one per refresh.

    Signals: ``countdown(seconds_left)``, ``flashing()`` when the first frame shows,
    ``progress(shown, total)``, and one of ``finished()`` or ``cancelled()`` (Esc).
    """

    countdown = Signal(int)
    flashing = Signal()
    progress = Signal(int, int)
    finished = Signal()
    cancelled = Signal()

    def __init__(
        self,
        levels: Sequence[int],
        fps: float = FPS,
        countdown_seconds: float = 3.0,
        parent: QWidget | None = None,
    ) -> None:
        flags = (
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        super().__init__(parent, flags)
        self.setObjectName("blinkupFlasher")
        self.setWindowTitle("BlinkUp")
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.levels: tuple[int, ...] = tuple(levels)
        self.fps = fps
        self.countdown_frames = max(0, round(countdown_seconds * fps))
        self.phase = Phase.IDLE
        self.tick = 0  # refreshes since the countdown began
        self._pacer = FramePacer(fps)
        self._awake = ScreenAwake()
        self._window: QObject | None = None

    # --- what is on screen ---------------------------------------------------------------------

    @property
    def frame(self) -> int:
        """Index of the frame on screen (-1 during the countdown)."""
        return self.tick - self.countdown_frames

    @property
    def seconds_left(self) -> int:
        """Whole seconds of countdown left."""
        return math.ceil(max(0, self.countdown_frames - self.tick) / self.fps)

    def render_frame(self, index: int) -> QImage:
        """Render frame ``index`` of the transfer as it appears on screen (tests, screenshots)."""
        self.phase, self.tick = Phase.FLASHING, self.countdown_frames + index
        return self.grab().toImage()

    def render_countdown(self) -> QImage:
        """Render the countdown screen as it appears at the current tick."""
        self.phase = Phase.COUNTDOWN
        return self.grab().toImage()

    # --- running -------------------------------------------------------------------------------

    def begin(self) -> None:
        """Go full screen, keep the screen awake and start the countdown."""
        self.phase, self.tick = Phase.COUNTDOWN, -1
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()
        self._awake.hold()
        window = self.windowHandle()
        if window is not None:
            window.installEventFilter(self)
            self._window = window
            window.requestUpdate()
        self._show(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Pace the frames on the window's update requests (one per display refresh)."""
        if watched is self._window and event.type() == QEvent.Type.UpdateRequest:
            running = self.phase in (Phase.COUNTDOWN, Phase.FLASHING)
            if running and self._pacer.due(time.monotonic()):
                self.advance()
            if self.phase in (Phase.COUNTDOWN, Phase.FLASHING) and self._window is not None:
                self.windowHandle().requestUpdate()
        return False

    def advance(self) -> None:
        """Show the next refresh's content: a countdown step, the next frame, or the end."""
        if self.phase in (Phase.COUNTDOWN, Phase.FLASHING):
            self._show(self.tick + 1)

    def _show(self, tick: int) -> None:
        before = self.seconds_left if tick > 0 else None
        self.tick = tick
        if tick < self.countdown_frames:
            if self.seconds_left != before:
                self.countdown.emit(self.seconds_left)
        elif self.frame < len(self.levels):
            if self.phase is Phase.COUNTDOWN:
                self.phase = Phase.FLASHING
                self.flashing.emit()
            self.progress.emit(self.frame + 1, len(self.levels))
        else:
            self._stop(Phase.DONE)
            self.finished.emit()
            return
        self.repaint()

    def cancel(self) -> None:
        """Stop flashing and say so (Esc does this)."""
        if self.phase in (Phase.COUNTDOWN, Phase.FLASHING, Phase.IDLE):
            self._stop(Phase.CANCELLED)
            self.cancelled.emit()

    def _stop(self, phase: Phase) -> None:
        self.phase = phase
        if self._window is not None:
            self._window.removeEventFilter(self)
            self._window = None
        self._awake.release()
        self.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc cancels."""
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
        else:
            super().keyPressEvent(event)

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """One flat level per frame, with a thin progress line; or the countdown."""
        painter = QPainter(self)
        try:
            if self.phase is Phase.FLASHING and 0 <= self.frame < len(self.levels):
                self._paint_frame(painter)
            else:
                self._paint_countdown(painter)
        finally:
            painter.end()

    def _paint_frame(self, painter: QPainter) -> None:
        level = self.levels[self.frame]
        painter.fillRect(self.rect(), QColor(level, level, level))
        shade = level + PROGRESS_CONTRAST if level < 128 else level - PROGRESS_CONTRAST
        done = round(self.width() * (self.frame + 1) / len(self.levels))
        bar = QRect(0, self.height() - PROGRESS_HEIGHT, done, PROGRESS_HEIGHT)
        painter.fillRect(bar, QColor(shade, shade, shade))

    def _paint_countdown(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), COUNTDOWN_BACKGROUND)
        painter.setPen(QColor(60, 60, 60))
        big = QFont(self.font())
        big.setPixelSize(max(12, self.height() // 4))
        painter.setFont(big)
        top = QRect(0, 0, self.width(), self.height() * 2 // 3)
        painter.drawText(top, Qt.AlignmentFlag.AlignCenter, str(max(1, self.seconds_left)))
        small = QFont(self.font())
        small.setPixelSize(max(8, self.height() // 30))
        painter.setFont(small)
        bottom = QRect(0, self.height() * 2 // 3, self.width(), self.height() // 3)
        painter.drawText(
            bottom, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, GUIDANCE
        )
