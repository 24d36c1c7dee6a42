"""Site-secured cards enrolled at the front desk through nfcpy's real ``udp:`` front-end.

The area's "Tap a card" drives a real :class:`NfcpyReader` whose frames cross a loopback UDP
socket to :class:`TagEmulator`; the card it writes is then presented, NDEF and all, at a
simulated door reader adopted by the same controller.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nfc
import pytest
from PySide6.QtCore import Qt

from app.access.secure_card import verify_card
from app.controller.service import Controller
from app.ui.bridge import ControllerBridge
from app.ui.front_desk import FrontDeskArea
from app.ui.tap_card_box import IDLE
from hardware.link.messages import Credential
from hardware.nfc.nfcpy_backend import NfcpyReader
from hardware.nfc.reader import NfcReader, OnReaderEvent
from hardware.nfc.udp_emulator import TagEmulator
from hardware.nfc.udp_tags import EmulatedType2Tag, EmulatedType4Tag, EmulatedTypeATag
from tests.controller.conftest import loopback_config
from tests.controller.wired import Wired, wire
from tests.ui.conftest import Runner
from tests.ui.test_front_desk import FakeDialogs, add_person, card_rows, click
from tests.waiting import until

pytestmark = pytest.mark.timeout(60)

UID_T2 = bytes.fromhex("5a0102030405a6")
UID_T4 = bytes.fromhex("5b1122334455c7")
OTHER_UID = "5D0102030405A6"


@pytest.fixture(autouse=True)
def readers_and_emulators_are_closed() -> Iterator[None]:
    yield
    left = [t for t in threading.enumerate() if t.name.startswith("nfc") and t.is_alive()]
    assert not left, f"left running: {left}"


def quick_reader(path: str, on_event: OnReaderEvent) -> NfcReader:
    """The real nfcpy reader, sensing Type A only and polling often (udp: is quick then)."""
    return NfcpyReader(path, on_event, targets=("106A",), poll_interval=0.05)


@dataclass
class Desk:
    controller: Controller
    wired: Wired
    field: TagEmulator
    area: FrontDeskArea
    dialogs: FakeDialogs


@asynccontextmanager
async def front_desk(
    qtbot, tmp_path: Path, answer: bool = True, factory: Any = quick_reader
) -> AsyncIterator[Desk]:
    """A controller with a wired door, an emulated card field and the area reading it."""
    controller = Controller(loopback_config(tmp_path / "site"))
    await controller.start()
    field = TagEmulator()
    field.start()
    wired: Wired | None = None
    area: FrontDeskArea | None = None
    bridge = ControllerBridge(controller)
    try:
        wired = await wire(controller, tmp_path)
        dialogs = FakeDialogs(answer)
        area = FrontDeskArea(bridge, dialogs, field.path, reader_factory=factory)
        qtbot.addWidget(area)
        area.show()
        yield Desk(controller, wired, field, area, dialogs)
    finally:
        if area is not None:
            await area.shutdown()
        bridge.close()
        field.close()
        if wired is not None:
            await wired.sim.async_close()
        await controller.stop()


async def member_of_staff(qtbot, desk: Desk) -> int:
    """Add Jane through the area and put her in the door's group."""
    area = desk.area
    await until(lambda: area.reader_status.text().startswith("Card reader ready"), 5, "reader")
    assert area.reader_status.text() == f"Card reader ready ({desk.field.path})"
    add_person(qtbot, area, "Jane Doe", "jane@example.com")
    groups = area.person.groups
    assert groups.count() == 1 and groups.item(0).text() == "Staff"
    groups.item(0).setCheckState(Qt.CheckState.Checked)
    click(qtbot, area, "saveGroups")
    assert area.person.person_id is not None
    return area.person.person_id


