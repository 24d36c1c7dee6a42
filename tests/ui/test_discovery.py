"""The installer lists devices announced with DNS-SD on the chosen interface (loopback here)."""

from __future__ import annotations

from pathlib import Path

from app.ui.main_window import MainWindow
from hardware.devicesim.announce import DeviceAnnouncement
from hardware.devicesim.dnssd import DnsSdAnnouncer
from hardware.link.messages import DeviceKind
from tests.ui.conftest import Runner, Site
from tests.waiting import until


def test_announced_device_appears_and_merges_with_its_connection(
    qtbot, run: Runner, tmp_path: Path
) -> None:
    site = Site(tmp_path, readers=0, controllers=0)

    async def body() -> None:
        await site.start()
        window = MainWindow(site.controller, interface="lo")
        qtbot.addWidget(window)
        model = window.installer.model
        try:
            await until(lambda: window.browser is not None, what="browsing on lo")
            async with DnsSdAnnouncer("lo") as announcer:
                await announcer.announce(
                    DeviceAnnouncement(
                        DeviceKind.READER,
                        "LR2-00C0FFEE",
                        "reader-pro-2.1",
                        "2.4.1",
                        "02:00:00:c0:ff:ee",
                        "127.0.0.1",
                        9,
                    )
                )
                await until(lambda: model.find("LR2-00C0FFEE") >= 0, what="announced reader")
                row = model.row_at(model.find("LR2-00C0FFEE"))
                assert row is not None
                assert row.connection == "Seen on network" and row.status == "Pending"
                assert row.mac == "02:00:00:c0:ff:ee" and row.kind == "reader"
                await announcer.withdraw("LR2-00C0FFEE")
                await until(lambda: row.connection == "Offline", what="withdrawn")
        finally:
            await window.shutdown()
            await site.stop()

    run(body)
