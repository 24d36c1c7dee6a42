"""The BlinkUp screen: form checks, the flasher's countdown/frames/cancel, and the whole flow.

The flow tests run the real main window, controller and device server on loopback; a fresh
simulated reader takes the flashed frames through its light sensor and connects with the
enrolment it received.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton

from app.controller.service import Controller
from app.ui.blinkup_flasher import BlinkUpFlasher, FramePacer, Phase
from app.ui.blinkup_form import BlinkUpForm
from app.ui.blinkup_plan import (
    FormError,
    FormValues,
    NetworkType,
    ServerChoice,
    device_server,
    make_plan,
)
from app.ui.blinkup_screen import BlinkUpDialog
from app.ui.main_window import MainWindow
from hardware.blinkup import Mode, SensorModel, simulate
from hardware.devicesim.sim import DeviceSim
from hardware.discovery import InterfaceChoice
from hardware.link.runner import ServerAddress
from tests.controller.conftest import loopback_config
from tests.ui.conftest import Runner
from tests.waiting import until

ID = "0123456789abcdef"
PASSWORD = "correct horse battery"

# --- the plan and the form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        (FormValues(NetworkType.WIFI, "", PASSWORD), "ssid", "Type the Wi-Fi network name"),
        (FormValues(NetworkType.WIFI, "x" * 33, PASSWORD), "ssid", "at most 32 bytes"),
        (FormValues(NetworkType.WIFI, "Site", ""), "password", "Type the Wi-Fi password"),
        (FormValues(NetworkType.WIFI, "Site", "short"), "password", "8 to 63 characters"),
        (FormValues(NetworkType.ETHERNET_STATIC), "address", "Type the IP address"),
        (
            FormValues(
                NetworkType.ETHERNET_STATIC,
                static={"address": "10.0.0.300", "netmask": "255.255.255.0"},
            ),
            "address",
            "not an IPv4 address",
        ),
        (
            FormValues(
                NetworkType.ETHERNET_STATIC,
                static={
                    "address": "10.0.0.5",
                    "netmask": "255.255.255.0",
                    "gateway": "10.0.1.1",
                    "dns1": "1.1.1.1",
                },
            ),
            "gateway",
            "outside 10.0.0.0/24",
        ),
    ],
)
def test_the_plan_says_what_is_wrong_and_where(values: FormValues, field: str, words: str) -> None:
    with pytest.raises(FormError) as caught:
        make_plan(values, ID, ID, None)
    assert caught.value.field == field
    assert words in caught.value.message
    assert PASSWORD not in caught.value.message


def test_each_network_type_sends_what_it_should() -> None:
    wifi = make_plan(
        FormValues(NetworkType.WIFI, "Site", PASSWORD, mode=Mode.FAST), ID, ID, "10.0.0.2"
    )
    assert wifi.settings.wifi is not None and wifi.settings.wifi.password == PASSWORD
    assert wifi.settings.enrolment is not None
    assert wifi.settings.enrolment.server == "10.0.0.2:31314"  # fast carries the server
    assert PASSWORD not in repr(FormValues(password=PASSWORD))
    imp = make_plan(FormValues(NetworkType.WIFI_OPEN, "Cafe", "ignored"), ID, ID, "10.0.0.2")
    assert imp.settings.wifi is not None and imp.settings.wifi.password == ""
    assert imp.settings.enrolment is not None and imp.settings.enrolment.server is None
    dhcp = make_plan(FormValues(NetworkType.ETHERNET_DHCP), ID, ID, None)
    assert dhcp.settings.wifi is None and dhcp.settings.static is None
    assert dhcp.settings.enrolment is not None and dhcp.seconds > 0


def test_the_device_server_is_the_chosen_interface_or_loopback_with_a_note() -> None:
    lan = InterfaceChoice("eth0", "eth0", "192.168.1.7", False)
    assert device_server("eth0", [lan], 4000) == ServerChoice("192.168.1.7:4000")
    fallback = device_server(None, [lan], 4000)
    assert fallback.address == "127.0.0.1:4000" and "Choose the readers' network" in fallback.note


def test_the_form_shows_fields_errors_and_the_password_on_request(qtbot) -> None:
    form = BlinkUpForm()
    qtbot.addWidget(form)
    form.set_server("127.0.0.1:31314")
    assert form.password.echoMode() is QLineEdit.EchoMode.Password
    form.show_password.setChecked(True)
    assert form.password.echoMode() is QLineEdit.EchoMode.Normal
    form.show_password.setChecked(False)
    assert form.password.echoMode() is QLineEdit.EchoMode.Password

    assert not form.wifi_box.isHidden() and form.static_box.isHidden()
    assert "fill in the form" in form.duration.text()
    qtbot.keyClicks(form.ssid, "Site")
    qtbot.keyClicks(form.password, PASSWORD)
    compatible = form.duration.text()
    assert "Compatible (imp)" in compatible
    form.mode.setCurrentIndex(form.mode.findData(Mode.FAST))
    assert "Fast" in form.duration.text() and form.duration.text() != compatible

    form.network.setCurrentIndex(form.network.findData(NetworkType.ETHERNET_STATIC))
    assert form.wifi_box.isHidden() and not form.static_box.isHidden()
    form.show_error(FormError("netmask", "Netmask is not an IPv4 address."))
    assert form.errors["netmask"].text() == "Netmask is not an IPv4 address."
    assert not form.errors["netmask"].isHidden() and form.errors["ssid"].isHidden()
    form.clear_errors()
    assert form.error_text() == ""


# --- the flasher -------------------------------------------------------------------------------


def test_the_pacer_shows_one_frame_per_refresh_and_never_outruns_60_fps() -> None:
    def advanced(refresh_hz: float, refreshes: int) -> int:
        pacer = FramePacer(60.0)
        return sum(pacer.due(n / refresh_hz) for n in range(refreshes))

    assert advanced(60.0, 600) == 600  # vsync at 60 Hz: every refresh is a frame
    assert advanced(120.0, 600) == 300  # a 120 Hz panel: every other refresh
    assert 295 <= advanced(200.0, 1000) <= 301  # a 5 ms timer for 5 s: about 60 frames/s
    pacer = FramePacer(60.0)
    assert pacer.due(0.0) and not pacer.due(0.005)
    assert pacer.due(1.0)  # a long stall: show the next frame now...
    assert not pacer.due(1.001)  # ...and do not burst to catch up


def test_the_flasher_counts_down_then_shows_each_frame_then_finishes(qtbot) -> None:
    levels = [0, 255, 0, 191, 0, 255]
    flasher = BlinkUpFlasher(levels, fps=60.0, countdown_seconds=2 / 60)
    qtbot.addWidget(flasher)
    seen: list[object] = []
    flasher.countdown.connect(lambda s: seen.append(("countdown", s)))
    flasher.flashing.connect(lambda: seen.append("flashing"))
    flasher.progress.connect(lambda shown, total: seen.append((shown, total)))
    flasher.finished.connect(lambda: seen.append("finished"))
    flasher.begin()
    assert flasher.isFullScreen() and flasher.cursor().shape() is Qt.CursorShape.BlankCursor
    shown: list[int] = []
    for _ in range(len(levels) + 2):  # what the pacing does on each due refresh
        flasher.advance()
        if flasher.phase is Phase.FLASHING:
            shown.append(flasher.grab().toImage().pixelColor(5, 5).red())
    assert seen == [
        ("countdown", 1),
        "flashing",
        *[(i, len(levels)) for i in range(1, len(levels) + 1)],
        "finished",
    ]
    assert shown == levels
    assert flasher.phase is Phase.DONE and flasher.isHidden()


def test_the_windows_update_requests_drive_the_flasher_to_the_end(qtbot) -> None:
    flasher = BlinkUpFlasher([0, 255] * 10, fps=60.0, countdown_seconds=0.05)
    qtbot.addWidget(flasher)
    with qtbot.waitSignal(flasher.finished, timeout=10_000):
        flasher.begin()
    assert flasher.phase is Phase.DONE


def test_escape_cancels_the_flasher(qtbot) -> None:
    flasher = BlinkUpFlasher([0, 255] * 10, fps=60.0, countdown_seconds=3.0)
    qtbot.addWidget(flasher)
    flasher.begin()
    flasher.advance()
    with qtbot.waitSignal(flasher.cancelled, timeout=5_000):
        qtbot.keyClick(flasher, Qt.Key.Key_Escape)
    assert flasher.phase is Phase.CANCELLED and flasher.isHidden()
    flasher.advance()  # nothing more happens after a cancel
    assert flasher.phase is Phase.CANCELLED


# --- the whole flow ----------------------------------------------------------------------------


class FreshSite:
    """A controller on loopback and one reader fresh from the box (amber, not connected)."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.controller = Controller(loopback_config(tmp_path / "site"))
        self.sim: DeviceSim | None = None

    async def __aenter__(self) -> FreshSite:
        await self.controller.start()
        assert self.controller.device_port
        server = ServerAddress("127.0.0.1", self.controller.device_port, None)
        self.sim = DeviceSim(
            self.tmp_path / "devices", 0, 0, server, heartbeat_interval=None, unconfigured_readers=1
        )
        await self.sim.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.sim is not None:
            await self.sim.async_close()
        await self.controller.stop()


