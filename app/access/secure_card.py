"""Site-secured HF cards: a credential signed by the site key, bound to the card's UID.

The front desk writes to a blank NTAG (Type 2) or Type 4 card one NDEF message holding one
NFC Forum external-type record, type ``lintel.app:card``. Its payload (format version 1):

====== ======== ==========================================================
offset length   field
====== ======== ==========================================================
0      1        version (``0x01``)
1      8        key id: first 8 bytes of SHA-256 of the site's raw Ed25519 public key
9      16       card token (random, chosen by the caller)
25     1        UID length *n* (4, 7 or 10)
26     *n*      the UID the credential was issued to
26+n   64       Ed25519 signature by the site key over
                ``"lintel/card/v1\\0" || n || UID || key id || token``
====== ======== ==========================================================

The UID is also carried in the payload so that a genuine payload copied to another card can be
told apart from a forged one: the signature proves the payload, then the UID the reader saw
must equal the signed one. The reader's UID is always the authority.

Anything read from a card is untrusted: :func:`verify_card` raises only
:class:`SecureCardError`, whose message is safe to show and whose ``reason`` is stable.
The small NDEF codec here keeps ``app.access`` independent of nfcpy and ndeflib.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

CARD_RECORD_TYPE: Final = b"lintel.app:card"
"""NFC Forum external type of the credential record (compared case-insensitively)."""
CARD_VERSION: Final = 1
KEY_ID_LEN: Final = 8
TOKEN_LEN: Final = 16
SIGNATURE_LEN: Final = 64
UID_LENGTHS: Final = frozenset({4, 7, 10})

TNF_EXTERNAL: Final = 0x04
_SIGNED_PREFIX: Final = b"lintel/card/v1\x00"
_MB, _ME, _CF, _SR, _IL = 0x80, 0x40, 0x20, 0x10, 0x08
_TNF_MASK: Final = 0x07


class SecureCardReason(StrEnum):
    """Why a card's credential was refused; values are stable codes for the audit trail."""

    NOT_NDEF = "not_ndef"
    NO_CREDENTIAL = "no_credential"
    WRONG_VERSION = "wrong_version"
    MALFORMED = "malformed"
    OTHER_SITE = "other_site"
    BAD_SIGNATURE = "bad_signature"
    UID_MISMATCH = "uid_mismatch"


_MESSAGES: Final[dict[SecureCardReason, str]] = {
    SecureCardReason.NOT_NDEF: "The card holds no readable NDEF data",
    SecureCardReason.NO_CREDENTIAL: "The card holds no Lintel credential",
    SecureCardReason.WRONG_VERSION: "The card's credential has a format this site cannot read",
    SecureCardReason.MALFORMED: "The card's credential is damaged",
    SecureCardReason.OTHER_SITE: "The card was issued by another site",
    SecureCardReason.BAD_SIGNATURE: "The card's credential is forged or damaged",
    SecureCardReason.UID_MISMATCH: "The credential was copied from another card",
}


class SecureCardError(ValueError):
    """A card's credential was refused; the message is safe to show and to audit.

    Attributes:
        reason: Stable reason code.
    """

    def __init__(self, reason: SecureCardReason) -> None:
        self.reason = reason
        super().__init__(_MESSAGES[reason])


@dataclass(frozen=True)
class NdefRecord:
    """One decoded NDEF record (chunked records are not supported)."""

    tnf: int
    type: bytes
    id: bytes
    payload: bytes


def encode_ndef_record(tnf: int, record_type: bytes, payload: bytes) -> bytes:
    """Encode a one-record NDEF message (MB and ME set, short record form, no id).

    Args:
        tnf: Type name format, 0-7 (``TNF_EXTERNAL`` for external types).
        record_type: The record type, at most 255 bytes.
        payload: The payload, at most 255 bytes (short record).

    Returns:
        The NDEF message bytes.

    Raises:
        ValueError: a field does not fit a short record.
    """
    if not 0 <= tnf <= _TNF_MASK or len(record_type) > 255 or len(payload) > 255:
        raise ValueError("record does not fit an NDEF short record")
    header = _MB | _ME | _SR | tnf
    return bytes([header, len(record_type), len(payload)]) + record_type + payload


