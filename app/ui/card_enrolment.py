"""Enrol the card in front of the desk: tapped on an HF reader, typed by a wedge, or typed by hand.

No Qt here, so every step is testable on a plain loop. A tapped NTAG (Type 2) or Type 4 card
that is blank, or carries an old credential of this site, becomes *site-secured*: a credential
signed with the site's key and bound to the card's UID is written and read back, and only then
is the card enrolled. Any other card gets an offer to enrol it by UID alone, which the person
at the desk must accept, because such a card is easy to copy.

Write first, enrol second: a card whose write failed is never enrolled, and a card written but
not enrolled carries a token no enrolled card has, so it opens nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from app.access.credentials import HF_CARD_TYPE, SECURED_HF_CARD_TYPE
from app.access.secure_card import (
    CARD_RECORD_TYPE,
    KEY_ID_LEN,
    TNF_EXTERNAL,
    SecureCardError,
    decode_ndef_message,
    site_key_id,
)
from app.controller.card_signing import CardSigner
from app.controller.errors import ControllerError
from app.controller.front_desk import FrontDesk, PersonCard, lf_card_body
from app.ui.card_messages import nfc_message, wedge_message
from app.ui.errors import explain
from hardware.nfc.errors import (
    CardFull,
    NfcCancelled,
    NfcError,
    NotWritable,
    TagLost,
    UnsupportedCard,
)
from hardware.nfc.reader import NfcReader, TagInfo
from hardware.nfc.wedge import WedgeConfig, WedgeError, read_typed

SECURABLE_TYPES = frozenset({"Type2Tag", "Type4Tag"})
WAIT_SECONDS = 60.0
WRITE_ATTEMPTS = 3
RETRY_PAUSE = 0.05  # seconds between looks after a card that left mid-read
OnStep = Callable[[str], None]
_WRITE_REFUSALS: dict[type[NfcError], str] = {
    NotWritable: "This card is write-protected.",
    CardFull: "This card is too small for a site-secured credential.",
    UnsupportedCard: "This card cannot hold a site-secured credential.",
}


class EnrolmentError(Exception):
    """The card was not enrolled; the message says why and what to do."""


class Fit(Enum):
    """Whether a tapped card can be site-secured."""

    SECURE = "secure"
    UID_ONLY = "uid_only"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Enrolled:
    """A card that is now the person's, and the sentence that says so."""

    card: PersonCard
    message: str


@dataclass(frozen=True)
class UidOnlyOffer:
    """A tapped card that cannot be site-secured; ``question`` asks whether to enrol its UID."""

    tag: TagInfo
    question: str


def _lintel_key_id(ndef: bytes) -> bytes | None:
    """The site key id of a Lintel credential in ``ndef``; None when it holds none."""
    for record in decode_ndef_message(ndef):
        if record.tnf == TNF_EXTERNAL and record.type.lower() == CARD_RECORD_TYPE:
            return record.payload[1 : 1 + KEY_ID_LEN]
    return None


