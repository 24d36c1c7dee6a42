"""Emulated cards answer literal ISO 14443 / NFC Forum frames as real cards do."""

from __future__ import annotations

import socket

import pytest

from hardware.nfc.udp_emulator import TagEmulator
from hardware.nfc.udp_tags import EmulatedType2Tag, EmulatedType4Tag, EmulatedTypeATag

UID7 = bytes.fromhex("5a0102030405a6")
UID4 = bytes.fromhex("5c0a0b0c")


def talk(tag: EmulatedTypeATag, *frames: str) -> list[str | None]:
    answers = [tag.handle(bytes.fromhex(frame)) for frame in frames]
    return [None if answer is None else answer.hex() for answer in answers]


def test_type2_cascades_a_seven_byte_uid_and_reads_its_header() -> None:
    tag = EmulatedType2Tag(UID7)
    assert talk(tag, "26", "9320", "9370885a0102d1", "9520", "9570030405a6a4", "3000") == [
        "4400",
        "885a0102d1",
        "04",
        "030405a6a4",
        "00",
        "5a0102d1030405a6a4480000e1103e00",
    ]


def test_type2_writes_user_pages_and_naks_the_rest() -> None:
    tag = EmulatedType2Tag(UID7)
    talk(tag, "26", "9370885a0102d1", "9570030405a6a4")
    assert talk(tag, "a20501020304", "3005", "a20011223344", "3005") == [
        "0a",
        "01020304" + "00" * 12,
        "00",
        None,  # after a NAK the card is mute until woken again
    ]
    talk(tag, "26", "9370885a0102d1", "9570030405a6a4")
    assert talk(tag, "3087") == ["00"]  # past the last page
    assert tag.writes == 1


def test_type2_blank_card_is_formatted_with_an_empty_ndef() -> None:
    tag = EmulatedType2Tag(UID7)
    assert tag.memory[12:19] == bytes.fromhex("e1103e00 0300fe")
    assert tag.ndef == b""
    tag.ndef = b"\xd0\x00\x00"
    assert tag.ndef == b"\xd0\x00\x00" and tag.memory[16:22] == bytes.fromhex("0303d00000fe")
    clone = tag.copy_with_uid(bytes.fromhex("5d0102030405a6"))
    assert clone.ndef == b"\xd0\x00\x00" and clone.memory[0:3] == bytes.fromhex("5d0102")


def test_type4_activates_and_serves_the_ndef_application() -> None:
    tag = EmulatedType4Tag(UID4)
    assert talk(tag, "26", "9320", "93705c0a0b0c51", "e080") == [
        "0400",
        "5c0a0b0c51",
        "20",
        "0578808000",
    ]
    assert talk(
        tag,
        "0200a4040007d276000085010100",  # SELECT NDEF application (v2)
        "0300a4000c02e103",  # SELECT CC file
        "0200b000000f",  # READ BINARY 15 bytes
        "0300a4000c02e104",  # SELECT NDEF file
        "0200d60000020003",  # UPDATE BINARY: NLEN = 3
        "0300b0000002",  # READ BINARY it back
    ) == [
        "029000",
        "039000",
        "02000f2000f000f00406e104040000009000",
        "039000",
        "029000",
        "0300039000",
    ]


def test_type4_iso_dep_presence_check_and_errors() -> None:
    tag = EmulatedType4Tag(UID4, read_only=True)
    talk(tag, "26", "93705c0a0b0c51", "e080")
    assert talk(tag, "0200a4040007d276000085010000") == ["026a82"]  # v1 AID: not found
    assert talk(tag, "b3", "b2") == ["a2", "026a82"]  # R(NAK): ACK, or resend the last block
    assert talk(tag, "0300b0000002") == ["036986"]  # nothing selected
    talk(tag, "0200a4040007d276000085010100", "0300a4000c02e104")
    assert talk(tag, "0200d60000020001", "f0") == ["026982", None]  # read-only; bad PCB


def test_nxp_uids_are_refused() -> None:
    with pytest.raises(ValueError, match="NXP"):
        EmulatedType4Tag(bytes.fromhex("04010203"))


def test_the_emulator_speaks_nfcpy_udp_frames_on_loopback() -> None:
    with (
        TagEmulator() as field,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as reader,
    ):
        reader.settimeout(5)
        field.present(EmulatedType2Tag(UID7))
        port = int(field.path.rsplit(":", 1)[1])
        reader.sendto(b"106A 26", ("127.0.0.1", port))
        assert reader.recv(64) == b"106A 4400"
