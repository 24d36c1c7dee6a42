"""The schedule editor: add, edit, disable and delete through the form; the week shows blocks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QPushButton

from app.access.schedule_codec import parse_schedule, schedule_to_dict
from app.access.schedules import Consequence, ScheduleType
from app.controller.errors import ValidationFailed
from app.controller.resources import GROUPS, LOCKS, PLACES
from app.controller.service import Controller
from app.ui.bridge import ControllerBridge
from app.ui.schedule_editor import ScheduleEditor
from app.ui.schedule_model import (
    ScheduleEditorModel,
    ScheduleForm,
    Target,
    describe,
    plain_error,
)
from app.ui.week_view import Block, BlockStyle, week_blocks
from tests.ui.conftest import Runner, Site
from tests.ui.test_doors_view import FakeDialogs
from tests.waiting import until

# Monday 23 November 2026, 10:00 in Berlin.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

Scenario = Callable[[Controller, ScheduleEditor, dict, FakeDialogs], Awaitable[None]]


def on_site(qtbot, run: Runner, tmp_path: Path, scenario: Scenario) -> None:
    """An editor on a controller with one door in Berlin and one group."""
    site = Site(tmp_path, readers=0, controllers=0)

    async def body() -> None:
        await site.start()
        ctl = site.controller
        place = ctl.site.create(
            PLACES, {"name": "HQ", "address": "1 Main St", "time_zone": "Europe/Berlin"}
        )
        lock = ctl.site.create(LOCKS, {"name": "Front door", "place_id": place["id"]})
        ctl.site.create(GROUPS, {"name": "Staff"})
        bridge = ControllerBridge(ctl)
        dialogs = FakeDialogs()
        editor = ScheduleEditor(bridge, dialogs, model=ScheduleEditorModel(ctl, lambda: NOW))
        qtbot.addWidget(editor)
        editor.resize(1240, 620)
        editor.show()
        try:
            await scenario(ctl, editor, lock, dialogs)
        finally:
            bridge.close()
            # The unlock planner must take its last poke before it is stopped: cancelled in the
            # same loop turn as a poke, ScheduledUnlocks.stop() waits out its sleep (Python
            # 3.11's asyncio.wait_for swallows the cancel when the awaited event is already set).
            await until(lambda: not ctl.scheduled_unlocks._wake.is_set(), what="planner idle")
            await site.stop()

    run(body)


def click(qtbot, editor: ScheduleEditor, name: str) -> None:
    button = editor.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def spans(blocks: list[Block]) -> list[tuple[int, int, int]]:
    return [(b.day, b.start, b.end) for b in blocks]


def fill_weekly(qtbot, editor: ScheduleEditor, name: str, days: set[int], start: str, end: str):
    editor.name.clear()
    qtbot.keyClicks(editor.name, name)
    editor.kind.setCurrentIndex(editor.kind.findData(ScheduleType.RECURRING_EVENT))
    for i, box in enumerate(editor.days):
        box.setChecked(i in days)
    editor.start_time.setTime(QTime.fromString(start, "HH:mm"))
    editor.end_time.setTime(QTime.fromString(end, "HH:mm"))


def test_add_edit_disable_delete_a_weekly_unlock(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(ctl: Controller, editor: ScheduleEditor, lock: dict, dialogs) -> None:
        assert editor.target.currentText() == "Door: Front door"
        assert editor.model.week_days()[0] == date(2026, 11, 23)
        assert "Europe/Berlin" in editor.zone_label.text()
        fill_weekly(qtbot, editor, "Office hours", {0, 1, 2, 3, 4}, "08:00", "18:00")
        editor.consequence.setCurrentIndex(editor.consequence.findData(Consequence.UNLOCK))
        click(qtbot, editor, "saveSchedule")
        assert editor.feedback.text() == "Schedule added."
        assert editor.list.count() == 1 and "Mon–Fri 08:00–18:00" in editor.list.item(0).text()
        assert spans(editor.week.blocks()) == [(d, 480, 1080) for d in range(5)]
        assert {b.style for b in editor.week.blocks()} == {BlockStyle.UNLOCK}
        assert editor.save_button.text() == "Save changes"

        # Edit: the form shows the schedule; a later end moves every block.
        editor.end_time.setTime(QTime(19, 0))
        click(qtbot, editor, "saveSchedule")
        assert spans(editor.week.blocks()) == [(d, 480, 1140) for d in range(5)]
        stored = ctl.schedules.list({}).items
        assert len(stored) == 1 and stored[0]["ends_at_time"] == "19:00"

        # Disable: it stays listed, draws nothing; enable brings it back.
        click(qtbot, editor, "toggleSchedule")
        assert editor.week.blocks() == [] and "disabled" in editor.list.item(0).text()
        assert editor.toggle_button.text() == "Enable"
        click(qtbot, editor, "toggleSchedule")
        assert len(editor.week.blocks()) == 5

        # A click on a block picks its schedule.
        editor.new_schedule()
        assert editor.list.currentItem() is None
        rect = editor.week.block_rect(editor.week.blocks()[0]).center().toPoint()
        qtbot.mouseClick(editor.week, Qt.MouseButton.LeftButton, pos=rect)
        assert editor.editing == stored[0]["id"] and editor.name.text() == "Office hours"

        # Delete, after asking.
        click(qtbot, editor, "deleteSchedule")
        assert dialogs.asked == ["Delete Office hours?"]
        assert editor.list.count() == 0 and editor.week.blocks() == []
        assert ctl.schedules.list({}).items == []

    on_site(qtbot, run, tmp_path, scenario)


def test_midnight_override_and_other_weeks(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(ctl: Controller, editor: ScheduleEditor, lock: dict, dialogs) -> None:
        fill_weekly(qtbot, editor, "Night cleaners", {4}, "22:00", "06:00")
        editor.consequence.setCurrentIndex(editor.consequence.findData(Consequence.UNLOCK))
        click(qtbot, editor, "saveSchedule")
        friday, saturday = editor.week.blocks()
        assert (friday.day, friday.start, friday.end, friday.to_next_day) == (4, 1320, 1440, True)
        assert (saturday.day, saturday.start, saturday.end) == (5, 0, 360)
        assert saturday.from_previous_day and saturday.when == "22:00 → 06:00"

        # German public holidays cancel the unlocks: drawn as overrides, named.
        editor.new_schedule()
        editor.name.setText("Closed on holidays")
        editor.kind.setCurrentIndex(editor.kind.findData(ScheduleType.HOLIDAY_CALENDAR))
        assert editor.region.currentData() == "de"  # guessed from the place's time zone
        editor.override.setChecked(True)
        click(qtbot, editor, "saveSchedule")
        assert editor.feedback.text() == "Schedule added.", editor.feedback.text()
        for _ in range(4):
            click(qtbot, editor, "nextWeek")
        assert editor.model.week_days()[0] == date(2026, 12, 21)
        holidays = [b for b in editor.week.blocks() if b.style is BlockStyle.OVERRIDE]
        assert [(b.day, b.start, b.end) for b in holidays] == [(4, 0, 1440), (5, 0, 1440)]
        assert "Weihnachtstag" in holidays[0].label

        # A single event in the place's time: Berlin 10:00 is stored as 09:00 UTC.
        editor.new_schedule()
        editor.kind.setCurrentIndex(editor.kind.findData(ScheduleType.SINGLE_EVENT))
        editor.name.setText("Delivery")
        editor.starts_at.setDateTime(QDateTime.fromString("2026-12-22 10:00", "yyyy-MM-dd HH:mm"))
        editor.ends_at.setDateTime(QDateTime.fromString("2026-12-22 12:30", "yyyy-MM-dd HH:mm"))
        click(qtbot, editor, "saveSchedule")
        single = ctl.schedules.get(editor.editing or 0)
        assert single["starts_at"] == "2026-12-22T09:00:00Z"
        assert (1, 600, 750) in spans(editor.week.blocks())
        click(qtbot, editor, "thisWeek")
        assert editor.model.week_days()[0] == date(2026, 11, 23)

        # A group only takes "allow" schedules.
        group = ctl.site.list(GROUPS, {}).items[0]
        editor.choose_target("Group", group["id"])
        kinds = [editor.consequence.itemData(i) for i in range(editor.consequence.count())]
        assert kinds == [Consequence.ALLOW] and editor.list.count() == 0

    on_site(qtbot, run, tmp_path, scenario)


def test_validation_errors_in_plain_words(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(ctl: Controller, editor: ScheduleEditor, lock: dict, dialogs) -> None:
        fill_weekly(qtbot, editor, "Nobody", set(), "08:00", "18:00")
        click(qtbot, editor, "saveSchedule")
        assert editor.feedback.text() == "Choose at least one day of the week."
        editor.kind.setCurrentIndex(editor.kind.findData(ScheduleType.SINGLE_EVENT))
        editor.starts_at.setDateTime(QDateTime.fromString("2026-12-22 10:00", "yyyy-MM-dd HH:mm"))
        editor.ends_at.setDateTime(QDateTime.fromString("2026-12-22 09:00", "yyyy-MM-dd HH:mm"))
        click(qtbot, editor, "saveSchedule")
        assert editor.feedback.text() == "End must be at least a minute after the start."
        editor.kind.setCurrentIndex(editor.kind.findData(ScheduleType.SINGLE_ALL_DAY_EVENT))
        editor.first_day.setDate(QDate(2026, 12, 24))
        editor.last_day.setDate(QDate(2026, 12, 23))
        click(qtbot, editor, "saveSchedule")
        assert editor.feedback.text() == "Last day must be on or after the first day."
        assert ctl.schedules.list({}).items == [] and editor.week.blocks() == []
        assert "color: #b71c1c" in editor.feedback.styleSheet()

        # Changes made elsewhere (the REST API, another view) show up from their events.
        body = parse_schedule(
            {
                "name": "From the API",
                "enabled": True,
                "consequence": "unlock",
                "scheduleable_type": "Lock",
                "scheduleable_id": lock["id"],
                "saturday": True,
                **dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday"), False),
                "sunday": False,
            }
        )
        ctl.schedules.create(schedule_to_dict(body))
        assert editor.list.count() == 1 and spans(editor.week.blocks()) == [(5, 0, 1440)]
        ctl.site.create(LOCKS, {"name": "Back door", "place_id": lock["place_id"]})
        assert editor.target.findText("Door: Back door") >= 0

    on_site(qtbot, run, tmp_path, scenario)


# --- the pure parts: blocks of a week and the form's body ---------------------------------------


def weekly(schedule_id: int, days: set[int], start: str, end: str, **extra: object):
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    body = {
        "type": "recurring_event",
        "enabled": True,
        "consequence": "unlock",
        "scheduleable_type": "Lock",
        "scheduleable_id": 1,
        **{n: i in days for i, n in enumerate(names)},
        "starts_at_time": start,
        "ends_at_time": end,
        **extra,
    }
    return parse_schedule(body, schedule_id=schedule_id)


def test_blocks_follow_the_wall_clock_across_daylight_saving() -> None:
    # Berlin: clocks go back on Sunday 25 October 2026 and forward on Sunday 29 March 2026.
    autumn = week_blocks([weekly(1, {6}, "01:00", "04:00")], date(2026, 10, 19), "Europe/Berlin")
    assert spans(autumn) == [(6, 60, 240)]
    # 02:30 does not exist that night: the window starts when the clock reads 03:00.
    spring = week_blocks([weekly(1, {6}, "02:30", "04:00")], date(2026, 3, 23), "Europe/Berlin")
    assert spans(spring) == [(6, 180, 240)]


def test_overlapping_blocks_sit_side_by_side_and_overrides_lie_over_them() -> None:
    blocks = week_blocks(
        [
            weekly(1, {0}, "08:00", "12:00"),
            weekly(2, {0}, "10:00", "14:00", consequence="first_to_arrive"),
            weekly(3, {0}, "11:00", "13:00", override=True),
            weekly(4, {0}, "12:00", "16:00", consequence="allow"),
        ],
        date(2026, 11, 23),
        "UTC",
    )
    assert [(b.schedule_id, b.lane, b.lanes, b.style) for b in blocks] == [
        (1, 0, 2, BlockStyle.UNLOCK),
        (2, 1, 2, BlockStyle.FIRST_TO_ARRIVE),
        (3, 0, 1, BlockStyle.OVERRIDE),
        (4, 0, 2, BlockStyle.ALLOW),
    ]
    # Sunday night runs into Monday: last week's spills into this Monday morning.
    late = week_blocks([weekly(3, {6}, "22:00", "02:00")], date(2026, 11, 23), "UTC")
    assert spans(late) == [(0, 0, 120), (6, 1320, 1440)]
    assert late[0].from_previous_day and late[1].to_next_day


def test_form_body_round_trip_and_plain_errors() -> None:
    target = Target("Lock", 1, "Front door", "Europe/Berlin")
    form = ScheduleForm(
        type=ScheduleType.SINGLE_EVENT,
        starts_at=datetime(2026, 7, 1, 10, 0),
        ends_at=datetime(2026, 7, 1, 11, 30),
    )
    body = form.body(target)
    assert body["starts_at"] == "2026-07-01T10:00:00+02:00"
    shown = schedule_to_dict(parse_schedule(body), all_fields=True)
    again = ScheduleForm.from_schedule(shown, "Europe/Berlin")
    assert (again.starts_at, again.ends_at) == (form.starts_at, form.ends_at)
    assert describe(shown, "Europe/Berlin") == "Unlock · 01 Jul 2026 10:00 → 01 Jul 2026 11:30"
    failed = ValidationFailed({"starts_at_time": ["must be a time like 09:30 (hh:mm)"]})
    assert plain_error(failed) == "Start time must be a time like 09:30 (hh:mm)."
