"""Card reader problems in plain words that say what to do next (no Qt here).

The hardware layer's messages are already safe to show; the front desk words some of them
for the button the person just pressed ("press Tap a card again").
"""

from __future__ import annotations

from collections.abc import Callable

from hardware.nfc.errors import (
    CardFull,
    InvalidReaderPath,
    NfcCancelled,
    NfcError,
    NoTagPresented,
    NotWritable,
    ReaderAccessDenied,
    ReaderClosed,
    ReaderFailed,
    ReaderNotFound,
    ReaderUnplugged,
    TagLost,
    UnsupportedCard,
    WriteNotVerified,
    WrongCard,
)
from hardware.nfc.wedge import WedgeConfig, WedgeError, WedgeErrorReason

AGAIN = "Press Tap a card to try again."

# Most specific class first: ReaderUnplugged is a ReaderNotFound.
_NFC: list[tuple[type[NfcError], Callable[[NfcError], str]]] = [
    (NfcCancelled, lambda _e: "Cancelled; no card was enrolled."),
    (ReaderUnplugged, lambda _e: "The card reader was unplugged. Plug it in again and retry."),
    (ReaderNotFound, lambda _e: "No card reader is plugged in. Plug it in and retry."),
    (
        ReaderAccessDenied,
        lambda _e: (
            "The card reader is in use by another program, or this user may not open "
            "it. Close the other program (or ask for access to the reader) and retry."
        ),
    ),
    (ReaderFailed, lambda e: str(e)),
    (
        ReaderClosed,
        lambda _e: "The card reader is closed. Restart Lintel if it does not come back.",
    ),
    (
        InvalidReaderPath,
        lambda e: f"{e} Start Lintel with --card-reader set to the reader's path.",
    ),
    (
        NoTagPresented,
        lambda _e: f"No card was held on the reader in time. {AGAIN}",
    ),
    (
        TagLost,
        lambda _e: (
            "The card was taken away too early. Hold it on the reader until the desk "
            f"says it is done. {AGAIN}"
        ),
    ),
    (
        WrongCard,
        lambda _e: (
            "A different card came to the reader while the first was being written. "
            f"Hold one card only. {AGAIN}"
        ),
    ),
    (
        UnsupportedCard,
        lambda _e: (
            "This card cannot hold a Lintel credential. Use an NTAG215/216 or a "
            "Type 4 card, or type the card's number instead."
        ),
    ),
    (NotWritable, lambda _e: "This card is write-protected. Use a blank card."),
    (CardFull, lambda e: f"{e} Use an NTAG215/216 or a Type 4 card."),
    (WriteNotVerified, lambda e: str(e)),
]


def nfc_message(error: NfcError) -> str:
    """What to tell the person at the desk about a card reader error."""
    for kind, words in _NFC:
        if isinstance(error, kind):
            return words(error)
    return f"{error} {AGAIN}"


def wedge_message(error: WedgeError, config: WedgeConfig) -> str:
    """What to tell the person at the desk about a card a keyboard-wedge reader typed."""
    said = str(error).rstrip(".")
    if error.reason is WedgeErrorReason.PARITY:
        return (
            f"{said}. The card was misread: present it again. If it keeps happening, the card "
            f"is damaged or is not a {config.format} card."
        )
    if error.reason is WedgeErrorReason.EMPTY:
        return "Nothing was read from the card reader. Present the card again."
    if error.reason is WedgeErrorReason.WRONG_LENGTH:
        return f"{said}. Choose the card format the reader is set to, then present the card again."
    if error.reason is WedgeErrorReason.NOT_A_NUMBER:
        return f"{said}. Check the reader's output setting, then present the card again."
    if error.reason is WedgeErrorReason.OUT_OF_RANGE:
        return f"{said}. Check the card format and facility code, then present the card again."
    return f"{said}. Choose another card format or set the facility code."
