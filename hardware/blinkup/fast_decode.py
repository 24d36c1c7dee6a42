"""From received 2-bit values to settings in ``fast`` mode: header, body, slip recovery.

A repeated frame is visible (the same level twice) and simply skipped by the receiver. A
dropped frame is not: every later value arrives one place early. So when the plain decode
fails we try "values were lost here": the bytes holding them become erasures and the rest is
read that many places later. Places where a repeat was seen come first (a frame dropped between
two equal levels looks like a repeat and loses two values; a frame held instead of the next one
loses one), and values read from frames that looked almost like a repeat (maybe one too many),
then one value lost in each byte in turn. Another attempt marks the least certain
bytes as erasures. CRC-32 over the message rejects any wrong guess.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from hardware.blinkup import rs
from hardware.blinkup.compact import decode_message
from hardware.blinkup.errors import BlinkUpDecodeError, DecodeFailure
from hardware.blinkup.fast import (
    HEADER_BYTES,
    HEADER_DATA,
    HEADER_PARITY,
    MAX_MESSAGE,
    interleave_order,
    layout,
    whitening,
    xor,
)
from hardware.blinkup.settings import Settings

MIN_MESSAGE = 5  # flags byte and CRC-32
Slip = tuple[int, int] | None  # (position, count) of values that never arrived; -1: one extra
SOFT_LIMIT = 0.35  # a byte whose least certain value has a smaller margin may be erased


@dataclass
class Received:
    """The data part of a transfer as received.

    Attributes:
        dibits: 2-bit values in the order received.
        margins: How certain each value is (0 on a decision boundary, 1 on its level).
        repeats: Indexes into ``dibits`` just after which a repeated frame was skipped.
        extras: Indexes of values read from a frame that looked almost like its predecessor:
            maybe a repeated frame read a little off, so maybe a value too many.
    """

    dibits: list[int] = field(default_factory=list)
    margins: list[float] = field(default_factory=list)
    repeats: list[int] = field(default_factory=list)
    extras: list[int] = field(default_factory=list)


def _read(rx: Received, start: int, count: int, slip: Slip) -> tuple[bytes, list[int]]:
    # `count` bytes from the dibits at `start`, assuming `slip`: (k, n) means that n values
    # from position k (relative to `start`) never arrived, or for n = -1 that the value at k is
    # one too many. Bytes holding a lost (or the extra) value are erased; later values are read
    # n places earlier. Missing values (the end) are erased too.
    lost_at, lost = slip if slip is not None else (1 << 30, 0)
    span = max(lost, 1) if slip is not None else 0
    out, erased = bytearray(), []
    for index in range(count):
        first = 4 * index
        if first + 3 >= lost_at and first < lost_at + span:
            erased.append(index)
            out.append(0)
            continue
        at = start + first - (lost if first >= lost_at else 0)
        quad = rx.dibits[at : at + 4] if at >= 0 else []
        if len(quad) < 4:
            erased.append(index)
            out.append(0)
        else:
            out.append(quad[0] << 6 | quad[1] << 4 | quad[2] << 2 | quad[3])
    return bytes(out), erased


def _slips(rx: Received, start: int, dibits: int, before: int = 0) -> Iterator[Slip]:
    # Hypotheses, likeliest first: none; values lost where a repeat was seen (a dropped frame
    # between two equal levels reads as a repeat and loses two values, a frame held instead of
    # the next one loses one), also up to `before` values ahead of `start` (the header may have
    # been corrected over a loss); then one value lost in each byte in turn.
    yield None
    seen: set[Slip] = {None}
    near = [at - start for at in rx.repeats if start - before <= at < start + dibits]
    candidates = [(k, n) for k in near for n in (2, 1)]
    candidates += [(at - start, -1) for at in rx.extras if start <= at < start + dibits]
    if before:
        candidates.append((-1, 1))
    candidates += [(k, 1) for k in range(0, dibits, 4)]
    for slip in candidates:
        if slip not in seen:
            seen.add(slip)
            yield slip


def _doubtful(rx: Received, start: int, count: int) -> list[tuple[float, int]]:
    # (margin, byte index) of bytes whose least certain value is doubtful, least certain first.
    found = []
    for index in range(count):
        margins = rx.margins[start + 4 * index : start + 4 * index + 4]
        if margins and min(margins) < SOFT_LIMIT:
            found.append((min(margins), index))
    return sorted(found)


@dataclass(frozen=True)
class Header:
    """What the header says, and where the body may start (likeliest first).

    Several readings of the header can check out when a frame went missing inside it; each
    gives its own start for the body, and the body's CRC-32 settles which one is right.
    """

    length: int
    starts: tuple[int, ...]


def decode_header(rx: Received) -> Header | None:
    """Read the header codeword; None if no reading of it checks out."""
    key = whitening(HEADER_BYTES)
    found: dict[tuple[int, int], int] = {}
    for slip in _slips(rx, 0, 4 * HEADER_BYTES):
        raw, erased = _read(rx, 0, HEADER_BYTES, slip)
        word = xor(raw, key)
        try:
            head = rs.decode(word, HEADER_PARITY, erased)
        except BlinkUpDecodeError:
            continue
        length = int.from_bytes(head[:HEADER_DATA], "big")
        if not MIN_MESSAGE <= length <= MAX_MESSAGE:
            continue
        # Cost: bytes erased or corrected; the reading that needs the fewest is likeliest.
        fixed = head + rs.encode(head, HEADER_PARITY)
        cost = sum(1 for a, b in zip(word, fixed, strict=True) if a != b) + len(erased)
        reading = (length, 4 * HEADER_BYTES - (0 if slip is None else slip[1]))
        found[reading] = min(cost, found.get(reading, cost))
    if not found:
        return None
    ranked = sorted(found, key=lambda r: found[r])  # stable: fewer lost values first on ties
    length = ranked[0][0]
    return Header(length, tuple(start for size, start in ranked if size == length))


def body_dibits(length: int) -> int:
    """How many dibits the body of a ``length``-byte message takes."""
    return 4 * sum(size + nsym for size, nsym in layout(length))


def _attempt(
    raw: bytes, erased: Sequence[int], plan: list[tuple[int, int]], key: bytes
) -> bytes | None:
    lengths = [size + nsym for size, nsym in plan]
    words = [bytearray(n) for n in lengths]
    holes: list[list[int]] = [[] for _ in lengths]
    erased_set = set(erased)
    for pos, (word, index) in enumerate(interleave_order(lengths)):
        words[word][index] = raw[pos] ^ key[pos]
        if pos in erased_set:
            holes[word].append(index)
    try:
        return b"".join(
            rs.decode(bytes(w), nsym, h) for w, (_, nsym), h in zip(words, plan, holes, strict=True)
        )
    except BlinkUpDecodeError:
        return None


def _readings(rx: Received, header: Header, total: int) -> Iterator[tuple[int, Slip, bool]]:
    # (body start, slip, soft erasures): plain readings at each start first, then slips.
    for start in header.starts:
        yield start, None, False
        yield start, None, True
    for start in header.starts:
        for slip in _slips(rx, start, 4 * total, before=4 * HEADER_BYTES):
            if slip is not None:
                yield start, slip, False


def decode_body(rx: Received, header: Header) -> Settings:
    """Decode the message announced by ``header``.

    Raises:
        BlinkUpDecodeError: ``TOO_MANY_ERRORS``, ``CRC_MISMATCH`` or ``MALFORMED``.
    """
    length = header.length
    plan = layout(length)
    total = sum(size + nsym for size, nsym in plan)
    order = interleave_order([size + nsym for size, nsym in plan])
    key = whitening(HEADER_BYTES + total)[HEADER_BYTES:]
    crc_failed = False
    for start, slip, soft in _readings(rx, header, total):
        raw, erased = _read(rx, start, total, slip)
        if soft:
            # At most half of each codeword's parity, so that errors can still be found.
            used = [0] * len(plan)
            for _, index in _doubtful(rx, start, total):
                word = order[index][0]
                if used[word] < plan[word][1] // 2:
                    used[word] += 1
                    erased = [*erased, index]
        message = _attempt(raw, erased, plan, key)
        if message is None:
            continue
        try:
            return decode_message(message)
        except BlinkUpDecodeError as exc:
            if exc.reason is not DecodeFailure.CRC_MISMATCH:
                raise
            crc_failed = True
    if crc_failed:
        raise BlinkUpDecodeError(DecodeFailure.CRC_MISMATCH, "no reading of the message checks")
    raise BlinkUpDecodeError(DecodeFailure.TOO_MANY_ERRORS, f"{length}-byte message")
