"""Site-secured HF cards: NDEF codec (checked against ndeflib), signing, every refusal."""

from __future__ import annotations

import ndef
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from app.access.secure_card import (
    CARD_RECORD_TYPE,
    TNF_EXTERNAL,
    SecureCardError,
    SecureCardReason,
    decode_ndef_message,
    encode_ndef_record,
    sign_card,
    site_key_id,
    verify_card,
)

# A fixed key (RFC 8032 test vector 1 secret) keeps the literal-byte checks below stable.
SITE_KEY = Ed25519PrivateKey.from_private_bytes(
    bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
)
SITE_PUBLIC = SITE_KEY.public_key()
UID = bytes.fromhex("5a11223344556f")
TOKEN = bytes(range(16))


def test_short_record_bytes_are_literal() -> None:
    assert encode_ndef_record(TNF_EXTERNAL, b"a:b", b"\x01\x02") == bytes.fromhex(
        "d4 03 02 61 3a 62 01 02"
    )


def test_our_record_is_what_ndeflib_encodes() -> None:
    payload = b"payload bytes"
    ours = encode_ndef_record(TNF_EXTERNAL, CARD_RECORD_TYPE, payload)
    theirs = b"".join(
        ndef.message_encoder([ndef.Record("urn:nfc:ext:lintel.app:card", "", payload)])
    )
    assert ours == theirs


def test_signed_card_decodes_with_ndeflib() -> None:
    message = sign_card(SITE_KEY, UID, TOKEN)
    (record,) = ndef.message_decoder(message)
    assert record.type == "urn:nfc:ext:lintel.app:card"
    assert bytes(record.data)[0] == 1
    assert bytes(record.data)[1:9] == site_key_id(SITE_PUBLIC)


def test_decoder_reads_ndeflib_messages_with_long_records_and_ids() -> None:
    records = [
        ndef.UriRecord("https://example.com"),
        ndef.Record("urn:nfc:ext:other:x", "id-1", b"z" * 300),
        ndef.Record("urn:nfc:ext:lintel.app:card", "", b"abc"),
    ]
    decoded = decode_ndef_message(b"".join(ndef.message_encoder(records)))
    assert [r.tnf for r in decoded] == [1, 4, 4]
    assert decoded[1].id == b"id-1" and decoded[1].payload == b"z" * 300
    assert decoded[2].type == b"lintel.app:card" and decoded[2].payload == b"abc"


def test_a_signed_card_verifies_and_returns_the_token() -> None:
    assert verify_card(SITE_PUBLIC, UID, sign_card(SITE_KEY, UID, TOKEN)) == TOKEN.hex()


@pytest.mark.parametrize("uid", [bytes(4), bytes(range(1, 8)), bytes(range(1, 11))])
def test_every_uid_length_round_trips(uid: bytes) -> None:
    assert verify_card(SITE_PUBLIC, uid, sign_card(SITE_KEY, uid, TOKEN)) == TOKEN.hex()


def test_credential_next_to_other_records_is_found() -> None:
    uri = b"".join(ndef.message_encoder([ndef.UriRecord("https://example.com")]))
    ours = sign_card(SITE_KEY, UID, TOKEN)
    # Re-flag: URI record keeps MB only, ours keeps ME only.
    message = bytes([uri[0] & ~0x40]) + uri[1:] + bytes([ours[0] & ~0x80]) + ours[1:]
    assert verify_card(SITE_PUBLIC, UID, message) == TOKEN.hex()


def _refusal(uid: bytes, message: bytes) -> SecureCardReason:
    with pytest.raises(SecureCardError) as caught:
        verify_card(SITE_PUBLIC, uid, message)
    assert str(caught.value)  # always a plain sentence to show
    return caught.value.reason


def _with_payload(payload: bytes) -> bytes:
    return encode_ndef_record(TNF_EXTERNAL, CARD_RECORD_TYPE, payload)


def _payload() -> bytearray:
    return bytearray(sign_card(SITE_KEY, UID, TOKEN)[3 + len(CARD_RECORD_TYPE) :])


def test_copied_to_another_card_is_a_uid_mismatch() -> None:
    message = sign_card(SITE_KEY, UID, TOKEN)
    assert _refusal(bytes.fromhex("5a11223344557f"), message) is SecureCardReason.UID_MISMATCH


def test_refusals_name_their_reason() -> None:
    other_site = Ed25519PrivateKey.generate()
    flipped = _payload()
    flipped[12] ^= 0x01  # inside the token: the signature no longer matches
    forged_uid = _payload()
    forged_uid[27] ^= 0x01  # the signed UID altered to match a cloned card
    wrong_version = _payload()
    wrong_version[0] = 2
    cases = {
        b"": SecureCardReason.NOT_NDEF,
        b"\x00\x01\x02": SecureCardReason.NOT_NDEF,
        b"\xd4\x0f": SecureCardReason.NOT_NDEF,
        bytes.fromhex("940000"): SecureCardReason.NOT_NDEF,  # no ME: the message never ends
        bytes.fromhex("d00000"): SecureCardReason.NO_CREDENTIAL,
        encode_ndef_record(TNF_EXTERNAL, b"other.app:card", bytes(_payload())): (
            SecureCardReason.NO_CREDENTIAL
        ),
        _with_payload(bytes(wrong_version)): SecureCardReason.WRONG_VERSION,
        _with_payload(b""): SecureCardReason.MALFORMED,
        _with_payload(bytes(_payload())[:-1]): SecureCardReason.MALFORMED,
        sign_card(other_site, UID, TOKEN): SecureCardReason.OTHER_SITE,
        _with_payload(bytes(flipped)): SecureCardReason.BAD_SIGNATURE,
        _with_payload(bytes(forged_uid)): SecureCardReason.BAD_SIGNATURE,
    }
    got = {message: _refusal(UID, message) for message in cases}
    assert got == cases


def test_record_type_is_case_insensitive() -> None:
    message = encode_ndef_record(TNF_EXTERNAL, b"Lintel.App:Card", bytes(_payload()))
    assert verify_card(SITE_PUBLIC, UID, message) == TOKEN.hex()


@pytest.mark.parametrize(("uid", "token"), [(bytes(5), TOKEN), (UID, bytes(15))])
def test_sign_card_refuses_bad_arguments(uid: bytes, token: bytes) -> None:
    with pytest.raises(ValueError, match="must be"):
        sign_card(SITE_KEY, uid, token)


@settings(max_examples=400, deadline=None)
@given(uid=st.binary(max_size=12), data=st.binary(max_size=300))
def test_random_bytes_only_ever_raise_secure_card_error(uid: bytes, data: bytes) -> None:
    with pytest.raises(SecureCardError):
        verify_card(SITE_PUBLIC, uid, data)


@settings(max_examples=300, deadline=None)
@given(position=st.integers(0, 200), value=st.integers(0, 255), cut=st.integers(0, 200))
def test_damaged_cards_only_ever_raise_secure_card_error(
    position: int, value: int, cut: int
) -> None:
    message = bytearray(sign_card(SITE_KEY, UID, TOKEN))
    position %= len(message)
    if 3 <= position < 3 + len(CARD_RECORD_TYPE):
        position = 0  # the type compares case-insensitively; its bytes are covered above
    changed = message[position] != value
    message[position] = value
    damaged = bytes(message[: len(message) - cut % 4])
    if not changed and damaged == bytes(message):
        assert verify_card(SITE_PUBLIC, UID, damaged) == TOKEN.hex()
        return
    with pytest.raises(SecureCardError):
        verify_card(SITE_PUBLIC, UID, damaged)
