"""The ``fast`` mode: our own five-level optical format (see ``docs/blinkup-fast.md``).

Frames: an alternation of black and white (the receiver finds it and learns black and white),
a sync word over levels 0/2/4, training frames at levels 1 and 3, then the data: a header
codeword (message length) and the Reed–Solomon protected, interleaved, whitened message, two
bits per frame. Consecutive frames never show the same level, so every frame boundary is an edge
the receiver can clock on and a repeated frame is seen as such.
"""

from __future__ import annotations

from collections.abc import Sequence

from hardware.blinkup import rs
from hardware.blinkup.compact import encode_message
from hardware.blinkup.errors import BlinkUpError
from hardware.blinkup.settings import Settings

LEVELS = (0, 136, 186, 224, 255)  # luminance 0, 1/4, 1/2, 3/4, 1 on an sRGB (gamma 2.2) screen
TOP = len(LEVELS) - 1
ALTERNATION = (0, TOP) * 10
SYNC = (2, 0, 2, 4, 2, 4, 0, 2)
TRAINING = (1, 3, 1, 3, 1, 3)
PREAMBLE = ALTERNATION + SYNC + TRAINING
HEADER_DATA, HEADER_PARITY = 2, 4
HEADER_BYTES = HEADER_DATA + HEADER_PARITY
TRAILER_DIBITS = 2
MAX_MESSAGE = 1023
MAX_CODEWORD_DATA = 223
MIN_PARITY = 12


def parity_for(data_len: int) -> int:
    """Parity bytes for a codeword of ``data_len`` data bytes: one per 8, at least 12."""
    return max(MIN_PARITY, 2 * ((data_len + 15) // 16))


def layout(message_len: int) -> list[tuple[int, int]]:
    """Split a message into codewords: ``(data bytes, parity bytes)`` for each one."""
    count = -(-message_len // MAX_CODEWORD_DATA)
    base, extra = divmod(message_len, count)
    sizes = [base + (1 if i < extra else 0) for i in range(count)]
    return [(size, parity_for(size)) for size in sizes]


def interleave_order(lengths: Sequence[int]) -> list[tuple[int, int]]:
    """Transmission order of codeword bytes: ``(codeword, index)``, column by column.

    Interleaving spreads a burst of bad frames over all codewords.
    """
    order = []
    for index in range(max(lengths)):
        order += [(cw, index) for cw, size in enumerate(lengths) if index < size]
    return order


def whitening(count: int) -> bytes:
    """The PN9 whitening sequence (x^9 + x^5 + 1, seed 0x1FF), ``count`` bytes.

    XORed over the data so that long runs of equal bytes still use every level, which keeps the
    receiver's level tracking fed.
    """
    state, out = 0x1FF, bytearray()
    for _ in range(count):
        out.append(state & 0xFF)
        for _ in range(8):
            bit = (state ^ (state >> 5)) & 1
            state = (state >> 1) | (bit << 8)
    return bytes(out)


def xor(data: bytes, key: bytes) -> bytes:
    """XOR ``data`` with the start of ``key``."""
    return bytes(a ^ b for a, b in zip(data, key, strict=False))


def packet(settings: Settings) -> bytes:
    """Return the compact ``fast`` message (settings then CRC-32), before any coding."""
    message = encode_message(settings)
    if len(message) > MAX_MESSAGE:
        raise BlinkUpError(f"settings too long: {len(message)} bytes, at most {MAX_MESSAGE}")
    return message


def coded_stream(message: bytes) -> bytes:
    """Header codeword then the interleaved body codewords, before whitening."""
    head = len(message).to_bytes(HEADER_DATA, "big")
    codewords, pos = [], 0
    for size, nsym in layout(len(message)):
        chunk = message[pos : pos + size]
        codewords.append(chunk + rs.encode(chunk, nsym))
        pos += size
    body = bytes(codewords[cw][i] for cw, i in interleave_order([len(c) for c in codewords]))
    return head + rs.encode(head, HEADER_PARITY) + body


def dibits(data: bytes) -> list[int]:
    """Split bytes into 2-bit values, most significant first."""
    return [(byte >> shift) & 3 for byte in data for shift in (6, 4, 2, 0)]


def level_for(dibit: int, previous: int) -> int:
    """The level showing ``dibit`` after ``previous``: the 4 levels other than it, in order."""
    return dibit if dibit < previous else dibit + 1


def dibit_for(level: int, previous: int) -> int:
    """Inverse of :func:`level_for` (``level`` must differ from ``previous``)."""
    return level if level < previous else level - 1


def symbols_for_message(message: bytes) -> list[int]:
    """Return one ``fast`` symbol (level index 0–4) per frame for an encoded message."""
    stream = coded_stream(message)
    out = list(PREAMBLE)
    for dibit in dibits(xor(stream, whitening(len(stream)))) + [0] * TRAILER_DIBITS:
        out.append(level_for(dibit, out[-1]))
    return out


def symbols(settings: Settings) -> list[int]:
    """Return one ``fast`` symbol (level index 0–4) per display frame."""
    return symbols_for_message(packet(settings))


def frames(settings: Settings) -> list[int]:
    """Return one screen level (0–255) per display frame for ``settings`` in ``fast`` mode."""
    return [LEVELS[s] for s in symbols(settings)]


def frame_count(message_len: int) -> int:
    """Frames of a transfer whose message (CRC included) is ``message_len`` bytes."""
    body = sum(size + nsym for size, nsym in layout(message_len))
    return len(PREAMBLE) + 4 * (HEADER_BYTES + body) + TRAILER_DIBITS
