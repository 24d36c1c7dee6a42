"""The CSV card import dialog against a real controller: bad rows by line, import, cancel."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.controller.resources import CARD_ASSIGNMENTS, CARDS, USERS
from app.controller.service import Controller
from app.ui.bridge import ControllerBridge
from app.ui.card_import_dialog import CardImportDialog
from app.ui.card_import_file import check_file
from app.ui.site_area import SiteArea
from tests.ui.conftest import Runner, Site
from tests.waiting import until

HEADER = "format,facility_code,card_number,uid,email"
CSV = f"""{HEADER}
H10301,118,1603,,jane@example.com
H10301,256,1,,
H10302,,123456789,,
HF,,,04AABBCCDD,
H10301,118,1603,,
bogus,1,2,,
H10304,7,77,,nobody@example.com
H10301,118,1604,,
"""


class FakeDialogs:
    """Stands in for the person: picks ``to_open``, saves to ``to_save``, answers ``answer``."""

    def __init__(self) -> None:
        self.to_open: Path | None = None
        self.to_save: Path | None = None
        self.answer = True
        self.asked: list[str] = []

    def save_file(self, parent: QWidget, title: str, suggested: str, filter_: str) -> Path | None:
        return self.to_save

    def open_file(self, parent: QWidget, title: str, filter_: str) -> Path | None:
        return self.to_open

    def confirm(self, parent: QWidget, title: str, question: str) -> bool:
        self.asked.append(question)
        return self.answer

    def error(self, parent: QWidget, title: str, message: str) -> None:
        self.asked.append(message)


Scenario = Callable[[Controller, FakeDialogs], Awaitable[None]]


def on_site(run: Runner, tmp_path: Path, scenario: Scenario) -> None:
    site = Site(tmp_path, readers=0, controllers=0)

    async def body() -> None:
        await site.start()
        try:
            await scenario(site.controller, FakeDialogs())
        finally:
            await site.stop()

    run(body)


def click(qtbot, parent: QWidget, name: str) -> None:
    button = parent.findChild(QPushButton, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cards_in(controller: Controller) -> int:
    return int(controller.store.scalar("SELECT COUNT(*) FROM cards"))


async def choose(qtbot, dialog: CardImportDialog, dialogs: FakeDialogs, path: Path) -> None:
    dialogs.to_open = path
    click(qtbot, dialog, "chooseFile")
    # The label changes as checking starts; the button comes back when it has ended.
    await until(
        lambda: dialog.file_label.text() == str(path) and dialog.choose_button.isEnabled(),
        what=f"{path.name} checked",
    )


def many_cards(count: int) -> str:
    return HEADER + "\n" + "".join(f"H10301,{i // 65536},{i % 65536},,\n" for i in range(count))


def test_bad_rows_by_line_then_the_rest_imported(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(controller: Controller, dialogs: FakeDialogs) -> None:
        jane = controller.site.create(USERS, {"email": "jane@example.com", "name": "Jane"})
        area = SiteArea(ControllerBridge(controller), dialogs=dialogs)
        qtbot.addWidget(area)
        area.show()
        click(qtbot, area, "import_cards")
        dialog = area.import_dialog
        assert dialog is not None and dialog.isVisible()
        hint = dialog.findChild(QLabel, "importHint")
        assert hint is not None and "facility_code" in hint.text()

        dialogs.to_save = tmp_path / "template.csv"
        click(qtbot, dialog, "saveTemplate")
        template = dialogs.to_save.read_text()
        assert template.startswith(HEADER)
        await choose(qtbot, dialog, dialogs, dialogs.to_save)
        assert dialog.summary.text() == "2 rows are ready; no rows have problems."

        (tmp_path / "cards.csv").write_text(CSV)
        await choose(qtbot, dialog, dialogs, tmp_path / "cards.csv")
        assert dialog.summary.text() == "4 rows are ready; 4 rows have problems."
        problems = dict(dialog.model.rows)
        assert list(problems) == [3, 6, 7, 8]
        assert problems[3].startswith("Facility code")
        assert problems[6] == "The same card as line 2"
        assert "not a card format" in problems[7]
        assert "nobody@example.com" in problems[8]
        assert dialog.import_button.text() == "Import 4 cards"

        click(qtbot, dialog, "startImport")
        await until(lambda: dialog.result_text, what="import finished")
        assert dialog.result_text == (
            "Import finished: 4 imported, 4 skipped (problems in the file), "
            "0 failed (listed below)."
        )
        assert cards_in(controller) == 4
        given = controller.site.list(CARD_ASSIGNMENTS, {"assignee_id": str(jane["id"])}).items
        assert len(given) == 1
        assert controller.site.get(CARDS, given[0]["card_id"])["card_number"] == 1603
        assert not dialog.import_button.isEnabled()  # the same file is not imported twice

        result = dialog.result_text
        click(qtbot, dialog, "closeDialog")
        assert area.import_dialog is None  # closed (and deleted later)
        assert area.feedback.text() == result
        assert area.people.rowCount() == 1
        cell = area.people.item(0, 3)
        assert cell is not None and cell.text() == "118:1603"  # the list was refreshed

    on_site(run, tmp_path, scenario)


def test_the_dialog_shows_the_controllers_check_by_file_line(run: Runner, tmp_path: Path) -> None:
    lines = many_cards(1_200).splitlines()
    lines[5] = "bogus,1,2,,"  # line 6
    lines[700] = lines[650]  # line 701 repeats line 651 (the same step of 500)
    lines[1100] = lines[10]  # line 1101 repeats line 11 (an earlier step)
    lines[1150] = lines[1100]  # line 1151 repeats line 11 too, not line 1101
    lines.insert(400, "")  # a blank line is not a row, but it is a line of the file
    text = "\n".join(lines) + "\n"

    async def scenario(controller: Controller, dialogs: FakeDialogs) -> None:
        steps: list[tuple[int, int]] = []
        checked = await check_file(
            controller.card_imports, text.encode(), lambda *step: steps.append(step)
        )
        whole = controller.card_imports.check(text)
        assert checked.ready == len(whole.rows) == 1_196
        assert checked.rows == 1_200
        assert checked.problems == {int(k[5:]): "; ".join(v) for k, v in whole.errors.items()}
        assert checked.problems[6].startswith("format ")
        assert checked.problems[1152] == "the same card as line 11"  # after the blank line
        assert steps[-1] == (1_200, 1_200) and len(steps) > 1

    on_site(run, tmp_path, scenario)


def test_cancel_a_10000_row_import_part_way(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(controller: Controller, dialogs: FakeDialogs) -> None:
        dialog = CardImportDialog(controller.card_imports, dialogs)
        qtbot.addWidget(dialog)
        dialog.show()
        (tmp_path / "big.csv").write_text(many_cards(10_000))
        await choose(qtbot, dialog, dialogs, tmp_path / "big.csv")
        assert dialog.summary.text() == "10,000 rows are ready; no rows have problems."
        assert dialog.import_button.text() == "Import 10,000 cards"

        seen: list[tuple[int, bool, bool, bool]] = []

        def on_first_progress(done: int, total: int) -> None:
            if seen:
                return
            dialogs.answer = False
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # asks to cancel first; "No" keeps going
            seen.append(
                (done, dialog.isVisible(), dialog.choose_button.isEnabled(), dialog.importing)
            )
            click(qtbot, dialog, "cancelImport")

        dialog.progressed.connect(on_first_progress)
        click(qtbot, dialog, "startImport")
        await until(lambda: dialog.result_text, what="import stopped")

        (done, visible, could_choose, importing) = seen[0]
        assert 0 < done < 10_000 and visible and importing and not could_choose
        assert any("Cancel the import" in q for q in dialogs.asked)
        imported = cards_in(controller)
        assert 0 < imported < 10_000
        assert dialog.result_text.startswith(
            f"Import cancelled: {imported:,} cards were imported and stay enrolled; "
            f"{10_000 - imported:,} not imported"
        )
        assert dialog.choose_button.isEnabled() and not dialog.cancel_button.isVisible()
        assert controller.card_imports.on_progress is None  # the dialog let go of the hook

    on_site(run, tmp_path, scenario)


def test_closing_while_importing_cancels_then_closes(qtbot, run: Runner, tmp_path: Path) -> None:
    # A window stays open under the dialog, as the app's main window does, until the loop has
    # stopped: when the last window goes (qtbot holds only a weak reference) Qt quits the app.
    window = QWidget()
    qtbot.addWidget(window)
    window.show()

    async def scenario(controller: Controller, dialogs: FakeDialogs) -> None:
        dialog = CardImportDialog(controller.card_imports, dialogs, window)
        dialog.show()
        (tmp_path / "cards.csv").write_text(many_cards(1_500))
        await choose(qtbot, dialog, dialogs, tmp_path / "cards.csv")
        closed_at: list[bool] = []

        def on_first_progress(done: int, total: int) -> None:
            if not closed_at:
                dialog.close()  # the window's X; the fake person says yes, cancel
                closed_at.append(dialog.isVisible())

        dialog.progressed.connect(on_first_progress)
        click(qtbot, dialog, "startImport")
        await until(lambda: not dialog.isVisible(), what="dialog closed after the import stopped")
        assert closed_at == [True]  # still open until the job had stopped
        assert 0 < cards_in(controller) < 1_500
        assert dialog.result_text.startswith("Import cancelled")

    on_site(run, tmp_path, scenario)


def test_closing_while_checking_stops_the_check(qtbot, run: Runner, tmp_path: Path) -> None:
    window = QWidget()  # see above: the last window must outlive the loop
    qtbot.addWidget(window)
    window.show()

    async def scenario(controller: Controller, dialogs: FakeDialogs) -> None:
        dialog = CardImportDialog(controller.card_imports, dialogs, window)
        dialog.show()
        dialogs.to_open = tmp_path / "big.csv"
        dialogs.to_open.write_text(many_cards(10_000))
        pressed: list[int] = []

        def on_first_step(value: int) -> None:
            if value > 0 and not pressed:
                pressed.append(value)
                qtbot.keyClick(dialog, Qt.Key.Key_Escape)

        dialog.progress.valueChanged.connect(on_first_step)
        checking = dialog.choose_file()  # the slot's task, so the test can wait for its end
        await asyncio.wait([checking])
        assert pressed == [500]  # Esc came after the first step of 500 rows
        assert checking.cancelled() and not dialog.isVisible()
        assert dialog.checked is None and not dialogs.asked  # nothing to ask: no import ran

    on_site(run, tmp_path, scenario)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "The file is empty"),
        (b"  \r\n\r\n", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a CSV text file"),
        (b"Dear team,\nplease find the cards attached.\n", "does not look like a card list"),
        (HEADER.encode() + b"\n", "no card rows"),
        (b"format\n" + b'"' + b"x" * 200_000 + b'"\n', "not a CSV file we can read"),
        (None, "Could not read"),
    ],
)
def test_files_that_cannot_be_imported_get_a_plain_error(
    qtbot, run: Runner, tmp_path: Path, content: bytes | None, says: str
) -> None:
    async def scenario(controller: Controller, dialogs: FakeDialogs) -> None:
        dialog = CardImportDialog(controller.card_imports, dialogs)
        qtbot.addWidget(dialog)
        dialog.show()
        (tmp_path / "good.csv").write_text(CSV)
        await choose(qtbot, dialog, dialogs, tmp_path / "good.csv")
        assert dialog.import_button.isEnabled()
        path = tmp_path / "chosen.csv"
        if content is not None:
            path.write_bytes(content)
        await choose(qtbot, dialog, dialogs, path)
        assert says in dialog.feedback.text()
        assert dialog.summary.text() == "" and dialog.model.rowCount() == 0
        assert not dialog.import_button.isEnabled()
        assert controller.store.scalar("SELECT COUNT(*) FROM csv_card_imports") == 0

    on_site(run, tmp_path, scenario)


def test_problems_read_as_sentences_without_repeating_the_field() -> None:
    from app.ui.card_import_dialog import plain

    assert plain("facility_code must be a whole number") == "Facility code must be a whole number"
    assert (
        plain("facility_code Facility code 300 is out of range for H10301 (0–255)")
        == "Facility code 300 is out of range for H10301 (0–255)"
    )
    assert plain("the same card as line 12") == "The same card as line 12"