def click(qtbot, button: QPushButton | None) -> None:
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_dialog(qtbot, window: MainWindow) -> BlinkUpDialog:
    click(qtbot, window.findChild(QPushButton, "blinkupButton"))
    dialog = window.installer.blinkup_dialog
    assert dialog is not None
    return dialog


def fill_wifi(qtbot, dialog: BlinkUpDialog, mode: Mode) -> None:
    form = dialog.form
    qtbot.keyClicks(form.ssid, "Site WiFi")
    qtbot.keyClicks(form.password, PASSWORD)
    form.mode.setCurrentIndex(form.mode.findData(mode))


def flash_to_the_end(dialog: BlinkUpDialog) -> list[int]:
    """Drive the flasher as its pacing would; return the levels it showed, in order."""
    flasher = dialog.flasher
    assert flasher is not None
    shown: list[int] = []
    flasher.progress.connect(lambda i, _n: shown.append(flasher.levels[i - 1]))
    while flasher.phase in (Phase.COUNTDOWN, Phase.FLASHING):
        flasher.advance()
    return shown


@pytest.mark.parametrize("mode", [Mode.IMP, Mode.FAST])
def test_a_fresh_reader_set_up_by_blinkup_connects_and_is_shown(
    qtbot, run: Runner, tmp_path: Path, mode: Mode
) -> None:
    async def body() -> None:
        async with FreshSite(tmp_path) as site:
            assert site.sim is not None
            reader = site.sim.readers[0]
            window = MainWindow(site.controller)
            qtbot.addWidget(window)
            window.show()
            dialog = open_dialog(qtbot, window)
            click(qtbot, dialog.start_button)  # nothing typed yet
            assert "Type the Wi-Fi network name" in dialog.form.error_text()
            assert dialog.flasher is None  # nothing issued, nothing flashed

            fill_wifi(qtbot, dialog, mode)
            click(qtbot, dialog.start_button)
            assert dialog.form.error_text() == ""
            shown = flash_to_the_end(dialog)
            await until(lambda: dialog.stack.currentWidget() is dialog.waiting_page, what="wait")
            assert "Waiting for the reader to connect" in dialog.waiting_label.text()

            samples = simulate(
                shown, 60.0, SensorModel(gain=0.3, ambient=0.2, noise=0.005), random.Random(3)
            )
            await reader.receive_light(samples, 1000.0, 60.0)
            await until(lambda: dialog.stack.currentWidget() is dialog.result_page, what="result")
            assert f"Reader {reader.serial} connected" in dialog.result_label.text()
            assert "Adopt it there" in dialog.result_label.text()
            selected = window.installer.selected()
            assert selected is not None and selected.serial == reader.serial
            events = str(site.controller.event_log.recent(50))
            assert PASSWORD not in events
            dialog.close()
            await window.shutdown()

    run(body)


