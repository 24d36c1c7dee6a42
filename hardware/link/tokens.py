"""Device and enrolment token helpers (pure).

A token is the short code printed on a device's label (or issued by the controller for
enrolment). It never crosses the wire: the device sends ``token_id`` to say which token it
holds and ``token_proof`` (an HMAC over the handshake transcript) to prove it, so the
controller can check the token later, when an installer types it in to adopt the device.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_HEX_CHARS = 12


def new_token() -> str:
    """Return a fresh random token: 12 lowercase hex characters (48 bits)."""
    return secrets.token_hex(TOKEN_HEX_CHARS // 2)


def token_id(token: str) -> str:
    """Return the public identifier of a token.

    Args:
        token: The token text.

    Returns:
        The first 16 hex characters of ``SHA-256(b"lintel-token-id:" + token)``.
    """
    return hashlib.sha256(b"lintel-token-id:" + token.encode("utf-8")).hexdigest()[:16]


def token_proof(token: str, transcript: bytes) -> str:
    """Prove possession of a token for one handshake.

    Args:
        token: The token text.
        transcript: The handshake transcript hash ``h``.

    Returns:
        ``HMAC-SHA256(key=token, msg=h)`` as lowercase hex.
    """
    return hmac.new(token.encode("utf-8"), transcript, hashlib.sha256).hexdigest()


def verify_token_proof(token: str, transcript: bytes, proof: str) -> bool:
    """Check a token proof in constant time.

    Args:
        token: The token the installer (or the controller's enrolment record) holds.
        transcript: The handshake transcript hash ``h`` the proof was made over.
        proof: The hex proof the device sent.

    Returns:
        True if ``proof`` was made with ``token`` over ``transcript``.
    """
    expected = token_proof(token, transcript)
    return hmac.compare_digest(expected.encode("ascii"), proof.encode("utf-8", "replace"))
