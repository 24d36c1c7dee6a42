"""Per-direction ChaCha20-Poly1305 with implicit counters."""

from __future__ import annotations

import pytest

from hardware.link.cipher import FrameCipher
from hardware.link.errors import LinkCryptoError

KEY = bytes(range(32))


def test_round_trip_in_order() -> None:
    sealer, opener = FrameCipher(KEY), FrameCipher(KEY)
    frames = [sealer.seal(f"frame {i}".encode()) for i in range(3)]
    assert [opener.open(f) for f in frames] == [b"frame 0", b"frame 1", b"frame 2"]


def test_same_plaintext_gives_different_ciphertexts() -> None:
    sealer = FrameCipher(KEY)
    assert sealer.seal(b"x") != sealer.seal(b"x")


def test_replayed_frame_fails() -> None:
    sealer, opener = FrameCipher(KEY), FrameCipher(KEY)
    first = sealer.seal(b"a")
    opener.open(first)
    with pytest.raises(LinkCryptoError, match="tampered or replayed"):
        opener.open(first)


def test_out_of_order_frame_fails() -> None:
    sealer, opener = FrameCipher(KEY), FrameCipher(KEY)
    sealer.seal(b"a")
    second = sealer.seal(b"b")
    with pytest.raises(LinkCryptoError):
        opener.open(second)


def test_tampered_frame_fails() -> None:
    sealer, opener = FrameCipher(KEY), FrameCipher(KEY)
    frame = bytearray(sealer.seal(b"hello"))
    frame[0] ^= 1
    with pytest.raises(LinkCryptoError):
        opener.open(bytes(frame))


def test_short_frame_fails() -> None:
    with pytest.raises(LinkCryptoError, match="too short"):
        FrameCipher(KEY).open(b"abc")


def test_wrong_key_fails() -> None:
    frame = FrameCipher(KEY).seal(b"hello")
    with pytest.raises(LinkCryptoError):
        FrameCipher(bytes(32)).open(frame)
