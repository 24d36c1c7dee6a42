"""Start the desktop app: Qt on an asyncio loop (qasync) with the controller embedded."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.controller.service import Controller, ControllerConfig


def default_data_dir() -> Path:
    """Where the desktop app keeps the site: ``$XDG_DATA_HOME/lintel``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "lintel"


async def _run(
    app: QApplication, config: ControllerConfig, interface: str | None, card_reader: str | None
) -> int:
    from app.ui.main_window import MainWindow

    controller = Controller(config)
    try:
        await controller.start()
    except OSError as exc:
        await controller.stop()
        QMessageBox.critical(
            None,
            "Lintel cannot start",
            f"The controller could not listen for devices or API calls: {exc.strerror}.\n\n"
            "Another copy of Lintel may be running. Close it and try again.",
        )
        return 1
    window = MainWindow(controller, interface, card_reader=card_reader)
    window.show()
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    app.lastWindowClosed.connect(quitting.set)
    await quitting.wait()
    await window.shutdown()
    await controller.stop()
    return 0


def run_gui(
    data_dir: Path | None,
    interface: str | None,
    api_port: int = 8080,
    device_port: int = 31314,
    card_reader: str | None = "usb",
) -> int:
    """Open the main window until it is closed.

    Args:
        data_dir: The site's data folder (default: under ``$XDG_DATA_HOME``).
        interface: Network interface to discover devices on, if any.
        api_port: Port of the REST API.
        device_port: Port of the device server.
        card_reader: nfcpy path of the front desk's HF card reader (None: no reader).
    """
    import qasync

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Lintel")
    app.setQuitOnLastWindowClosed(False)
    config = ControllerConfig(
        data_dir=data_dir or default_data_dir(),
        api_port=api_port,
        device_port=device_port,
        api_port_fallback=True,
    )
    result: int = qasync.run(_run(app, config, interface, card_reader))
    return result
