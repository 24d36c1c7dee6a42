"""Message boxes and file pickers behind one small service, so tests can stand in for a person."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class DialogService(Protocol):
    """What views ask of a person through dialogs."""

    def save_file(self, parent: QWidget, title: str, suggested: str, filter_: str) -> Path | None:
        """Ask where to save; None when the person cancels."""
        ...

    def open_file(self, parent: QWidget, title: str, filter_: str) -> Path | None:
        """Ask which existing file to open; None when the person cancels."""
        ...

    def confirm(self, parent: QWidget, title: str, question: str) -> bool:
        """Ask a yes/no question."""
        ...

    def error(self, parent: QWidget, title: str, message: str) -> None:
        """Tell the person something went wrong and what to do."""
        ...


class Dialogs:
    """The real dialogs. Tests pass an object with the same methods."""

    def save_file(self, parent: QWidget, title: str, suggested: str, filter_: str) -> Path | None:
        """Ask where to save; None when the person cancels."""
        name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
        return Path(name) if name else None

    def open_file(self, parent: QWidget, title: str, filter_: str) -> Path | None:
        """Ask which existing file to open; None when the person cancels."""
        name, _ = QFileDialog.getOpenFileName(parent, title, "", filter_)
        return Path(name) if name else None

    def confirm(self, parent: QWidget, title: str, question: str) -> bool:
        """Ask a yes/no question."""
        answer = QMessageBox.question(parent, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def error(self, parent: QWidget, title: str, message: str) -> None:
        """Tell the person something went wrong and what to do."""
        QMessageBox.warning(parent, title, message)
