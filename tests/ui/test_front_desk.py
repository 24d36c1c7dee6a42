"""The front desk area, driven by its buttons and keys, against a real embedded controller.

NFC cards through nfcpy's real ``udp:`` front-end are in ``test_front_desk_nfc.py``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

from app.access.secure_card import sign_card
from app.controller.front_desk import DUPLICATE_CARD, FrontDesk, FrontDeskError, card_label
from app.controller.resources import CARDS, GROUPS, USERS
from app.controller.service import Controller, ControllerConfig
from app.ui.card_enrolment import CardEnrolment, EnrolmentError, Fit, UidOnlyOffer
from app.ui.card_messages import nfc_message
from app.ui.front_desk import FrontDeskArea
from app.ui.main_window import MainWindow
from hardware.nfc import errors as nfc_errors
from hardware.nfc.reader import NfcReader, TagInfo
from tests.ui.conftest import Runner, Site
from tests.waiting import until


class FakeDialogs:
    """Stands in for the person at the desk: answers every question with ``answer``."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.questions: list[str] = []

    def save_file(self, parent: QWidget, title: str, suggested: str, filter_: str) -> None:
        return None

    def open_file(self, parent: QWidget, title: str, filter_: str) -> None:
        return None

    def confirm(self, parent: QWidget, title: str, question: str) -> bool:
        self.questions.append(question)
        return self.answer

    def error(self, parent: QWidget, title: str, message: str) -> None:
        self.questions.append(message)


Scenario = Callable[[MainWindow, FrontDeskArea], Awaitable[None]]


def in_window(qtbot, run: Runner, tmp_path: Path, scenario: Scenario) -> None:
    """Run ``scenario`` with the main window shown on its Front desk tab."""
    site = Site(tmp_path, readers=0, controllers=0)

    async def body() -> None:
        await site.start()
        window = MainWindow(site.controller, dialogs=FakeDialogs())
        qtbot.addWidget(window)
        window.show()
        window.tabs.setCurrentWidget(window.front_desk)
        try:
            await scenario(window, window.front_desk)
        finally:
            await window.shutdown()
            await site.stop()

    run(body)


def click(qtbot, area: QWidget, name: str) -> None:
    button = area.findChild(QPushButton, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def add_person(qtbot, desk: FrontDeskArea, name: str, email: str) -> None:
    qtbot.keyClicks(desk.new_name, name)
    qtbot.keyClicks(desk.new_email, email)
    click(qtbot, desk, "createPerson")


def type_card(qtbot, desk: FrontDeskArea, fmt: str, facility: str, number: str) -> None:
    panel = desk.person
    panel.card_format.setCurrentIndex(panel.card_format.findData(fmt))
    panel.card_facility.setText(facility)
    panel.card_number.setText(number)
    click(qtbot, desk, "enrolTyped")


def card_rows(desk: FrontDeskArea) -> list[tuple[str, str]]:
    table = desk.person.cards
    rows = []
    for r in range(table.rowCount()):
        label, state = table.item(r, 0), table.item(r, 1)
        assert label is not None and state is not None
        rows.append((label.text(), state.text()))
    return rows


def keys(widget: QWidget, text: str, start_ms: int, gap_ms: int) -> None:
    """Type ``text`` then Enter into ``widget``, one key every ``gap_ms`` by Qt's clock."""
    for i, char in enumerate([*text, "\r"]):
        key = Qt.Key.Key_Return if char == "\r" else Qt.Key(ord(char.upper()))
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, char)
        event.setTimestamp(start_ms + i * gap_ms)
        QApplication.sendEvent(widget, event)


