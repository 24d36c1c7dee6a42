"""Errors raised by the device link (one base class for the whole layer)."""

from __future__ import annotations

_SHOW_LIMIT = 64


def show(value: object, limit: int = _SHOW_LIMIT) -> str:
    """Return a short printable representation of a bad value for error messages.

    Args:
        value: The offending value (bytes, str, number, anything).
        limit: Maximum number of characters of the representation kept.

    Returns:
        ``repr(value)`` cut to ``limit`` characters, with ``...`` when truncated.
    """
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class LinkError(Exception):
    """Base class of every error raised by ``hardware.link``."""


class LinkDecodeError(LinkError):
    """A frame body could not be decoded into a message.

    Attributes:
        reason: What was wrong, including the bad value (truncated).
        raw: The raw body that failed to decode.
    """

    def __init__(self, reason: str, raw: bytes = b"") -> None:
        self.reason = reason
        self.raw = raw
        super().__init__(f"{reason} (frame {show(raw)})" if raw else reason)


class LinkProtocolError(LinkError):
    """The peer broke the protocol (wrong message order, oversize frame, bad length...)."""


class LinkCryptoError(LinkProtocolError):
    """A frame failed authentication or decryption (tampered, replayed or out of order)."""


class LinkHandshakeError(LinkProtocolError):
    """The handshake failed (bad signature, bad key, unsupported version...)."""


class ControllerKeyMismatchError(LinkHandshakeError):
    """The controller presented a key other than the one this device pinned."""


class LinkRejectedError(LinkError):
    """The controller refused to admit the device.

    Attributes:
        reason: The controller's stated reason.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"controller rejected the device: {reason}")


class LinkClosedError(LinkError):
    """The link is closed (by either side) or was never open."""


class IdentityFileError(LinkError):
    """A device identity file is missing fields, malformed, or unreadable."""


class LinkConnectError(LinkError):
    """No TCP connection could be made to the device server (main nor fallback port)."""


class LinkTimeoutError(LinkError):
    """A link operation did not complete in time."""
