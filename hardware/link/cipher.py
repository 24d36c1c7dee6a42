"""ChaCha20-Poly1305 with implicit counter nonces, one instance per direction.

The nonce is a 96-bit big-endian counter that both sides advance in step and never send, so a
replayed, dropped, reordered or altered frame fails to decrypt; the link then closes.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from hardware.link.errors import LinkCryptoError

TAG_BYTES = 16
_NONCE_BYTES = 12
_MAX_COUNTER = 2 ** (8 * _NONCE_BYTES) - 1


class FrameCipher:
    """Seals or opens the frames of one direction of a link."""

    def __init__(self, key: bytes) -> None:
        """Create a cipher.

        Args:
            key: A 32-byte ChaCha20-Poly1305 key used for this direction only.
        """
        self._aead = ChaCha20Poly1305(key)
        self._counter = 0

    def _next_nonce(self) -> bytes:
        if self._counter > _MAX_COUNTER:
            raise LinkCryptoError("nonce counter exhausted")
        nonce = self._counter.to_bytes(_NONCE_BYTES, "big")
        self._counter += 1
        return nonce

    def seal(self, plaintext: bytes) -> bytes:
        """Encrypt and authenticate the next outgoing frame body.

        Args:
            plaintext: The frame body.

        Returns:
            Ciphertext with its 16-byte tag appended.
        """
        return self._aead.encrypt(self._next_nonce(), plaintext, None)

    def open(self, ciphertext: bytes) -> bytes:
        """Decrypt and authenticate the next incoming frame body.

        Args:
            ciphertext: Ciphertext with its tag, as received.

        Returns:
            The frame body.

        Raises:
            LinkCryptoError: If the frame is tampered, replayed or out of order.
        """
        if len(ciphertext) < TAG_BYTES:
            raise LinkCryptoError(f"encrypted frame too short ({len(ciphertext)} bytes)")
        try:
            return self._aead.decrypt(self._next_nonce(), ciphertext, None)
        except InvalidTag:
            raise LinkCryptoError("frame failed authentication (tampered or replayed)") from None
