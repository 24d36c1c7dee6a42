"""The controller's side of the device link: admit devices, answer presentations, log inputs."""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.access.credentials import Presentation, UidRead, WiegandRead
from app.controller.audit import AuditTrail, Event
from app.controller.decisions import Decisions
from app.controller.door_monitor import DoorMonitor
from app.controller.enrolment import Enrolments
from app.controller.registry import DeviceRegistry
from app.controller.store import Store
from hardware.link import messages as m
from hardware.link.hub import Admission, PeerInfo
from hardware.link.session import DeviceSession

log = logging.getLogger("lintel.devices")

INPUT_EVENTS = {
    m.InputState.OPEN: "opened",
    m.InputState.CLOSED: "closed",
    m.InputState.CUT: "tamper",
    m.InputState.SHORT: "tamper",
}
TABLES = {m.DeviceKind.READER: "readers", m.DeviceKind.DOOR_CONTROLLER: "controllers"}


def presentation_of(credential: m.Credential) -> Presentation:
    """The access domain's view of a credential a reader sent."""
    if credential.wiegand is not None:
        return WiegandRead(credential.wiegand)
    ndef = None if credential.ndef is None else bytes.fromhex(credential.ndef)
    return UidRead(credential.uid or "", credential.phone_unlocked, ndef)


class ControllerHub:
    """Implements ``hardware.link.hub.LinkHub`` for the local controller."""

    def __init__(
        self,
        store: Store,
        audit: AuditTrail,
        registry: DeviceRegistry,
        decisions: Decisions,
        monitor: DoorMonitor,
        enrolments: Enrolments,
    ) -> None:
        self._monitor = monitor
        self._enrolments = enrolments
        self.on_reader_tamper: Callable[[int], None] | None = None
        self._store = store
        self._audit = audit
        self._registry = registry
        self._decisions = decisions

    async def admit(self, peer: PeerInfo) -> Admission:
        """Pinned key for adopted devices; anyone else waits as pending for the installer."""
        for kind, table in TABLES.items():
            row = self._store.row(f"SELECT * FROM {table} WHERE serial = ?", (peer.serial,))
            if row is None:
                continue
            if kind != peer.kind:
                return self._refuse(peer, f"serial {peer.serial} is adopted as another kind")
            if bytes(row["identity_key"]) != peer.identity_key:
                return self._refuse(peer, "device key does not match the adopted device")
            assigned = kind != m.DeviceKind.READER or row["lock_id"] is not None
            return Admission.accept(m.AdmissionState.ADOPTED, assigned, row["name"])
        if peer.enrolment_id is not None:
            if self._enrolments.claim(peer) is None:
                return self._refuse(peer, "wrong or expired enrolment token")
            self._audit.record(
                Event(
                    type="device.enrolled",
                    success=True,
                    message="Connected with the enrolment it was sent",
                    object_type="Device",
                    object_name=peer.serial,
                )
            )
        return Admission.accept(m.AdmissionState.PENDING)

    def _refuse(self, peer: PeerInfo, reason: str) -> Admission:
        log.warning("refused device %s from %s: %s", peer.serial, peer.host, reason)
        self._audit.record(
            Event(
                type="device.rejected",
                success=False,
                message=reason,
                object_type="Device",
                object_name=peer.serial,
            )
        )
        return Admission.reject(reason)

    async def on_session(self, session: DeviceSession) -> None:
        """Register the live session; a newer session replaces an older one of the same device."""
        peer = session.peer
        row = self._store.row(
            f"SELECT id, name FROM {TABLES[peer.kind]} WHERE serial = ?", (peer.serial,)
        )
        older = self._registry.connected(
            session, row is not None, row["name"] if row else None, row["id"] if row else None
        )
        if older is not None:
            await older.close()
        log.info("device %s connected (%s)", session.label, "adopted" if row else "pending")

    async def on_closed(self, session: DeviceSession) -> None:
        """Forget the session."""
        self._registry.disconnected(session)
        log.info("device %s disconnected", session.label)

    async def on_message(
        self, session: DeviceSession, msg: m.DeviceMessage
    ) -> m.ControllerMessage | None:
        """Answer one message from an admitted device."""
        peer = session.peer
        if isinstance(msg, m.LedChanged):
            self._registry.update(peer.serial, led=str(msg.state))
            return None
        device = self._registry.device(peer.serial)
        if device is None or not device.adopted or device.record_id is None:
            if isinstance(msg, m.Present):
                return m.Decision(msg.seq, False, "lc0002", "The reader is not adopted yet")
            return None
        if isinstance(msg, m.Present) and peer.kind == m.DeviceKind.READER:
            return await self._present(device.record_id, msg)
        if isinstance(msg, m.Tamper) and peer.kind == m.DeviceKind.READER:
            self._tamper(device.record_id, msg.active)
            if msg.active and self.on_reader_tamper is not None:
                self.on_reader_tamper(device.record_id)
        elif isinstance(msg, m.InputChanged) and peer.kind == m.DeviceKind.DOOR_CONTROLLER:
            self._input(device.record_id, msg)
            await self._monitor.input_changed(device.record_id, msg.channel, str(msg.state))
        return None

    async def _present(self, reader_id: int, msg: m.Present) -> m.Decision:
        decision = await self._decisions.at_reader(reader_id, presentation_of(msg.credential))
        return m.Decision(
            msg.seq,
            decision.granted,
            decision.code.value if decision.code else None,
            decision.message,
        )

    def _tamper(self, reader_id: int, active: bool) -> None:
        self._store.update("readers", reader_id, {"tampered": int(active)})
        reader = self._store.get("readers", reader_id) or {}
        self._audit.record(
            Event(
                type="reader.tamper",
                success=not active,
                object_type="Reader",
                object_id=reader_id,
                object_name=reader.get("name"),
                place_id=reader.get("place_id"),
                message="Reader removed from the wall" if active else "Tamper cleared",
            )
        )

    def _input(self, controller_id: int, msg: m.InputChanged) -> None:
        self._store.execute(
            "UPDATE controller_inputs SET state = ? WHERE controller_id = ? AND channel = ?",
            (str(msg.state), controller_id, msg.channel),
            site=False,  # a door contact changes nothing a decision reads; keep the caches
        )
        row = self._store.row(
            "SELECT * FROM controller_inputs WHERE controller_id = ? AND channel = ?",
            (controller_id, msg.channel),
        )
        self._audit.record(
            Event(
                type=f"controller_input.{INPUT_EVENTS[msg.state]}",
                success=msg.state in (m.InputState.OPEN, m.InputState.CLOSED),
                object_type="ControllerInput",
                object_id=row["id"] if row else None,
                object_name=row["name"] if row else f"Input {msg.channel}",
            )
        )
