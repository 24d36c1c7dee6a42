"""The local controller: one object that opens the store and runs the API and device servers.

It runs on any asyncio loop: the desktop app's (qasync) or its own when headless.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from app.access.decide import Decision
from app.access.roles import ROLES
from app.controller.adoption import Adoption
from app.controller.audit import AuditTrail
from app.controller.card_import import CardImports
from app.controller.card_signing import CardSigner
from app.controller.clock import Clock, system_clock
from app.controller.decisions import Decisions
from app.controller.door_monitor import DoorMonitor
from app.controller.doors import DoorActions
from app.controller.enrolment import Enrolments
from app.controller.event_log import EventLog
from app.controller.event_sets import EventSets
from app.controller.hub import ControllerHub
from app.controller.lockdown import Lockdowns
from app.controller.logins import create_login, write_secret_file
from app.controller.presenters import Presenter
from app.controller.registry import DeviceRegistry, LiveDevice
from app.controller.schedule_store import ScheduleStore
from app.controller.scheduled_unlocks import ScheduledUnlocks
from app.controller.secrets import load_or_create_key
from app.controller.site import SiteService
from app.controller.site_state import CachedSiteState, SqlSiteState
from app.controller.store import Store
from app.controller.zone_keeper import ZoneKeeper
from hardware.link.server import LinkServer

log = logging.getLogger("lintel.controller")

DEFAULT_DEVICE_PORT = 31314
FALLBACK_DEVICE_PORT = 993


@dataclass
class ControllerConfig:
    """Where the controller keeps its data and where it listens."""

    data_dir: Path
    api_host: str = "127.0.0.1"
    api_port: int | None = 8080  # None: no REST API (the desktop app may not need one)
    api_port_fallback: bool = False  # when the port is taken, take any free one instead
    device_host: str = "0.0.0.0"
    device_port: int = DEFAULT_DEVICE_PORT
    device_fallback_port: int | None = FALLBACK_DEVICE_PORT
    clock: Clock = field(default=system_clock)


class Controller:
    """The site's brain: site model, decisions, audit trail, REST API and device server."""

    def __init__(self, config: ControllerConfig) -> None:
        self.config = config
        config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.store = Store(config.data_dir / "site.db", config.clock)
        self.organization_id, self.first_start = self._bootstrap()
        self.audit = AuditTrail(self.store, self.organization_id)
        self.registry = DeviceRegistry()
        self.doors = DoorActions(self.store, self.registry)
        self.presenter = Presenter(self.store, self.doors)
        self.site = SiteService(self.store, self.audit, self.presenter, self.organization_id)
        self.schedules = ScheduleStore(self.store, self.audit)
        self.card_signer = CardSigner(config.data_dir)
        sql_state = SqlSiteState(self.store, self.schedules, self.card_signer.public_key)
        self.site_state = CachedSiteState(sql_state, self.store)
        self.adoption = Adoption(self.store, self.site, self.registry, self.audit)
        self.event_sets = EventSets(self.store, config.clock)
        self.event_log = EventLog(self.store)
        self.monitor = DoorMonitor(self.store, self.doors, self.audit, config.clock)
        self.scheduled_unlocks = ScheduledUnlocks(
            self.store, self.schedules, self.doors, self.monitor, self.audit, config.clock
        )
        self.decisions = Decisions(
            self.site_state,
            self.doors,
            self.audit,
            config.clock,
            monitor=self.monitor,
            on_granted=self._granted,
        )
        self.registry.subscribe(self._device_changed)
        self.zones = ZoneKeeper(self.store, self.doors, self.audit, config.clock)
        sql_state.zone_guards = self.zones.guard
        self.zones.subscribe(self.scheduled_unlocks.poke)
        self.scheduled_unlocks.allowed_by_zone = self.zones.scheduled_unlock_allowed
        self.monitor.on_opened = self.zones.door_opened
        self.enrolments = Enrolments(config.clock)
        self.hub = ControllerHub(
            self.store, self.audit, self.registry, self.decisions, self.monitor, self.enrolments
        )
        self.hub.on_reader_tamper = self._reader_tampered
        self.lockdowns = Lockdowns(self.site, self.monitor, self.scheduled_unlocks, self.audit)
        self.card_imports = CardImports(
            self.store, self.site, self.audit, config.data_dir / "uploads"
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._link: LinkServer | None = None
        self._runner: web.AppRunner | None = None
        self.api_port: int | None = None
        self.device_port: int | None = None

    def _granted(self, decision: Decision) -> None:
        assert decision.lock_id is not None
        self.scheduled_unlocks.granted(decision.lock_id)
        role = ROLES.get(decision.role_id or "")
        self.zones.granted(
            decision.lock_id,
            decision.user.id if decision.user else None,
            can_override=role is not None and role.unlock_all_doors,
        )

    def _reader_tampered(self, reader_id: int) -> None:
        reader = self.site_state.reader(reader_id)
        if reader is not None and reader.lock_id is not None:
            self.zones.reader_tampered(reader.lock_id)

    def _device_changed(self, device: LiveDevice) -> None:
        if device.kind == "door_controller" and device.connected and device.record_id:
            # A door controller that (re)connects lost its relay state with its power.
            task = asyncio.get_running_loop().create_task(self._controller_back(device.serial))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _controller_back(self, serial: str) -> None:
        rows = self.store.rows(
            "SELECT DISTINCT rc.lock_id FROM controller_relay_connections rc"
            " JOIN controller_relays r ON r.id = rc.relay_id"
            " JOIN controllers c ON c.id = r.controller_id WHERE c.serial = ?",
            (serial,),
        )
        for row in rows:
            await self.monitor.restarted(int(row["lock_id"]))
        self.scheduled_unlocks.poke(reassert=True)

    def _bootstrap(self) -> tuple[int, bool]:
        """Create the organization and the administrator login on first start."""
        org = self.store.scalar("SELECT id FROM organizations ORDER BY id LIMIT 1")
        if org is not None:
            return int(org), False
        with self.store.transaction():
            org_id = self.store.insert("organizations", {"name": "My organization"})
            secret = create_login(self.store, "Administrator", "administrator")
        write_secret_file(self.config.data_dir / "admin.secret", secret)
        log.info("created the site; the administrator secret is in admin.secret")
        return org_id, True

    async def start(self) -> None:
        """Start the device server and (if configured) the REST API."""
        key = load_or_create_key(self.config.data_dir / "controller.key")
        self._link = LinkServer(
            key,
            self.hub,
            self.config.device_host,
            self.config.device_port,
            self.config.device_fallback_port,
        )
        await self._link.start()
        self.device_port = self._link.bound_port
        if self.config.api_port is not None:
            from app.controller.api.app import build_app

            self._runner = web.AppRunner(build_app(self), access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, self.config.api_host, self.config.api_port)
            try:
                await site.start()
            except OSError:
                if not self.config.api_port_fallback:
                    raise
                log.warning("API port %s is taken; using a free one", self.config.api_port)
                site = web.TCPSite(self._runner, self.config.api_host, 0)
                await site.start()
            self.api_port = int(self._runner.addresses[0][1])
        self.zones.start()
        self.scheduled_unlocks.start()
        self._write_endpoints()
        log.info("controller listening: devices on %s, API on %s", self.device_port, self.api_port)

    def _write_endpoints(self) -> None:
        endpoints = {
            "api": f"{self.config.api_host}:{self.api_port}" if self.api_port else None,
            "devices": f"{self.config.device_host}:{self.device_port}",
        }
        path = self.config.data_dir / "endpoints.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(endpoints))
        tmp.replace(path)

    async def stop(self) -> None:
        """Stop serving and close the store; idempotent."""
        await self.scheduled_unlocks.stop()
        self.monitor.close()
        self.zones.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._link is not None:
            await self._link.async_close()
            self._link = None
        self.store.close()
