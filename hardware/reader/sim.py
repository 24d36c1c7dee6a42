"""A simulated reader: a real link peer with the reader's LED rules and card presentation."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hardware.blinkup import BlinkUpError, ClearSettings, Mode, NetworkSettings
from hardware.link.errors import LinkClosedError, LinkTimeoutError
from hardware.link.identity import DeviceIdentity, load_or_create_identity, save_identity
from hardware.link.messages import (
    MAX_SEQ,
    Accepted,
    Ack,
    ControllerMessage,
    Credential,
    Decision,
    DeviceKind,
    Identify,
    LedChanged,
    LedState,
    Present,
    Reboot,
    SetLed,
    Tamper,
)
from hardware.link.runner import Backoff, ServerAddress
from hardware.link.twin import DeviceTwin
from hardware.reader import provisioning
from hardware.reader.led import Clock, ReaderLed, idle_led
from hardware.reader.provisioning import Provisioned

log = logging.getLogger("lintel.reader")

READER_MODEL = "reader-pro-2.1"
READER_FIRMWARE = "2.4.1"
READER_SERIAL_PREFIX = "LR2-"


class SimReader(DeviceTwin):
    """A reader twin: connects out to the device server and behaves like the physical reader."""

    def __init__(
        self,
        identity: DeviceIdentity,
        identity_path: Path | None,
        server: ServerAddress,
        *,
        feedback_seconds: float = 3.0,
        decision_timeout: float = 5.0,
        clock: Clock = time.monotonic,
        backoff: Backoff | None = None,
        heartbeat_interval: float | None = 30.0,
        configured: bool = True,
    ) -> None:
        """Configure the reader (it connects on ``start``).

        Args:
            identity: Its identity (see ``hardware.link.identity``).
            identity_path: Where the identity is persisted (the pinned key is saved there).
            server: The device server address.
            feedback_seconds: How long green/red decision feedback stays on.
            decision_timeout: Default seconds ``present`` waits for a decision.
            clock: Monotonic clock for LED timing.
            backoff: Reconnect delays.
            heartbeat_interval: Seconds between heartbeats.
            configured: False for a reader fresh from the box: it shows amber and connects
                only after it received its network setup by BlinkUp (``receive_light``).
        """
        super().__init__(
            identity,
            identity_path,
            server,
            backoff=backoff,
            heartbeat_interval=heartbeat_interval,
            on_disconnect=self._on_disconnect,
        )
        self.feedback_seconds = feedback_seconds
        self.decision_timeout = decision_timeout
        self._led = ReaderLed(clock)
        self._seq = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Decision]] = {}
        self._reported: LedState | None = None
        self._lapse: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.last_decision: str | None = None
        self.decisions = 0
        self.tampered = False
        self.configured = configured
        self.provisioned: Provisioned | None = None
        self.blinkup_error: str | None = None

    @property
    def assigned(self) -> bool:
        """True if the controller last said this reader is assigned to a door."""
        adm = self.runner.admission
        return adm is not None and adm.assigned

    @property
    def led(self) -> LedState:
        """What the LED shows right now."""
        configured = self.identity.controller_key is not None
        if not self.configured:
            return self._led.current(LedState.AMBER)  # ready to be set up
        return self._led.current(idle_led(self.connected, configured, self.assigned))

    def start(self) -> None:
        """Start connecting, unless the reader still waits for its network setup."""
        if self.configured:
            self.runner.start()

    async def receive_light(
        self, samples: Sequence[float], rate: float, fps: float, mode: Mode | None = None
    ) -> Provisioned:
        """Take a BlinkUp transfer from light-sensor samples, then connect with what came.

        The enrolment token is kept with the identity (the reader proves it when it connects);
        a fast-mode transfer also says where the device server is.

        Raises:
            BlinkUpError: the samples did not decode (the LED shows red: connection failed).
        """
        try:
            # Decoding half a minute of samples takes a while; the reader stays responsive.
            got = await asyncio.to_thread(provisioning.receive, samples, rate, fps, mode)
        except BlinkUpError as exc:
            self.blinkup_error = str(exc)
            self._show(LedState.RED, self.feedback_seconds)
            raise
        self.blinkup_error = None
        self.provisioned = got
        settings = got.settings
        if isinstance(settings, NetworkSettings) and settings.enrolment is not None:
            self.identity.enrolment_token = settings.enrolment.token
            if self.identity_path is not None:
                save_identity(self.identity_path, self.identity)
        self.runner.server = got.server(self.runner.server)
        log.info("%s: network setup received by BlinkUp (%s)", self.serial, got.mode.value)
        if not self.configured and not isinstance(settings, ClearSettings):
            self.configured = True
            self.runner.start()
        return got

    async def async_close(self) -> None:
        """Disconnect and stop (idempotent)."""
        if self._lapse is not None:
            self._lapse.cancel()
            self._lapse = None
        for task in list(self._tasks):
            task.cancel()
        await self.runner.async_close()
        self._on_disconnect()

    async def present(self, credential: Credential, timeout: float | None = None) -> Decision:
        """Present a credential and wait for the controller's decision.

        Args:
            credential: What the reader read.
            timeout: Seconds to wait (default ``decision_timeout``).

        Returns:
            The decision (the LED already shows its feedback).

        Raises:
            LinkClosedError: If the reader is not connected or the link dropped meanwhile.
            LinkTimeoutError: If no decision came in time.
        """
        seq = next(self._seq) % MAX_SEQ
        future: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
        self._pending[seq] = future
        try:
            await self.runner.send(Present(seq, credential))
            async with asyncio.timeout(self.decision_timeout if timeout is None else timeout):
                return await future
        except TimeoutError:
            raise LinkTimeoutError(f"{self.serial}: no decision for presentation {seq}") from None
        finally:
            self._pending.pop(seq, None)

    async def tamper(self, active: bool = True) -> None:
        """Report the tamper sensor (the reader was pulled off the wall, or put back).

        Raises:
            LinkClosedError: If the reader is not connected.
        """
        self.tampered = active
        await self.runner.send(Tamper(active))

    def status(self) -> dict[str, Any]:
        """Return the reader's state as the control API shows it."""
        return {
            "serial": self.serial,
            "token": self.token,
            "model": self.model,
            "firmware": self.firmware,
            "mac": self.identity.mac,
            "connected": self.connected,
            "adopted": self.adopted,
            "assigned": self.assigned,
            "led": self.led.value,
            "last_decision": self.last_decision,
            "decisions": self.decisions,
            "configured": self.configured,
            "network": self.provisioned.summary() if self.provisioned else None,
            "blinkup_error": self.blinkup_error,
        }

    async def _on_message(self, msg: ControllerMessage) -> None:
        if isinstance(msg, Decision):
            await self._on_decision(msg)
        elif isinstance(msg, SetLed):
            self._show(msg.state, msg.seconds)
        elif isinstance(msg, Identify):
            self._show(LedState.BLINKING_WHITE, msg.seconds)
        elif isinstance(msg, Reboot):
            await self.reboot()
            return
        elif isinstance(msg, Accepted):
            log.info("%s: %s, assigned=%s", self.serial, msg.state.value, msg.assigned)
        else:
            log.debug("%s: ignoring %s", self.serial, type(msg).__name__)
        await self._report_led()

    def _show(self, state: LedState, seconds: float | None) -> None:
        self._led.show(state, seconds)
        if self._lapse is not None:
            self._lapse.cancel()  # the latest override wins, so only its end matters
            self._lapse = None
        if seconds is not None:
            # The override lapses by itself; tell the controller when it does.
            self._lapse = asyncio.get_running_loop().call_later(seconds, self._lapsed)

    def _lapsed(self) -> None:
        self._lapse = None
        task = asyncio.get_running_loop().create_task(self._report_led())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _report_led(self) -> None:
        """Send the LED state to the controller when it changed since the last report."""
        current = self.led
        if not self.connected or current == self._reported:
            return
        self._reported = current
        with contextlib.suppress(LinkClosedError):
            await self.runner.send(LedChanged(current))

    async def _on_decision(self, decision: Decision) -> None:
        self.decisions += 1
        self.last_decision = "granted" if decision.granted else "denied"
        colour = LedState.GREEN if decision.granted else LedState.RED
        self._show(colour, self.feedback_seconds)
        future = self._pending.get(decision.seq)
        if future is not None and not future.done():
            future.set_result(decision)
        with contextlib.suppress(LinkClosedError):  # the decision was shown; acks are best effort
            await self.runner.send(Ack(decision.seq))

    def _on_disconnect(self) -> None:
        self._reported = None
        for future in self._pending.values():
            if not future.done():
                future.set_exception(LinkClosedError(f"{self.serial}: link closed"))


def load_reader_identity(path: Path) -> DeviceIdentity:
    """Load the reader identity at ``path``, creating a new one (LR2-xxxxxxxx) if missing."""
    return load_or_create_identity(
        path, DeviceKind.READER, READER_SERIAL_PREFIX, READER_MODEL, READER_FIRMWARE
    )
