"""decide() for site-secured HF cards: only a genuine credential on its own card opens a door."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.access.codes import DenialCode
from app.access.credentials import SECURED_HF_CARD_TYPE, UidRead
from app.access.decide import decide
from app.access.secure_card import encode_ndef_record, sign_card
from app.access.site import Card, CardAssignment
from tests.access.test_decide import NOW, site

SITE_KEY = Ed25519PrivateKey.generate()
UID = "11223344556677"
TOKEN = bytes(range(16))
GENUINE = sign_card(SITE_KEY, bytes.fromhex(UID), TOKEN)


def secured_site(token: str | None = TOKEN.hex().upper(), **changes: object):
    s = site(
        cards=[Card(5, SECURED_HF_CARD_TYPE, uid=UID, token=token)],
        assignments=[CardAssignment(5, 5, 7, True)],
        **changes,
    )
    s.signing_key = SITE_KEY.public_key()
    return s


def test_genuine_credential_on_its_own_card_is_granted() -> None:
    decision = decide(UidRead(UID, ndef=GENUINE), 1, secured_site(), NOW)
    assert decision.granted and decision.card is not None and decision.card.id == 5


def test_enrolment_without_a_recorded_token_takes_any_genuine_credential() -> None:
    assert decide(UidRead(UID, ndef=GENUINE), 1, secured_site(token=None), NOW).granted


CASES = [
    (
        "copied to another card",
        UidRead("A1B2C3D4E5F607", ndef=GENUINE),
        DenialCode.CARD_NOT_GENUINE,
    ),
    (
        "signed by another site",
        UidRead(UID, ndef=sign_card(Ed25519PrivateKey.generate(), bytes.fromhex(UID), TOKEN)),
        DenialCode.CARD_NOT_GENUINE,
    ),
    (
        "tampered payload",
        UidRead(UID, ndef=GENUINE[:-1] + bytes([GENUINE[-1] ^ 1])),
        DenialCode.CARD_NOT_GENUINE,
    ),
    ("bare UID of a secured card", UidRead(UID), DenialCode.CARD_NOT_FOUND),
    (
        "an older credential of a re-written card",
        UidRead(UID, ndef=sign_card(SITE_KEY, bytes.fromhex(UID), bytes(16))),
        DenialCode.CARD_NOT_FOUND,
    ),
]


@pytest.mark.parametrize(("name", "presentation", "code"), CASES, ids=[c[0] for c in CASES])
def test_denials(name: str, presentation: UidRead, code: DenialCode) -> None:
    decision = decide(presentation, 1, secured_site(), NOW)
    assert not decision.granted and decision.code is code, name


def test_the_copied_credential_denial_says_what_happened() -> None:
    decision = decide(UidRead("A1B2C3D4E5F607", ndef=GENUINE), 1, secured_site(), NOW)
    assert decision.message == "The credential was copied from another card"


def test_plain_hf_card_with_foreign_ndef_is_matched_by_uid() -> None:
    other_ndef = encode_ndef_record(0x01, b"U", b"\x04example.com")  # a URI record
    s = site()
    s.signing_key = SITE_KEY.public_key()
    assert decide(UidRead("04AABBCCDD", ndef=other_ndef), 1, s, NOW).granted
