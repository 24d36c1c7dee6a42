"""Emulated NFC Forum Type 2 and Type 4A cards, answering frames as a real card would.

These are the card side of nfcpy's ``udp:`` front-end (see :mod:`hardware.nfc.udp_emulator`,
which carries the frames). Each card walks the ISO/IEC 14443-3 activation (SENS_REQ,
cascaded SDD/SEL with BCC) and then answers:

- :class:`EmulatedType2Tag`: NTAG215-like memory (135 pages), READ ``0x30`` and WRITE
  ``0xA2``, capability container ``E1 10 3E 00``, an empty NDEF TLV when blank.
- :class:`EmulatedType4Tag`: RATS/ATS, ISO-DEP blocks (I with chaining, R(ACK/NAK),
  S(DESELECT)) and ISO 7816-4 APDUs for the NDEF application ``D2760000850101``:
  SELECT, READ BINARY, UPDATE BINARY on the CC file ``E103`` and NDEF file ``E104``.

UIDs starting with ``0x04`` (NXP) are refused: nfcpy would run NXP product detection
(GET_VERSION, ...) that these cards do not emulate. Cards are not thread-safe on their own;
the emulator serialises access.
"""

from __future__ import annotations

import struct
from abc import ABC, abstractmethod
from enum import Enum, auto
from functools import reduce
from operator import xor
from typing import Final, Self

NDEF_AID: Final = bytes.fromhex("D2760000850101")
CC_FILE: Final = bytes.fromhex("E103")
NDEF_FILE: Final = bytes.fromhex("E104")

_SEL_CMDS: Final = (0x93, 0x95, 0x97)
_CASCADE_TAG: Final = 0x88
_SAK_CASCADE: Final = 0x04
_ACK, _NAK = b"\x0a", b"\x00"
_SW_OK: Final = b"\x90\x00"


class _State(Enum):
    IDLE = auto()
    READY = auto()
    ACTIVE = auto()
    HALT = auto()


class EmulatedTypeATag(ABC):
    """An ISO/IEC 14443 Type A card: activation here, commands in subclasses."""

    def __init__(self, uid: bytes, sens_res: bytes, sel_res: int) -> None:
        if len(uid) not in (4, 7, 10):
            raise ValueError("a Type A UID is 4, 7 or 10 bytes")
        if uid[0] == 0x04:
            raise ValueError("UIDs starting with 0x04 make nfcpy probe for NXP products")
        self.uid = bytes(uid)
        self._sens_res = sens_res
        self._sel_res = sel_res
        self._state = _State.IDLE
        self._level = 0
        self.writes = 0
        """Write commands this card has applied (a test can wait on it)."""

    def _cascade_level(self, level: int) -> bytes:
        # 7- and 10-byte UIDs are sent in parts of 4: cascade tag + 3 UID bytes, then the rest.
        levels = len(self.uid) // 3
        if level < levels - 1:
            part = bytes([_CASCADE_TAG]) + self.uid[3 * level : 3 * level + 3]
        else:
            part = self.uid[3 * level :]
        return part + bytes([reduce(xor, part)])

    def reset(self) -> None:
        """The field went off (or another reader session began): back to IDLE."""
        self._state = _State.IDLE
        self._level = 0
        self._deactivate()

    def handle(self, frame: bytes) -> bytes | None:
        """Answer one frame from the reader; ``None`` means the card stays silent."""
        if frame == b"\x52" or (frame == b"\x26" and self._state is not _State.HALT):
            self._state, self._level = _State.READY, 0
            self._deactivate()
            return self._sens_res
        if self._state is _State.READY:
            return self._anticollision(frame)
        if self._state is _State.ACTIVE:
            if frame == b"\x50\x00":  # HLT_REQ
                self._state = _State.HALT
                return None
            response = self._command(frame)
            if response is None:
                self._state = _State.IDLE  # cards go mute on commands they do not know
            return response
        return None

    def _anticollision(self, frame: bytes) -> bytes | None:
        sel_cmd = _SEL_CMDS[self._level]
        expected = self._cascade_level(self._level)
        if frame == bytes([sel_cmd, 0x20]):
            return expected
        if frame == bytes([sel_cmd, 0x70]) + expected:
            if self._level < len(self.uid) // 3 - 1:
                self._level += 1
                return bytes([_SAK_CASCADE])
            self._state = _State.ACTIVE
            return bytes([self._sel_res])
        self._state = _State.IDLE
        return None

    def is_write(self, frame: bytes) -> bool:
        """Whether ``frame`` is a command that would change the card's memory."""
        return self._state is _State.ACTIVE and self._is_write(frame)

    @property
    @abstractmethod
    def ndef(self) -> bytes | None:
        """The card's NDEF message (``b""`` when blank, ``None`` if its NDEF area is broken)."""

    @ndef.setter
    @abstractmethod
    def ndef(self, message: bytes) -> None: ...

    @abstractmethod
    def copy_with_uid(self, uid: bytes) -> Self:
        """A clone of this card's memory on a card with another UID (what a copier makes)."""

    @abstractmethod
    def _command(self, frame: bytes) -> bytes | None: ...

    @abstractmethod
    def _is_write(self, frame: bytes) -> bool: ...

    @abstractmethod
    def _deactivate(self) -> None:
        """Forget protocol state above ISO 14443-3."""


