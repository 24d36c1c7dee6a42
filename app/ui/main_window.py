"""The main window: installer, site and events areas around the embedded controller."""

from __future__ import annotations

import logging

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.controller.service import Controller
from app.ui.bridge import ControllerBridge
from app.ui.dialogs import DialogService
from app.ui.events_area import EventsArea
from app.ui.front_desk import FrontDeskArea
from app.ui.installer import InstallerArea
from app.ui.site_area import SiteArea
from app.ui.widgets import fill_combo
from hardware.discovery import DeviceBrowser, DiscoveryError, list_interfaces

log = logging.getLogger("lintel.ui")
NOT_SCANNING = "Not scanning"


class MainWindow(QMainWindow):
    """One window; the areas are tabs so an installer and a front desk find their place."""

    def __init__(
        self,
        controller: Controller,
        interface: str | None = None,
        dialogs: DialogService | None = None,
        card_reader: str | None = None,
    ) -> None:
        """Build the areas; ``card_reader`` is the front desk's nfcpy reader path (None: none)."""
        super().__init__()
        self.setWindowTitle("Lintel")
        self.resize(1200, 760)
        self.controller = controller
        self.bridge = ControllerBridge(controller, self)
        self.browser: DeviceBrowser | None = None

        self.interface = QComboBox()
        self.interface.setObjectName("discoveryInterface")
        self.interface.setToolTip(
            "The network to look for readers on. Lintel only scans the network you choose."
        )
        choices: list[tuple[str, str | None]] = [(NOT_SCANNING, None)]
        for choice in list_interfaces():
            choices.append((f"{choice.name} ({choice.address})", choice.name))
        fill_combo(self.interface, choices)
        self.interface.currentIndexChanged.connect(self._interface_chosen)
        self.discovery_status = QLabel()
        self.discovery_status.setObjectName("discoveryStatus")

        header = QHBoxLayout()
        title = QLabel(
            "<span style='font-size:18px; font-weight:600'>Lintel</span>"
            "<span style='color:#616161'> — door access studio</span>"
        )
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(QLabel("Discover devices on:"))
        header.addWidget(self.interface)
        header.addWidget(self.discovery_status)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("areas")
        self.installer = InstallerArea(self.bridge)
        self.installer.network_interface = self.interface.currentData
        self.front_desk = FrontDeskArea(self.bridge, dialogs, card_reader)
        self.site = SiteArea(self.bridge, dialogs=dialogs)
        self.events = EventsArea(self.bridge, dialogs)
        self.tabs.addTab(self.installer, "Installer")
        self.tabs.addTab(self.front_desk, "Front desk")
        self.tabs.addTab(self.site, "Site")
        self.tabs.addTab(self.events, "Events")

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.bridge.device_changed.connect(lambda _d: self._update_status())
        self._update_status()
        if interface is not None:
            index = self.interface.findData(interface)
            if index < 0:
                self.interface.addItem(interface, interface)
                index = self.interface.count() - 1
            self.interface.setCurrentIndex(index)

    def _update_status(self) -> None:
        devices = self.controller.registry.devices()
        online = sum(d.connected for d in devices)
        api = (
            f"API on 127.0.0.1:{self.controller.api_port}"
            if self.controller.api_port
            else ("API off")
        )
        self.statusBar().showMessage(
            f"Controller running · {api} · device server on port {self.controller.device_port}"
            f" · {online} device{'s' if online != 1 else ''} connected"
        )

    @asyncSlot()
    async def _interface_chosen(self) -> None:
        await self.set_interface(self.interface.currentData())

    async def set_interface(self, interface: str | None) -> None:
        """Browse for devices on one interface (None stops browsing)."""
        if self.browser is not None:
            await self.browser.async_close()
            self.browser = None
        if interface is None:
            self.discovery_status.setText("")
            return
        browser = DeviceBrowser(interface, self.bridge.on_discovery)
        try:
            await browser.async_start()
        except DiscoveryError as exc:
            self.discovery_status.setText(f"Cannot scan: {exc}")
            return
        self.browser = browser
        self.discovery_status.setText("Scanning…")

    async def shutdown(self) -> None:
        """Stop browsing, listening and the card reader; idempotent."""
        await self.front_desk.shutdown()
        if self.browser is not None:
            await self.browser.async_close()
            self.browser = None
        self.bridge.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window quits the app (the controller stops with it)."""
        event.accept()
