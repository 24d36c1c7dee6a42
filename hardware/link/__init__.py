"""The wire protocol between devices (readers, door controllers) and the device server.

Both ends import this package: the controller runs a ``LinkServer`` with its ``LinkHub``;
devices use ``open_link`` (or ``DeviceRunner`` for a reconnecting loop).
"""

from hardware.link.client import DeviceLink, open_link
from hardware.link.errors import (
    ControllerKeyMismatchError,
    IdentityFileError,
    LinkClosedError,
    LinkConnectError,
    LinkCryptoError,
    LinkDecodeError,
    LinkError,
    LinkHandshakeError,
    LinkProtocolError,
    LinkRejectedError,
    LinkTimeoutError,
)
from hardware.link.frames import decode, encode
from hardware.link.handshake import DeviceInfo
from hardware.link.hub import Admission, LinkHub, PeerInfo
from hardware.link.identity import DeviceIdentity, load_identity, save_identity
from hardware.link.messages import (
    Accepted,
    Ack,
    AdmissionState,
    Auth,
    ControllerMessage,
    Credential,
    Decision,
    DeviceKind,
    DeviceMessage,
    Energize,
    Heartbeat,
    Hello,
    Identify,
    InputChanged,
    InputState,
    LedState,
    Message,
    Present,
    Pulse,
    Rejected,
    SetLed,
    Tamper,
    Welcome,
)
from hardware.link.runner import Backoff, DeviceRunner, ServerAddress
from hardware.link.server import DEFAULT_FALLBACK_PORT, DEFAULT_PORT, DENIED_CODE, LinkServer
from hardware.link.session import DeviceSession
from hardware.link.tokens import new_token, token_id, token_proof, verify_token_proof

__all__ = [
    "DEFAULT_FALLBACK_PORT",
    "DEFAULT_PORT",
    "DENIED_CODE",
    "Accepted",
    "Ack",
    "Admission",
    "AdmissionState",
    "Auth",
    "Backoff",
    "ControllerKeyMismatchError",
    "ControllerMessage",
    "Credential",
    "Decision",
    "DeviceIdentity",
    "DeviceInfo",
    "DeviceKind",
    "DeviceLink",
    "DeviceMessage",
    "DeviceRunner",
    "DeviceSession",
    "Energize",
    "Heartbeat",
    "Hello",
    "Identify",
    "IdentityFileError",
    "InputChanged",
    "InputState",
    "LedState",
    "LinkClosedError",
    "LinkConnectError",
    "LinkCryptoError",
    "LinkDecodeError",
    "LinkError",
    "LinkHandshakeError",
    "LinkHub",
    "LinkProtocolError",
    "LinkRejectedError",
    "LinkServer",
    "LinkTimeoutError",
    "Message",
    "PeerInfo",
    "Present",
    "Pulse",
    "Rejected",
    "ServerAddress",
    "SetLed",
    "Tamper",
    "Welcome",
    "decode",
    "encode",
    "load_identity",
    "new_token",
    "open_link",
    "save_identity",
    "token_id",
    "token_proof",
    "verify_token_proof",
]
