"""Regenerate docs/screenshots/ from the real app under Xvfb.

Usage: `.venv/bin/python scripts/screenshots.py docs/screenshots` (or `make screenshots`).
Starts Xvfb, the app's main window with an embedded controller in a temporary folder, and
simulated devices on loopback (discovery on the loopback interface only), walks through
commissioning a door, puts doors in every live state and gives one a week of schedules, and
saves a PNG of each step. The controller's clock starts at a fixed moment (see
SCREENSHOT_START), so the schedule week looks the same on every run.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The walkthrough runs on a clock that starts on Wednesday 23 December 2026, 10:30 in Berlin
# and then ticks normally, so the schedule screenshot always shows the same (Christmas) week.
SCREENSHOT_START = datetime(2026, 12, 23, 9, 30, tzinfo=UTC)


def screenshot_clock() -> Callable[[], datetime]:
    """A clock that starts at SCREENSHOT_START and advances in real time."""
    began = time.monotonic()
    return lambda: SCREENSHOT_START + timedelta(seconds=time.monotonic() - began)


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
            clock=screenshot_clock(),
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
    from hardware.nfc.udp_emulator import TagEmulator
    from hardware.nfc.udp_tags import EmulatedType2Tag

    card_field = TagEmulator()  # a simulated NFC card on nfcpy's udp: front-end
    card_field.start()
    window = MainWindow(controller, interface="lo", card_reader=card_field.path)
    window.resize(1280, 760)
    window.show()

    async def shot(name: str, widget: Any = None) -> None:
        # Let the loop run what is pending (layout, paints, controller callbacks) through qasync;
        # processEvents() here would run asyncio callbacks inside this task and break them.
        await asyncio.sleep(0.2)
        (widget or window).grab().save(str(out / f"{name}.png"))
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
    await shot("installer-adopt")

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
    await shot("installer-reader")
    installer.select_serial(door_controller.serial)
    await shot("installer-door-controller")

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
    site.tabs.setCurrentIndex(site.tabs.count() - 1)
    await shot("site-people")
    await doors_in_every_state(controller, place["id"], sim, data, window)
    site.tabs.setCurrentWidget(site.doors_view)
    site.doors_view.select_lock(site.doors_view.rows[2].lock_id)
    await shot("site-doors")
    schedules_of_the_week(controller, window)
    site.tabs.setCurrentWidget(site.schedules)
    await shot("site-schedules")
    await zones_of_the_site(controller)
    site.tabs.setCurrentWidget(site.zones)
    site.zones.refresh()
    site.zones.table.clearSelection()
    await shot("site-zones")

    await reader.present(Credential(wiegand=encode("H10301", 118, 1603)))
    await reader.present(Credential(wiegand=encode("H10301", 7, 4242)))
    await blinkup(window, controller, data, out, shot)
    await front_desk(window, card_field, EmulatedType2Tag, shot)
    await card_import(window, data, shot)
    window.tabs.setCurrentWidget(window.events)
    await shot("events")
    del second
    await window.shutdown()
    await sim.async_close()
    for extra in EXTRA_SIMS:
        await extra.async_close()
    await controller.stop()
    card_field.close()
    window.close()


EXTRA_SIMS: list[Any] = []


async def blinkup(window: Any, controller: Any, data: Path, out: Path, shot: Any) -> None:
    """Set up a reader fresh from the box by BlinkUp: the form, the countdown, the result."""
    import random

    from hardware.blinkup import SensorModel, simulate
    from hardware.devicesim.sim import DeviceSim
    from hardware.link.runner import ServerAddress

    fresh = DeviceSim(
        data / "fresh",
        0,
        0,
        ServerAddress("127.0.0.1", controller.device_port, None),
        heartbeat_interval=None,
        unconfigured_readers=1,
    )
    await fresh.start()
    EXTRA_SIMS.append(fresh)
    window.tabs.setCurrentWidget(window.installer)
    dialog = window.installer.open_blinkup()
    dialog.form.ssid.setText("Headquarters")
    dialog.form.password.setText("correct horse battery")
    await shot("blinkup-form", dialog)
    dialog.start()
    flasher = dialog.flasher
    flasher.resize(1280, 720)
    flasher.render_countdown().save(str(out / "blinkup-countdown.png"))
    print(f"saved {out / 'blinkup-countdown'}.png")
    shown: list[int] = []
    flasher.progress.connect(lambda i, _n: shown.append(flasher.levels[i - 1]))
    while flasher.phase in ("countdown", "flashing"):
        flasher.advance()  # as the display's refreshes would, one frame each
    light = simulate(shown, 60.0, SensorModel(gain=0.3, ambient=0.2, noise=0.005), random.Random(1))
    await fresh.readers[0].receive_light(light, 1000.0, 60.0)
    await until(lambda: dialog.stack.currentWidget() is dialog.result_page, "BlinkUp result")
    await shot("blinkup-result", dialog)
    dialog.close()


async def front_desk(window: Any, card_field: Any, tag_class: Any, shot: Any) -> None:
    """Find Jane at the front desk, tap a blank NFC card for her, and show her cards."""
    desk = window.front_desk
    window.tabs.setCurrentWidget(desk)
    await until(lambda: desk.reader_status.text().startswith("Card reader ready"), "NFC reader")
    desk.search.setText("Jane")
    await until(lambda: desk.results.count() == 1, "Jane found")
    desk.results.setCurrentRow(0)
    tap_box = desk.person.tap_box
    tap_box.tap()  # waits for a card: the prompt and its Cancel button show
    await until(lambda: tap_box.working, "waiting for a card")
    await shot("front-desk-tap")
    card_field.present(tag_class(bytes.fromhex("5A1B2C3D4E5F60")))
    await until(lambda: "Enrolled" in desk.feedback.text(), "card enrolled", timeout=20)
    await until(lambda: not tap_box.working, "tap finished")
    await shot("front-desk")


async def card_import(window: Any, data: Path, shot: Any) -> None:
    """Import a CSV of cards with two bad rows; show the check, then the result."""
    site = window.site
    window.tabs.setCurrentWidget(site)
    rows = ["format,facility_code,card_number,uid,email"]
    rows += [f"H10301,120,{n},," for n in range(2000, 2400)]
    rows[40] = "H10301,300,1,,"  # facility code out of range
    rows[77] = "H10301,120,2010,,"  # the same card as an earlier row
    path = data / "new-badges.csv"
    path.write_text("\n".join(rows) + "\n")
    site.import_cards()
    dialog = site.import_dialog
    await dialog.load(path)
    await shot("import-check", dialog)
    dialog.start_import()
    await until(lambda: dialog.result_text, "import finished", timeout=60)
    await shot("import-done", dialog)
    dialog.reject()


async def doors_in_every_state(
    controller: Any, place_id: int, sim: Any, data: Path, window: Any
) -> None:
    """Wire more doors and drive the simulated inputs so the doors tab shows each state."""
    from app.controller.resources import CONTROLLER_INPUTS, CONTROLLERS, LOCKS, RELAY_CONNECTIONS
    from hardware.devicesim.sim import DeviceSim
    from hardware.link.runner import ServerAddress

    site = controller.site
    lock = {lk["name"]: lk["id"] for lk in site.list(LOCKS, {"limit": "250"}).items}
    for name in ("Side entrance", "Garage", "Bike store", "Meeting room", "Car park gate"):
        lock[name] = site.create(LOCKS, {"name": name, "place_id": place_id})["id"]
    lock["Loading dock"] = site.create(LOCKS, {"name": "Loading dock", "place_id": place_id})["id"]
    more = DeviceSim(
        data / "more-devices",
        0,
        2,
        ServerAddress("127.0.0.1", controller.device_port, None),
        heartbeat_interval=None,
    )
    EXTRA_SIMS.append(more)
    await more.start()
    await until(lambda: all(c.connected for c in more.controllers), "more door controllers")
    first = sim.controllers[0]
    second, third = more.controllers
    for device, name in ((second, "Controller 2"), (third, "Controller 3")):
        await controller.adoption.assign_controller(
            device.token, {"name": name, "place_id": place_id}
        )
    wiring = [
        (first, 2, "Back door", 5),
        (first, 3, "Server room", 5),
        (first, 4, "Side entrance", 5),
        (second, 1, "Garage", 5),
        (second, 2, "Bike store", 60),
        (second, 3, "Meeting room", 5),
        (third, 1, "Car park gate", 5),
    ]
    for device, channel, door, seconds in wiring:
        relay = next(
            r for r in controller.adoption.relays(device.serial) if r["channel"] == channel
        )
        site.create(
            RELAY_CONNECTIONS,
            {"type": "lock", "relay_id": relay["id"], "lock_id": lock[door], "duration": seconds},
        )

    def contact(device: Any, channel: int, door: str) -> None:
        ids = {c["serial"]: c["id"] for c in site.list(CONTROLLERS, {"limit": "250"}).items}
        inputs = site.list(CONTROLLER_INPUTS, {"controller_id": str(ids[device.serial])}).items
        row = next(i for i in inputs if i["channel"] == channel)
        site.update(CONTROLLER_INPUTS, row["id"], {"type": "contact_sensor", "lock_id": lock[door]})

    contact(first, 1, "Server room")
    contact(first, 2, "Side entrance")
    contact(second, 1, "Meeting room")
    site.update(LOCKS, lock["Side entrance"], {"held_open_duration": 1})
    doors = window.site.doors_view.doors
    # Front door: held unlocked by its opening hours (it is Wednesday morning).
    controller.schedules.create(weekly(lock["Front door"], "Opening hours", "08:00", "18:00", 5))
    # Back door: locked down from the doors tab.
    await doors.lock_down(lock["Back door"], True)
    # Server room: opened without a grant.
    await first.set_input(1, "open")
    # Side entrance: unlocked, opened and left open past its one second.
    await doors.unlock(lock["Side entrance"])
    await first.set_input(2, "open")
    # Meeting room: unlocked and opened; Bike store: unlocked for a minute.
    await doors.unlock(lock["Meeting room"])
    await second.set_input(1, "open")
    await doors.unlock(lock["Bike store"])
    # Car park gate: its door controller went away.
    await third.async_close()
    view = window.site.doors_view
    wanted = {
        "Front door": "On scheduled unlock",
        "Back door": "Locked down",
        "Server room": "Forced open",
        "Side entrance": "Held open",
        "Meeting room": "Open",
        "Bike store": "Unlocked",
        "Garage": "Locked",
        "Car park gate": "Door controller offline",
        "Loading dock": "Not wired yet",
    }
    await until(
        lambda: all(view.status_of(lock[d]) == s for d, s in wanted.items()),
        "every door state",
    )


def weekly(lock_id: int, name: str, start: str, end: str, days: int, **extra: Any) -> dict:
    """A weekly unlock schedule body on the first ``days`` weekdays (or the ones in extra)."""
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return {
        "type": "recurring_event",
        "name": name,
        "enabled": True,
        "consequence": "unlock",
        "scheduleable_type": "Lock",
        "scheduleable_id": lock_id,
        **{day: i < days for i, day in enumerate(names)},
        "starts_at_time": start,
        "ends_at_time": end,
        **extra,
    }


def schedules_of_the_week(controller: Any, window: Any) -> None:
    """Give the front door a week of schedules: early shift, cleaners, holidays, a delivery."""
    from app.controller.resources import LOCKS

    front = controller.site.list(LOCKS, {"limit": "1"}).items[0]["id"]
    store = controller.schedules
    store.create(weekly(front, "Early shift", "06:30", "08:00", 5, consequence="first_to_arrive"))
    store.create(weekly(front, "Night cleaners", "22:00", "02:00", 0, tuesday=True, thursday=True))
    common = {"enabled": True, "scheduleable_type": "Lock", "scheduleable_id": front}
    store.create(
        {
            **common,
            "type": "holiday_calendar",
            "name": "Public holidays",
            "consequence": "unlock",
            "override": True,
            "region": "de",
            "observed": False,
        }
    )
    store.create(
        {
            **common,
            "type": "single_event",
            "name": "Delivery",
            "consequence": "unlock",
            "starts_at": "2026-12-24T18:00:00Z",
            "ends_at": "2026-12-24T19:30:00Z",
        }
    )
    editor = window.site.schedules
    editor.choose_target("Lock", front)
    editor.refresh()
    night = next(s["id"] for s in editor.model.schedules() if s["name"] == "Night cleaners")
    editor.select_schedule(night)


async def zones_of_the_site(controller: Any) -> None:
    """Two zones: the ground floor (disarmed in the day) and the server room (armed, siren)."""
    from app.controller.resources import LOCKS

    locks = {lk["name"]: lk["id"] for lk in controller.site.list(LOCKS, {"limit": "50"}).items}
    controllers = [int(r["id"]) for r in controller.store.rows("SELECT id FROM controllers")]
    every_day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    controller.zones.create(
        {
            "name": "Ground floor",
            "controller_id": controllers[0],
            "members_can_override": True,
            "doors": [
                {"lock_id": locks["Front door"], "exterior": True},
                {"lock_id": locks["Side entrance"], "exterior": True},
            ],
            "rules": [{"weekdays": every_day, "start": "20:00", "end": "07:00", "level": "away"}],
        }
    )
    controller.zones.create(
        {
            "name": "Server room",
            "controller_id": controllers[-1],
            "doors": [{"lock_id": locks["Car park gate"], "exterior": False}],
            "rules": [{"weekdays": every_day, "start": "00:00", "end": "24:00", "level": "stay"}],
        }
    )
    controller.zones.reader_tampered(locks["Car park gate"])
    await controller.zones.settle()


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