def test_no_reader_in_time_says_what_to_try_and_withdraws_the_token(
    qtbot, run: Runner, tmp_path: Path
) -> None:
    async def body() -> None:
        async with FreshSite(tmp_path) as site:
            window = MainWindow(site.controller)
            qtbot.addWidget(window)
            dialog = open_dialog(qtbot, window)
            dialog.wait_seconds = 0.2
            fill_wifi(qtbot, dialog, Mode.FAST)
            click(qtbot, dialog.start_button)
            plan_id = dialog.plan_id
            assert plan_id is not None
            flash_to_the_end(dialog)
            await until(lambda: dialog.stack.currentWidget() is dialog.result_page, what="result")
            text = dialog.result_label.text()
            assert "No reader connected" in text and "brightness to maximum" in text
            assert "Wi-Fi name and password" in text
            assert dialog.plan_id is None and not dialog.retry_button.isHidden()
            click(qtbot, dialog.retry_button)
            assert dialog.stack.currentWidget() is dialog.form_page
            assert dialog.form.password.text() == PASSWORD  # nothing to type again
            await window.shutdown()

    run(body)


def test_escape_and_cancel_go_back_to_the_form(qtbot, run: Runner, tmp_path: Path) -> None:
    async def body() -> None:
        async with FreshSite(tmp_path) as site:
            window = MainWindow(site.controller)
            qtbot.addWidget(window)
            dialog = open_dialog(qtbot, window)
            fill_wifi(qtbot, dialog, Mode.IMP)
            click(qtbot, dialog.start_button)
            assert dialog.flasher is not None
            qtbot.keyClick(dialog.flasher, Qt.Key.Key_Escape)
            assert dialog.flasher is None and dialog.plan_id is None
            assert "Stopped" in dialog.feedback.text()

            click(qtbot, dialog.start_button)
            flash_to_the_end(dialog)
            await until(lambda: dialog.stack.currentWidget() is dialog.waiting_page, what="wait")
            click(qtbot, dialog.cancel_wait_button)
            assert dialog.stack.currentWidget() is dialog.form_page
            assert dialog.plan_id is None and "Stopped waiting" in dialog.feedback.text()
            await window.shutdown()

    run(body)
