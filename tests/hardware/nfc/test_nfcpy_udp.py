"""The nfcpy backend through nfcpy's real ``udp:`` front-end, against emulated cards.

Every frame goes over a loopback UDP socket between nfcpy's driver and ``TagEmulator``.
Unplugging cannot happen to a UDP socket, so those tests use a ``ContactlessFrontend``
subclass that fails like a pulled USB reader (``IOError(ENODEV)``) when switched off.
"""

from __future__ import annotations

import asyncio
import errno
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.access.secure_card import SecureCardError, SecureCardReason, sign_card, verify_card
from hardware.nfc.errors import (
    CardFull,
    InvalidReaderPath,
    NfcCancelled,
    NfcError,
    NoTagPresented,
    NotWritable,
    ReaderAccessDenied,
    ReaderClosed,
    ReaderFailed,
    ReaderNotFound,
    ReaderUnplugged,
    TagLost,
    WrongCard,
)
from hardware.nfc.nfcpy_backend import NfcpyReader
from hardware.nfc.nfcpy_jobs import UdpFrontend
from hardware.nfc.reader import (
    NfcReader,
    ReaderEvent,
    ReaderEventKind,
    TagInfo,
    choose_backend,
    create_reader,
)
from hardware.nfc.udp_emulator import TagEmulator
from hardware.nfc.udp_tags import EmulatedType2Tag, EmulatedType4Tag, EmulatedTypeATag
from tests.leaks import tasks_left_behind, threads_left_behind
from tests.waiting import until

pytestmark = pytest.mark.timeout(20)

UID_T2 = bytes.fromhex("5a0102030405a6")
UID_T4 = bytes.fromhex("5b1122334455c7")
UID_T4_SHORT = bytes.fromhex("5c0a0b0c")
OTHER_UID = bytes.fromhex("5d0102030405a6")
TOKEN = bytes(range(16))
SITE_KEY = Ed25519PrivateKey.generate()


def type2(uid: bytes = UID_T2) -> EmulatedTypeATag:
    return EmulatedType2Tag(uid)


def type4(uid: bytes = UID_T4) -> EmulatedTypeATag:
    return EmulatedType4Tag(uid)


class Events:
    """Records reader events (called on the loop)."""

    def __init__(self) -> None:
        self.seen: list[ReaderEvent] = []

    def __call__(self, event: ReaderEvent) -> None:
        self.seen.append(event)

    def kinds(self) -> list[ReaderEventKind]:
        return [event.kind for event in self.seen]


# Readers and emulators must join their threads when closed; closing a reader must stop its
# watcher and every helper task.
no_leaked_threads = pytest.fixture(autouse=True)(threads_left_behind)
no_leaked_tasks = pytest.fixture(autouse=True)(tasks_left_behind)


@pytest.fixture
def field() -> Iterator[TagEmulator]:
    with TagEmulator() as emulator:
        yield emulator


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
async def reader(field: TagEmulator, events: Events) -> AsyncIterator[NfcpyReader]:
    async with NfcpyReader(field.path, events, targets=("106A",), poll_interval=0.05) as nfc_reader:
        yield nfc_reader


async def test_reads_a_blank_type2_card(
    field: TagEmulator, reader: NfcpyReader, events: Events
) -> None:
    field.present(type2())
    tag = await reader.wait_for_tag(timeout=5)
    assert tag == TagInfo(UID_T2, "Type2Tag", ndef=b"", writable=True, capacity=492)
    assert tag.uid_hex == "5A0102030405A6"
    assert events.kinds() == [ReaderEventKind.PLUGGED, ReaderEventKind.TAG_PRESENT]
    assert events.seen[-1].tag == tag


@pytest.mark.parametrize("uid", [UID_T4, UID_T4_SHORT])
async def test_reads_a_blank_type4_card(
    field: TagEmulator, reader: NfcpyReader, uid: bytes
) -> None:
    field.present(type4(uid))
    tag = await reader.wait_for_tag(timeout=5)
    assert tag == TagInfo(uid, "Type4Tag", ndef=b"", writable=True, capacity=1022)