class CardEnrolment:
    """Turns a tap, a wedge read or typed numbers into an enrolled card for one person."""

    def __init__(self, desk: FrontDesk, signer: CardSigner) -> None:
        self._desk = desk
        self._signer = signer
        self._key_id = site_key_id(signer.public_key)

    def assess(self, tag: TagInfo) -> tuple[Fit, str]:
        """Whether a tapped card can be site-secured, and if not, why (a plain sentence)."""
        if len(tag.uid) == 4 and tag.uid[0] == 0x08:
            # ISO/IEC 14443-3: a single-size UID starting 08h is random, new at every tap.
            return Fit.REFUSE, (
                "This card shows a new number every time it is tapped, so it cannot be "
                "enrolled. Use another card."
            )
        if tag.tag_type not in SECURABLE_TYPES or tag.ndef is None:
            return Fit.UID_ONLY, "This kind of card cannot carry a site-secured credential."
        if tag.ndef:
            try:
                key_id = _lintel_key_id(tag.ndef)
            except SecureCardError:
                key_id = None
            if key_id is None:
                return Fit.UID_ONLY, "This card holds other data, which Lintel will not erase."
            if key_id != self._key_id:
                return Fit.REFUSE, (
                    "This card carries another site's credential, so no reader here would "
                    "accept it. Use a blank card."
                )
        if not tag.writable:
            if tag.ndef:
                return Fit.REFUSE, "This card is write-protected. Use a blank card."
            return Fit.UID_ONLY, "This card is write-protected."
        return Fit.SECURE, ""

    async def tap(
        self,
        reader: NfcReader,
        person_id: int,
        cancel: asyncio.Event | None = None,
        on_step: OnStep | None = None,
        timeout: float | None = WAIT_SECONDS,
    ) -> Enrolled | UidOnlyOffer:
        """Wait for a card on ``reader`` and enrol it for the person (runs on the loop).

        Returns:
            The enrolled card, or an offer to enrol a card that cannot be secured by UID only.

        Raises:
            NfcCancelled: ``cancel`` was set while waiting; nothing was written or enrolled.
            EnrolmentError: anything else that stopped it, in plain words.
        """
        step = on_step or (lambda _text: None)
        step("Hold the card on the reader…")
        tag = await self._wait(reader, cancel, timeout)
        self._check_free(tag)
        fit, reason = self.assess(tag)
        if fit is Fit.REFUSE:
            raise EnrolmentError(reason)
        signed = self._signer.issue(tag.uid) if fit is Fit.SECURE else None
        if signed is not None and len(signed.ndef) > tag.capacity:
            fit, reason = Fit.UID_ONLY, "This card is too small for a site-secured credential."
        if signed is None or fit is Fit.UID_ONLY:
            return self._offer(tag, reason)
        step("Writing the card — keep it on the reader…")
        try:
            await self._write(reader, tag, signed.ndef)
        except (NotWritable, CardFull, UnsupportedCard) as exc:
            # The card cannot take the credential; what it holds opens nothing here.
            reason = next(text for kind, text in _WRITE_REFUSALS.items() if isinstance(exc, kind))
            return self._offer(tag, reason)
        except NfcError as exc:
            raise EnrolmentError(nfc_message(exc)) from exc
        step("Saving the card…")
        body = {"type": SECURED_HF_CARD_TYPE, "uid": tag.uid_hex, "token": signed.token}
        try:
            card = self._desk.enrol(person_id, body)
        except ControllerError as exc:
            raise EnrolmentError(
                f"The card was written but not saved, so it opens no door: {explain(exc)}"
            ) from exc
        return self._enrolled(card, person_id)

    async def _wait(
        self, reader: NfcReader, cancel: asyncio.Event | None, timeout: float | None
    ) -> TagInfo:
        """The card on the reader; a card that left while being read is waited for again."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - loop.time())
            try:
                return await reader.wait_for_tag(left, cancel)
            except NfcCancelled:
                raise
            except TagLost:
                # Brushed past the reader, or one garbled answer: the person is still tapping.
                await asyncio.sleep(RETRY_PAUSE)
            except NfcError as exc:
                raise EnrolmentError(nfc_message(exc)) from exc

    async def _write(self, reader: NfcReader, tag: TagInfo, ndef: bytes) -> None:
        """Write and verify; a write the radio lost is tried again while the card answers."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                await reader.write_ndef(tag.uid, ndef)
                return
            except TagLost:
                # Gone for good raises TagLost again at once (nothing answers the next look).
                if attempt == WRITE_ATTEMPTS - 1:
                    raise

    def enrol_uid_only(self, offer: UidOnlyOffer, person_id: int) -> Enrolled:
        """Enrol an offered card by its UID alone (the person at the desk said yes).

        Raises:
            EnrolmentError: the card could not be saved.
        """
        return self._save(person_id, {"type": HF_CARD_TYPE, "uid": offer.tag.uid_hex})

    def enrol_wedge(self, typed: str, config: WedgeConfig, person_id: int) -> Enrolled:
        """Enrol the LF card a keyboard-wedge reader typed.

        Raises:
            EnrolmentError: a misread (parity, length, not a number) or a card already enrolled.
        """
        try:
            read = read_typed(typed, config)
        except WedgeError as exc:
            raise EnrolmentError(wedge_message(exc, config)) from exc
        card = read.card
        return self._save(
            person_id, lf_card_body(card.format, card.facility_code, card.card_number)
        )

    def enrol_typed(
        self, person_id: int, format_name: str, facility_code: str, card_number: str
    ) -> Enrolled:
        """Enrol an LF card from numbers typed by hand (``facility_code`` may be blank).

        Raises:
            EnrolmentError: a missing or wrong number, or a card already enrolled.
        """
        if not card_number.strip().isdigit():
            raise EnrolmentError("Type the card number printed on the card (digits only).")
        facility = int(facility_code) if facility_code.strip().isdigit() else None
        return self._save(person_id, lf_card_body(format_name, facility, int(card_number)))

    def _check_free(self, tag: TagInfo) -> None:
        try:
            self._desk.check_uid_free(tag.uid_hex)
        except ControllerError as exc:
            raise EnrolmentError(exc.message) from exc

    def _offer(self, tag: TagInfo, reason: str) -> UidOnlyOffer:
        return UidOnlyOffer(
            tag,
            f"{reason} It can still be enrolled by its number (UID) alone, but a UID-only card "
            "is easy to copy. Enrol it by UID only?",
        )

    def _save(self, person_id: int, body: dict[str, object]) -> Enrolled:
        try:
            card = self._desk.enrol(person_id, body)
        except ControllerError as exc:
            raise EnrolmentError(explain(exc)) from exc
        return self._enrolled(card, person_id)

    def _enrolled(self, card: PersonCard, person_id: int) -> Enrolled:
        who = self._desk.person(person_id).short
        return Enrolled(card, f"Enrolled {card.label} for {who}.")
