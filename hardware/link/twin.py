"""What every simulated device shares: its identity, its connect loop, and its standing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hardware.link.identity import DeviceIdentity
from hardware.link.messages import AdmissionState, ControllerMessage
from hardware.link.runner import Backoff, DeviceRunner, ServerAddress


class DeviceTwin:
    """Base of the reader and door-controller twins: a real link peer with an identity."""

    def __init__(
        self,
        identity: DeviceIdentity,
        identity_path: Path | None,
        server: ServerAddress,
        *,
        backoff: Backoff | None = None,
        heartbeat_interval: float | None = 30.0,
        on_disconnect: Callable[[], None] | None = None,
    ) -> None:
        """Configure the device (it connects on ``start``).

        Args:
            identity: Its identity (see ``hardware.link.identity``).
            identity_path: Where the identity is persisted (the pinned key is saved there).
            server: The device server address.
            backoff: Reconnect delays.
            heartbeat_interval: Seconds between heartbeats.
            on_disconnect: Called each time an established link ends.
        """
        self.identity = identity
        self.identity_path = identity_path
        self.rebooted = 0
        self.runner = DeviceRunner(
            identity,
            identity_path,
            server,
            self._on_message,
            on_disconnect=on_disconnect,
            backoff=backoff,
            heartbeat_interval=heartbeat_interval,
        )

    async def _on_message(self, msg: ControllerMessage) -> None:
        """Handle one controller message (subclasses implement)."""
        raise NotImplementedError

    async def reboot(self) -> None:
        """Restart: drop the link; the connect loop brings it back."""
        self.rebooted += 1
        await self.runner.drop()

    @property
    def serial(self) -> str:
        """The device's serial number."""
        return self.identity.serial

    @property
    def token(self) -> str:
        """The code printed on its label."""
        return self.identity.token

    @property
    def model(self) -> str:
        """Model name."""
        return self.identity.model

    @property
    def firmware(self) -> str:
        """Firmware version."""
        return self.identity.firmware

    @property
    def connected(self) -> bool:
        """True while admitted and connected."""
        return self.runner.connected

    @property
    def adopted(self) -> bool:
        """True if the controller last said this device is adopted."""
        admission = self.runner.admission
        return admission is not None and admission.state is AdmissionState.ADOPTED

    def start(self) -> None:
        """Start connecting (call on the event loop)."""
        self.runner.start()