async def tap(qtbot, area: FrontDeskArea, expect: str) -> str:
    """Click Tap a card and wait until the area says something containing ``expect``."""
    click(qtbot, area, "tapCard")
    try:
        await until(lambda: expect in area.feedback.text(), 10, f"feedback {expect!r}")
    except TimeoutError as exc:
        raise AssertionError(f"the area said {area.feedback.text()!r}") from exc
    await until(lambda: area.person.tap_box.prompt.text() == IDLE, 5, "tap finished")
    return area.feedback.text()


def make(kind: str) -> EmulatedTypeATag:
    return EmulatedType2Tag(UID_T2) if kind == "type2" else EmulatedType4Tag(UID_T4)


@pytest.mark.parametrize("kind", ["type2", "type4"])
def test_tapped_card_is_site_secured_opens_the_door_and_its_copy_does_not(
    qtbot, run: Runner, tmp_path: Path, kind: str
) -> None:
    async def body() -> None:
        async with front_desk(qtbot, tmp_path) as desk:
            area, card = desk.area, make(kind)
            await member_of_staff(qtbot, desk)
            desk.field.present(card)
            said = await tap(qtbot, area, "Enrolled")
            uid = card.uid.hex().upper()
            label = f"NFC {uid[:6]}… (site-secured)"
            assert said == f"Enrolled {label} for Jane Doe."
            assert card_rows(area) == [(label, "Active")]
            # What the emulator now holds is a credential signed for this very card.
            assert card.ndef
            public = desk.controller.card_signer.public_key
            assert verify_card(public, card.uid, card.ndef)

            reader = desk.wired.sim.readers[0]
            await until(lambda: reader.assigned, 5, "door reader assigned")
            genuine = await reader.present(Credential(uid=uid, ndef=card.ndef.hex()))
            assert genuine.granted
            copy = await reader.present(Credential(uid=OTHER_UID, ndef=card.ndef.hex()))
            assert not copy.granted and copy.code == "lc0010"
            bare = await reader.present(Credential(uid=uid))
            assert not bare.granted  # the UID alone is not enough for a site-secured card
            # Jane's own recent events show the door she opened.
            await until(lambda: area.person.events.count() == 1, 5, "Jane's event")
            item = area.person.events.item(0)
            assert item is not None and "Front door · Granted" in item.text()

            # Tapping the same card again must not overwrite it.
            writes = card.writes
            said = await tap(qtbot, area, "already enrolled")
            assert said.startswith("This card is already enrolled (to Jane Doe).")
            assert card.writes == writes

    run(body)


@pytest.mark.parametrize("answer", [True, False], ids=["accepted", "declined"])
def test_a_write_protected_card_is_offered_by_uid_only(
    qtbot, run: Runner, tmp_path: Path, answer: bool
) -> None:
    async def body() -> None:
        async with front_desk(qtbot, tmp_path, answer=answer) as desk:
            area = desk.area
            await member_of_staff(qtbot, desk)
            card = EmulatedType2Tag(UID_T2, read_only=True)
            desk.field.present(card)
            expect = "Enrolled" if answer else "not enrolled"
            said = await tap(qtbot, area, expect)
            assert len(desk.dialogs.questions) == 1
            question = desk.dialogs.questions[0]
            assert "write-protected" in question and "easy to copy" in question
            assert card.writes == 0
            reader = desk.wired.sim.readers[0]
            await until(lambda: reader.assigned, 5, "door reader assigned")
            decision = await reader.present(Credential(uid=UID_T2.hex()))
            if answer:
                assert said == "Enrolled NFC 5A0102… (UID only) for Jane Doe."
                assert decision.granted
            else:
                assert said == "The card was not enrolled."
                assert card_rows(area) == [] and not decision.granted

    run(body)


