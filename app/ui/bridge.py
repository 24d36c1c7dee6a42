"""Core -> UI: re-emit the controller's device and audit callbacks as Qt signals."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from app.controller.registry import LiveDevice
from app.controller.service import Controller
from hardware.discovery import DiscoveryEvent


class ControllerBridge(QObject):
    """The one place the UI listens to the controller; widgets connect to these signals."""

    device_changed = Signal(object)  # LiveDevice
    event_recorded = Signal(dict)  # an audit event as the API shows it
    discovery_changed = Signal(object)  # DiscoveryEvent
    site_changed = Signal()  # places, doors, people or cards were edited in the app

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._unsubscribe = [
            controller.registry.subscribe(self._on_device),
            controller.audit.subscribe(self._on_event),
        ]

    def _on_device(self, device: LiveDevice) -> None:
        self.device_changed.emit(device)

    def _on_event(self, event: dict[str, Any]) -> None:
        self.event_recorded.emit(event)

    def on_discovery(self, event: DiscoveryEvent) -> None:
        """Feed a DNS-SD discovery event to the views."""
        self.discovery_changed.emit(event)

    def close(self) -> None:
        """Stop listening; idempotent."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
