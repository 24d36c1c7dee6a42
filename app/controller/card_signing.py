"""The site's card key: it signs the credentials the front desk writes to HF cards.

A site-secured card carries a credential signed by this key and bound to the card's UID
(``app.access.secure_card``). Readers check the signature with the public half; copying the
payload to another card, or writing one with another site's key, gets a denial.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.access.secure_card import TOKEN_LEN, sign_card
from app.controller.secrets import load_or_create_key

KEY_FILE = "card-signing.key"


@dataclass(frozen=True)
class SignedCredential:
    """What to write to a card (``ndef``) and what to enrol (``token``, upper-case hex)."""

    token: str
    ndef: bytes


class CardSigner:
    """Holds the site's card key (a 0600 file in the data folder) and signs new credentials."""

    def __init__(self, data_dir: Path) -> None:
        self._key = load_or_create_key(data_dir / KEY_FILE)

    @property
    def public_key(self) -> Ed25519PublicKey:
        """What readers verify card credentials with."""
        return self._key.public_key()

    def issue(self, uid: bytes) -> SignedCredential:
        """A fresh credential for the card with this UID, under a new random token."""
        token = secrets.token_bytes(TOKEN_LEN)
        return SignedCredential(token.hex().upper(), sign_card(self._key, uid, token))
