"""Handshake steps as pure functions."""

from __future__ import annotations

import dataclasses

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hardware.link.errors import ControllerKeyMismatchError, LinkHandshakeError
from hardware.link.frames import decode, encode
from hardware.link.handshake import (
    answer_hello,
    check_welcome,
    derive_keys,
    make_auth,
    public_key_bytes,
    start_hello,
    transcript_hash,
    verify_signature,
)
from hardware.link.messages import Welcome
from hardware.link.tokens import token_id, verify_token_proof
from tests.hardware.link.support import READER_INFO, TOKEN


def _exchange() -> tuple[Ed25519PrivateKey, Ed25519PrivateKey, bytes, bytes, Welcome]:
    device, controller = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    hello, _ = start_hello(device, READER_INFO)
    hello_body = encode(hello)
    welcome, welcome_body, _ = answer_hello(controller, hello_body)
    return device, controller, hello_body, welcome_body, welcome


def test_both_sides_derive_the_same_keys() -> None:
    device, controller = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    hello, device_eph = start_hello(device, READER_INFO)
    hello_body = encode(hello)
    welcome, welcome_body, controller_eph = answer_hello(controller, hello_body)
    assert decode(welcome_body) == welcome
    check_welcome(welcome, hello_body, None)
    h = transcript_hash(hello_body, welcome_body)
    mine = derive_keys(device_eph, welcome.ephemeral, h)
    theirs = derive_keys(controller_eph, hello.ephemeral, h)
    assert mine == theirs
    assert mine.device_to_controller != mine.controller_to_device


def test_welcome_signature_binds_the_hello() -> None:
    *_, welcome = _exchange()
    other_hello, _ = start_hello(Ed25519PrivateKey.generate(), READER_INFO)
    with pytest.raises(LinkHandshakeError, match="controller signature"):
        check_welcome(welcome, encode(other_hello), None)


def test_tampered_welcome_fails() -> None:
    _, _, hello_body, _, welcome = _exchange()
    forged = dataclasses.replace(welcome, nonce=bytes(16))
    with pytest.raises(LinkHandshakeError):
        check_welcome(forged, hello_body, None)


def test_pinned_key_mismatch_is_refused() -> None:
    _, _, hello_body, _, welcome = _exchange()
    other = public_key_bytes(Ed25519PrivateKey.generate())
    with pytest.raises(ControllerKeyMismatchError, match="not the pinned key"):
        check_welcome(welcome, hello_body, other)
    check_welcome(welcome, hello_body, welcome.controller_key)


def test_low_order_ephemeral_is_refused() -> None:
    _, device_eph = start_hello(Ed25519PrivateKey.generate(), READER_INFO)
    with pytest.raises(LinkHandshakeError, match="not usable"):
        derive_keys(device_eph, bytes(32), b"h" * 32)


def test_auth_proves_identity_and_token() -> None:
    device, _, hello_body, welcome_body, _ = _exchange()
    h = transcript_hash(hello_body, welcome_body)
    auth = make_auth(device, h, TOKEN, "0011aabbccdd")
    verify_signature(public_key_bytes(device), h, auth.signature, "device")
    assert auth.token_id == token_id(TOKEN)
    assert verify_token_proof(TOKEN, h, auth.token_proof)
    assert auth.enrolment_proof is not None
    assert verify_token_proof("0011aabbccdd", h, auth.enrolment_proof)
    with pytest.raises(LinkHandshakeError, match="device signature"):
        verify_signature(public_key_bytes(device), b"x" * 32, auth.signature, "device")
    with pytest.raises(LinkHandshakeError):
        verify_signature(b"short", h, auth.signature, "device")
