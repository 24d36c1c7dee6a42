"""Catch keyboard-wedge card reads typed anywhere in one area, without taking normal typing.

A wedge reader types a card as fast keystrokes and Enter into whatever has focus. Every key
still goes where it was going; only when Enter ends a burst fast enough to be a machine's
(:class:`~hardware.nfc.wedge.KeystrokeBuffer`, fed with Qt's key timestamps) is the line
reported, its Enter swallowed, and the characters it left in a text field taken out again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from hardware.nfc.wedge import KeystrokeBuffer

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_CHORDS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class WedgeKeyFilter(QObject):
    """An event filter on an area's widgets that reports the wedge reads typed into them."""

    line_read = Signal(str)

    def __init__(self, area: QWidget, max_gap: float = 0.050) -> None:
        """Start watching keys typed in ``area`` (the filter lives and dies with it).

        Build the area first: widgets added to it later are watched only after :meth:`watch`.

        Args:
            area: The widget whose own and descendants' keys are watched.
            max_gap: The longest pause between two keys of one read, in seconds.
        """
        super().__init__(area)
        self._area = area
        self._buffer = KeystrokeBuffer(max_gap=max_gap)
        self._last: tuple[int, int, str] | None = None
        self._last_receiver: QWidget | None = None
        self.watch(area)

    def watch(self, widget: QWidget) -> None:
        """Watch the keys of ``widget`` and of every widget inside it."""
        # On the widgets rather than the whole application, so the thousands of other events
        # an application sees never pass through Python here.
        for each in (widget, *widget.findChildren(QWidget)):
            each.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Feed key presses inside the area to the buffer; swallow the Enter of a read."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if not (watched is self._area or self._area.isAncestorOf(watched)):
            return False
        assert isinstance(event, QKeyEvent)
        if self._seen(watched, event):
            return False
        if event.modifiers() & _CHORDS:
            return False
        key = event.key()
        char = "\r" if key in _ENTER else event.text()
        if len(char) != 1 or not (char == "\r" or char.isprintable()):
            return False  # Shift, arrows, Backspace: not something a card types
        line = self._buffer.feed(char, event.timestamp() / 1000)
        if line is None:
            return False
        _take_out(watched, line)
        self.line_read.emit(line)
        return True

    def _seen(self, receiver: QWidget, event: QKeyEvent) -> bool:
        """Whether this is a key already fed, travelling up to a parent that may take it.

        A key a widget ignores is offered to its parents, and the application filter sees
        each offer; counting them all would double the characters.
        """
        stamp = (event.timestamp(), event.key(), event.text())
        last = self._last_receiver
        repeat = stamp == self._last and last is not None and receiver.isAncestorOf(last)
        self._last, self._last_receiver = stamp, receiver
        return repeat


def _take_out(widget: QWidget, line: str) -> None:
    """Remove the characters a read typed into a text field (the last place they appear)."""
    if not isinstance(widget, QLineEdit):
        return
    text = widget.text()
    at = text.rfind(line)
    if at >= 0:
        widget.setText(text[:at] + text[at + len(line) :])
        widget.setCursorPosition(at)