class EmulatedType2Tag(EmulatedTypeATag):
    """An NTAG215-like Type 2 card: 135 pages of 4 bytes, 496 bytes of NDEF area."""

    PAGES: Final = 135
    _USER_PAGES: Final = range(4, 130)

    def __init__(self, uid: bytes, *, read_only: bool = False, ndef: bytes = b"") -> None:
        """Create a formatted card with ``ndef`` on it (blank by default).

        Args:
            uid: 7 bytes, not starting with ``0x04``.
            read_only: Lock the NDEF area (CC write access ``0x0F``; writes are NAKed).
            ndef: NDEF message to preload.
        """
        if len(uid) != 7:
            raise ValueError("an NTAG-like Type 2 card has a 7-byte UID")
        super().__init__(uid, sens_res=b"\x44\x00", sel_res=0x00)
        self.read_only = read_only
        memory = bytearray(4 * self.PAGES)
        memory[0:4] = uid[0:3] + bytes([_CASCADE_TAG ^ reduce(xor, uid[0:3])])
        memory[4:8] = uid[3:7]
        memory[8:12] = bytes([reduce(xor, uid[3:7]), 0x48, 0x00, 0x00])
        memory[12:16] = bytes([0xE1, 0x10, 0x3E, 0x0F if read_only else 0x00])
        memory[520:536] = bytes.fromhex("000000BD 040000FF 00050000 00000000")
        self.memory = memory
        """The card's bytes, page 0 first (a test may read or change them)."""
        self._write_tlv(ndef)

    @property
    def ndef(self) -> bytes | None:
        offset = 16
        while offset < 16 + self.memory[14] * 8:
            tlv = self.memory[offset]
            if tlv == 0x00:
                offset += 1
                continue
            if tlv == 0xFE:
                return None
            length, start = self.memory[offset + 1], offset + 2
            if length == 0xFF:
                length, start = (
                    struct.unpack(">H", self.memory[offset + 2 : offset + 4])[0],
                    start + 2,
                )
            if tlv == 0x03:
                return bytes(self.memory[start : start + length])
            offset = start + length
        return None

    @ndef.setter
    def ndef(self, message: bytes) -> None:
        self._write_tlv(message)

    def _write_tlv(self, message: bytes) -> None:
        if len(message) < 0xFF:
            tlv = bytes([0x03, len(message)]) + message + b"\xfe"
        else:
            tlv = b"\x03\xff" + struct.pack(">H", len(message)) + message + b"\xfe"
        if len(tlv) > self.memory[14] * 8:
            raise ValueError("the message does not fit this card")
        self.memory[16 : 16 + len(tlv)] = tlv

    def copy_with_uid(self, uid: bytes) -> Self:
        clone = type(self)(uid, read_only=self.read_only)
        clone.memory[12:520] = self.memory[12:520]
        return clone

    def _deactivate(self) -> None:
        """Type 2 cards keep no state above ISO 14443-3."""

    def _is_write(self, frame: bytes) -> bool:
        return len(frame) == 6 and frame[0] == 0xA2

    def _command(self, frame: bytes) -> bytes | None:
        if len(frame) == 2 and frame[0] == 0x30:
            response = self._read(frame[1])
        elif len(frame) == 6 and frame[0] == 0xA2:
            response = self._write(frame[1], frame[2:6])
        else:
            return None
        if response == _NAK:
            self._state = _State.IDLE  # after a NAK the card waits to be woken again
        return response

    def _read(self, page: int) -> bytes:
        if page >= self.PAGES:
            return _NAK
        # Reads past the last page roll over to page 0, as on NTAG.
        return b"".join(self._page((page + i) % self.PAGES) for i in range(4))

    def _page(self, page: int) -> bytes:
        return bytes(self.memory[4 * page : 4 * page + 4])

    def _write(self, page: int, data: bytes) -> bytes:
        if page < 2 or page >= self.PAGES or (self.read_only and page >= 3):
            return _NAK
        start = 4 * page
        if page in (2, 3):
            # Lock bytes and the capability container are one-time programmable: bits only set.
            first = 2 if page == 2 else 0
            for i in range(first, 4):
                self.memory[start + i] |= data[i]
        else:
            self.memory[start : start + 4] = data
        self.writes += 1
        return _ACK


