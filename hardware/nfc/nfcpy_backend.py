"""The real HF reader backend: nfcpy's ``ContactlessFrontend`` on one device thread.

Every nfcpy call is blocking, so each reader owns one executor thread and an asyncio lock:
jobs run one at a time, in order, and the loop never waits on the radio.

Plug and unplug: while no reader is open, the watcher tries to open the path every
``poll_interval`` seconds and reports ``PLUGGED`` when it succeeds. While one is open, an
``OSError`` from nfcpy (``ENODEV`` and friends) or the device vanishing from the bus
(:func:`~hardware.nfc.nfcpy_jobs.device_present`) closes it and reports ``UNPLUGGED``.

The ``udp:`` front-end (used with :class:`~hardware.nfc.udp_emulator.TagEmulator`) is a
socket, not a device: it opens whether or not a peer listens and can never vanish, so it
never reports ``UNPLUGGED``; stopping the emulator looks like the card being taken away.
Tests exercise unplugging with a ``frontend_factory`` whose front-end fails like a pulled
USB reader, plus a ``device_present`` probe.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from hardware.nfc import nfcpy_jobs
from hardware.nfc.errors import (
    NfcCancelled,
    NfcError,
    NoTagPresented,
    ReaderAccessDenied,
    ReaderClosed,
    ReaderFailed,
    ReaderNotFound,
    ReaderUnplugged,
    TagLost,
    WrongCard,
)
from hardware.nfc.nfcpy_jobs import Frontend
from hardware.nfc.reader import (
    NfcReader,
    OnReaderEvent,
    ReaderEventKind,
    TagInfo,
    check_reader_path,
)

__all__ = ["DEFAULT_TARGETS", "NfcpyReader"]

_LOGGER = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_TARGETS: tuple[str, ...] = ("106A", "106B", "212F")
"""Technologies sensed for: ISO 14443 A and B, FeliCa (reported, not written)."""

# nfcpy logs every frame at debug level (card tokens included) and an error on every failed
# open while a reader is unplugged. Our errors say what matters, so keep nfcpy quiet unless
# the application configured its logger on purpose (nfcpy itself sets INFO on import).
_NFC_LOGGER = logging.getLogger("nfc")
if _NFC_LOGGER.level in (logging.NOTSET, logging.INFO):
    _NFC_LOGGER.setLevel(logging.CRITICAL)


class NfcpyReader(NfcReader):
    """An nfcpy reader on ``usb``, ``usb:VID:PID``, ``tty:PORT:DRIVER`` or ``udp:HOST:PORT``."""

    def __init__(
        self,
        path: str,
        on_event: OnReaderEvent | None = None,
        *,
        targets: Sequence[str] = DEFAULT_TARGETS,
        poll_interval: float = 0.5,
        frontend_factory: Callable[[], Frontend] | None = None,
        device_present: Callable[[str], bool] | None = None,
    ) -> None:
        """Create the reader; nothing is opened until :meth:`async_open`.

        Args:
            path: nfcpy path of the reader.
            on_event: Receives :class:`~hardware.nfc.reader.ReaderEvent` on the loop.
            targets: nfcpy technologies to sense (``"106A"`` alone makes ``udp:`` quick).
            poll_interval: Seconds between checks for the reader and the card on it.
            frontend_factory: Makes an unopened front-end; by default
                ``nfc.ContactlessFrontend`` (``UdpFrontend`` for ``udp:`` paths).
            device_present: Tells from nfcpy's device path whether it is still attached.
        """
        super().__init__(check_reader_path(path), on_event)
        self._targets = tuple(targets)
        self._poll_interval = poll_interval
        self._factory = frontend_factory or nfcpy_jobs.default_frontend(path)
        self._device_present = device_present or nfcpy_jobs.device_present
        self._executor: ThreadPoolExecutor | None = None
        self._lock = asyncio.Lock()
        self._closing = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None
        self._clf: Frontend | None = None
        self._open_error: Callable[[], NfcError] | None = None
        self._was_plugged = False
        self._tag: Any = None
        self._tag_info: TagInfo | None = None

    @property
    def is_plugged(self) -> bool:
        return self._clf is not None

    async def async_open(self) -> None:
        if self._executor is not None:
            return
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"nfc {self.path}")
        self._closing = asyncio.Event()
        async with self._lock:
            await self._try_open()
        self._watcher = asyncio.create_task(self._watch(), name=f"nfc watcher {self.path}")

    async def async_close(self) -> None:
        executor = self._executor
        if executor is None:
            return
        self._closing.set()  # wakes any wait_for_tag, which then raises ReaderClosed
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        async with self._lock:
            clf, self._clf, self._tag, self._tag_info = self._clf, None, None, None
            if clf is not None:
                await asyncio.wrap_future(executor.submit(_close_quietly, clf))
            self._executor = None
        # The close job ran last, so the worker is idle and this join is immediate.
        executor.shutdown(wait=True)

    async def wait_for_tag(
        self, timeout: float | None = None, cancel: asyncio.Event | None = None
    ) -> TagInfo:
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        async with self._lock:
            while True:
                clf = self._require_reader()
                job = partial(nfcpy_jobs.sense_and_describe, clf, self._targets)
                found = await self._run(job, cancel, deadline)
                if found is not None:
                    self._tag, self._tag_info = found
                    self._emit(ReaderEventKind.TAG_PRESENT, found[1])
                    return found[1]
                if deadline is not None and loop.time() >= deadline:
                    raise NoTagPresented()
                # A USB reader answers "no card" at once: breathe between looks.
                await self._pause(min(0.1, self._poll_interval), cancel)

    async def write_ndef(self, uid: bytes, ndef: bytes) -> TagInfo:
        async with self._lock:
            clf = self._require_reader()
            job = partial(nfcpy_jobs.write_verified, clf, self._tag, uid, ndef, self._targets)
            try:
                tag, info = await self._run(job)
            except (TagLost, WrongCard):
                self._forget_tag()
                raise
            self._tag, self._tag_info = tag, info
            return info

    def _require_reader(self) -> Frontend:
        if self._executor is None or self._closing.is_set():
            raise ReaderClosed()
        if self._clf is None:
            if self._open_error is not None:
                raise self._open_error()
            raise ReaderUnplugged(self.path) if self._was_plugged else ReaderNotFound(self.path)
        return self._clf

    async def _run(
        self,
        job: Callable[[], T],
        cancel: asyncio.Event | None = None,
        deadline: float | None = None,
    ) -> T:
        """Run ``job`` on the device thread; stop waiting on cancel, close or deadline.

        A job left behind finishes on its own (a few hundred ms at most) and is dropped.
        """
        assert self._executor is not None
        future = asyncio.wrap_future(self._executor.submit(nfcpy_jobs.guarded, job))
        stops: set[asyncio.Future[Any]] = {asyncio.ensure_future(self._closing.wait())}
        if cancel is not None:
            stops.add(asyncio.ensure_future(cancel.wait()))
        timeout = (
            None if deadline is None else max(0.0, deadline - asyncio.get_running_loop().time())
        )
        try:
            await asyncio.wait(
                {future, *stops}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for stop in stops:
                stop.cancel()
            if not future.done():
                future.cancel()
        if self._closing.is_set():
            raise ReaderClosed()
        if cancel is not None and cancel.is_set():
            raise NfcCancelled()
        if future.cancelled():
            raise NoTagPresented()
        try:
            return future.result()
        except OSError as error:
            await self._lose_reader(error.errno)
            if error.errno == errno.ENODEV:
                raise ReaderUnplugged(self.path) from None
            raise ReaderFailed(error.errno) from None

    async def _pause(self, seconds: float, cancel: asyncio.Event | None) -> None:
        waits = [self._closing.wait()] + ([cancel.wait()] if cancel is not None else [])
        tasks = {asyncio.ensure_future(w) for w in waits}
        try:
            await asyncio.wait(tasks, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()

    async def _try_open(self) -> None:
        """Open the reader if it is there (caller holds the lock)."""
        assert self._executor is not None
        try:
            clf = await asyncio.wrap_future(self._executor.submit(_open, self._factory, self.path))
        except OSError as error:
            # Remembered, so the next operation says why the reader is not usable.
            if error.errno in (errno.EACCES, errno.EBUSY, errno.EPERM):
                self._open_error = partial(ReaderAccessDenied, self.path, error.errno)
            elif error.errno == errno.ENODEV:
                self._open_error = None
            else:
                self._open_error = partial(ReaderFailed, error.errno)
            _LOGGER.debug("cannot open %s: %s", self.path, error)
            return
        except Exception as error:
            # nfcpy probing a device that answers oddly (or libusb failing) must not stop
            # the watcher: remember it as a failed reader and try again later.
            _LOGGER.warning("cannot open %s: %r", self.path, error)
            self._open_error = partial(ReaderFailed, None)
            return
        if clf is not None:
            self._clf, self._open_error, self._was_plugged = clf, None, True
            _LOGGER.info("card reader on %s is plugged in", self.path)
            self._emit(ReaderEventKind.PLUGGED)

    async def _lose_reader(self, error_number: int | None) -> None:
        """Close a reader that failed or vanished and report it (caller holds the lock)."""
        clf, self._clf = self._clf, None
        if clf is None or self._executor is None:
            return
        _LOGGER.info("card reader on %s went away (errno %s)", self.path, error_number)
        # Report before awaiting, so whoever sees is_plugged False has had the events too.
        self._forget_tag()
        self._emit(ReaderEventKind.UNPLUGGED)
        await asyncio.wrap_future(self._executor.submit(_close_quietly, clf))

    def _forget_tag(self) -> None:
        info, self._tag, self._tag_info = self._tag_info, None, None
        if info is not None:
            self._emit(ReaderEventKind.TAG_REMOVED, info)

    async def _watch(self) -> None:
        """Poll for the reader (and the card on it) while no operation is running."""
        while True:
            await asyncio.sleep(self._poll_interval)
            if self._lock.locked():
                continue  # a user operation is talking to the reader; it will notice
            async with self._lock:
                try:
                    await self._check()
                except NfcError as error:
                    _LOGGER.debug("reader check on %s: %s", self.path, error)
                except Exception:
                    _LOGGER.exception("reader check on %s failed", self.path)

    async def _check(self) -> None:
        if self._clf is None:
            await self._try_open()
            return
        clf, tag = self._clf, self._tag
        job = partial(_still_there, clf, tag, self._device_present)
        reader_here, tag_here = await self._run(job)
        if not reader_here:
            await self._lose_reader(errno.ENODEV)
        elif tag is not None and not tag_here and tag is self._tag:
            self._forget_tag()


def _open(factory: Callable[[], Frontend], path: str) -> Frontend | None:
    clf = factory()
    if clf.open(path):
        return clf
    clf.close()
    return None


def _close_quietly(clf: Frontend) -> None:
    with contextlib.suppress(OSError):
        clf.close()


def _still_there(
    clf: Frontend, tag: Any, device_present: Callable[[str], bool]
) -> tuple[bool, bool]:
    device = clf.device
    if device is None:
        return False, False
    try:
        attached = device_present(str(device.path))
    except Exception as error:
        # Not knowing (libusb hiccup) is not the same as gone: keep the reader.
        _LOGGER.debug("cannot tell whether %s is attached: %r", device.path, error)
        attached = True
    if not attached:
        return False, False
    return True, tag is not None and nfcpy_jobs.tag_present(tag)
