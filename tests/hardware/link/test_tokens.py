"""Token id and proof helpers."""

from __future__ import annotations

import re

from hardware.link.tokens import new_token, token_id, token_proof, verify_token_proof

H = bytes(32)


def test_token_id_literal() -> None:
    # sha256(b"lintel-token-id:a1b2c3d4e5f6").hexdigest()[:16]
    assert token_id("a1b2c3d4e5f6") == "d7f72627182dc349"


def test_token_proof_literal() -> None:
    # HMAC-SHA256(key=b"a1b2c3d4e5f6", msg=32 zero bytes)
    assert token_proof("a1b2c3d4e5f6", H) == (
        "55aeb3a55818aa3aa522ffe10eb05a23014c729cbb4725b8d5a326d9753477f3"
    )


def test_verify_token_proof() -> None:
    proof = token_proof("a1b2c3d4e5f6", H)
    assert verify_token_proof("a1b2c3d4e5f6", H, proof)
    assert not verify_token_proof("a1b2c3d4e5f7", H, proof)
    assert not verify_token_proof("a1b2c3d4e5f6", b"\x01" * 32, proof)
    assert not verify_token_proof("a1b2c3d4e5f6", H, "zz")
    assert not verify_token_proof("a1b2c3d4e5f6", H, "é" * 64)


def test_new_token_is_twelve_lowercase_hex() -> None:
    tokens = {new_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(re.fullmatch(r"[0-9a-f]{12}", t) for t in tokens)
