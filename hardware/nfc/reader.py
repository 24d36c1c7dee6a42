"""The face of an HF card reader at the front desk: models, events and the async interface.

Nothing here imports nfcpy: :func:`choose_backend` imports a backend only inside its branch,
so code that passes its own ``backend=`` never loads a device library.

Example:
    >>> async with create_reader("usb", on_event=print) as reader:  # doctest: +SKIP
    ...     tag = await reader.wait_for_tag(timeout=30)
    ...     await reader.write_ndef(tag.uid, message)
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from asyncio import Event
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import Any, Self

from hardware.nfc.errors import InvalidReaderPath

__all__ = [
    "NfcReader",
    "OnReaderEvent",
    "ReaderEvent",
    "ReaderEventKind",
    "TagInfo",
    "check_reader_path",
    "choose_backend",
    "create_reader",
]

_LOGGER = logging.getLogger(__name__)

# nfcpy's path grammar (see nfc.ContactlessFrontend.open), checked before nfcpy sees it so
# a typo gets a clear message instead of a reader that is silently never found.
_NFCPY_PATH = re.compile(
    r"usb(:[0-9a-fA-F]{4}(:[0-9a-fA-F]{4})?|:[0-9]{1,3}(:[0-9]{1,3})?)?"
    r"|(tty|com):[\w.-]+(:[a-z0-9]+)?"
    r"|udp(:[\w.-]*)?(:[0-9]{1,5})?"
)


@dataclass(frozen=True)
class TagInfo:
    """A card as the reader found it.

    Attributes:
        uid: The card's UID (NFCID1 for Type A cards).
        tag_type: nfcpy's tag type: ``"Type2Tag"``, ``"Type4Tag"``, ``"Type1Tag"``, ``"Type3Tag"``.
        ndef: The NDEF message; ``b""`` on a formatted blank card, ``None`` when the card
            has no NDEF area.
        writable: Whether an NDEF message can be written.
        capacity: Bytes available for an NDEF message (0 without an NDEF area).
    """

    uid: bytes
    tag_type: str
    ndef: bytes | None
    writable: bool
    capacity: int

    @property
    def uid_hex(self) -> str:
        """The UID in upper-case hex, as the rest of Lintel writes it."""
        return self.uid.hex().upper()


class ReaderEventKind(StrEnum):
    """What changed at the reader."""

    PLUGGED = "plugged"
    UNPLUGGED = "unplugged"
    TAG_PRESENT = "tag_present"
    TAG_REMOVED = "tag_removed"


@dataclass(frozen=True)
class ReaderEvent:
    """One change at the reader; ``tag`` is set for the two tag events."""

    kind: ReaderEventKind
    path: str
    tag: TagInfo | None = None


OnReaderEvent = Callable[[ReaderEvent], None]
"""Receives reader events; called on the asyncio loop, must not block."""


class NfcReader(ABC):
    """An HF card reader. All methods run on the asyncio loop and never block it.

    ``async_open`` succeeds even when the reader is not plugged in: the reader then watches
    for it and reports ``PLUGGED``/``UNPLUGGED`` events; operations raise
    :class:`~hardware.nfc.errors.ReaderNotFound` meanwhile.
    """

    def __init__(self, path: str, on_event: OnReaderEvent | None = None) -> None:
        """Create a reader for ``path``; nothing is opened until :meth:`async_open`."""
        self.path = path
        self._on_event = on_event

    @property
    @abstractmethod
    def is_plugged(self) -> bool:
        """Whether the reader is open and usable right now."""

    @abstractmethod
    async def async_open(self) -> None:
        """Open the reader and start watching it (idempotent)."""

    @abstractmethod
    async def async_close(self) -> None:
        """Stop watching and release the reader (idempotent)."""

    @abstractmethod
    async def wait_for_tag(
        self, timeout: float | None = None, cancel: Event | None = None
    ) -> TagInfo:
        """Wait until a card is on the reader and return what it holds.

        Args:
            timeout: Seconds to wait; ``None`` waits until cancelled.
            cancel: Set it to stop waiting (raises ``NfcCancelled``); cancelling the
                awaiting task works too.

        Raises:
            NoTagPresented: nothing came before ``timeout``.
            NfcCancelled: ``cancel`` was set.
            ReaderNotFound: the reader is not plugged in (``ReaderUnplugged`` if it went).
        """

    @abstractmethod
    async def write_ndef(self, uid: bytes, ndef: bytes) -> TagInfo:
        """Write an NDEF message to the card with this UID, verify it, and return the card.

        Raises:
            WrongCard: another card is on the reader.
            TagLost: no card, or it left during the write.
            UnsupportedCard, NotWritable, CardFull, WriteNotVerified: as named.
            ReaderNotFound: the reader is not plugged in.
        """

    def _emit(self, kind: ReaderEventKind, tag: TagInfo | None = None) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(ReaderEvent(kind, self.path, tag))
        except Exception:
            # A listener's bug must not break the reader it listens to.
            _LOGGER.exception("reader event listener failed on %s", kind)

    async def __aenter__(self) -> Self:
        await self.async_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.async_close()


def check_reader_path(path: str) -> str:
    """Return ``path`` if nfcpy can open it, else raise :class:`InvalidReaderPath`.

    Accepted: ``usb``, ``usb:VID[:PID]`` (hex), ``usb:BUS[:DEV]`` (decimal),
    ``tty:PORT[:DRIVER]``, ``com:PORT[:DRIVER]``, ``udp[:HOST][:PORT]``.
    """
    if not _NFCPY_PATH.fullmatch(path):
        raise InvalidReaderPath(path)
    return path


def choose_backend(path: str) -> type[NfcReader]:
    """Return the reader class for ``path``, importing its device library only here.

    Raises:
        InvalidReaderPath: no backend reads this kind of path.
    """
    check_reader_path(path)
    from hardware.nfc.nfcpy_backend import NfcpyReader

    return NfcpyReader


def create_reader(
    path: str,
    on_event: OnReaderEvent | None = None,
    *,
    backend: type[NfcReader] | None = None,
    **options: Any,
) -> NfcReader:
    """Create (not open) the reader for ``path``.

    Args:
        path: Reader path, e.g. ``"usb"``, ``"usb:072f:2200"``, ``"udp:127.0.0.1:54321"``.
        on_event: Receives :class:`ReaderEvent` on the loop.
        backend: Reader class to use instead of the one :func:`choose_backend` picks.
        **options: Passed to the backend (e.g. ``poll_interval``, ``targets``).
    """
    reader_class = backend if backend is not None else choose_backend(path)
    return reader_class(path, on_event, **options)
