"""What a reader saw: a credential presented at a door, and how it maps to enrolled cards."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.access import wiegand

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
PHONE_CARD_TYPE = "mobile_credential"

_HEX = re.compile(r"^[0-9A-Fa-f]+$")


class CredentialError(ValueError):
    """A presentation that cannot be read; the message is safe to show and to audit."""


@dataclass(frozen=True)
class WiegandRead:
    """Raw bits from an LF card."""

    bits: str


@dataclass(frozen=True)
class UidRead:
    """An HF card's UID (upper-case hex), or a phone's credential id when it taps.

    ``phone_unlocked`` is None for a card; for a phone it says whether the phone itself was
    unlocked, which doors with two-factor Tap to Unlock require.
    """

    uid: str
    phone_unlocked: bool | None = None


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


def card_keys(presentation: Presentation) -> list[CardKey]:
    """The enrolled-card identities a presentation could match.

    Raises:
        CredentialError: unreadable bits, unknown length, parity error, malformed UID.
    """
    if isinstance(presentation, UidRead):
        return [CardKey(HF_CARD_TYPE, uid=normalize_uid(presentation.uid))]
    try:
        found = wiegand.readings(presentation.bits)
    except wiegand.WiegandError as exc:
        raise CredentialError(str(exc)) from exc
    return [
        CardKey(LF_CARD_TYPES[f.format], f.facility_code, f.card_number)
        for f in found
        if f.format in LF_CARD_TYPES
    ]
