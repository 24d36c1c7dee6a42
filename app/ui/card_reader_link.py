"""The front desk's HF card reader: opened once, its events re-emitted as Qt signals.

The reader's own callbacks run on the asyncio loop (the Qt thread under qasync); this object
turns them into a status line the area shows and a signal widgets can connect to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from hardware.nfc.errors import NfcError
from hardware.nfc.reader import (
    NfcReader,
    OnReaderEvent,
    ReaderEvent,
    ReaderEventKind,
    create_reader,
)

log = logging.getLogger("lintel.ui.front_desk")

ReaderFactory = Callable[[str, OnReaderEvent], NfcReader]
NO_READER = "No card reader — plug one in"
NOT_SET_UP = "No card reader set up — start Lintel with --card-reader usb"


def _default_factory(path: str, on_event: OnReaderEvent) -> NfcReader:
    return create_reader(path, on_event)


class CardReaderLink(QObject):
    """Owns the desk's reader (if one is set up) and says whether it is ready."""

    status_changed = Signal(str)
    reader_event = Signal(object)  # ReaderEvent

    def __init__(
        self,
        path: str | None,
        factory: ReaderFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Remember the reader's path; nothing opens until :meth:`async_open`.

        Args:
            path: The nfcpy path (``usb``, ``udp:127.0.0.1:PORT``...); None for no reader.
            factory: Makes the reader (tests pass one with quicker polling).
            parent: Qt parent.
        """
        super().__init__(parent)
        self.path = path
        self._factory = factory or _default_factory
        self.reader: NfcReader | None = None
        self.status = NOT_SET_UP if path is None else f"Looking for the card reader ({path})…"
        self._opening: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Open the reader in the background on the running loop (no-op without a path)."""
        if self.path is None or self._opening is not None:
            return
        self._opening = asyncio.get_running_loop().create_task(self.async_open())

    async def async_open(self) -> None:
        """Create and open the reader; a reader that is not plugged in is watched for."""
        if self.path is None or self.reader is not None:
            return
        try:
            self.reader = self._factory(self.path, self._on_event)
            await self.reader.async_open()
        except NfcError as exc:
            # A bad path or a reader that cannot be opened: typed and wedge cards still work.
            self.reader = None
            self._set_status(f"No card reader — {exc}")
            return
        except Exception:
            # A fault in a reader library must not take the front desk down with it.
            log.exception("cannot open the card reader on %s", self.path)
            self.reader = None
            self._set_status("No card reader — it could not be opened; see the log")
            return
        self._set_status(self._plugged_text() if self.reader.is_plugged else NO_READER)

    async def async_close(self) -> None:
        """Close the reader; idempotent."""
        if self._opening is not None:
            # Let a half-done open finish first, so close sees the whole reader.
            with contextlib.suppress(Exception):
                await self._opening
            self._opening = None
        reader, self.reader = self.reader, None
        if reader is not None:
            await reader.async_close()

    def _plugged_text(self) -> str:
        return f"Card reader ready ({self.path})"

    def _on_event(self, event: ReaderEvent) -> None:
        if event.kind is ReaderEventKind.PLUGGED:
            self._set_status(self._plugged_text())
        elif event.kind is ReaderEventKind.UNPLUGGED:
            self._set_status(NO_READER)
        self.reader_event.emit(event)

    def _set_status(self, text: str) -> None:
        log.debug("card reader: %s", text)
        self.status = text
        self.status_changed.emit(text)
