"""What the device server needs from the controller: the ``LinkHub`` protocol and its types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from hardware.link.messages import AdmissionState, ControllerMessage, DeviceKind, DeviceMessage
from hardware.link.tokens import token_id, verify_token_proof

if TYPE_CHECKING:
    from hardware.link.session import DeviceSession


@dataclass(frozen=True)
class PeerInfo:
    """Everything the server learned about a device during its handshake.

    ``identity_key`` is proven (the device signed the transcript with it). The token fields are
    only claims until checked with ``verify_token`` against a token the installer typed in.
    """

    kind: DeviceKind
    serial: str
    model: str
    firmware: str
    mac: str
    identity_key: bytes
    host: str
    port: int
    transcript_hash: bytes
    token_id: str
    token_proof: str
    enrolment_id: str | None = None
    enrolment_proof: str | None = None

    def verify_token(self, token: str) -> bool:
        """Return True if this device proved it holds ``token`` (its label code).

        Args:
            token: The token to check, e.g. as typed by an installer.
        """
        return token_id(token) == self.token_id and verify_token_proof(
            token, self.transcript_hash, self.token_proof
        )

    def verify_enrolment(self, token: str) -> bool:
        """Return True if this device proved it holds the enrolment token ``token``.

        Args:
            token: A controller-issued enrolment token.
        """
        if self.enrolment_id is None or self.enrolment_proof is None:
            return False
        return token_id(token) == self.enrolment_id and verify_token_proof(
            token, self.transcript_hash, self.enrolment_proof
        )


@dataclass(frozen=True)
class Admission:
    """The controller's verdict on a device that completed the handshake."""

    accepted: bool
    reason: str = ""
    state: AdmissionState = AdmissionState.PENDING
    assigned: bool = False
    name: str | None = None

    @classmethod
    def reject(cls, reason: str) -> Admission:
        """Return a refusal with a reason the device will log."""
        return cls(accepted=False, reason=reason)

    @classmethod
    def accept(
        cls,
        state: AdmissionState = AdmissionState.PENDING,
        assigned: bool = False,
        name: str | None = None,
    ) -> Admission:
        """Return an admission as pending or adopted."""
        return cls(accepted=True, state=state, assigned=assigned, name=name)


class LinkHub(Protocol):
    """Implemented by the controller; the ``LinkServer`` calls it for every device.

    All methods run on the server's event loop. An exception from any of them is logged and
    never stops the server; for a ``Present`` it turns into a denial.
    """

    async def admit(self, peer: PeerInfo) -> Admission:
        """Decide whether a device that completed the handshake may stay connected."""
        ...

    async def on_session(self, session: DeviceSession) -> None:
        """Called once an admitted device's session is open (``Accepted`` already sent)."""
        ...

    async def on_message(
        self, session: DeviceSession, msg: DeviceMessage
    ) -> ControllerMessage | None:
        """Handle one message from a device; a returned message is sent back to it."""
        ...

    async def on_closed(self, session: DeviceSession) -> None:
        """Called once when an admitted device's session ends, whatever the reason."""
        ...
