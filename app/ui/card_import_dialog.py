"""The "Import cards from CSV" dialog: check every row, list bad rows by line, import the rest.

The controller's :class:`~app.controller.card_import.CardImports` does the work. The dialog
has it check the file in steps, giving way to the window between steps so a 10,000-row file
never freezes it; then it uploads the bytes it checked and starts the import as the
controller's background job. Progress comes from the controller's ``on_progress``
hook, re-emitted as the ``progressed`` signal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.controller.card_import import CardImports
from app.ui.card_import_file import Checked, FileProblem, check_file
from app.ui.dialogs import Dialogs, DialogService
from app.ui.door_state import APP_ACTOR
from app.ui.errors import LABELS, explain
from app.ui.widgets import Feedback, named

TEMPLATE = "format,facility_code,card_number,uid,email\r\nH10301,118,1603,,\r\nHF,,,04AABBCCDD,\r\n"
HINT = (
    "One card per row, below a header row naming the columns: <b>format</b> (H10301, H10302, "
    "H10304, H10306, C1k35s, C1k48s, D10202, P10001 or HF), <b>facility_code</b>, "
    "<b>card_number</b>, <b>uid</b> (for HF cards) and, optionally, <b>email</b> of an "
    "existing person to give the card to."
)
NAMES = {**LABELS, "format": "Format", "uid": "UID"}
Index = QModelIndex | QPersistentModelIndex


def plain(message: str) -> str:
    """A controller message as people read it: ``facility_code must`` -> ``Facility code must``."""
    name, _, rest = message.partition(" ")
    if name in NAMES:
        # Some messages name their field already ("Facility code 300 is out of range …").
        return rest if rest.startswith(NAMES[name]) else f"{NAMES[name]} {rest}"
    return message[:1].upper() + message[1:]


def count(n: int, one: str, many: str) -> str:
    """``1 card``, ``9,998 cards``."""
    return f"{n:,} {one if n == 1 else many}"


class ProblemsModel(QAbstractTableModel):
    """Bad rows by line number; a model, so ten thousand of them still show at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[int, str]] = []

    def show(self, problems: dict[int, str]) -> None:
        """Replace the rows, in line order."""
        self.beginResetModel()
        self.rows = sorted((line, plain(m)) for line, m in problems.items())
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of bad rows."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Line and problem."""
        return 0 if parent.isValid() else 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Line", "Problem")[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text."""
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        line, message = self.rows[index.row()]
        return str(line) if index.column() == 0 else message


