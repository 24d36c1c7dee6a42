"""The installer's area: live devices, adopt by label code, assign readers and relays to doors."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.controller.registry import LiveDevice
from app.controller.resources import LOCKS, PLACES, READERS, RELAY_CONNECTIONS
from app.ui.blinkup_plan import ServerChoice, device_server
from app.ui.blinkup_screen import BlinkUpDialog
from app.ui.bridge import ControllerBridge
from app.ui.device_table import DeviceRow, DeviceTableModel
from app.ui.errors import explain
from app.ui.widgets import Feedback, fill_combo
from hardware.discovery import DiscoveryEvent, list_interfaces

log = logging.getLogger("lintel.ui.installer")


class InstallerArea(QWidget):
    """Devices on the left, what to do with the selected one on the right."""

    def __init__(self, bridge: ControllerBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.controller = bridge.controller
        # The network chosen for discovery (set by the main window); BlinkUp sends readers
        # this network's address of the device server.
        self.network_interface: Callable[[], str | None] = lambda: None
        self.model = DeviceTableModel()
        self.table = QTableView()
        self.table.setObjectName("deviceTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        self.banner = QLabel()
        self.banner.setObjectName("installerBanner")
        self.banner.setWordWrap(True)
        self.stack = QStackedWidget()
        self.empty_page = QLabel(
            "Select a device to adopt it, assign it to a door or identify it.\n\n"
            "New readers appear here when they reach this computer's device server "
            "or announce themselves on the chosen network."
        )
        self.empty_page.setWordWrap(True)
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.adopt_page = self._build_adopt_page()
        self.reader_page = self._build_reader_page()
        self.controller_page = self._build_controller_page()
        for page in (self.empty_page, self.adopt_page, self.reader_page, self.controller_page):
            self.stack.addWidget(page)
        self.feedback = Feedback()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.stack)
        right_layout.addWidget(self.feedback)
        right_layout.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([780, 460])
        self.blinkup_button = QPushButton("Set up a reader with BlinkUp…")
        self.blinkup_button.setObjectName("blinkupButton")
        self.blinkup_button.setToolTip(
            "Send Wi-Fi or static IP settings to a new reader (LED amber) by flashing the screen"
        )
        self.blinkup_button.clicked.connect(self.open_blinkup)
        self.blinkup_dialog: BlinkUpDialog | None = None
        top = QHBoxLayout()
        top.addWidget(self.banner, 1)
        top.addWidget(self.blinkup_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        bridge.device_changed.connect(self._on_device)
        bridge.discovery_changed.connect(self._on_discovery)
        bridge.site_changed.connect(self.refresh_choices)
        for device in self.controller.registry.devices():
            self.model.apply_live(device)
        self._update_banner()
        self.refresh_choices()

    # --- pages ---------------------------------------------------------------------------------

    def _build_adopt_page(self) -> QWidget:
        box = QGroupBox("Adopt this device")
        self.adopt_token = QLineEdit()
        self.adopt_token.setObjectName("adoptToken")
        self.adopt_token.setPlaceholderText("12 characters, printed on the label")
        self.adopt_name = QLineEdit()
        self.adopt_name.setObjectName("adoptName")
        self.adopt_name.setPlaceholderText("e.g. Front door reader")
        self.adopt_place = QComboBox()
        self.adopt_place.setObjectName("adoptPlace")
        self.adopt_button = QPushButton("Adopt")
        self.adopt_button.setObjectName("adoptButton")
        self.adopt_button.clicked.connect(self.adopt)
        form = QFormLayout(box)
        form.addRow(QLabel("Type the code from the device's label to prove it is yours."))
        form.addRow("Code on label", self.adopt_token)
        form.addRow("Name", self.adopt_name)
        form.addRow("Place", self.adopt_place)
        form.addRow(self.adopt_button)
        return box

    def _build_reader_page(self) -> QWidget:
        box = QGroupBox("Reader")
        self.reader_title = QLabel()
        self.reader_door = QComboBox()
        self.reader_door.setObjectName("readerDoor")
        self.assign_button = QPushButton("Assign to door")
        self.assign_button.setObjectName("assignDoorButton")
        self.assign_button.clicked.connect(self.assign_door)
        self.identify_button = QPushButton("Identify (blink LED)")
        self.identify_button.setObjectName("identifyButton")
        self.identify_button.clicked.connect(self.identify)
        form = QFormLayout(box)
        form.addRow(self.reader_title)
        form.addRow("Door", self.reader_door)
        buttons = QHBoxLayout()
        buttons.addWidget(self.assign_button)
        buttons.addWidget(self.identify_button)
        form.addRow(buttons)
        return box

    def _build_controller_page(self) -> QWidget:
        box = QGroupBox("Door controller")
        self.controller_title = QLabel()
        self.relay_channel = QComboBox()
        self.relay_channel.setObjectName("relayChannel")
        for channel in range(1, 5):
            self.relay_channel.addItem(f"Relay {channel}", channel)
        self.relay_door = QComboBox()
        self.relay_door.setObjectName("relayDoor")
        self.relay_duration = QDoubleSpinBox()
        self.relay_duration.setObjectName("relayDuration")
        self.relay_duration.setRange(1, 300)
        self.relay_duration.setValue(5)
        self.relay_duration.setSuffix(" s unlocked")
        self.connect_relay_button = QPushButton("Connect relay to door")
        self.connect_relay_button.setObjectName("connectRelayButton")
        self.connect_relay_button.clicked.connect(self.connect_relay)
        self.relay_summary = QLabel()
        self.relay_summary.setObjectName("relaySummary")
        self.relay_summary.setWordWrap(True)
        identify = QPushButton("Identify")
        identify.clicked.connect(self.identify)
        form = QFormLayout(box)
        form.addRow(self.controller_title)
        form.addRow("Relay", self.relay_channel)
        form.addRow("Door", self.relay_door)
        form.addRow("Unlock time", self.relay_duration)
        form.addRow(self.connect_relay_button)
        form.addRow(self.relay_summary)
        form.addRow(identify)
        return box

    # --- state ---------------------------------------------------------------------------------

    def _update_banner(self) -> None:
        port = self.controller.device_port
        self.banner.setText(
            f"Device server listening on port {port}. Readers and door controllers connect "
            "here; adopt them with the code on their label."
            if port
            else "The device server is not running."
        )

    def refresh_choices(self) -> None:
        """Reload places and doors into the pickers."""
        places = self.controller.site.list(PLACES, {"limit": "250"}).items
        locks = self.controller.site.list(LOCKS, {"limit": "250"}).items
        fill_combo(self.adopt_place, [(p["name"], p["id"]) for p in places])
        doors = [(f"{lk['name']} ({lk['place']['name']})", lk["id"]) for lk in locks]
        fill_combo(self.reader_door, doors)
        fill_combo(self.relay_door, doors)

    def selected(self) -> DeviceRow | None:
        """The device selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_serial(self, serial: str) -> None:
        """Select a device by serial."""
        i = self.model.find(serial)
        if i >= 0:
            self.table.selectRow(i)

    def _on_device(self, device: LiveDevice) -> None:
        self.model.apply_live(device)
        current = self.selected()
        if current is not None and current.serial == device.serial:
            self._show(current)
        self._update_banner()

    def _on_discovery(self, event: DiscoveryEvent) -> None:
        self.model.apply_discovered(event.device, event.kind != "removed")

    def _on_selection(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self.feedback.clear()
        self._show(self.selected())

    def _show(self, row: DeviceRow | None) -> None:
        if row is None:
            self.stack.setCurrentWidget(self.empty_page)
        elif not row.adopted:
            self.stack.setCurrentWidget(self.adopt_page)
            self.adopt_button.setEnabled(row.connected)
            self.adopt_button.setToolTip(
                "" if row.connected else "The device must be connected to adopt it"
            )
        elif row.kind == "reader":
            self.reader_title.setText(f"<b>{row.name}</b> — serial {row.serial}")
            self.stack.setCurrentWidget(self.reader_page)
        else:
            self.controller_title.setText(f"<b>{row.name}</b> — serial {row.serial}")
            self._show_relays(row.serial)
            self.stack.setCurrentWidget(self.controller_page)

    def _show_relays(self, serial: str) -> None:
        rows = self.controller.adoption.relays(serial)
        lines = [
            f"Relay {r['channel']}: {r['door']} ({r['duration']:g} s)"
            if r["door"]
            else f"{'AUX relay' if r['channel'] == 5 else 'Relay ' + str(r['channel'])}: free"
            for r in rows
        ]
        self.relay_summary.setText("\n".join(lines))

    # --- BlinkUp -------------------------------------------------------------------------------

    def open_blinkup(self) -> BlinkUpDialog:
        """Open the BlinkUp dialog (one at a time) and return it."""
        if self.blinkup_dialog is not None:
            self.blinkup_dialog.close()
            self.blinkup_dialog.deleteLater()
        dialog = BlinkUpDialog(self.bridge, self.device_server, self)
        dialog.reader_connected.connect(self.select_serial)
        self.blinkup_dialog = dialog
        dialog.show()
        return dialog

    def device_server(self) -> ServerChoice:
        """Where a reader on the network chosen for discovery reaches the device server."""
        return device_server(
            self.network_interface(), list_interfaces(), self.controller.device_port
        )

    # --- actions -------------------------------------------------------------------------------

    @asyncSlot()
    async def adopt(self) -> None:
        """Adopt the selected pending device with the typed label code."""
        row = self.selected()
        if row is None:
            return
        body = {
            "name": self.adopt_name.text().strip() or row.serial,
            "place_id": self.adopt_place.currentData(),
        }
        token = self.adopt_token.text().strip().lower()
        if not token:
            self.feedback.error("Type the code printed on the device's label.")
            return
        if body["place_id"] is None:
            self.feedback.error("Create a place first (Site → Places), then adopt the device.")
            return
        try:
            if row.kind == "reader":
                await self.controller.adoption.assign_reader(token, body)
            else:
                await self.controller.adoption.assign_controller(token, body)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.adopt_token.clear()
        self.feedback.success(f"Adopted {body['name']}.")
        self._show(self.selected())

    @asyncSlot()
    async def assign_door(self) -> None:
        """Bind the selected reader to the chosen door."""
        row = self.selected()
        lock_id = self.reader_door.currentData()
        if row is None or lock_id is None:
            self.feedback.error("Create a door first (Site → Doors), then assign the reader.")
            return
        try:
            reader_id = self.controller.adoption.reader_id(row.serial)
            self.controller.site.update(READERS, reader_id, {"lock_id": lock_id})
            await self.controller.adoption.push_reader_state(reader_id)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.feedback.success(f"{row.name} now opens {self.reader_door.currentText()}.")

    def connect_relay(self) -> None:
        """Wire a relay of the selected door controller to the chosen door."""
        row = self.selected()
        lock_id = self.relay_door.currentData()
        if row is None or lock_id is None:
            self.feedback.error("Create a door first (Site → Doors), then connect a relay.")
            return
        channel = self.relay_channel.currentData()
        relay = next(
            (r for r in self.controller.adoption.relays(row.serial) if r["channel"] == channel),
            None,
        )
        if relay is None:
            self.feedback.error("This door controller is not adopted yet.")
            return
        body = {
            "type": "lock",
            "relay_id": relay["id"],
            "lock_id": lock_id,
            "duration": self.relay_duration.value(),
        }
        try:
            self.controller.site.create(RELAY_CONNECTIONS, body)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self._show_relays(row.serial)
        self.feedback.success(
            f"{self.relay_channel.currentText()} now drives {self.relay_door.currentText()}."
        )

    @asyncSlot()
    async def identify(self) -> None:
        """Blink the selected device's LED."""
        row = self.selected()
        if row is None:
            return
        try:
            await self.controller.adoption.identify(row.serial)
        except Exception as exc:
            self.feedback.error(explain(exc))
            return
        self.feedback.success(f"{row.name or row.serial} is blinking for 5 seconds.")