@pytest.mark.parametrize("kind", ["type2", "type4"])
def test_a_card_pulled_away_mid_write_is_not_enrolled_until_tapped_again(
    qtbot, run: Runner, tmp_path: Path, kind: str
) -> None:
    async def body() -> None:
        async with front_desk(qtbot, tmp_path) as desk:
            area = desk.area
            card = (
                EmulatedType2Tag(UID_T2)
                if kind == "type2"
                else EmulatedType4Tag(
                    UID_T4,
                    max_command=16,  # several UPDATE BINARY commands, so one can be lost
                )
            )
            await member_of_staff(qtbot, desk)
            desk.field.present(card)
            desk.field.remove_after_writes(2)
            said = await tap(qtbot, area, "taken away too early")
            assert said.startswith("The card was taken away too early. Hold it on the reader")
            assert card.writes == 2 and card_rows(area) == []
            reader = desk.wired.sim.readers[0]
            await until(lambda: reader.assigned, 5, "door reader assigned")
            half = card.ndef.hex() if card.ndef else None
            assert not (await reader.present(Credential(uid=card.uid.hex(), ndef=half))).granted
            # Tapped again, the half-written card is written afresh and enrolled.
            desk.field.present(card)
            said = await tap(qtbot, area, "Enrolled")
            assert said.endswith("(site-secured) for Jane Doe.")
            assert card.ndef is not None
            granted = await reader.present(Credential(uid=card.uid.hex(), ndef=card.ndef.hex()))
            assert granted.granted

    run(body)


def test_waiting_for_a_card_can_be_cancelled(qtbot, run: Runner, tmp_path: Path) -> None:
    async def body() -> None:
        async with front_desk(qtbot, tmp_path) as desk:
            area = desk.area
            box = area.person.tap_box
            await member_of_staff(qtbot, desk)
            click(qtbot, area, "tapCard")
            await until(lambda: box.cancel_button.isVisible(), 5, "Cancel shown")
            assert box.prompt.text() == "Hold the card on the reader…"
            assert box.busy.isVisible() and not box.tap_button.isEnabled()
            click(qtbot, area, "cancelTap")
            await until(lambda: "Cancelled" in area.feedback.text(), 5, "cancelled")
            assert area.feedback.text() == "Cancelled; no card was enrolled."
            assert box.tap_button.isEnabled() and not box.cancel_button.isVisible()
            assert card_rows(area) == []

    run(body)


class Switch:
    """A USB cable for a reader whose frames still go over udp."""

    def __init__(self) -> None:
        self.plugged = threading.Event()

    def present(self, device_path: str) -> bool:
        return self.plugged.is_set()


def unpluggable(switch: Switch) -> Any:
    """A real nfcpy front-end that fails like a pulled USB reader while unplugged."""

    class UnpluggableFrontend(nfc.ContactlessFrontend):
        def open(self, path: str) -> bool:
            return switch.plugged.is_set() and bool(super().open(path))

        def sense(self, *targets: Any, **options: Any) -> Any:
            if not switch.plugged.is_set():
                raise OSError(errno.ENODEV, "No such device")
            return super().sense(*targets, **options)

    return UnpluggableFrontend


def test_reader_status_follows_plugging_and_unplugging(qtbot, run: Runner, tmp_path: Path) -> None:
    switch = Switch()

    def factory(path: str, on_event: OnReaderEvent) -> NfcReader:
        return NfcpyReader(
            path,
            on_event,
            targets=("106A",),
            poll_interval=0.05,
            frontend_factory=unpluggable(switch),
            device_present=switch.present,
        )

    async def body() -> None:
        async with front_desk(qtbot, tmp_path, factory=factory) as desk:
            area = desk.area
            status = area.reader_status
            await until(lambda: status.text() == "No card reader — plug one in", 5, "no reader")
            switch.plugged.set()
            await until(lambda: status.text().startswith("Card reader ready (udp:"), 5, "plugged")
            switch.plugged.clear()
            await until(lambda: status.text() == "No card reader — plug one in", 5, "unplugged")
            add_person(qtbot, area, "Jane Doe", "jane@example.com")
            said = await tap(qtbot, area, "unplugged")
            assert said == "The card reader was unplugged. Plug it in again and retry."

    run(body)
