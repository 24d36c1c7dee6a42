"""What the nfcpy backend runs on its device thread (never on the asyncio loop).

The front-end to use for a path (:func:`default_frontend`), and blocking jobs. Each job
takes an open ``nfc.ContactlessFrontend`` (or a stand-in with the same methods) and turns
nfcpy's outcomes into :class:`~hardware.nfc.reader.TagInfo` or an
:class:`~hardware.nfc.errors.NfcError`. ``OSError`` is left to propagate: it means the reader
itself failed, which the backend handles (close, report ``unplugged``, reopen).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import nfc.clf
import nfc.tag

from hardware.nfc.errors import (
    CardFull,
    NfcError,
    NotWritable,
    TagLost,
    UnsupportedCard,
    WriteNotVerified,
    WrongCard,
)
from hardware.nfc.reader import TagInfo

_LOGGER = logging.getLogger(__name__)
_USB_DEVICE = re.compile(r"usb:(\d{3}):(\d{3})")

T = TypeVar("T")


class Frontend(Protocol):
    """What the backend uses of ``nfc.ContactlessFrontend`` (a test may pass a subclass)."""

    device: Any

    def open(self, path: str) -> bool:
        """Open the reader on ``path``; False when none is there."""
        ...

    def close(self) -> None:
        """Release the reader."""
        ...

    def sense(self, *targets: Any, **options: Any) -> Any:
        """Look once for a card; return its ``RemoteTarget`` or None."""
        ...


UDP_MIN_TIMEOUT = 0.05
"""Shortest wait for a card's answer over ``udp:`` (seconds)."""


class UdpFrontend(nfc.ContactlessFrontend):
    """``nfc.ContactlessFrontend`` for ``udp:`` paths, with waits that suit a socket.

    nfcpy sizes its waits for radio: a Type 2 READ gets 5 ms. Over UDP on a busy host the
    answer can come later; nfcpy then retries, takes the late answer for the retry, and
    every later command reads the answer meant for the one before. A floor on the wait
    keeps commands and answers paired.
    """

    def exchange(self, send_data: Any, timeout: float | None) -> Any:
        """Send a frame and return the answer, waiting at least :data:`UDP_MIN_TIMEOUT`."""
        if timeout is not None:
            timeout = max(timeout, UDP_MIN_TIMEOUT)
        return super().exchange(send_data, timeout)


def default_frontend(path: str) -> Callable[[], Frontend]:
    """The front-end class nfcpy should use for ``path``."""
    return UdpFrontend if path.startswith("udp") else nfc.ContactlessFrontend


def guarded(job: Callable[[], T]) -> T:
    """Run ``job``, mapping nfcpy's card-level failures to :class:`NfcError`.

    ``OSError`` (the reader failed) and our own errors pass through unchanged.
    """
    try:
        return job()
    except (NfcError, OSError):
        raise
    except (nfc.tag.TagCommandError, nfc.clf.CommunicationError):
        raise TagLost() from None
    except Exception as error:
        # nfcpy parses radio answers with asserts and indexing; a card that answers oddly
        # surfaces as IndexError, struct.error, AssertionError... It must not crash the
        # front desk, so it becomes a plain "unsupported card".
        _LOGGER.warning("card answered in a way nfcpy could not handle: %r", error)
        raise UnsupportedCard() from None


def sense(clf: Frontend, targets: Sequence[str]) -> Any:
    """Look once for a card of the given technologies and activate it.

    Returns:
        The activated nfcpy ``Tag``, or None when no card answered (or it left during
        activation).
    """
    remote = [nfc.clf.RemoteTarget(brty) for brty in targets]
    try:
        found = clf.sense(*remote, iterations=1, interval=0)
    except nfc.clf.UnsupportedTargetError as error:
        _LOGGER.debug("reader cannot sense %s: %s", targets, error)
        return None
    return None if found is None else nfc.tag.activate(clf, found)


def describe(tag: Any) -> TagInfo:
    """Read the card's NDEF area and describe the card."""
    ndef = tag.ndef
    return TagInfo(
        uid=bytes(tag.identifier),
        tag_type=str(tag.type),
        ndef=None if ndef is None else bytes(ndef.octets),
        writable=bool(ndef is not None and ndef.is_writeable),
        capacity=0 if ndef is None else int(ndef.capacity),
    )


def sense_and_describe(clf: Frontend, targets: Sequence[str]) -> tuple[Any, TagInfo] | None:
    """:func:`sense`, then :func:`describe` the card found."""
    tag = sense(clf, targets)
    return None if tag is None else (tag, describe(tag))


def write_verified(
    clf: Frontend, current: Any, uid: bytes, data: bytes, targets: Sequence[str]
) -> tuple[Any, TagInfo]:
    """Write ``data`` as the NDEF message of the card ``uid``, then read it back.

    Args:
        clf: The open front-end.
        current: The tag activated earlier, reused while it is still present.
        uid: UID the write is meant for.
        data: The NDEF message.
        targets: Technologies to sense when the card must be found again.

    Returns:
        The tag and its description after the write.

    Raises:
        TagLost, WrongCard, UnsupportedCard, NotWritable, CardFull, WriteNotVerified.
    """
    tag = current
    if tag is None or bytes(tag.identifier) != uid or not tag.is_present:
        tag = sense(clf, targets)
        if tag is None:
            raise TagLost()
        if bytes(tag.identifier) != uid:
            raise WrongCard(uid, bytes(tag.identifier))
    ndef = tag.ndef
    if ndef is None:
        raise UnsupportedCard(str(tag.type))
    if not ndef.is_writeable:
        raise NotWritable()
    if len(data) > ndef.capacity:
        raise CardFull(int(ndef.capacity), len(data))
    ndef.octets = data
    changed = ndef.has_changed  # reads the card again
    if tag.ndef is None:
        raise TagLost()
    if changed:
        raise WriteNotVerified()
    return tag, describe(tag)


def tag_present(tag: Any) -> bool:
    """Whether the activated ``tag`` still answers."""
    return bool(tag.is_present)


def device_present(device_path: str) -> bool:
    """Whether the device nfcpy opened is still attached, from its resolved path.

    ``usb:BUS:DEV`` is looked up on the USB bus (a replug gets a new address), a serial
    ``/dev/tty...`` must still exist. ``udp:HOST:PORT`` is a socket: it cannot vanish.
    """
    usb = _USB_DEVICE.fullmatch(device_path)
    if usb is not None:
        import usb1  # only real USB readers need libusb

        bus, address = int(usb.group(1)), int(usb.group(2))
        with usb1.USBContext() as context:
            return any(
                d.getBusNumber() == bus and d.getDeviceAddress() == address
                for d in context.getDeviceList(skip_on_error=True)
            )
    if device_path.startswith("/dev/"):
        return os.path.exists(device_path)
    return True