def decode_ndef_message(data: bytes) -> list[NdefRecord]:
    """Decode an NDEF message of short or normal records.

    Raises:
        SecureCardError: ``NOT_NDEF`` for empty input, bad MB/ME flags, chunked records,
            lengths past the end, or trailing bytes.
    """
    records: list[NdefRecord] = []
    offset = 0
    ended = False
    while offset < len(data) and not ended:
        header = data[offset]
        if bool(header & _MB) != (offset == 0) or header & _CF:
            raise SecureCardError(SecureCardReason.NOT_NDEF)
        offset += 1
        fixed = 1 + (1 if header & _SR else 4) + (1 if header & _IL else 0)
        if offset + fixed > len(data):
            raise SecureCardError(SecureCardReason.NOT_NDEF)
        type_len = data[offset]
        if header & _SR:
            payload_len, offset = data[offset + 1], offset + 2
        else:
            payload_len, offset = int.from_bytes(data[offset + 1 : offset + 5], "big"), offset + 5
        id_len = 0
        if header & _IL:
            id_len, offset = data[offset], offset + 1
        end = offset + type_len + id_len + payload_len
        if end > len(data):
            raise SecureCardError(SecureCardReason.NOT_NDEF)
        record_type = data[offset : offset + type_len]
        record_id = data[offset + type_len : offset + type_len + id_len]
        records.append(
            NdefRecord(header & _TNF_MASK, record_type, record_id, data[end - payload_len : end])
        )
        offset = end
        ended = bool(header & _ME)
    if not ended or offset != len(data):
        raise SecureCardError(SecureCardReason.NOT_NDEF)
    return records


def site_key_id(site_public: Ed25519PublicKey) -> bytes:
    """Return the 8-byte key id of a site public key (SHA-256 of its raw bytes, truncated)."""
    raw = site_public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KEY_ID_LEN]


def _signed_bytes(uid: bytes, key_id: bytes, token: bytes) -> bytes:
    # The UID length is signed too, so no two (uid, key id, token) triples share a message.
    return _SIGNED_PREFIX + bytes([len(uid)]) + uid + key_id + token


def sign_card(site_key: Ed25519PrivateKey, uid: bytes, token: bytes) -> bytes:
    """Build the NDEF message to write to the card with this UID.

    Args:
        site_key: The site's Ed25519 signing key.
        uid: The card UID as the reader reports it (4, 7 or 10 bytes).
        token: The card's random 16-byte token (the caller generates it).

    Returns:
        A one-record NDEF message carrying the signed credential.

    Raises:
        ValueError: the UID or token has the wrong length.
    """
    if len(uid) not in UID_LENGTHS:
        raise ValueError("A card UID must be 4, 7 or 10 bytes long")
    if len(token) != TOKEN_LEN:
        raise ValueError(f"A card token must be {TOKEN_LEN} bytes long")
    key_id = site_key_id(site_key.public_key())
    signature = site_key.sign(_signed_bytes(uid, key_id, token))
    payload = bytes([CARD_VERSION]) + key_id + token + bytes([len(uid)]) + uid + signature
    return encode_ndef_record(TNF_EXTERNAL, CARD_RECORD_TYPE, payload)


def verify_card(site_public: Ed25519PublicKey, uid: bytes, ndef: bytes) -> str:
    """Check the credential on a card and return its token.

    Args:
        site_public: This site's public key.
        uid: The UID the reader saw on the card.
        ndef: The NDEF message read from the card.

    Returns:
        The card token as lower-case hex.

    Raises:
        SecureCardError: with reason ``NOT_NDEF``, ``NO_CREDENTIAL``, ``WRONG_VERSION``,
            ``MALFORMED``, ``OTHER_SITE``, ``BAD_SIGNATURE`` or ``UID_MISMATCH``.
    """
    payload = _find_payload(decode_ndef_message(ndef))
    if not payload:
        raise SecureCardError(SecureCardReason.MALFORMED)
    if payload[0] != CARD_VERSION:
        raise SecureCardError(SecureCardReason.WRONG_VERSION)
    head = 1 + KEY_ID_LEN + TOKEN_LEN
    if len(payload) < head + 1:
        raise SecureCardError(SecureCardReason.MALFORMED)
    key_id, token = payload[1 : 1 + KEY_ID_LEN], payload[1 + KEY_ID_LEN : head]
    uid_len = payload[head]
    if uid_len not in UID_LENGTHS or len(payload) != head + 1 + uid_len + SIGNATURE_LEN:
        raise SecureCardError(SecureCardReason.MALFORMED)
    signed_uid = payload[head + 1 : head + 1 + uid_len]
    signature = payload[head + 1 + uid_len :]
    if key_id != site_key_id(site_public):
        raise SecureCardError(SecureCardReason.OTHER_SITE)
    try:
        site_public.verify(signature, _signed_bytes(signed_uid, key_id, token))
    except InvalidSignature:
        raise SecureCardError(SecureCardReason.BAD_SIGNATURE) from None
    # Only a genuine payload gets this far, so a different UID means it was copied.
    if signed_uid != uid:
        raise SecureCardError(SecureCardReason.UID_MISMATCH)
    return token.hex()


def _find_payload(records: list[NdefRecord]) -> bytes:
    for record in records:
        if record.tnf == TNF_EXTERNAL and record.type.lower() == CARD_RECORD_TYPE:
            return record.payload
    raise SecureCardError(SecureCardReason.NO_CREDENTIAL)
