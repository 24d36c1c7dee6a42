"""Errors raised by the NFC card readers (one base class for the whole layer).

Every message is a plain sentence, safe to show at the front desk. :class:`NfcCancelled`
is the silent one: the user asked for it, so callers catch it before :class:`NfcError`
and show nothing.
"""

from __future__ import annotations


class NfcError(Exception):
    """Base class of every error raised by ``hardware.nfc``; the message is safe to show."""


class NfcCancelled(NfcError):
    """The operation was cancelled by the caller; nothing should be shown."""

    def __init__(self) -> None:
        super().__init__("Cancelled.")


class InvalidReaderPath(NfcError):
    """The reader setting is not a path nfcpy understands.

    Attributes:
        path: The setting as given.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"{path!r} is not a card reader path. Use usb, usb:VID:PID, tty:PORT:DRIVER "
            "or udp:HOST:PORT."
        )


class ReaderClosed(NfcError):
    """The reader was closed (or never opened)."""

    def __init__(self) -> None:
        super().__init__("The card reader is closed.")


class ReaderNotFound(NfcError):
    """No reader answers on the configured path.

    Attributes:
        path: The configured path.
    """

    def __init__(self, path: str, message: str | None = None) -> None:
        self.path = path
        super().__init__(message or "No card reader is plugged in. Plug it in and retry.")


class ReaderUnplugged(ReaderNotFound):
    """The reader went away while it was in use (or between uses)."""

    def __init__(self, path: str) -> None:
        super().__init__(path, "The card reader was unplugged. Plug it in again and retry.")


class ReaderAccessDenied(NfcError):
    """The reader is there but cannot be opened (busy elsewhere, or no permission).

    Attributes:
        path: The configured path.
        errno: The operating system's error number.
    """

    def __init__(self, path: str, errno: int | None) -> None:
        self.path = path
        self.errno = errno
        super().__init__(
            "The card reader is in use by another program, or this user may not open it."
        )


class ReaderFailed(NfcError):
    """The reader stopped answering for a reason other than being unplugged.

    Attributes:
        errno: The operating system's error number, when there was one.
    """

    def __init__(self, errno: int | None) -> None:
        self.errno = errno
        super().__init__(
            "The card reader stopped responding. Unplug it, plug it in again and retry."
        )


class NoTagPresented(NfcError):
    """No card came to the reader before the timeout."""

    def __init__(self) -> None:
        super().__init__("No card was presented in time.")


class TagLost(NfcError):
    """The card left the field (or stopped answering) during an operation."""

    def __init__(self) -> None:
        super().__init__(
            "The card was taken away too early. Hold it on the reader until it is done."
        )


class WrongCard(NfcError):
    """A different card is on the reader than the one the operation is for.

    Attributes:
        expected: UID the operation was for.
        found: UID of the card on the reader.
    """

    def __init__(self, expected: bytes, found: bytes) -> None:
        self.expected = expected
        self.found = found
        super().__init__("This is not the card that was tapped first. Present that card again.")


class UnsupportedCard(NfcError):
    """The card cannot hold a Lintel credential (no NDEF support, or an unknown answer).

    Attributes:
        tag_type: nfcpy's name for the card type, when known.
    """

    def __init__(self, tag_type: str | None = None) -> None:
        self.tag_type = tag_type
        super().__init__(
            "This card cannot hold a Lintel credential. Use an NTAG215/216 or a Type 4 card."
        )


class NotWritable(NfcError):
    """The card's NDEF area is write-protected."""

    def __init__(self) -> None:
        super().__init__("This card is write-protected; use a blank card.")


class CardFull(NfcError):
    """The data does not fit the card.

    Attributes:
        capacity: Bytes the card can hold.
        needed: Bytes that had to be written.
    """

    def __init__(self, capacity: int, needed: int) -> None:
        self.capacity = capacity
        self.needed = needed
        super().__init__(
            f"This card is too small: it holds {capacity} bytes and {needed} are needed."
        )


class WriteNotVerified(NfcError):
    """The card answered, but reading back did not give what was written."""

    def __init__(self) -> None:
        super().__init__("The card did not keep what was written. Try again or use another card.")
