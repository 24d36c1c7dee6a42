"""Checksums: the ``imp`` CRC-16 (an ARC table used MSB-first) and CRC-32 for ``fast``."""

from __future__ import annotations

import zlib


def _arc_table() -> tuple[int, ...]:
    # The reflected CRC-16/ARC table (polynomial 0xA001), exactly as the BlinkUp SDK ships it.
    table = []
    for index in range(256):
        crc = index
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


ARC_TABLE = _arc_table()


def crc16_imp(data: bytes) -> int:
    """Return the ``imp`` packet CRC-16 of ``data``.

    Not a standard CRC: the reflected ARC table is applied MSB-first, starting from 0, as the
    BlinkUp SDK does. Over ``b"123456789"`` it gives 0x9540 (true CRC-16/ARC: 0xBB3D).

    Args:
        data: The bytes covered (LEN and all TLV bytes).

    Returns:
        The 16-bit CRC, to be sent big-endian.
    """
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ ARC_TABLE[((crc >> 8) ^ byte) & 0xFF]
    return crc


def crc32(data: bytes) -> int:
    """Return the standard CRC-32 (IEEE 802.3, as zlib) of ``data``."""
    return zlib.crc32(data) & 0xFFFFFFFF
