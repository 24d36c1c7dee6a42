"""A simulated door controller: a real link peer with 5 relays and 8 inputs."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hardware.link.identity import DeviceIdentity, load_or_create_identity
from hardware.link.messages import (
    INPUT_CHANNELS,
    RELAY_CHANNELS,
    Accepted,
    ControllerMessage,
    DeviceKind,
    Energize,
    InputChanged,
    InputState,
    Pulse,
    Reboot,
)
from hardware.link.runner import Backoff, ServerAddress
from hardware.link.twin import DeviceTwin

log = logging.getLogger("lintel.doorctl")

CONTROLLER_MODEL = "controller-pro-2"
CONTROLLER_FIRMWARE = "2.4.1"
CONTROLLER_SERIAL_PREFIX = "LC2-"


@dataclass
class Relay:
    """One relay: channels 1-4 drive doors, 5 is AUX."""

    channel: int
    energized: bool = False
    pulses: int = 0
    _release: asyncio.TimerHandle | None = field(default=None, repr=False)

    def cancel_release(self) -> None:
        """Forget a pending de-energize from an earlier pulse."""
        if self._release is not None:
            self._release.cancel()
            self._release = None


class SimDoorController(DeviceTwin):
    """A door controller twin: pulses relays on command and reports input changes."""

    def __init__(
        self,
        identity: DeviceIdentity,
        identity_path: Path | None,
        server: ServerAddress,
        *,
        backoff: Backoff | None = None,
        heartbeat_interval: float | None = 30.0,
    ) -> None:
        """Configure the controller (it connects on ``start``).

        Args:
            identity: Its identity (see ``hardware.link.identity``).
            identity_path: Where the identity is persisted.
            server: The device server address.
            backoff: Reconnect delays.
            heartbeat_interval: Seconds between heartbeats.
        """
        super().__init__(
            identity,
            identity_path,
            server,
            backoff=backoff,
            heartbeat_interval=heartbeat_interval,
        )
        self.relays = [Relay(channel) for channel in range(1, RELAY_CHANNELS + 1)]
        self._notifying: set[asyncio.Task[None]] = set()
        self.inputs = {channel: InputState.CLOSED for channel in range(1, INPUT_CHANNELS + 1)}

    async def reboot(self) -> None:
        """Restart: the relays lose power (every door falls back to its unpowered state)."""
        for relay in self.relays:
            relay.cancel_release()
            relay.energized = False
        await super().reboot()

    def relay(self, channel: int) -> Relay:
        """Return relay ``channel`` (1..5)."""
        return self.relays[channel - 1]

    async def async_close(self) -> None:
        """Disconnect, stop, and release every relay (idempotent)."""
        await self.runner.async_close()
        for relay in self.relays:
            relay.cancel_release()

    async def set_input(self, channel: int, state: InputState | str) -> bool:
        """Change an input (a door contact opened, an exit button pressed...).

        Args:
            channel: Input 1..8.
            state: The new state.

        Returns:
            True if the change was reported to the controller, False if not connected.

        Raises:
            ValueError: If ``channel`` is outside 1..8 or ``state`` is not open/closed.
        """
        if channel not in self.inputs:
            raise ValueError(f"input channel out of range 1..{INPUT_CHANNELS}: {channel}")
        state = InputState(state)
        self.inputs[channel] = state
        if not self.connected:
            return False
        await self.runner.send(InputChanged(channel, state))
        return True

    def status(self) -> dict[str, Any]:
        """Return the controller's state as the control API shows it."""
        return {
            "serial": self.serial,
            "token": self.token,
            "model": self.model,
            "firmware": self.firmware,
            "mac": self.identity.mac,
            "connected": self.connected,
            "adopted": self.adopted,
            "relays": [
                {"channel": r.channel, "energized": r.energized, "pulses": r.pulses}
                for r in self.relays
            ],
            "inputs": [{"channel": n, "state": s.value} for n, s in sorted(self.inputs.items())],
        }

    async def _on_message(self, msg: ControllerMessage) -> None:
        if isinstance(msg, Pulse):
            self._pulse(self.relay(msg.channel), msg.seconds)
        elif isinstance(msg, Energize):
            relay = self.relay(msg.channel)
            relay.cancel_release()
            relay.energized = msg.on
        elif isinstance(msg, Reboot):
            await self.reboot()
            return
        elif isinstance(msg, Accepted):
            log.info("%s: %s", self.serial, msg.state.value)
        else:
            log.debug("%s: ignoring %s", self.serial, type(msg).__name__)

    def _pulse(self, relay: Relay, seconds: float) -> None:
        # A new pulse while one runs extends it: the door stays unlocked for the full time.
        relay.cancel_release()
        relay.energized = True
        relay.pulses += 1
        relay._release = asyncio.get_running_loop().call_later(seconds, self._release, relay)

    def _release(self, relay: Relay) -> None:
        relay._release = None
        relay.energized = False
        # Let waiters see the relay drop (notify needs a task: we are in a loop callback).
        task = asyncio.get_running_loop().create_task(self.runner.notify())
        self._notifying.add(task)  # keep a reference until it ran
        task.add_done_callback(self._notifying.discard)


def load_controller_identity(path: Path) -> DeviceIdentity:
    """Load the door controller identity at ``path``, creating one (LC2-xxxxxxxx) if missing."""
    return load_or_create_identity(
        path,
        DeviceKind.DOOR_CONTROLLER,
        CONTROLLER_SERIAL_PREFIX,
        CONTROLLER_MODEL,
        CONTROLLER_FIRMWARE,
    )