def test_the_front_desk_is_the_second_tab(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(window: MainWindow, desk: FrontDeskArea) -> None:
        assert window.tabs.tabText(1) == "Front desk" and window.tabs.widget(1) is desk
        assert desk.reader_status.text().startswith("No card reader set up")
        assert not desk.person.tap_box.tap_button.isEnabled()  # nobody chosen yet

    in_window(qtbot, run, tmp_path, scenario)


def test_find_and_create_people(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(window: MainWindow, desk: FrontDeskArea) -> None:
        add_person(qtbot, desk, "Jane Doe", "jane@example.com")
        assert desk.person.title.text() == "Jane Doe <jane@example.com>"
        assert "Added Jane Doe" in desk.feedback.text()
        add_person(qtbot, desk, "John Roe", "john@example.com")
        assert desk.results.count() == 2
        qtbot.keyClicks(desk.search, "jan")
        assert [desk.results.item(i).text() for i in range(desk.results.count())] == [
            "Jane Doe <jane@example.com>"
        ]
        desk.results.setCurrentRow(0)
        assert desk.person.title.text().startswith("Jane Doe")
        # The same e-mail again, and no e-mail at all: plain words, nobody added.
        add_person(qtbot, desk, "Jane Again", "JANE@example.com")
        assert "already here" in desk.feedback.text()
        assert "search box" in desk.feedback.text()
        desk.new_name.clear()
        desk.new_email.clear()
        add_person(qtbot, desk, "Nobody", "not-an-email")
        assert desk.feedback.text() == "E-mail has an invalid format."
        assert len(desk.desk.find_people("")) == 2

    in_window(qtbot, run, tmp_path, scenario)


def test_typed_card_enrolled_then_refused_for_someone_else(
    qtbot, run: Runner, tmp_path: Path
) -> None:
    async def scenario(window: MainWindow, desk: FrontDeskArea) -> None:
        add_person(qtbot, desk, "Jane Doe", "jane@example.com")
        jane = desk.person.person_id
        type_card(qtbot, desk, "H10301", "118", "1603")
        assert desk.feedback.text() == "Enrolled H10301 118:1603 for Jane Doe."
        assert card_rows(desk) == [("H10301 118:1603", "Active")]
        assert desk.person.card_number.text() == ""

        add_person(qtbot, desk, "John Roe", "john@example.com")
        type_card(qtbot, desk, "H10301", "118", "1603")
        assert desk.feedback.text() == (
            "This card is already enrolled (to Jane Doe). "
            "Take it back from them first, or use another card."
        )
        assert card_rows(desk) == []
        with pytest.raises(FrontDeskError) as refused:
            desk.desk.enrol(
                desk.person.person_id or 0,
                {"type": "third_party_lf_hid_h10301", "facility_code": 118, "card_number": 1603},
            )
        assert refused.value.code == DUPLICATE_CARD == "cabbeb"

        # Out of range for the format, and a format without a facility code.
        type_card(qtbot, desk, "H10301", "256", "1")
        assert "Facility code" in desk.feedback.text() and "0–255" in desk.feedback.text()
        type_card(qtbot, desk, "H10302", "", "34359738367")
        assert desk.feedback.text() == "Enrolled H10302 34359738367 for John Roe."
        assert not desk.person.card_facility.isEnabled()
        type_card(qtbot, desk, "H10301", "1", "")
        assert "Type the card number" in desk.feedback.text()
        assert [c.label for c in desk.desk.cards_of(jane or 0)] == ["H10301 118:1603"]

    in_window(qtbot, run, tmp_path, scenario)


def test_deactivate_and_activate_a_card(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(window: MainWindow, desk: FrontDeskArea) -> None:
        site = window.controller.site
        add_person(qtbot, desk, "Jane Doe", "jane@example.com")
        type_card(qtbot, desk, "H10301", "7", "42")
        card_id = desk.desk.cards_of(desk.person.person_id or 0)[0].card_id
        click(qtbot, desk, "deactivateCard")
        assert desk.feedback.text() == "Select a card in the list first."
        desk.person.cards.selectRow(0)
        click(qtbot, desk, "deactivateCard")
        assert card_rows(desk) == [("H10301 7:42", "Deactivated")]
        assert desk.feedback.text() == "H10301 7:42 no longer opens any door."
        assert site.get(CARDS, card_id)["activated"] is False
        desk.person.cards.selectRow(0)
        click(qtbot, desk, "activateCard")
        assert card_rows(desk) == [("H10301 7:42", "Active")]
        assert site.get(CARDS, card_id)["activated"] is True
        kinds = [e["type"] for e in window.controller.event_log.recent(2)]
        assert kinds == ["card.activate", "card.deactivate"]

    in_window(qtbot, run, tmp_path, scenario)


def test_groups_are_saved(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(window: MainWindow, desk: FrontDeskArea) -> None:
        site = window.controller.site
        staff = site.create(GROUPS, {"name": "Staff"})["id"]
        night = site.create(GROUPS, {"name": "Night shift"})["id"]
        window.bridge.site_changed.emit()
        add_person(qtbot, desk, "Jane Doe", "jane@example.com")
        person = desk.person.person_id or 0
        groups = desk.person.groups
        assert [groups.item(i).text() for i in range(groups.count())] == ["Staff", "Night shift"]
        groups.item(0).setCheckState(Qt.CheckState.Checked)
        click(qtbot, desk, "saveGroups")
        assert desk.desk.groups_of(person) == {staff}
        assert desk.feedback.text() == "Saved the person's groups."
        groups = desk.person.groups
        assert groups.item(0).checkState() == Qt.CheckState.Checked
        groups.item(0).setCheckState(Qt.CheckState.Unchecked)
        groups.item(1).setCheckState(Qt.CheckState.Checked)
        click(qtbot, desk, "saveGroups")
        assert desk.desk.groups_of(person) == {night}

    in_window(qtbot, run, tmp_path, scenario)


def test_wedge_keystrokes_enrol_an_lf_card_without_taking_normal_typing(
    qtbot, run: Runner, tmp_path: Path
) -> None:
    async def scenario(window: MainWindow, desk: FrontDeskArea) -> None:
        add_person(qtbot, desk, "Jane Doe", "jane@example.com")
        search = desk.findChild(QLineEdit, "findPerson")
        assert search is desk.search
        search.setText("Ja")
        # A person typing: slow keys reach the search box and enrol nothing.
        keys(search, "99", start_ms=1_000, gap_ms=300)
        assert search.text() == "Ja99"
        assert card_rows(desk) == []
        search.setText("Ja")
        # A wedge reader (raw hex of H10301 123:4567): 8 ms a key, then Enter.
        keys(search, "2F623AE", start_ms=5_000, gap_ms=8)
        assert desk.feedback.text() == "Enrolled H10301 123:4567 for Jane Doe."
        assert card_rows(desk) == [("H10301 123:4567", "Active")]
        assert search.text() == "Ja"  # what the reader typed was taken out again
        # A misread: the last bit flipped, so the odd parity fails.
        keys(search, "2F623AF", start_ms=9_000, gap_ms=8)
        assert "Parity error" in desk.feedback.text()
        assert "present it again" in desk.feedback.text()
        assert len(card_rows(desk)) == 1
        # The same card again, typed while a button has focus: still one read.
        keys(desk.person.tap_box.tap_button, "2F623AE", start_ms=12_000, gap_ms=8)
        assert "already enrolled (to Jane Doe)" in desk.feedback.text()

    in_window(qtbot, run, tmp_path, scenario)


def test_tapping_without_a_reader_says_what_to_do(qtbot, run: Runner, tmp_path: Path) -> None:
    async def scenario(window: MainWindow, desk: FrontDeskArea) -> None:
        add_person(qtbot, desk, "Jane Doe", "jane@example.com")
        click(qtbot, desk, "tapCard")  # an async slot: it answers on the loop
        await until(lambda: "No card reader is set up" in desk.feedback.text(), 5, "answer")

    in_window(qtbot, run, tmp_path, scenario)


def test_a_bad_reader_path_leaves_typed_cards_working(qtbot, run: Runner, tmp_path: Path) -> None:
    site = Site(tmp_path, readers=0, controllers=0)

    async def body() -> None:
        await site.start()
        window = MainWindow(site.controller, dialogs=FakeDialogs(), card_reader="bluetooth")
        qtbot.addWidget(window)
        desk = window.front_desk
        try:
            await desk.reader.async_close()  # waits for the background open to finish
            assert desk.reader_status.text().startswith("No card reader — 'bluetooth' is not")
            add_person(qtbot, desk, "Jane Doe", "jane@example.com")
            type_card(qtbot, desk, "H10301", "1", "2")
            assert card_rows(desk) == [("H10301 1:2", "Active")]
        finally:
            await window.shutdown()
            await site.stop()

    run(body)


def _nfc_error_classes() -> list[type[nfc_errors.NfcError]]:
    found = [
        c
        for c in vars(nfc_errors).values()
        if isinstance(c, type)
        and issubclass(c, nfc_errors.NfcError)
        and c is not nfc_errors.NfcError
    ]
    assert len(found) >= 12
    return found


def _sample(kind: type[nfc_errors.NfcError]) -> nfc_errors.NfcError:
    samples: dict[type[nfc_errors.NfcError], nfc_errors.NfcError] = {
        nfc_errors.InvalidReaderPath: nfc_errors.InvalidReaderPath("x"),
        nfc_errors.ReaderNotFound: nfc_errors.ReaderNotFound("usb"),
        nfc_errors.ReaderUnplugged: nfc_errors.ReaderUnplugged("usb"),
        nfc_errors.ReaderAccessDenied: nfc_errors.ReaderAccessDenied("usb", 16),
        nfc_errors.ReaderFailed: nfc_errors.ReaderFailed(5),
        nfc_errors.WrongCard: nfc_errors.WrongCard(b"\x01" * 4, b"\x02" * 4),
        nfc_errors.UnsupportedCard: nfc_errors.UnsupportedCard("Type1Tag"),
        nfc_errors.CardFull: nfc_errors.CardFull(46, 115),
    }
    return samples.get(kind) or kind()


@pytest.mark.parametrize("kind", _nfc_error_classes(), ids=lambda c: c.__name__)
def test_every_reader_error_has_plain_words(kind: type[nfc_errors.NfcError]) -> None:
    message = nfc_message(_sample(kind))
    assert message.endswith(".") and len(message) > 25
    if kind is not nfc_errors.NfcCancelled:
        # Each one says what to do next, not only what went wrong.
        verbs = ("Plug", "Press", "Use", "Close", "Restart", "Start", "Hold", "Try", "Unplug")
        assert any(verb in message for verb in verbs), message


def test_unplugged_reader_message_is_the_one_people_know() -> None:
    assert nfc_message(nfc_errors.ReaderUnplugged("usb")) == (
        "The card reader was unplugged. Plug it in again and retry."
    )


def test_card_labels() -> None:
    assert card_label(
        {"type": "third_party_lf_hid_h10301", "facility_code": 118, "card_number": 1603}
    ) == ("H10301 118:1603")
    assert card_label({"type": "site_secured_hf", "uid": "5A1B2C3D4E5F60"}) == (
        "NFC 5A1B2C… (site-secured)"
    )
    assert card_label({"type": "third_party_hf", "uid": "5A1B2C3D"}) == "NFC 5A1B2C… (UID only)"


# --- the Qt-free parts --------------------------------------------------------------------------


def test_the_desk_logic_loads_no_qt_and_no_nfcpy() -> None:
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys, app.controller.front_desk, app.ui.card_enrolment, app.ui.card_messages\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'nfc.')) or m == 'nfc'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


class OneCardReader(NfcReader):
    """A reader with one card on it; ``on_write`` runs while the card is being written."""

    def __init__(self, tag: TagInfo, on_write: Callable[[], None] = lambda: None) -> None:
        super().__init__("usb")
        self.tag = tag
        self.on_write = on_write
        self.written: list[bytes] = []

    @property
    def is_plugged(self) -> bool:
        return True

    async def async_open(self) -> None:
        pass

    async def async_close(self) -> None:
        pass

    async def wait_for_tag(self, timeout: float | None = None, cancel: Any = None) -> TagInfo:
        return self.tag

    async def write_ndef(self, uid: bytes, ndef: bytes) -> TagInfo:
        self.on_write()
        self.written.append(ndef)
        return TagInfo(uid, self.tag.tag_type, ndef, True, self.tag.capacity)


@pytest.fixture
def enrolment(tmp_path: Path) -> Iterator[tuple[CardEnrolment, Controller]]:
    controller = Controller(ControllerConfig(data_dir=tmp_path / "site", api_port=None))
    desk = FrontDesk(controller.site, controller.event_log)
    try:
        yield CardEnrolment(desk, controller.card_signer), controller
    finally:
        controller.store.close()


UID7 = bytes.fromhex("5a0102030405a6")


def blank(uid: bytes = UID7, **changes: Any) -> TagInfo:
    return replace(TagInfo(uid, "Type2Tag", b"", True, 492), **changes)


def test_which_tapped_cards_can_be_site_secured(
    enrolment: tuple[CardEnrolment, Controller],
) -> None:
    flow, controller = enrolment
    ours = controller.card_signer.issue(UID7).ndef
    theirs = sign_card(Ed25519PrivateKey.generate(), UID7, bytes(16))
    url = bytes.fromhex("d1010c55036578616d706c652e636f6d")  # an NDEF URI record
    assert flow.assess(blank())[0] is Fit.SECURE
    assert flow.assess(blank(tag_type="Type4Tag", capacity=1022))[0] is Fit.SECURE
    assert flow.assess(blank(ndef=ours))[0] is Fit.SECURE  # an old credential of this site
    assert flow.assess(blank(ndef=url)) == (
        Fit.UID_ONLY,
        "This card holds other data, which Lintel will not erase.",
    )
    assert flow.assess(blank(ndef=b"\x00garbage"))[0] is Fit.UID_ONLY
    assert flow.assess(blank(tag_type="Type3Tag"))[0] is Fit.UID_ONLY
    assert flow.assess(blank(ndef=None, writable=False, capacity=0))[0] is Fit.UID_ONLY
    assert flow.assess(blank(writable=False))[0] is Fit.UID_ONLY
    other_site = flow.assess(blank(ndef=theirs))
    assert other_site[0] is Fit.REFUSE and "another site" in other_site[1]
    random_uid = flow.assess(blank(uid=bytes.fromhex("08a1b2c3")))
    assert random_uid[0] is Fit.REFUSE and "new number every time" in random_uid[1]


async def test_a_card_too_small_for_a_credential_is_offered_by_uid(
    enrolment: tuple[CardEnrolment, Controller],
) -> None:
    flow, controller = enrolment
    jane = controller.site.create(USERS, {"email": "jane@example.com"})["id"]
    reader = OneCardReader(blank(capacity=46))  # an NTAG213 holds 137; an Ultralight 46
    offer = await flow.tap(reader, jane)
    assert isinstance(offer, UidOnlyOffer) and "too small" in offer.question
    assert reader.written == [] and controller.site.list(CARDS, {}).total == 0


async def test_a_card_written_but_not_saved_is_said_and_opens_nothing(
    enrolment: tuple[CardEnrolment, Controller],
) -> None:
    flow, controller = enrolment
    site = controller.site
    jane = site.create(USERS, {"email": "jane@example.com"})["id"]
    # Jane is removed (at another desk) while her card is being written.
    reader = OneCardReader(blank(), on_write=lambda: site.delete(USERS, jane))
    with pytest.raises(EnrolmentError, match="written but not saved, so it opens no door"):
        await flow.tap(reader, jane)
    assert len(reader.written) == 1 and site.list(CARDS, {}).total == 0