@pytest.mark.parametrize("make", [type2, type4], ids=["type2", "type4"])
async def test_signed_credential_is_written_read_back_and_verified(
    field: TagEmulator, reader: NfcpyReader, make: Any
) -> None:
    card = make()
    field.present(card)
    tag = await reader.wait_for_tag(timeout=5)
    message = sign_card(SITE_KEY, tag.uid, TOKEN)
    written = await reader.write_ndef(tag.uid, message)
    assert written.ndef == message and card.ndef == message
    field.remove()
    field.present(card)  # tap the card again: a fresh activation reads it from scratch
    again = await reader.wait_for_tag(timeout=5)
    assert again.ndef == message
    assert verify_card(SITE_KEY.public_key(), again.uid, again.ndef) == TOKEN.hex()


@pytest.mark.parametrize("make", [type2, type4], ids=["to-type2", "to-type4"])
async def test_credential_copied_to_another_uid_is_refused(
    field: TagEmulator, reader: NfcpyReader, make: Any
) -> None:
    original = type2()
    field.present(original)
    tag = await reader.wait_for_tag(timeout=5)
    await reader.write_ndef(tag.uid, sign_card(SITE_KEY, tag.uid, TOKEN))
    copy = make(OTHER_UID)
    assert original.ndef is not None
    copy.ndef = original.ndef  # what a card copier does: same bytes, its own UID
    field.swap(copy)
    seen = await reader.wait_for_tag(timeout=5)
    assert seen.uid == OTHER_UID and seen.ndef == original.ndef
    assert seen.ndef is not None
    with pytest.raises(SecureCardError) as refused:
        verify_card(SITE_KEY.public_key(), seen.uid, seen.ndef)
    assert refused.value.reason is SecureCardReason.UID_MISMATCH


@pytest.mark.parametrize(
    "make",
    # Type 4 with 16-byte UPDATE BINARY commands, so the message takes several writes.
    [type2, lambda: EmulatedType4Tag(UID_T4, max_command=16)],
    ids=["type2", "type4"],
)
async def test_card_pulled_away_mid_write_is_tag_lost(
    field: TagEmulator, reader: NfcpyReader, events: Events, make: Any
) -> None:
    card = make()
    field.present(card)
    tag = await reader.wait_for_tag(timeout=5)
    message = sign_card(SITE_KEY, tag.uid, TOKEN)
    field.remove_after_writes(2)
    with pytest.raises(TagLost, match="taken away too early"):
        await reader.write_ndef(tag.uid, message)
    assert card.writes == 2 and card.ndef != message
    assert events.kinds()[-1] is ReaderEventKind.TAG_REMOVED


async def test_write_refuses_a_card_other_than_the_one_tapped(
    field: TagEmulator, reader: NfcpyReader
) -> None:
    field.present(type2())
    tag = await reader.wait_for_tag(timeout=5)
    other = type2(OTHER_UID)
    field.swap(other)
    with pytest.raises(WrongCard) as wrong:
        await reader.write_ndef(tag.uid, sign_card(SITE_KEY, tag.uid, TOKEN))
    assert wrong.value.found == OTHER_UID and other.ndef == b"" and other.writes == 0


async def test_write_protected_and_small_cards_are_refused(
    field: TagEmulator, reader: NfcpyReader
) -> None:
    field.present(EmulatedType2Tag(UID_T2, read_only=True))
    locked = await reader.wait_for_tag(timeout=5)
    assert not locked.writable
    with pytest.raises(NotWritable):
        await reader.write_ndef(locked.uid, sign_card(SITE_KEY, locked.uid, TOKEN))
    field.swap(EmulatedType4Tag(UID_T4, file_size=64))
    small = await reader.wait_for_tag(timeout=5)
    with pytest.raises(CardFull) as full:
        await reader.write_ndef(small.uid, sign_card(SITE_KEY, small.uid, TOKEN))
    assert full.value.capacity == 62


async def test_taking_the_card_away_is_reported(
    field: TagEmulator, reader: NfcpyReader, events: Events
) -> None:
    field.present(type4())
    tag = await reader.wait_for_tag(timeout=5)
    field.remove()
    await until(lambda: ReaderEventKind.TAG_REMOVED in events.kinds(), 5, "tag removed")
    assert events.seen[-1] == ReaderEvent(ReaderEventKind.TAG_REMOVED, reader.path, tag)


