"""The week grid: Monday to Sunday, 00:00 to 24:00, with each schedule's occurrences as blocks.

:func:`week_blocks` turns schedules into plain :class:`Block` values with
:func:`app.access.schedules.occurrences` in the place's time zone (a window that crosses
midnight becomes a block on each day); :class:`WeekView` paints them with QPainter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.access import holidays as hol
from app.access.schedules import HolidayCalendar, Schedule, occurrences

DAY_MINUTES = 24 * 60
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class BlockStyle(StrEnum):
    """How a block is drawn: by what it does, or as an override or a holiday."""

    UNLOCK = "unlock"
    FIRST_TO_ARRIVE = "first_to_arrive"
    ALLOW = "allow"
    HOLIDAY = "holiday"
    OVERRIDE = "override"


# (fill, border, text) of each style.
STYLE_COLOURS: dict[BlockStyle, tuple[str, str, str]] = {
    BlockStyle.UNLOCK: ("#c8e6c9", "#2e7d32", "#1b5e20"),
    BlockStyle.FIRST_TO_ARRIVE: ("#b2dfdb", "#00796b", "#004d40"),
    BlockStyle.ALLOW: ("#bbdefb", "#1565c0", "#0d47a1"),
    BlockStyle.HOLIDAY: ("#ffe0b2", "#ef6c00", "#7a3300"),
    BlockStyle.OVERRIDE: ("#ffebee", "#c62828", "#8e0000"),
}
LEGEND = (
    (BlockStyle.UNLOCK, "Unlock"),
    (BlockStyle.FIRST_TO_ARRIVE, "First to arrive"),
    (BlockStyle.ALLOW, "Allow"),
    (BlockStyle.HOLIDAY, "Holiday"),
    (BlockStyle.OVERRIDE, "Override (cancels the others)"),
)


@dataclass(frozen=True)
class Block:
    """One day's part of one occurrence; minutes are wall-clock minutes of the place."""

    schedule_id: int
    day: int  # 0 = Monday
    start: int  # minutes after local midnight
    end: int  # up to 1440
    label: str
    when: str  # the whole occurrence, e.g. "22:00 → 06:00"
    style: BlockStyle
    from_previous_day: bool = False
    to_next_day: bool = False
    lane: int = 0
    lanes: int = 1


def _style(schedule: Schedule) -> BlockStyle:
    if schedule.override:
        return BlockStyle.OVERRIDE
    if isinstance(schedule, HolidayCalendar):
        return BlockStyle.HOLIDAY
    return BlockStyle(schedule.consequence.value)


def _label(schedule: Schedule, day: date) -> str:
    """The schedule's name; on a holiday calendar, the holiday's own name."""
    name = schedule.name or schedule.consequence.value.replace("_", " ").capitalize()
    if isinstance(schedule, HolidayCalendar):
        found = hol.holiday_list(schedule.region, day.year, schedule.observed)
        return next((h.name for h in found if h.date == day), name)
    return name