class EmulatedType4Tag(EmulatedTypeATag):
    """A Type 4A card with an NDEF application (mapping version 2.0)."""

    def __init__(
        self,
        uid: bytes,
        *,
        read_only: bool = False,
        ndef: bytes = b"",
        file_size: int = 1024,
        max_command: int = 0xF0,
    ) -> None:
        """Create a card with an NDEF file holding ``ndef`` (blank by default).

        Args:
            uid: 4, 7 or 10 bytes, not starting with ``0x04``.
            read_only: NDEF file write access ``0xFF``; UPDATE BINARY is refused.
            ndef: NDEF message to preload.
            file_size: Size of the NDEF file, 2-byte length included.
            max_command: MLc, the most data one UPDATE BINARY carries (small values make
                nfcpy write in several commands).
        """
        super().__init__(uid, sens_res=b"\x44\x03" if len(uid) > 4 else b"\x04\x00", sel_res=0x20)
        self.read_only = read_only
        self._max_command = max_command
        self.ndef_file = bytearray(file_size)
        """The NDEF file: 2-byte length, then the message (a test may read or change it)."""
        self.ndef = ndef
        self._iso_dep = False
        self._block = 1
        self._last: bytes | None = None
        self._chain = b""
        self._app_selected = False
        self._file: bytearray | None = None

    @property
    def cc_file(self) -> bytes:
        """The capability container file."""
        return (
            struct.pack(">HBHH", 15, 0x20, 0xF0, self._max_command)
            + b"\x04\x06"
            + NDEF_FILE
            + struct.pack(">HBB", len(self.ndef_file), 0x00, 0xFF if self.read_only else 0x00)
        )

    @property
    def ndef(self) -> bytes | None:
        length = struct.unpack(">H", self.ndef_file[0:2])[0]
        return bytes(self.ndef_file[2 : 2 + length]) if length <= len(self.ndef_file) - 2 else None

    @ndef.setter
    def ndef(self, message: bytes) -> None:
        if len(message) > len(self.ndef_file) - 2:
            raise ValueError("the message does not fit this card")
        self.ndef_file[0 : 2 + len(message)] = struct.pack(">H", len(message)) + message

    def copy_with_uid(self, uid: bytes) -> Self:
        clone = type(self)(
            uid,
            read_only=self.read_only,
            file_size=len(self.ndef_file),
            max_command=self._max_command,
        )
        clone.ndef_file[:] = self.ndef_file
        return clone

    def _deactivate(self) -> None:
        self._iso_dep, self._block, self._last, self._chain = False, 1, None, b""
        self._app_selected, self._file = False, None

    def _is_write(self, frame: bytes) -> bool:
        return self._iso_dep and frame[0] & 0xE2 == 0x02 and frame[1:3] == b"\x00\xd6"

    def _command(self, frame: bytes) -> bytes | None:
        if not self._iso_dep:
            if len(frame) == 2 and frame[0] == 0xE0:  # RATS
                self._iso_dep = True
                # ATS: FSCI 8 (256 bytes), FWI 8 (~77 ms), no CID or NAD.
                return bytes.fromhex("0578808000")
            return None
        pcb = frame[0]
        if pcb & 0xE2 == 0x02:  # I-block
            self._block = pcb & 0x01
            self._chain += frame[1:]
            if pcb & 0x10:  # the reader chains: acknowledge and wait for the rest
                return bytes([0xA2 | self._block])
            apdu, self._chain = self._chain, b""
            self._last = bytes([0x02 | self._block]) + self._apdu(apdu)
            return self._last
        if pcb & 0xE6 == 0xA2:  # R(ACK) or R(NAK)
            if pcb & 0x01 == self._block and self._last is not None:
                return self._last
            return bytes([0xA2 | self._block])
        if pcb == 0xC2:  # S(DESELECT)
            self._state = _State.HALT
            return b"\xc2"
        return None

    def _apdu(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        data, le = b"", 0
        if len(body) == 1:
            le = body[0] or 256
        elif body:
            data = body[1 : 1 + body[0]]
            rest = body[1 + body[0] :]
            if len(data) != body[0] or len(rest) > 1:
                return b"\x67\x00"
            le = (rest[0] or 256) if rest else 0
        if cla != 0x00:
            return b"\x6e\x00"
        if ins == 0xA4:
            return self._select(p1, data)
        if ins == 0xB0:
            return self._read_binary((p1 << 8) | p2, le)
        if ins == 0xD6:
            return self._update_binary((p1 << 8) | p2, data)
        return b"\x6d\x00"

    def _select(self, p1: int, data: bytes) -> bytes:
        if p1 == 0x04:
            self._app_selected = data == NDEF_AID
            self._file = None
            return _SW_OK if self._app_selected else b"\x6a\x82"
        if p1 == 0x00 and self._app_selected and data in (CC_FILE, NDEF_FILE):
            self._file = bytearray(self.cc_file) if data == CC_FILE else self.ndef_file
            return _SW_OK
        return b"\x6a\x82"

    def _read_binary(self, offset: int, le: int) -> bytes:
        if self._file is None:
            return b"\x69\x86"
        if offset > len(self._file):
            return b"\x6b\x00"
        return bytes(self._file[offset : offset + min(le, 0xF0)]) + _SW_OK

    def _update_binary(self, offset: int, data: bytes) -> bytes:
        if self._file is None:
            return b"\x69\x86"
        if self._file is not self.ndef_file or self.read_only:
            return b"\x69\x82"
        if offset + len(data) > len(self._file):
            return b"\x6a\x84"
        self._file[offset : offset + len(data)] = data
        self.writes += 1
        return _SW_OK
