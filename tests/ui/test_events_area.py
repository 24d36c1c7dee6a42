"""The events area: filters, live updates and CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.controller.audit import Event
from app.controller.resources import LOCKS, PLACES
from app.ui.main_window import MainWindow
from tests.ui.conftest import Runner, Site


class FakeDialogs:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.asked: list[str] = []

    def save_file(self, parent: QWidget, title: str, suggested: str, filter_: str) -> Path:
        self.asked.append(title)
        return self.path

    def open_file(self, parent: QWidget, title: str, filter_: str) -> None:
        self.asked.append(title)
        return None

    def confirm(self, parent: QWidget, title: str, question: str) -> bool:
        return True

    def error(self, parent: QWidget, title: str, message: str) -> None:
        self.asked.append(message)


def test_filters_live_rows_and_export(qtbot, run: Runner, tmp_path: Path) -> None:
    site = Site(tmp_path, readers=0, controllers=0)
    dialogs = FakeDialogs(tmp_path / "out.csv")

    async def body() -> None:
        await site.start()
        try:
            ctl = site.controller
            place = ctl.site.create(PLACES, {"name": "HQ", "address": "x"})
            front = ctl.site.create(LOCKS, {"name": "Front", "place_id": place["id"]})
            back = ctl.site.create(LOCKS, {"name": "Back", "place_id": place["id"]})
            for lock, ok in ((front, True), (front, False), (back, False)):
                ctl.audit.record(
                    Event(
                        type="lock.unlock",
                        success=ok,
                        object_type="Lock",
                        object_id=lock["id"],
                        object_name=lock["name"],
                        actor_name="Jane" if ok else None,
                    )
                )
            window = MainWindow(ctl, dialogs=dialogs)
            qtbot.addWidget(window)
            events = window.events
            events.kind.setCurrentIndex(1)  # unlocks
            assert events.table.rowCount() == 3
            events.door.setCurrentIndex(events.door.findData(front["id"]))
            assert events.table.rowCount() == 2
            events.result.setCurrentIndex(2)  # denied
            assert events.table.rowCount() == 1
            assert events.count.text() == "1 event"
            # A new matching event appears live; one that does not match stays out.
            ctl.audit.record(
                Event(
                    type="lock.unlock",
                    success=False,
                    object_type="Lock",
                    object_id=front["id"],
                    object_name="Front",
                )
            )
            ctl.audit.record(
                Event(
                    type="lock.unlock",
                    success=False,
                    object_type="Lock",
                    object_id=back["id"],
                    object_name="Back",
                )
            )
            assert events.table.rowCount() == 2 and events.count.text() == "2 events"
            events.export_csv()
            rows = list(csv.DictReader(dialogs.path.open()))
            assert len(rows) == 2 and {r["object_name"] for r in rows} == {"Front"}
            assert "Saved" in events.feedback.text()
            await window.shutdown()
        finally:
            await site.stop()

    run(body)