def _minutes(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def _when(start: datetime, end: datetime, schedule: Schedule) -> str:
    if isinstance(schedule, HolidayCalendar):  # the label names the holiday: say whose it is
        return schedule.name or "Holiday"
    if start.time() == end.time() == time(0):
        return "all day"
    return f"{start:%H:%M} → {'24:00' if end.time() == time(0) else f'{end:%H:%M}'}"


def week_blocks(schedules: Sequence[Schedule], monday: date, tz: str) -> list[Block]:
    """Blocks of the week that starts on ``monday``, in lanes where they overlap.

    Disabled schedules have no occurrences, so they draw nothing.
    """
    zone = ZoneInfo(tz)
    # A day beyond each end, so windows crossing the week's edges keep their real ends.
    start = datetime.combine(monday - timedelta(days=1), time(0), zone)
    end = datetime.combine(monday + timedelta(days=8), time(0), zone)
    out: list[Block] = []
    for schedule in schedules:
        for window in occurrences(schedule, start, end, tz):
            first, last = window.start.astimezone(zone), window.end.astimezone(zone)
            day = first.date()
            while day <= (last - timedelta(microseconds=1)).date():
                begin = _minutes(first) if day == first.date() else 0
                stop = _minutes(last) if day == last.date() else DAY_MINUTES
                index = (day - monday).days
                if 0 <= index < 7 and stop > begin:
                    out.append(
                        Block(
                            schedule.id,
                            index,
                            begin,
                            stop,
                            _label(schedule, day),
                            _when(first, last, schedule),
                            _style(schedule),
                            from_previous_day=day != first.date(),
                            to_next_day=day != last.date(),
                        )
                    )
                day += timedelta(days=1)
    return _lanes(sorted(out, key=lambda b: (b.day, b.start, -b.end, b.schedule_id)))


def _lanes(blocks: list[Block]) -> list[Block]:
    """Side by side where blocks of a day overlap (each day as wide as its busiest moment).

    Override blocks take no lane: they are drawn across the whole day, over what they cancel.
    """
    out: list[Block] = [b for b in blocks if b.style is BlockStyle.OVERRIDE]
    for day in range(7):
        ends: list[int] = []
        placed = []
        for block in (b for b in blocks if b.day == day and b.style is not BlockStyle.OVERRIDE):
            lane = next((i for i, e in enumerate(ends) if e <= block.start), len(ends))
            if lane == len(ends):
                ends.append(block.end)
            ends[lane] = block.end
            placed.append(replace(block, lane=lane))
        out += [replace(b, lanes=max(1, len(ends))) for b in placed]
    return sorted(out, key=lambda b: (b.day, b.start, b.style is BlockStyle.OVERRIDE, b.lane))


class WeekView(QWidget):
    """Paints a week of blocks; clicking a block emits its schedule's id."""

    block_clicked = Signal(int)
    GUTTER, HEADER, LEGEND_HEIGHT = 46.0, 36.0, 24.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weekView")
        self.setMinimumSize(520, 380)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._days: list[date] = []
        self._blocks: list[Block] = []
        self._now: tuple[date, int] | None = None

    def sizeHint(self) -> QSize:
        """Room for readable hour labels and block text."""
        return QSize(760, 520)

    def show_week(
        self,
        schedules: Sequence[Schedule],
        monday: date,
        tz: str,
        now: tuple[date, int] | None = None,
    ) -> None:
        """Draw the week starting ``monday``; ``now`` is today's date and minute, to mark."""
        self._days = [monday + timedelta(days=i) for i in range(7)]
        self._blocks = week_blocks(schedules, monday, tz)
        self._now = now
        self.update()

    def blocks(self) -> list[Block]:
        """What is drawn, as data."""
        return list(self._blocks)

    def days(self) -> list[date]:
        """The dates of the shown week."""
        return list(self._days)

    # --- geometry ------------------------------------------------------------------------------

    def _grid(self) -> QRectF:
        return QRectF(
            self.GUTTER,
            self.HEADER,
            self.width() - self.GUTTER - 6,
            self.height() - self.HEADER - self.LEGEND_HEIGHT - 4,
        )

    def _y(self, minute: int) -> float:
        grid = self._grid()
        return grid.top() + grid.height() * minute / DAY_MINUTES

    def block_rect(self, block: Block) -> QRectF:
        """Where a block is drawn."""
        grid = self._grid()
        column = grid.width() / 7
        width = column / block.lanes
        left = grid.left() + column * block.day + width * block.lane
        top, bottom = self._y(block.start), self._y(block.end)
        return QRectF(left + 2, top + 1, width - 4, max(bottom - top - 2, 4.0))

    def block_at(self, point: QPointF) -> Block | None:
        """The block drawn at a point (the topmost one)."""
        return next((b for b in reversed(self._blocks) if self.block_rect(b).contains(point)), None)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Pick the block under the pointer."""
        block = self.block_at(event.position())
        if block is None:
            super().mousePressEvent(event)
        else:
            self.block_clicked.emit(block.schedule_id)

    def event(self, event: QEvent) -> bool:
        """Tooltips with a block's full label, which may be cut short in the grid."""
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            block = self.block_at(QPointF(event.pos()))
            if block is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), f"{block.label}\n{block.when}", self)
            return True
        return super().event(event)

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Grid, today, blocks, the now line and the legend."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        grid = self._grid()
        column = grid.width() / 7
        today = self._now[0] if self._now else None
        for i, day in enumerate(self._days):
            x = grid.left() + column * i
            font = QFont(self.font())
            font.setBold(day == today)
            painter.setFont(font)
            if day == today:
                painter.fillRect(QRectF(x, 0, column, grid.bottom()), QColor("#fff8d6"))
            painter.setPen(QColor("#b26a00" if day == today else "#37474f"))
            half = self.HEADER / 2
            top = DAY_NAMES[i] + (" · today" if day == today else "")
            for n, words in enumerate((top, f"{day:%d %b}")):
                shown = painter.fontMetrics().elidedText(
                    words, Qt.TextElideMode.ElideRight, int(column) - 4
                )
                painter.drawText(
                    QRectF(x, n * half, column, half), Qt.AlignmentFlag.AlignCenter, shown
                )
        self._paint_hours(painter, grid)
        for block in self._blocks:
            self._paint_block(painter, block)
        if self._now and today in self._days:
            y = self._y(self._now[1])
            x = grid.left() + column * self._days.index(today)
            painter.setPen(QPen(QColor("#d32f2f"), 2))
            painter.drawLine(QPointF(x, y), QPointF(x + column, y))
        self._paint_legend(painter)
        painter.end()

    def _paint_hours(self, painter: QPainter, grid: QRectF) -> None:
        step = 1 if grid.height() / 24 >= 18 else 2
        painter.setFont(self.font())
        for hour in range(25):
            y = self._y(hour * 60)
            major = hour % 6 == 0
            painter.setPen(QPen(QColor("#b0bec5" if major else "#eceff1"), 1))
            painter.drawLine(QPointF(grid.left(), y), QPointF(grid.right(), y))
            if hour % step == 0 and hour < 24:
                painter.setPen(QColor("#546e7a"))
                label = QRectF(0, y - 8, self.GUTTER - 6, 16)
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(label, align, f"{hour:02d}:00")
        painter.setPen(QPen(QColor("#b0bec5"), 1))
        for i in range(8):
            x = grid.left() + grid.width() / 7 * i
            painter.drawLine(QPointF(x, grid.top()), QPointF(x, grid.bottom()))

    def _paint_block(self, painter: QPainter, block: Block) -> None:
        fill, border, text = STYLE_COLOURS[block.style]
        rect = self.block_rect(block)
        override = block.style is BlockStyle.OVERRIDE
        background = QColor(fill)
        pen = QPen(QColor(border), 1.5)
        if override:  # see-through, so what it cancels shows under the hatching
            background.setAlpha(110)
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setBrush(background)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, 3, 3)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.92)
        painter.setFont(font)
        line = painter.fontMetrics().height()
        if override:
            painter.setBrush(QBrush(QColor("#e53935"), Qt.BrushStyle.BDiagPattern))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(rect, 3, 3)
            strip = QRectF(rect.left(), rect.top(), rect.width(), min(rect.height(), 2 * line + 4))
            painter.fillRect(strip.adjusted(1, 1, -1, 0), QColor(fill))
        inner = rect.adjusted(4, 2, -3, -2)
        if inner.height() < line or inner.width() < 12:
            return
        painter.setPen(QColor(text))
        label = block.label + (" (cont.)" if block.from_previous_day else "")
        lines = [label] if inner.height() < 2 * line else [label, block.when]
        for n, words in enumerate(lines):
            font.setBold(n == 0)
            painter.setFont(font)
            shown = painter.fontMetrics().elidedText(
                words, Qt.TextElideMode.ElideRight, int(inner.width())
            )
            painter.drawText(
                QRectF(inner.left(), inner.top() + n * line, inner.width(), line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                shown,
            )

    def _paint_legend(self, painter: QPainter) -> None:
        painter.setFont(self.font())
        x, y = self.GUTTER, self.height() - self.LEGEND_HEIGHT + 4
        for style, words in LEGEND:
            fill, border, _text = STYLE_COLOURS[style]
            swatch = QRectF(x, y + 3, 14, 12)
            painter.setBrush(QColor(fill))
            painter.setPen(QPen(QColor(border), 1.5))
            painter.drawRect(swatch)
            painter.setPen(QColor("#37474f"))
            width = painter.fontMetrics().horizontalAdvance(words)
            painter.drawText(QRectF(x + 19, y, width + 4, 18), Qt.AlignmentFlag.AlignVCenter, words)
            x += width + 38
