"""Runs N simulated readers and M simulated door controllers plus their control API."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from types import TracebackType

from hardware.devicesim.announce import Announcer, DeviceAnnouncement
from hardware.devicesim.api import ControlApi
from hardware.doorctl.sim import SimDoorController, load_controller_identity
from hardware.link.identity import DeviceIdentity
from hardware.link.runner import Backoff, ServerAddress
from hardware.reader.sim import SimReader, load_reader_identity

log = logging.getLogger("lintel.devicesim")

CONTROL_FILE = "control.json"


class DeviceSim:
    """A set of simulated devices sharing one data folder and one control API.

    Identities live in ``DATA/devices/reader-NNN.json`` and ``controller-NNN.json``: created
    on first run, reused afterwards, so the same devices come back after a restart.
    """

    def __init__(
        self,
        data_dir: Path,
        readers: int,
        controllers: int,
        server: ServerAddress,
        control_host: str = "127.0.0.1",
        control_port: int = 0,
        *,
        feedback_seconds: float = 3.0,
        announcer: Announcer | None = None,
        backoff: Backoff | None = None,
        heartbeat_interval: float | None = 30.0,
        unconfigured_readers: int = 0,
    ) -> None:
        """Configure the simulator (nothing is created or started until ``start``).

        Args:
            data_dir: Folder for identities and ``control.json``.
            readers: Number of readers.
            controllers: Number of door controllers.
            server: The device server to connect to.
            control_host: Address for the control API.
            control_port: Port for the control API (0 picks a free one).
            feedback_seconds: How long readers show green/red after a decision.
            announcer: Optional DNS-SD hook; None announces nothing.
            backoff: Reconnect delays for every device.
            heartbeat_interval: Seconds between heartbeats.
            unconfigured_readers: More readers, fresh from the box: amber until a BlinkUp
                transfer gives them their setup (a restart keeps what they received).
        """
        if readers < 0 or controllers < 0 or unconfigured_readers < 0:
            raise ValueError("device counts must not be negative")
        self.data_dir = data_dir
        self._counts = (readers, controllers)
        self._unconfigured = unconfigured_readers
        self.server = server
        self._control_host = control_host
        self._control_port = control_port
        self._feedback_seconds = feedback_seconds
        self._announcer = announcer
        self._backoff = backoff
        self._heartbeat_interval = heartbeat_interval
        self.readers: list[SimReader] = []
        self.controllers: list[SimDoorController] = []
        self._api: ControlApi | None = None
        self.control_port: int | None = None
        self._announced: list[str] = []

    def reader(self, serial: str) -> SimReader:
        """Return the reader with this serial.

        Raises:
            KeyError: If there is none.
        """
        for reader in self.readers:
            if reader.serial == serial:
                return reader
        raise KeyError(serial)

    def controller(self, serial: str) -> SimDoorController:
        """Return the door controller with this serial.

        Raises:
            KeyError: If there is none.
        """
        for controller in self.controllers:
            if controller.serial == serial:
                return controller
        raise KeyError(serial)

    async def start(self) -> None:
        """Load or create identities, start every device and serve the control API.

        Raises:
            IdentityFileError: If an existing identity file is unreadable.
            OSError: If the data folder or the control port cannot be used.
        """
        devices = self.data_dir / "devices"
        devices.mkdir(parents=True, exist_ok=True, mode=0o700)
        n_readers, n_controllers = self._counts
        for index in range(1, n_readers + self._unconfigured + 1):
            path = devices / f"reader-{index:03d}.json"
            identity = load_reader_identity(path)
            # A fresh reader stays fresh until BlinkUp (or a controller) has configured it.
            configured = (
                index <= n_readers
                or identity.enrolment_token is not None
                or identity.controller_key is not None
            )
            self.readers.append(
                SimReader(
                    identity,
                    path,
                    self.server,
                    feedback_seconds=self._feedback_seconds,
                    backoff=self._backoff,
                    heartbeat_interval=self._heartbeat_interval,
                    configured=configured,
                )
            )
        for index in range(1, n_controllers + 1):
            path = devices / f"controller-{index:03d}.json"
            self.controllers.append(
                SimDoorController(
                    load_controller_identity(path),
                    path,
                    self.server,
                    backoff=self._backoff,
                    heartbeat_interval=self._heartbeat_interval,
                )
            )
        self._api = ControlApi(self.readers, self.controllers)
        self.control_port = await self._api.start(self._control_host, self._control_port)
        self._write_control_file()
        for device in self._devices():
            device.start()
            await self._announce(device.identity)
        log.info(
            "device-sim: %d reader(s), %d controller(s) -> %s:%d; control API on %s:%d",
            n_readers,
            n_controllers,
            self.server.host,
            self.server.port,
            self._control_host,
            self.control_port,
        )

    async def async_close(self) -> None:
        """Withdraw announcements, stop the API and every device (idempotent)."""
        announced, self._announced = self._announced, []
        for serial in announced:
            await self._withdraw(serial)
        api, self._api = self._api, None
        if api is not None:
            await api.async_close()
        for device in self._devices():
            await device.async_close()
        if api is not None:
            log.info("device-sim stopped")

    async def __aenter__(self) -> DeviceSim:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.async_close()

    def _devices(self) -> list[SimReader | SimDoorController]:
        return [*self.readers, *self.controllers]

    def _write_control_file(self) -> None:
        doc = {"control": f"{self._control_host}:{self.control_port}"}
        path = self.data_dir / CONTROL_FILE
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(doc) + "\n", encoding="utf-8")
        os.replace(tmp, path)  # readers of the file never see it half written

    async def _announce(self, identity: DeviceIdentity) -> None:
        if self._announcer is None or self.control_port is None:
            return
        info = DeviceAnnouncement(
            kind=identity.kind,
            serial=identity.serial,
            model=identity.model,
            firmware=identity.firmware,
            mac=identity.mac,
            host=self._control_host,
            port=self.control_port,
        )
        try:
            await self._announcer.announce(info)
            self._announced.append(identity.serial)
        except Exception:
            log.exception("announcer failed to announce %s", identity.serial)

    async def _withdraw(self, serial: str) -> None:
        if self._announcer is None:
            return
        try:
            await self._announcer.withdraw(serial)
        except Exception:
            log.exception("announcer failed to withdraw %s", serial)
