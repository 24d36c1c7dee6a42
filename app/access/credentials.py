"""What a reader saw: a credential presented at a door, and how it maps to enrolled cards."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.access import secure_card, wiegand

# Card types for each Wiegand format we decode: the public API's names, then our own extensions
# (C1k48s, P10001) named the same way so integrators can guess them.
LF_CARD_TYPES: dict[str, str] = {
    "H10301": "third_party_lf_hid_h10301",
    "H10302": "third_party_lf_hid_h10302",
    "H10304": "third_party_lf_hid_h10304",
    "H10306": "third_party_lf_hid_h10306",
    "C1k35s": "third_party_lf_hid_corporate1000_35",
    "D10202": "third_party_lf_hid_d10202",
    "C1k48s": "third_party_lf_hid_corporate1000_48",
    "P10001": "third_party_lf_pyramid_p10001",
}
FORMAT_OF_CARD_TYPE: dict[str, str] = {card: fmt for fmt, card in LF_CARD_TYPES.items()}
HF_CARD_TYPE = "third_party_hf"
# Our own type: an HF card carrying a credential signed by the site key (app.access.secure_card).
SECURED_HF_CARD_TYPE = "site_secured_hf"
PHONE_CARD_TYPE = "mobile_credential"

_HEX = re.compile(r"^[0-9A-Fa-f]+$")
# A card whose NDEF holds no site credential at all is an ordinary HF card.
_NO_SITE_CREDENTIAL = frozenset(
    {secure_card.SecureCardReason.NOT_NDEF, secure_card.SecureCardReason.NO_CREDENTIAL}
)


class CredentialError(ValueError):
    """A presentation that cannot be read; the message is safe to show and to audit."""


class NotGenuineError(CredentialError):
    """A card carries a site credential that fails its check (copied, forged, other site)."""


@dataclass(frozen=True)
class WiegandRead:
    """Raw bits from an LF card."""

    bits: str


@dataclass(frozen=True)
class UidRead:
    """An HF card's UID (upper-case hex), or a phone's credential id when it taps.

    ``phone_unlocked`` is None for a card; for a phone it says whether the phone itself was
    unlocked, which doors with two-factor Tap to Unlock require. ``ndef`` is the NDEF message
    the reader found on the card, if any (a site-secured card's signed credential).
    """

    uid: str
    phone_unlocked: bool | None = None
    ndef: bytes | None = None


Presentation = WiegandRead | UidRead


def normalize_uid(text: str) -> str:
    """Validate an HF UID and return it in upper-case hex.

    Raises:
        CredentialError: not hex, odd length, or outside 4–10 bytes.
    """
    cleaned = text.replace(":", "").replace(" ", "")
    if not _HEX.match(cleaned) or len(cleaned) % 2:
        raise CredentialError("A card UID must be hexadecimal bytes")
    if not 8 <= len(cleaned) <= 20:
        raise CredentialError("A card UID must be 4 to 10 bytes long")
    return cleaned.upper()


@dataclass(frozen=True)
class CardKey:
    """How to look a presented card up among enrolled cards."""

    card_type: str
    facility_code: int | None = None
    card_number: int | None = None
    uid: str | None = None
    token: str | None = None  # of a site-secured card: the signed credential's token


def card_keys(
    presentation: Presentation, site_card_key: Ed25519PublicKey | None = None
) -> list[CardKey]:
    """The enrolled-card identities a presentation could match.

    An HF card with a site credential is matched only as a site-secured card, and only when the
    credential's signature (by ``site_card_key``) and UID hold; an HF card without one is
    matched by its UID.

    Raises:
        NotGenuineError: a site credential that is copied, forged or from another site.
        CredentialError: unreadable bits, unknown length, parity error, malformed UID.
    """
    if isinstance(presentation, UidRead):
        uid = normalize_uid(presentation.uid)
        if presentation.ndef is not None and site_card_key is not None:
            try:
                token = secure_card.verify_card(
                    site_card_key, bytes.fromhex(uid), presentation.ndef
                )
            except secure_card.SecureCardError as exc:
                if exc.reason not in _NO_SITE_CREDENTIAL:
                    raise NotGenuineError(str(exc)) from exc
            else:
                return [CardKey(SECURED_HF_CARD_TYPE, uid=uid, token=token.upper())]
        return [CardKey(HF_CARD_TYPE, uid=uid)]
    try:
        found = wiegand.readings(presentation.bits)
    except wiegand.WiegandError as exc:
        raise CredentialError(str(exc)) from exc
    return [
        CardKey(LF_CARD_TYPES[f.format], f.facility_code, f.card_number)
        for f in found
        if f.format in LF_CARD_TYPES
    ]