class CardImportDialog(QDialog):
    """Choose a CSV file, see what is wrong with it by line, import the good rows, cancel."""

    progressed = Signal(int, int)  # cards imported so far, cards to import

    def __init__(
        self,
        imports: CardImports,
        dialogs: DialogService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cardImportDialog")
        self.setWindowTitle("Import cards from CSV")
        self.resize(640, 520)
        self.imports = imports
        self.dialogs = dialogs or Dialogs()
        self.checked: Checked | None = None
        self.path: Path | None = None
        self.job_id: int | None = None
        self.result_text = ""  # the last import's outcome, for whoever opened the dialog
        self._close_when_stopped = False
        self._cancelling = False
        self._loading: asyncio.Task[Any] | None = None
        self._previous_hook: Callable[[int, int, int], None] | None = None

        hint = named(QLabel(HINT), "importHint")
        hint.setWordWrap(True)
        self.template_button = self._button(
            "Save a template CSV…", "saveTemplate", self.save_template
        )
        self.template_button.setFlat(True)
        self.template_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.template_button.setStyleSheet(
            "color: palette(link); text-decoration: underline; border: none;"
        )
        self.choose_button = self._button("Choose file…", "chooseFile", self.choose_file)
        self.file_label = named(QLabel("No file chosen."), "importFile")
        self.summary = named(QLabel(), "importSummary")
        self.summary.setWordWrap(True)
        self.feedback = named(Feedback(), "importFeedback")
        self.model = ProblemsModel(self)
        self.problems = named(QTableView(), "importProblems")
        self.problems.setModel(self.model)
        self.problems.verticalHeader().hide()
        self.problems.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.progress = named(QProgressBar(), "importProgress")
        self.progress.hide()
        self.import_button = self._button("Import cards", "startImport", self.start_import)
        self.cancel_button = self._button("Cancel import", "cancelImport", self.cancel_import)
        self.close_button = self._button("Close", "closeDialog", self.reject)
        self.progressed.connect(self._show_progress)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.template_button, 0, Qt.AlignmentFlag.AlignLeft)
        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)
        layout.addLayout(file_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.feedback)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._set_state()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = named(QPushButton(text), name)
        button.setAutoDefault(False)  # Enter must not start an import by surprise
        button.clicked.connect(slot)
        return button

    @property
    def importing(self) -> bool:
        """True while the controller's import job runs."""
        return self.job_id is not None

    def _set_state(self) -> None:
        """Enable what makes sense now; everything but Cancel is read-only while importing."""
        loading = self._loading is not None
        idle = not self.importing and not loading
        self.choose_button.setEnabled(idle)
        self.template_button.setEnabled(idle)
        ready = self.checked.ready if self.checked else 0
        self.import_button.setEnabled(idle and ready > 0 and not self.result_text)
        self.import_button.setText(
            f"Import {count(ready, 'card', 'cards')}" if ready else "Import cards"
        )
        self.cancel_button.setVisible(self.importing)
        self.cancel_button.setEnabled(self.importing and not self._cancelling)

    # --- choosing and checking -----------------------------------------------------------------

    def save_template(self) -> None:
        """Save an example CSV with the expected columns where the person chooses."""
        path = self.dialogs.save_file(
            self, "Save a template CSV", "cards-template.csv", "CSV files (*.csv)"
        )
        if path is None:
            return
        try:
            path.write_bytes(TEMPLATE.encode())
        except OSError as exc:
            self.feedback.error(
                f"Could not save {path.name}: {exc.strerror}. Choose another folder."
            )
            return
        self.feedback.success(f"Saved {path.name}. Fill it in, then choose it here.")

    @asyncSlot()
    async def choose_file(self) -> None:
        """Ask for a CSV file and check every row of it."""
        path = self.dialogs.open_file(
            self, "Choose a CSV file of cards", "CSV files (*.csv);;All files (*)"
        )
        if path is not None:
            await self.load(path)

    async def load(self, path: Path) -> None:
        """Read and check ``path``; show the summary and the bad rows by line."""
        self._loading = asyncio.current_task()
        self.path, self.checked, self.result_text = path, None, ""
        self.file_label.setText(str(path))
        self.summary.setText("Checking rows…")
        self.feedback.clear()
        self.model.show({})
        self._set_state()
        try:
            data = await asyncio.to_thread(path.read_bytes)  # a network drive may be slow
            self.checked = await check_file(self.imports, data, self._show_checking)
        except asyncio.CancelledError:
            raise  # the dialog was closed; touch no widget
        except OSError as exc:
            self._fail(
                f"Could not read {path.name}: {exc.strerror}. Check the file, then choose it again."
            )
        except FileProblem as exc:
            self._fail(str(exc))
        else:
            self._show_checked(self.checked)
        self._loading = None
        self.progress.hide()
        self._set_state()

    def _fail(self, message: str) -> None:
        self.summary.clear()
        self.feedback.error(message)

    def _show_checking(self, done: int, total: int) -> None:
        self._show_bar(done, total, f"Checked {done:,} of {total:,} rows")

    def _show_checked(self, checked: Checked) -> None:
        ready = count(checked.ready, "row is", "rows are")
        bad = len(checked.problems)
        problems = (
            count(bad, "row has", "rows have") + " problems" if bad else "no rows have problems"
        )
        self.summary.setText(f"{ready} ready; {problems}.")
        self.model.show(checked.problems)
        if not checked.ready:
            self.feedback.error(
                "No row can be imported. Fix the rows listed below and choose the file again."
            )

    def _show_bar(self, done: int, total: int, text: str) -> None:
        self.progress.show()
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(text)

    # --- importing -----------------------------------------------------------------------------

    @asyncSlot()
    async def start_import(self) -> None:
        """Import the rows that are ready, as the controller's background job."""
        checked, path = self.checked, self.path
        if checked is None or path is None or not checked.ready or self.importing:
            return
        try:
            token, _stored = self.imports.new_upload(path.name)
            stored = self.imports.receive(token, checked.data)  # the bytes we checked
            job = self.imports.create({"file_name": stored}, APP_ACTOR)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.job_id = job["id"]
        self._previous_hook = self.imports.on_progress
        self.imports.on_progress = self._on_progress
        self.summary.setText("Checking the file again and starting…")
        self._show_bar(0, checked.ready, f"Imported 0 of {checked.ready:,} cards")
        self._set_state()
        try:
            final = await self.imports.wait(job["id"])
        finally:
            if self.imports.on_progress == self._on_progress:
                self.imports.on_progress = self._previous_hook
            self.job_id, self._cancelling = None, False
        self._show_outcome(final, checked)
        self._set_state()
        if self._close_when_stopped:
            super().reject()

    def _on_progress(self, import_id: int, done: int, total: int) -> None:
        # Called by the controller after each chunk it writes, on this same loop.
        if self._previous_hook is not None:
            self._previous_hook(import_id, done, total)
        if import_id == self.job_id:
            self.progressed.emit(done, total)

    def _show_progress(self, done: int, total: int) -> None:
        self.summary.setText("Importing…")
        self._show_bar(done, total, f"Imported {done:,} of {total:,} cards")

    def cancel_import(self) -> None:
        """Stop the import after the rows being written; rows already imported stay."""
        if self.job_id is None:
            return
        self.imports.cancel(self.job_id)
        self._cancelling = True
        self.summary.setText("Cancelling after the rows being written…")
        self._set_state()

    def _show_outcome(self, final: dict[str, Any], checked: Checked) -> None:
        errors: dict[str, list[str]] = final["import_errors"]
        if final["status"] == "failed":
            reason = "; ".join(m for ms in errors.values() for m in ms)
            self._fail(f"The import failed: {reason}. Check the file and try again.")
            return
        lines = {
            int(k.removeprefix("line ")): "; ".join(v)
            for k, v in errors.items()
            if k.startswith("line ")
        }
        imported, to_import = final["imported"], final["total"]
        skipped = checked.rows - to_import  # rows the import's own check turned away
        failed = len(lines) - skipped  # checked rows the store refused (already enrolled)
        tail = f"{skipped:,} skipped (problems in the file), {failed:,} failed (listed below)."
        if "import" in errors:  # cancelled
            left = to_import - imported - failed
            self.result_text = (
                f"Import cancelled: {count(imported, 'card was', 'cards were')} imported and stay "
                f"enrolled; {left:,} not imported; {tail}"
            )
        else:
            self.result_text = f"Import finished: {imported:,} imported, {tail}"
        self.summary.setText(self.result_text)
        self.model.show(lines)
        self._show_bar(imported, max(to_import, 1), f"Imported {imported:,} of {to_import:,} cards")

    # --- closing -------------------------------------------------------------------------------

    def reject(self) -> None:
        """Close (Esc, the Close button, the window's X); while importing, ask to cancel first.

        Closing while the file is being checked stops the check.
        """
        if self.importing:
            question = (
                "Cards are still being imported. Cancel the import and close? "
                "Cards imported so far stay enrolled."
            )
            if self.dialogs.confirm(self, "Cancel the import?", question):
                self._close_when_stopped = True
                self.cancel_import()
            return
        if self._loading is not None:
            self._loading.cancel()
            self._loading = None
        super().reject()
