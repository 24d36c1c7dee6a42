"""Small shared widgets: an inline feedback line and combo filling."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

W = TypeVar("W", bound=QWidget)


class Feedback(QLabel):
    """One line that says what just happened, in green or red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedback")
        self.setWordWrap(True)

    def error(self, text: str) -> None:
        """Show a problem and what to do about it."""
        self.setStyleSheet("color: #b71c1c; font-weight: 600;")
        self.setText(text)

    def success(self, text: str) -> None:
        """Show that something worked."""
        self.setStyleSheet("color: #1b5e20;")
        self.setText(text)


def fill_combo(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
    """Replace a combo's items, keeping the current choice when it still exists."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else (0 if items else -1))
    combo.blockSignals(False)


def named(widget: W, name: str) -> W:
    """Give a widget an object name (tests and style sheets find it by that) and return it."""
    widget.setObjectName(name)
    return widget
