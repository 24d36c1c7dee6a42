"""The card side of nfcpy's ``udp:`` front-end: a UDP peer that presents emulated cards.

nfcpy's ``udp`` driver (``nfc/clf/udp.py``) plays the reader. Every frame it sends is one
datagram ``b"<brty> <hex>"`` (for example ``b"106A 26"`` for SENS_REQ at 106 kbps Type A);
the card answers with a datagram of the same form to the sender's address, or stays silent.
Before each new sense the driver sends ``b"RFOFF"`` from its old socket and opens a new one:
the field went off, so the card resets.

:class:`TagEmulator` binds a loopback address only, answers from its own thread, and can
present a card, take it away, swap it, or take it away after some writes (a card pulled off
mid-write). With no card in the field it is silent, exactly like an empty reader.

Example:
    >>> with TagEmulator() as field:  # doctest: +SKIP
    ...     field.present(EmulatedType2Tag(bytes.fromhex("5a0102030405a6")))
    ...     reader = NfcpyReader(field.path)
"""

from __future__ import annotations

import binascii
import ipaddress
import logging
import select
import socket
import threading
import time
from types import TracebackType
from typing import Self

from hardware.nfc.udp_tags import EmulatedTypeATag

__all__ = ["TagEmulator"]

_LOGGER = logging.getLogger(__name__)
_TYPE_A = b"106A"


class TagEmulator:
    """A field in front of an nfcpy ``udp:`` reader, holding at most one emulated card.

    Thread-safe: tests change cards from their own thread while the emulator answers.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, answer_delay: float = 0.0
    ) -> None:
        """Create the emulator; it binds on :meth:`start`.

        Args:
            host: A loopback address (``127.0.0.1``); anything else is refused.
            port: UDP port; 0 picks a free one (read it from :attr:`path`).
            answer_delay: Seconds to hold each answer, like a slow or busy host.

        Raises:
            ValueError: ``host`` is not an IPv4 loopback address.
        """
        if not ipaddress.IPv4Address(host).is_loopback:
            raise ValueError("the tag emulator only listens on loopback")
        self._host, self._port = host, port
        self._answer_delay = answer_delay
        self._lock = threading.Lock()
        self._tag: EmulatedTypeATag | None = None
        self._writes_left: int | None = None
        self._peer: tuple[str, int] | None = None
        self._sock: socket.socket | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._thread: threading.Thread | None = None
        self._frames = 0

    @property
    def frames(self) -> int:
        """Frames readers have sent into the field so far (a reader that is looking sends some)."""
        with self._lock:
            return self._frames

    @property
    def path(self) -> str:
        """The nfcpy path that reaches this emulator, e.g. ``udp:127.0.0.1:40123``."""
        return f"udp:{self._host}:{self._port}"

    @property
    def tag(self) -> EmulatedTypeATag | None:
        """The card in the field, if any."""
        with self._lock:
            return self._tag

    def start(self) -> None:
        """Bind the socket and start answering (idempotent)."""
        if self._thread is not None:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((self._host, self._port))
        self._port = sock.getsockname()[1]
        self._sock, self._wake = sock, socket.socketpair()
        self._thread = threading.Thread(target=self._serve, name=f"nfc-emulator-{self._port}")
        self._thread.start()

    def close(self) -> None:
        """Stop answering, join the thread and close the socket (idempotent)."""
        if self._thread is None or self._wake is None or self._sock is None:
            return
        self._wake[1].send(b"x")
        self._thread.join()
        for sock in (self._sock, *self._wake):
            sock.close()
        self._thread = self._sock = self._wake = None

    def present(self, tag: EmulatedTypeATag) -> None:
        """Put ``tag`` in the field (replacing any card there), fresh from power-up."""
        with self._lock:
            tag.reset()
            self._tag, self._writes_left = tag, None

    def remove(self) -> None:
        """Take the card out of the field; from now on nothing answers."""
        with self._lock:
            self._tag, self._writes_left = None, None

    def swap(self, tag: EmulatedTypeATag) -> EmulatedTypeATag | None:
        """Replace the card in the field with ``tag``; return the one taken away."""
        with self._lock:
            old = self._tag
        self.present(tag)
        return old

    def remove_after_writes(self, count: int) -> None:
        """Let the card apply ``count`` more write commands, then leave on the next one.

        That next write is lost, as when a card is pulled away while it is being written.
        """
        with self._lock:
            self._writes_left = count

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _serve(self) -> None:
        assert self._sock is not None and self._wake is not None
        sock, wake = self._sock, self._wake[0]
        while True:
            ready, _, _ = select.select([sock, wake], [], [])
            if wake in ready:
                return
            datagram, addr = sock.recvfrom(2048)
            try:
                answer = self._answer(datagram, addr)
            except (ValueError, IndexError, binascii.Error) as error:
                # A garbled frame is noise on the air: stay silent and keep serving. Only its
                # size is logged: frames carry card data.
                _LOGGER.debug("ignoring malformed %d-byte frame: %r", len(datagram), error)
                continue
            if answer is not None:
                if self._answer_delay:
                    time.sleep(self._answer_delay)
                sock.sendto(answer, addr)

    def _answer(self, datagram: bytes, addr: tuple[str, int]) -> bytes | None:
        with self._lock:
            self._frames += 1
            tag = self._tag
            if datagram.strip() == b"RFOFF" or addr != self._peer:
                # Field off, or a new reader socket (nfcpy opens one per sense): cards reset.
                self._peer = addr
                if tag is not None:
                    tag.reset()
                if datagram.strip() == b"RFOFF":
                    return None
            brty, _, payload = datagram.partition(b" ")
            frame = binascii.unhexlify(payload.strip())
            if tag is None or brty != _TYPE_A or not frame:
                return None
            if self._writes_left is not None and tag.is_write(frame):
                if self._writes_left == 0:
                    self._tag, self._writes_left = None, None
                    return None
                self._writes_left -= 1
            response = tag.handle(frame)
        return None if response is None else _TYPE_A + b" " + binascii.hexlify(response)