async def test_waiting_times_out_or_is_cancelled(field: TagEmulator, reader: NfcpyReader) -> None:
    with pytest.raises(NoTagPresented):
        await reader.wait_for_tag(timeout=0.2)
    cancel = asyncio.Event()
    seen = field.frames
    waiting = asyncio.create_task(reader.wait_for_tag(cancel=cancel))
    await until(lambda: field.frames > seen, 5, "the reader looking into the empty field")
    cancel.set()
    with pytest.raises(NfcCancelled):
        await asyncio.wait_for(waiting, 5)


async def test_closing_ends_a_wait_and_is_idempotent(field: TagEmulator, events: Events) -> None:
    nfc_reader = NfcpyReader(field.path, events, targets=("106A",))
    await nfc_reader.async_open()
    await nfc_reader.async_open()
    seen = field.frames
    waiting = asyncio.create_task(nfc_reader.wait_for_tag())
    await until(lambda: field.frames > seen, 5, "the reader looking")
    await nfc_reader.async_close()
    with pytest.raises(ReaderClosed):
        await asyncio.wait_for(waiting, 5)
    await nfc_reader.async_close()
    with pytest.raises(ReaderClosed):
        await nfc_reader.wait_for_tag(timeout=1)


async def test_a_slow_host_still_pairs_commands_with_answers(events: Events) -> None:
    # nfcpy gives a Type 2 READ 5 ms; this host answers in 10 ms. Without the udp wait floor,
    # nfcpy would take late answers for its retries and read the wrong pages.
    with TagEmulator(answer_delay=0.01) as slow:
        card = type2()
        slow.present(card)
        async with NfcpyReader(slow.path, events, targets=("106A",)) as nfc_reader:
            tag = await nfc_reader.wait_for_tag(timeout=5)
            message = sign_card(SITE_KEY, tag.uid, TOKEN)
            assert (await nfc_reader.write_ndef(tag.uid, message)).ndef == message
    assert card.ndef == message


class Switch:
    """A USB cable: a front-end's device path is "present" while it is plugged."""

    def __init__(self, plugged: bool) -> None:
        self.plugged = threading.Event()
        if plugged:
            self.plugged.set()
        self.open_error: Exception | None = None

    def present(self, device_path: str) -> bool:
        return self.plugged.is_set()


def unpluggable(switch: Switch) -> Any:
    """A real nfcpy front-end (over udp) that fails like a pulled USB reader when unplugged."""

    class UnpluggableFrontend(UdpFrontend):
        def open(self, path: str) -> bool:
            if switch.open_error is not None:
                raise switch.open_error
            return switch.plugged.is_set() and bool(super().open(path))

        def sense(self, *targets: Any, **options: Any) -> Any:
            if not switch.plugged.is_set():
                raise OSError(errno.ENODEV, "No such device")
            return super().sense(*targets, **options)

        def exchange(self, send_data: Any, timeout: float | None) -> Any:
            if not switch.plugged.is_set():
                raise OSError(errno.ENODEV, "No such device")
            return super().exchange(send_data, timeout)

    return UnpluggableFrontend


@pytest.fixture
async def usb_like(field: TagEmulator, events: Events) -> AsyncIterator[tuple[NfcpyReader, Switch]]:
    switch = Switch(plugged=False)
    nfc_reader = NfcpyReader(
        field.path,
        events,
        targets=("106A",),
        poll_interval=0.05,
        frontend_factory=unpluggable(switch),
        device_present=switch.present,
    )
    async with nfc_reader:
        yield nfc_reader, switch


async def test_reader_plugged_in_later_is_found(
    field: TagEmulator, usb_like: tuple[NfcpyReader, Switch], events: Events
) -> None:
    nfc_reader, switch = usb_like
    assert not nfc_reader.is_plugged
    with pytest.raises(ReaderNotFound, match="No card reader is plugged in"):
        await nfc_reader.wait_for_tag(timeout=1)
    switch.plugged.set()
    await until(lambda: nfc_reader.is_plugged, 5, "reader plugged")
    assert events.kinds() == [ReaderEventKind.PLUGGED]
    field.present(type2())
    assert (await nfc_reader.wait_for_tag(timeout=5)).uid == UID_T2


