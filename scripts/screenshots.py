"""Regenerate docs/screenshots/ from the real app under Xvfb.

Usage: `.venv/bin/python scripts/screenshots.py docs/screenshots` (or `make screenshots`).
Starts Xvfb, the app's main window with an embedded controller in a temporary folder, and
simulated devices on loopback (discovery on the loopback interface only), walks through
commissioning a door, and saves a PNG of each step.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def start_xvfb() -> subprocess.Popen[bytes]:
    """Start a virtual X display and point Qt at it."""
    if shutil.which("Xvfb") is None:
        raise SystemExit(
            "Xvfb is missing: run `make screenshots` (it installs xvfb) or `apt-get install xvfb`."
        )
    display = ":97"
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("Xvfb did not start")
        time.sleep(0.05)
    return proc


async def until(check: Callable[[], object], what: str, timeout: float = 15) -> None:
    """Wait for a condition while the Qt/asyncio loop keeps running."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def walkthrough(out: Path, data: Path) -> None:
    """Drive the app through commissioning and save screenshots."""
    from PySide6.QtWidgets import QApplication

    from app.access.wiegand import encode
    from app.controller.resources import LOCKS, PLACES
    from app.controller.service import Controller, ControllerConfig
    from app.ui.main_window import MainWindow
    from hardware.devicesim.sim import DeviceSim
    from hardware.link.messages import Credential
    from hardware.link.runner import ServerAddress

    controller = Controller(
        ControllerConfig(
            data_dir=data / "site",
            api_port=0,
            device_host="127.0.0.1",
            device_port=0,
            device_fallback_port=None,
        )
    )
    await controller.start()
    assert controller.device_port
    sim = DeviceSim(
        data / "devices",
        2,
        1,
        ServerAddress("127.0.0.1", controller.device_port, None),
        heartbeat_interval=None,
        feedback_seconds=30,
    )
    await sim.start()
    window = MainWindow(controller, interface="lo")
    window.resize(1280, 760)
    window.show()
    app = QApplication.instance()
    assert app is not None

    def shot(name: str) -> None:
        app.processEvents()
        window.grab().save(str(out / f"{name}.png"))
        print(f"saved {out / name}.png")

    installer = window.installer
    await until(lambda: installer.model.rowCount() == 3, "three devices")
    reader, second = sim.readers
    door_controller = sim.controllers[0]
    place = controller.site.create(
        PLACES, {"name": "Headquarters", "address": "1 Main St", "time_zone": "Europe/Berlin"}
    )
    for name in ("Front door", "Back door", "Server room"):
        controller.site.create(LOCKS, {"name": name, "place_id": place["id"]})
    window.bridge.site_changed.emit()
    installer.select_serial(reader.serial)
    installer.adopt_token.setText(reader.token)
    installer.adopt_name.setText("Front door reader")
    shot("installer-adopt")

    await controller.adoption.assign_reader(
        reader.token, {"name": "Front door reader", "place_id": place["id"]}
    )
    await controller.adoption.assign_controller(
        door_controller.token, {"name": "Controller 1", "place_id": place["id"]}
    )
    installer.select_serial(door_controller.serial)
    installer.relay_duration.setValue(5)
    installer.connect_relay()
    installer.select_serial(reader.serial)
    installer.reader_door.setCurrentIndex(0)
    installer.assign_door()
    await until(lambda: reader.led == "white", "reader assigned")
    shot("installer-reader")
    installer.select_serial(door_controller.serial)
    shot("installer-door-controller")

    site = window.site
    window.tabs.setCurrentWidget(site)
    site.group_name.setText("Staff")
    site.add_group()
    site.groups.selectRow(0)
    for i in range(site.group_doors.count() - 1):
        from PySide6.QtCore import Qt

        site.group_doors.item(i).setCheckState(Qt.CheckState.Checked)
    site.save_group_doors()
    site.person_name.setText("Jane Doe")
    site.person_email.setText("jane@example.com")
    site.person_group.setCurrentIndex(1)
    site.add_person()
    site.people.selectRow(0)
    site.card_facility.setValue(118)
    site.card_number.setValue(1603)
    site.give_card()
    site.tabs.setCurrentIndex(3)
    shot("site-people")
    site.tabs.setCurrentIndex(1)
    shot("site-doors")

    await reader.present(Credential(wiegand=encode("H10301", 118, 1603)))
    await reader.present(Credential(wiegand=encode("H10301", 7, 4242)))
    window.tabs.setCurrentWidget(window.events)
    shot("events")
    del second
    await window.shutdown()
    await sim.async_close()
    await controller.stop()
    window.close()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    xvfb = start_xvfb()
    try:
        import qasync
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv)
        app.setApplicationName("Lintel")
        with tempfile.TemporaryDirectory() as tmp:
            qasync.run(walkthrough(out, Path(tmp)))
        del app
    finally:
        xvfb.terminate()
        xvfb.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
