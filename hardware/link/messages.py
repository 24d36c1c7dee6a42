"""Every message of the device link as frozen dataclasses (pure: no I/O).

Constructors validate their fields and raise ``ValueError`` on bad values, so an invalid message
can be neither built nor decoded. Binary fields (keys, nonces, signatures) are raw ``bytes`` here;
the codec in ``frames.py`` turns them into base64 on the wire.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

PROTO_VERSION = 1
MAX_SEQ = 2**31 - 1
MAX_SECONDS = 86_400.0
RELAY_CHANNELS = 5  # four door relays plus the AUX relay (channel 5)
INPUT_CHANNELS = 8

_HEX = re.compile(r"[0-9a-fA-F]*")
_BITS = re.compile(r"[01]+")
_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")
_TOKEN_ID = re.compile(r"[0-9a-f]{16}")
_PROOF = re.compile(r"[0-9a-f]{64}")


class DeviceKind(StrEnum):
    """What kind of device is at the other end of a link."""

    READER = "reader"
    DOOR_CONTROLLER = "door_controller"


class AdmissionState(StrEnum):
    """Where a device stands with the controller."""

    PENDING = "pending"
    ADOPTED = "adopted"


class InputState(StrEnum):
    """State of a door controller input (contact sensor, request-to-exit)."""

    OPEN = "open"
    CLOSED = "closed"
    CUT = "cut"  # end-of-line supervision: the line is broken
    SHORT = "short"  # end-of-line supervision: the line is shorted


class LedState(StrEnum):
    """Reader LED states, in words, as the reader's documentation names them."""

    AMBER = "amber"
    WHITE = "white"
    DIM_WHITE = "dim_white"
    GREEN = "green"
    RED = "red"
    BLINKING_RED = "blinking_red"
    BLINKING_WHITE = "blinking_white"
    WHITE_YELLOW = "white_yellow"
    BLUE_RED = "blue_red"
    BLUE = "blue"


def _check_text(name: str, value: str, max_len: int, *, empty: bool = False) -> None:
    if not empty and not value:
        raise ValueError(f"{name} must not be empty")
    if len(value) > max_len:
        raise ValueError(f"{name} longer than {max_len} characters")
    if not value.isprintable():
        raise ValueError(f"{name} contains control characters")


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name} out of range {low}..{high}: {value}")


def _check_seconds(name: str, value: float) -> None:
    if not math.isfinite(value) or not 0 < value <= MAX_SECONDS:
        raise ValueError(f"{name} must be in (0, {MAX_SECONDS:g}]: {value}")


def _check_bytes(name: str, value: bytes, length: int) -> None:
    if len(value) != length:
        raise ValueError(f"{name} must be {length} bytes, got {len(value)}")


def _check_hex(name: str, value: str, low: int, high: int) -> None:
    if not _HEX.fullmatch(value) or len(value) % 2:
        raise ValueError(f"{name} must be hex bytes: {value[:40]!r}")
    _check_range(f"{name} length", len(value), low, high)


@dataclass(frozen=True)
class Credential:
    """What a reader read: Wiegand bits, or an HF UID with an optional NDEF payload.

    Exactly one form is allowed: ``wiegand`` alone, or ``uid`` (with optional ``ndef``).
    Hex strings are kept as given; compare them case-insensitively.
    """

    wiegand: str | None = None
    uid: str | None = None
    ndef: str | None = None
    # Set only for a phone tapped on the reader: whether the phone itself was unlocked
    # (doors with two-factor Tap to Unlock require it).
    phone_unlocked: bool | None = None

    def __post_init__(self) -> None:
        if self.wiegand is not None:
            if self.uid is not None or self.ndef is not None or self.phone_unlocked is not None:
                raise ValueError("credential has both wiegand and uid/ndef/phone")
            if not _BITS.fullmatch(self.wiegand) or len(self.wiegand) > 128:
                raise ValueError(f"wiegand must be 1..128 bits of 0/1: {self.wiegand[:40]!r}")
            return
        if self.uid is None:
            raise ValueError("credential needs wiegand or uid")
        _check_hex("uid", self.uid, 8, 20)
        if self.ndef is not None:
            _check_hex("ndef", self.ndef, 2, 2048)


@dataclass(frozen=True)
class Hello:
    """First frame from a device (plaintext): who it is and its handshake keys."""

    kind: DeviceKind
    serial: str
    model: str
    firmware: str
    mac: str
    identity_key: bytes
    ephemeral: bytes
    nonce: bytes
    proto: int = PROTO_VERSION

    def __post_init__(self) -> None:
        _check_range("proto", self.proto, 1, 65535)
        _check_text("serial", self.serial, 64)
        _check_text("model", self.model, 64)
        _check_text("firmware", self.firmware, 32)
        if not _MAC.fullmatch(self.mac):
            raise ValueError(f"mac must look like 02:00:00:00:00:01: {self.mac[:40]!r}")
        _check_bytes("identity_key", self.identity_key, 32)
        _check_bytes("ephemeral", self.ephemeral, 32)
        _check_bytes("nonce", self.nonce, 16)


