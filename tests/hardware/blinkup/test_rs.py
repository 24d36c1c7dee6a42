"""Reed–Solomon over GF(256): corrects what it promises, refuses the rest."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.blinkup import BlinkUpDecodeError, DecodeFailure, rs


def _gf_mul(a: int, b: int) -> int:
    # Bit by bit, independent of the module's log tables.
    out = 0
    while b:
        if b & 1:
            out ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11D
        b >>= 1
    return out


def test_codewords_vanish_at_the_generator_roots() -> None:
    data = b"BlinkUp!"
    word = data + rs.encode(data, 6)
    for i in range(6):
        root = 1
        for _ in range(i):
            root = _gf_mul(root, 2)
        value = 0
        for coef in word:  # highest degree first
            value = _gf_mul(value, root) ^ coef
        assert value == 0, f"not a root: 2^{i}"
    assert rs.decode(word, 6) == data


@given(
    data=st.binary(min_size=1, max_size=200),
    nsym=st.sampled_from([2, 4, 8, 12, 16, 28]),
    seed=st.integers(0, 2**32),
)
@settings(max_examples=300)
def test_corrects_errors_and_erasures_within_capacity(data: bytes, nsym: int, seed: int) -> None:
    if len(data) + nsym > 255:
        data = data[: 255 - nsym]
    rng = random.Random(seed)
    word = bytearray(data + rs.encode(data, nsym))
    erasures = rng.randint(0, nsym)
    errors = rng.randint(0, (nsym - erasures) // 2)
    where = rng.sample(range(len(word)), min(len(word), erasures + errors))
    for pos in where:
        word[pos] ^= rng.randrange(1, 256)
    assert rs.decode(bytes(word), nsym, where[:erasures]) == data


def test_too_many_erasures_is_refused() -> None:
    word = b"hello" + rs.encode(b"hello", 4)
    with pytest.raises(BlinkUpDecodeError) as info:
        rs.decode(word, 4, [0, 1, 2, 3, 4])
    assert info.value.reason is DecodeFailure.TOO_MANY_ERRORS


def test_beyond_capacity_is_refused_not_miscorrected_here() -> None:
    data = bytes(range(50))
    word = bytearray(data + rs.encode(data, 4))
    for pos in (1, 10, 20):  # three errors, two correctable
        word[pos] ^= 0x5A
    with pytest.raises(BlinkUpDecodeError):
        rs.decode(bytes(word), 4)


def test_codeword_must_fit_the_field() -> None:
    with pytest.raises(ValueError):
        rs.encode(bytes(250), 8)