async def test_unplugging_while_waiting_then_replugging(
    field: TagEmulator, usb_like: tuple[NfcpyReader, Switch], events: Events
) -> None:
    nfc_reader, switch = usb_like
    switch.plugged.set()
    await until(lambda: nfc_reader.is_plugged, 5, "reader plugged")
    seen = field.frames
    waiting = asyncio.create_task(nfc_reader.wait_for_tag())
    await until(lambda: field.frames > seen, 5, "the reader looking")
    switch.plugged.clear()
    with pytest.raises(ReaderUnplugged, match=r"unplugged\. Plug it in again"):
        await asyncio.wait_for(waiting, 5)
    assert events.kinds() == [ReaderEventKind.PLUGGED, ReaderEventKind.UNPLUGGED]
    switch.plugged.set()
    await until(lambda: len(events.seen) == 3, 5, "plugged again")
    assert events.kinds()[-1] is ReaderEventKind.PLUGGED


async def test_unplugging_an_idle_reader_is_noticed(
    field: TagEmulator, usb_like: tuple[NfcpyReader, Switch], events: Events
) -> None:
    nfc_reader, switch = usb_like
    switch.plugged.set()
    await until(lambda: nfc_reader.is_plugged, 5, "reader plugged")
    field.present(type2())
    tag = await nfc_reader.wait_for_tag(timeout=5)
    switch.plugged.clear()
    await until(lambda: ReaderEventKind.UNPLUGGED in events.kinds(), 5, "reader unplugged")
    assert not nfc_reader.is_plugged
    assert events.kinds() == [
        ReaderEventKind.PLUGGED,
        ReaderEventKind.TAG_PRESENT,
        ReaderEventKind.TAG_REMOVED,
        ReaderEventKind.UNPLUGGED,
    ]
    with pytest.raises(ReaderUnplugged):
        await nfc_reader.write_ndef(tag.uid, b"")


@pytest.mark.parametrize(
    ("failure", "expected", "says"),
    [
        (OSError(errno.EBUSY, "busy"), ReaderAccessDenied, "in use by another program"),
        (RuntimeError("driver confused"), ReaderFailed, "stopped responding"),
    ],
    ids=["busy", "broken"],
)
async def test_a_reader_that_cannot_be_opened_says_why(
    usb_like: tuple[NfcpyReader, Switch],
    failure: Exception,
    expected: type[NfcError],
    says: str,
) -> None:
    nfc_reader, switch = usb_like
    switch.open_error = failure
    switch.plugged.set()

    async def reason() -> NfcError | None:
        try:
            await nfc_reader.wait_for_tag(timeout=1)
        except ReaderUnplugged:
            raise
        except ReaderNotFound:
            return None  # the watcher has not tried again yet
        except NfcError as error:
            return error
        raise AssertionError("a reader that cannot be opened must not be usable")

    error = await until(reason, 5, "open refused")
    assert type(error) is expected and says in str(error)


def test_paths_are_checked_and_the_backend_chosen_in_one_place() -> None:
    for bad in ["", "usb:zz", "bluetooth", "udp:host:port", "tty"]:
        with pytest.raises(InvalidReaderPath):
            create_reader(bad)
    for good in ["usb", "usb:072f:2200", "usb:001:023", "tty:USB0:pn532", "udp:127.0.0.1:54321"]:
        assert choose_backend(good) is NfcpyReader

    class Stand(NfcpyReader):
        pass

    chosen: NfcReader = create_reader("usb", backend=Stand, poll_interval=1)
    assert type(chosen) is Stand


def test_emulators_refuse_nxp_uids_and_other_addresses() -> None:
    with pytest.raises(ValueError, match="NXP"):
        EmulatedType2Tag(bytes.fromhex("04010203040506"))
    with pytest.raises(ValueError, match="loopback"):
        TagEmulator(host="192.0.2.1")


def test_the_face_and_the_emulator_do_not_load_nfcpy() -> None:
    root = Path(__file__).resolve().parents[3]
    code = (
        "import sys, hardware.nfc.reader, hardware.nfc.udp_tags, hardware.nfc.udp_emulator\n"
        "print(sorted(m for m in sys.modules if m == 'nfc' or m.startswith('nfc.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_nfcpy_is_quiet_unless_asked() -> None:
    # nfcpy logs every frame (card data included) and an error per poll without a reader.
    import logging
    import subprocess
    import sys

    code = (
        "import logging, hardware.nfc.nfcpy_backend;"
        "print(logging.getLogger('nfc.clf').getEffectiveLevel())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) == logging.CRITICAL