@dataclass(frozen=True)
class Welcome:
    """The controller's answer to ``Hello`` (plaintext), signed by its long-term key."""

    controller_key: bytes
    ephemeral: bytes
    nonce: bytes
    signature: bytes

    def __post_init__(self) -> None:
        _check_bytes("controller_key", self.controller_key, 32)
        _check_bytes("ephemeral", self.ephemeral, 32)
        _check_bytes("nonce", self.nonce, 16)
        _check_bytes("signature", self.signature, 64)


@dataclass(frozen=True)
class Auth:
    """The device's proof of identity and token possession (first encrypted frame)."""

    signature: bytes
    token_id: str
    token_proof: str
    enrolment_id: str | None = None
    enrolment_proof: str | None = None

    def __post_init__(self) -> None:
        _check_bytes("signature", self.signature, 64)
        for name, tid, proof in (
            ("token", self.token_id, self.token_proof),
            ("enrolment", self.enrolment_id, self.enrolment_proof),
        ):
            if (tid is None) != (proof is None):
                raise ValueError(f"{name}_id and {name}_proof go together")
            if tid is not None and not _TOKEN_ID.fullmatch(tid):
                raise ValueError(f"{name}_id must be 16 lowercase hex chars: {tid[:40]!r}")
            if proof is not None and not _PROOF.fullmatch(proof):
                raise ValueError(f"{name}_proof must be 64 lowercase hex chars: {proof[:40]!r}")


@dataclass(frozen=True)
class Present:
    """A reader saw a credential; the controller answers with a ``Decision`` of the same seq."""

    seq: int
    credential: Credential

    def __post_init__(self) -> None:
        _check_range("seq", self.seq, 0, MAX_SEQ)


@dataclass(frozen=True)
class Tamper:
    """The reader's tamper sensor changed."""

    active: bool


@dataclass(frozen=True)
class InputChanged:
    """A door controller input changed state."""

    channel: int
    state: InputState

    def __post_init__(self) -> None:
        _check_range("channel", self.channel, 1, INPUT_CHANNELS)


@dataclass(frozen=True)
class Heartbeat:
    """Keeps an idle link alive (either direction)."""


@dataclass(frozen=True)
class Ack:
    """The device acknowledges a sequenced message (e.g. it showed a ``Decision``)."""

    seq: int

    def __post_init__(self) -> None:
        _check_range("seq", self.seq, 0, MAX_SEQ)


@dataclass(frozen=True)
class LedChanged:
    """The reader's LED now shows ``state`` (sent on every change, so installers see it)."""

    state: LedState


@dataclass(frozen=True)
class Reboot:
    """The controller asks the device to restart; it reconnects by itself."""


@dataclass(frozen=True)
class Accepted:
    """The controller admitted the device (sent again whenever its standing changes)."""

    state: AdmissionState
    assigned: bool
    name: str | None = None

    def __post_init__(self) -> None:
        if self.name is not None:
            _check_text("name", self.name, 128)


@dataclass(frozen=True)
class Rejected:
    """The controller refused the device; the link closes after this frame."""

    reason: str

    def __post_init__(self) -> None:
        _check_text("reason", self.reason, 256)


@dataclass(frozen=True)
class Decision:
    """The controller's answer to a ``Present``."""

    seq: int
    granted: bool
    code: str | None = None
    message: str = ""

    def __post_init__(self) -> None:
        _check_range("seq", self.seq, 0, MAX_SEQ)
        if self.code is not None:
            _check_text("code", self.code, 64)
        _check_text("message", self.message, 256, empty=True)


@dataclass(frozen=True)
class SetLed:
    """Show an LED state for ``seconds`` (``None``: until the next LED command or decision)."""

    state: LedState
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.seconds is not None:
            _check_seconds("seconds", self.seconds)


@dataclass(frozen=True)
class Identify:
    """Blink so the installer can find the device."""

    seconds: float

    def __post_init__(self) -> None:
        _check_seconds("seconds", self.seconds)


@dataclass(frozen=True)
class Pulse:
    """Energize a relay for ``seconds`` (channels 1-4 are doors, 5 is AUX)."""

    channel: int
    seconds: float

    def __post_init__(self) -> None:
        _check_range("channel", self.channel, 1, RELAY_CHANNELS)
        _check_seconds("seconds", self.seconds)


@dataclass(frozen=True)
class Energize:
    """Hold a relay energized (``on``) or release it."""

    channel: int
    on: bool

    def __post_init__(self) -> None:
        _check_range("channel", self.channel, 1, RELAY_CHANNELS)


DeviceMessage = Auth | Present | Tamper | InputChanged | Heartbeat | Ack | LedChanged
ControllerMessage = (
    Accepted | Rejected | Decision | SetLed | Identify | Pulse | Energize | Heartbeat | Reboot
)
Message = Hello | Welcome | DeviceMessage | ControllerMessage

DEVICE_MESSAGES: tuple[type, ...] = (
    Auth,
    Present,
    Tamper,
    InputChanged,
    Heartbeat,
    Ack,
    LedChanged,
)
CONTROLLER_MESSAGES: tuple[type, ...] = (
    Accepted,
    Rejected,
    Decision,
    SetLed,
    Identify,
    Pulse,
    Energize,
    Heartbeat,
    Reboot,
)
