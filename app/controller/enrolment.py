"""One-time enrolment tokens: what BlinkUp sends a new reader so it can prove where it belongs.

The installer's laptop asks for an enrolment (a plan id and a one-time token), flashes it to the
reader with its network settings, and waits. The reader connects to the device server and proves
the token in its handshake (an HMAC over the transcript; the token itself never crosses the
wire). The first device to prove it claims it; the installer's screen learns which device that
was from the plan id.

Tokens live in memory only: they are secrets, short-lived, and useless after a restart anyway
(the installer simply flashes again), so they never reach a file.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hardware.link.hub import PeerInfo
from hardware.link.tokens import token_id

LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class Enrolment:
    """An issued enrolment. ``token`` is secret: show it to nobody, log it nowhere."""

    plan_id: str  # 16 hex characters (8 bytes), names the attempt on the installer's screen
    token: str  # 16 hex characters (8 bytes)
    expires_at: datetime

    def __repr__(self) -> str:
        return f"Enrolment(plan_id={self.plan_id!r}, token=<hidden>, expires_at={self.expires_at})"


@dataclass
class _Issued:
    enrolment: Enrolment
    claimed_by: str | None = None  # serial of the device that proved the token


class Enrolments:
    """Issues enrolment tokens and checks the proofs devices bring."""

    def __init__(self, clock: Callable[[], datetime], lifetime: timedelta = LIFETIME) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._by_token_id: dict[str, _Issued] = {}

    def issue(self) -> Enrolment:
        """A fresh plan id and one-time token, valid for the lifetime from now."""
        self._forget_expired()
        enrolment = Enrolment(
            plan_id=secrets.token_hex(8),
            token=secrets.token_hex(8),
            expires_at=self._clock() + self._lifetime,
        )
        self._by_token_id[token_id(enrolment.token)] = _Issued(enrolment)
        return enrolment

    def claim(self, peer: PeerInfo) -> Enrolment | None:
        """The enrolment a connecting device proved, or None when its proof is no good.

        A token is claimed by the first device that proves it; the same device may reconnect
        with it (until it is adopted), any other device is refused.
        """
        self._forget_expired()
        if peer.enrolment_id is None:
            return None
        issued = self._by_token_id.get(peer.enrolment_id)
        if issued is None or not peer.verify_enrolment(issued.enrolment.token):
            return None
        if issued.claimed_by not in (None, peer.serial):
            return None
        issued.claimed_by = peer.serial
        return issued.enrolment

    def claimed_by(self, plan_id: str) -> str | None:
        """The serial of the device that proved the enrolment with this plan id, if any."""
        for issued in self._by_token_id.values():
            if issued.enrolment.plan_id == plan_id:
                return issued.claimed_by
        return None

    def withdraw(self, plan_id: str) -> None:
        """Forget an enrolment (the installer cancelled, or its device was adopted)."""
        self._by_token_id = {
            key: issued
            for key, issued in self._by_token_id.items()
            if issued.enrolment.plan_id != plan_id
        }

    def _forget_expired(self) -> None:
        # A claimed token stays good for its device, which may reconnect before it is adopted.
        now = self._clock()
        self._by_token_id = {
            key: issued
            for key, issued in self._by_token_id.items()
            if issued.claimed_by is not None or issued.enrolment.expires_at > now
        }
