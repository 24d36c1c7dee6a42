"""Handshake steps as pure functions: Hello, signed Welcome, session keys, Auth.

Device                                   Controller
  Hello{identity_key, ephemeral, nonce} ->
                                       <- Welcome{controller_key, ephemeral, nonce, signature}
  (both) h = SHA-256(hello_body || welcome_body); keys = HKDF(X25519(ephemerals), salt=h)
  Auth{signature over h, token proofs}  ->  (encrypted from here on)
                                       <- Accepted / Rejected
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hardware.link.errors import ControllerKeyMismatchError, LinkHandshakeError
from hardware.link.frames import encode, encode_unsigned_welcome
from hardware.link.messages import Auth, DeviceKind, Hello, Welcome
from hardware.link.tokens import token_id, token_proof

HKDF_INFO = b"lintel link v1"
_KEY_BYTES = 32


@dataclass(frozen=True)
class DeviceInfo:
    """What a device says about itself in its ``Hello``."""

    kind: DeviceKind
    serial: str
    model: str
    firmware: str
    mac: str


@dataclass(frozen=True)
class SessionKeys:
    """The two ChaCha20-Poly1305 keys of a link, one per direction."""

    device_to_controller: bytes
    controller_to_device: bytes


def public_key_bytes(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    """Return the raw 32-byte public key of a private key."""
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def start_hello(identity: Ed25519PrivateKey, info: DeviceInfo) -> tuple[Hello, X25519PrivateKey]:
    """Build a device's ``Hello`` with a fresh ephemeral key.

    Args:
        identity: The device's long-term identity key.
        info: Kind, serial, model, firmware and MAC of the device.

    Returns:
        The hello and the ephemeral private key to keep for ``derive_keys``.
    """
    ephemeral = X25519PrivateKey.generate()
    hello = Hello(
        kind=info.kind,
        serial=info.serial,
        model=info.model,
        firmware=info.firmware,
        mac=info.mac,
        identity_key=public_key_bytes(identity),
        ephemeral=public_key_bytes(ephemeral),
        nonce=secrets.token_bytes(16),
    )
    return hello, ephemeral


def answer_hello(
    controller: Ed25519PrivateKey, hello_body: bytes
) -> tuple[Welcome, bytes, X25519PrivateKey]:
    """Build the controller's signed ``Welcome`` for a received hello.

    Args:
        controller: The controller's long-term identity key.
        hello_body: The hello frame body exactly as received.

    Returns:
        The welcome, its encoded body, and the ephemeral private key to keep.
    """
    ephemeral = X25519PrivateKey.generate()
    unsigned = Welcome(
        controller_key=public_key_bytes(controller),
        ephemeral=public_key_bytes(ephemeral),
        nonce=secrets.token_bytes(16),
        signature=bytes(64),
    )
    digest = hashlib.sha256(hello_body + encode_unsigned_welcome(unsigned)).digest()
    welcome = Welcome(
        controller_key=unsigned.controller_key,
        ephemeral=unsigned.ephemeral,
        nonce=unsigned.nonce,
        signature=controller.sign(digest),
    )
    return welcome, encode(welcome), ephemeral


def check_welcome(welcome: Welcome, hello_body: bytes, pinned_key: bytes | None) -> None:
    """Verify the controller's signature and, if one is pinned, its key.

    Args:
        welcome: The decoded welcome.
        hello_body: The hello body this device sent.
        pinned_key: The controller key this device trusts, or None before first admission.

    Raises:
        ControllerKeyMismatchError: If the controller's key differs from the pinned one.
        LinkHandshakeError: If the signature does not verify.
    """
    if pinned_key is not None and welcome.controller_key != pinned_key:
        raise ControllerKeyMismatchError(
            f"controller key {welcome.controller_key.hex()[:16]}... is not the pinned key "
            f"{pinned_key.hex()[:16]}...; refusing this controller"
        )
    digest = hashlib.sha256(hello_body + encode_unsigned_welcome(welcome)).digest()
    verify_signature(welcome.controller_key, digest, welcome.signature, "controller")


def transcript_hash(hello_body: bytes, welcome_body: bytes) -> bytes:
    """Return ``h = SHA-256(hello_body || welcome_body)``, which binds the session."""
    return hashlib.sha256(hello_body + welcome_body).digest()


def derive_keys(ephemeral: X25519PrivateKey, peer_ephemeral: bytes, h: bytes) -> SessionKeys:
    """Derive the two direction keys from the ephemeral Diffie-Hellman and the transcript.

    Args:
        ephemeral: Our ephemeral X25519 private key.
        peer_ephemeral: The peer's raw ephemeral public key.
        h: The transcript hash (used as the HKDF salt).

    Returns:
        The session keys.

    Raises:
        LinkHandshakeError: If the peer's ephemeral key is unusable (e.g. a low-order point).
    """
    try:
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(peer_ephemeral))
    except ValueError:
        raise LinkHandshakeError("peer ephemeral key is not usable") from None
    hkdf = HKDF(algorithm=hashes.SHA256(), length=2 * _KEY_BYTES, salt=h, info=HKDF_INFO)
    okm = hkdf.derive(shared)
    return SessionKeys(okm[:_KEY_BYTES], okm[_KEY_BYTES:])


def verify_signature(public_key: bytes, data: bytes, signature: bytes, who: str) -> None:
    """Verify an Ed25519 signature.

    Args:
        public_key: The raw 32-byte public key.
        data: The signed data.
        signature: The 64-byte signature.
        who: Whose signature it is, for the error message.

    Raises:
        LinkHandshakeError: If the key is malformed or the signature does not verify.
    """
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        raise LinkHandshakeError(f"{who} signature does not verify") from None


def make_auth(
    identity: Ed25519PrivateKey, h: bytes, token: str, enrolment_token: str | None
) -> Auth:
    """Build the device's ``Auth``: a signature over ``h`` and token proofs.

    Args:
        identity: The device's long-term identity key.
        h: The transcript hash.
        token: The device's label token.
        enrolment_token: A controller-issued enrolment token, if the device holds one.

    Returns:
        The auth message (it carries no secret, only proofs).
    """
    return Auth(
        signature=identity.sign(h),
        token_id=token_id(token),
        token_proof=token_proof(token, h),
        enrolment_id=None if enrolment_token is None else token_id(enrolment_token),
        enrolment_proof=None if enrolment_token is None else token_proof(enrolment_token, h),
    )
