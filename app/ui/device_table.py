"""The installer's live device list: devices that reached the device server or were discovered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.controller.registry import LiveDevice
from hardware.discovery import DiscoveredDevice

COLUMNS = ("Kind", "Name", "Status", "Connection", "IP address", "MAC", "Serial", "Firmware", "LED")
KIND_NAMES = {"reader": "Reader", "door_controller": "Door controller"}
LED_COLOURS = {
    "green": "#2e7d32",
    "red": "#c62828",
    "amber": "#ef8f00",
    "white": "#9e9e9e",
    "dim_white": "#bdbdbd",
    "blinking_red": "#c62828",
    "blinking_white": "#757575",
}

Index = QModelIndex | QPersistentModelIndex


@dataclass
class DeviceRow:
    """What the table shows for one device, merged from the device server and DNS-SD."""

    serial: str
    kind: str
    name: str = ""
    model: str = ""
    firmware: str = ""
    mac: str = ""
    host: str = ""
    connected: bool = False
    adopted: bool = False
    discovered: bool = False
    led: str | None = None

    @property
    def status(self) -> str:
        """Pending or adopted, in words."""
        return "Adopted" if self.adopted else "Pending"

    @property
    def connection(self) -> str:
        """How we know of the device, in words."""
        if self.connected:
            return "Connected"
        return "Seen on network" if self.discovered else "Offline"


class DeviceTableModel(QAbstractTableModel):
    """Rows of DeviceRow, kept in first-seen order."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DeviceRow] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of devices."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text and colours."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "Status" and not row.adopted:
                return QColor("#ef8f00")
            if column == "Connection":
                return QColor("#2e7d32" if row.connected else "#757575")
            if column == "LED" and row.led:
                return QColor(LED_COLOURS.get(row.led, "#424242"))
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    @staticmethod
    def _text(row: DeviceRow, column: str) -> str:
        return {
            "Kind": KIND_NAMES.get(row.kind, row.kind),
            "Name": row.name or "—",
            "Status": row.status,
            "Connection": row.connection,
            "IP address": row.host,
            "MAC": row.mac,
            "Serial": row.serial,
            "Firmware": row.firmware,
            "LED": (row.led or "—").replace("_", " "),
        }[column]

    def row_at(self, index: int) -> DeviceRow | None:
        """The device in a row."""
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def find(self, serial: str) -> int:
        """Row of a serial, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.serial == serial), -1)

    def _upsert(self, serial: str, kind: str, **fields: Any) -> None:
        i = self.find(serial)
        if i < 0:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(DeviceRow(serial=serial, kind=kind, **fields))
            self.endInsertRows()
            return
        row = self._rows[i]
        for key, value in fields.items():
            setattr(row, key, value)
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def apply_live(self, device: LiveDevice) -> None:
        """Merge what the device server knows."""
        self._upsert(
            device.serial,
            device.kind,
            name=device.name or "",
            model=device.model,
            firmware=device.firmware,
            mac=device.mac,
            host=device.host,
            connected=device.connected,
            adopted=device.adopted,
            led=device.led,
        )

    def apply_discovered(self, device: DiscoveredDevice, present: bool) -> None:
        """Merge what DNS-SD announced (or its withdrawal)."""
        i = self.find(device.serial)
        if not present:
            if i >= 0:
                self._upsert(device.serial, self._rows[i].kind, discovered=False)
            return
        fields: dict[str, Any] = {"discovered": True}
        if i < 0 or not self._rows[i].connected:
            fields.update(
                model=device.model, firmware=device.firmware, mac=device.mac, host=device.host
            )
        if i < 0:
            fields["adopted"] = str(device.state) == "adopted"
        self._upsert(device.serial, str(device.kind), **fields)
