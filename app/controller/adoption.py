"""Adopting devices by the token on their label, and keeping them told of their assignment."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from app.controller.audit import AuditTrail, Event
from app.controller.errors import NotFound, Unavailable, invalid
from app.controller.fields import parse_fields
from app.controller.registry import DeviceRegistry
from app.controller.resources import CONTROLLERS, READERS, ResourceSpec
from app.controller.site import SYSTEM, Actor, SiteService
from app.controller.store import Row, Store
from hardware.link import messages as m
from hardware.link.errors import LinkError
from hardware.link.hub import PeerInfo

log = logging.getLogger("lintel.adoption")

DOOR_RELAYS = 4
AUX_CHANNEL = 5
INPUTS = 8


class Adoption:
    """Turns a pending device into an adopted reader or door controller."""

    def __init__(
        self, store: Store, site: SiteService, registry: DeviceRegistry, audit: AuditTrail
    ) -> None:
        self._store = store
        self._site = site
        self._registry = registry
        self._audit = audit

    def _pending_with_token(self, kind: m.DeviceKind, token: str) -> PeerInfo:
        for peer in self._registry.pending(str(kind)):
            if peer.verify_token(token):
                return peer
        noun = "reader" if kind == m.DeviceKind.READER else "door controller"
        raise NotFound(
            f"No {noun} with this token is waiting to be adopted. Check the code on its label "
            "and that the device is connected to the network."
        )

    async def assign_reader(self, token: str, body: Any, actor: Actor = SYSTEM) -> int:
        """Adopt the pending reader that proves ``token`` into a place (or move an adopted one).

        Returns:
            The reader's id.

        Raises:
            ValidationFailed: bad body; NotFound: no such device waiting.
        """
        values = parse_fields(
            [f for f in READERS.fields if f.name in ("name", "place_id", "description")],
            body,
            creating=True,
        )
        if not values.get("name"):
            raise invalid("name", "can't be blank")
        if self._store.get("places", values["place_id"]) is None:
            raise invalid("place_id", "does not exist")
        existing = self._store.row("SELECT * FROM readers WHERE token = ?", (token,))
        if existing is not None:
            self._store.update("readers", existing["id"], values)
            await self.push_reader_state(existing["id"])
            return int(existing["id"])
        peer = self._pending_with_token(m.DeviceKind.READER, token)
        reader_id = self._store.insert(
            "readers",
            {
                **values,
                "serial": peer.serial,
                "token": token,
                "model": peer.model,
                "firmware": peer.firmware,
                "mac": peer.mac,
                "identity_key": peer.identity_key,
                "proximity_key": secrets.token_bytes(32),
            },
        )
        self._adopted(peer, "reader.assign", "Reader", reader_id, values, actor)
        await self.push_reader_state(reader_id)
        return reader_id

    async def assign_controller(self, token: str, body: Any, actor: Actor = SYSTEM) -> int:
        """Adopt the pending door controller that proves ``token``; creates its relays and inputs.

        Returns:
            The controller's id.
        """
        values = parse_fields(
            [f for f in CONTROLLERS.fields if f.name in ("name", "place_id")], body, creating=True
        )
        if not values.get("name"):
            raise invalid("name", "can't be blank")
        if self._store.get("places", values["place_id"]) is None:
            raise invalid("place_id", "does not exist")
        existing = self._store.row("SELECT * FROM controllers WHERE token = ?", (token,))
        if existing is not None:
            self._store.update("controllers", existing["id"], values)
            return int(existing["id"])
        peer = self._pending_with_token(m.DeviceKind.DOOR_CONTROLLER, token)
        with self._store.transaction():
            controller_id = self._store.insert(
                "controllers",
                {
                    **values,
                    "serial": peer.serial,
                    "token": token,
                    "model": peer.model,
                    "firmware": peer.firmware,
                    "mac": peer.mac,
                    "identity_key": peer.identity_key,
                },
            )
            for channel in range(1, AUX_CHANNEL + 1):
                aux = channel == AUX_CHANNEL
                self._store.insert(
                    "controller_relays",
                    {
                        "controller_id": controller_id,
                        "channel": channel,
                        "name": "AUX relay" if aux else f"Relay {channel}",
                        "kind": "aux" if aux else "door",
                    },
                    stamp=False,
                )
            for channel in range(1, INPUTS + 1):
                self._store.insert(
                    "controller_inputs",
                    {
                        "controller_id": controller_id,
                        "channel": channel,
                        "name": f"Input {channel}",
                    },
                    stamp=False,
                )
        self._adopted(peer, "controller.assign", "Controller", controller_id, values, actor)
        session = self._registry.session(peer.serial)
        if session is not None:
            await _tell(
                session, m.Accepted(m.AdmissionState.ADOPTED, True, display_name(values["name"]))
            )
        return controller_id

    def _adopted(
        self,
        peer: PeerInfo,
        event: str,
        object_type: str,
        row_id: int,
        values: dict[str, Any],
        actor: Actor,
    ) -> None:
        self._registry.update(peer.serial, adopted=True, name=values["name"], record_id=row_id)
        self._audit.record(
            Event(
                type=event,
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type=object_type,
                object_id=row_id,
                object_name=values["name"],
                place_id=values["place_id"],
            )
        )
        log.info("adopted %s %s as %r", object_type.lower(), peer.serial, values["name"])

    async def push_reader_state(self, reader_id: int) -> None:
        """Tell a connected reader its name and whether it is assigned to a door."""
        row = self._store.get("readers", reader_id)
        if row is None:
            return
        self._registry.update(row["serial"], name=row["name"])
        session = self._registry.session(row["serial"])
        if session is not None:
            assigned = row["lock_id"] is not None
            accepted = m.Accepted(m.AdmissionState.ADOPTED, assigned, display_name(row["name"]))
            await _tell(session, accepted)

    async def identify(self, serial: str, seconds: float = 5.0) -> None:
        """Blink a device's LED so the installer can find it on the wall.

        Raises:
            Unavailable: the device is not connected.
        """
        session = self._registry.session(serial)
        if session is None:
            raise Unavailable(f"Device {serial} is not connected")
        await _tell(session, m.Identify(seconds))

    async def release(self, spec: ResourceSpec, row_id: int, actor: Actor = SYSTEM) -> None:
        """Forget an adopted device; while connected it waits as pending again.

        Raises:
            NotFound: no such reader or controller.
        """
        row = self._site.row(spec, row_id)
        self._site.delete(spec, row_id, actor)
        self._registry.update(row["serial"], adopted=False, record_id=None)
        session = self._registry.session(row["serial"])
        if session is not None:
            await _tell(session, m.Accepted(m.AdmissionState.PENDING, False, None))

    async def reboot(self, serial: str) -> None:
        """Restart a device; it reconnects by itself.

        Raises:
            Unavailable: the device is not connected.
        """
        session = self._registry.session(serial)
        if session is None:
            raise Unavailable(f"Device {serial} is not connected")
        await _tell(session, m.Reboot())

    async def reset_tamper(self, reader_id: int, actor: Actor = SYSTEM) -> None:
        """Acknowledge a reader's tamper alarm (the reader is back on the wall).

        Raises:
            NotFound: no such reader.
        """
        row = self._site.row(READERS, reader_id)
        self._store.update("readers", reader_id, {"tampered": 0})
        self._audit.record(
            Event(
                type="reader.reset_tamper",
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type="Reader",
                object_id=reader_id,
                object_name=row["name"],
                place_id=row["place_id"],
            )
        )

    def relays(self, serial: str) -> list[Row]:
        """A door controller's relays with the door each drives (``door`` None when free)."""
        return self._store.rows(
            "SELECT r.id, r.channel, r.kind, l.id AS lock_id, l.name AS door, rc.duration"
            " FROM controller_relays r JOIN controllers c ON c.id = r.controller_id"
            " LEFT JOIN controller_relay_connections rc ON rc.relay_id = r.id"
            " LEFT JOIN locks l ON l.id = rc.lock_id WHERE c.serial = ? ORDER BY r.channel",
            (serial,),
        )

    def reader_id(self, serial: str) -> int:
        """The id of an adopted reader by serial.

        Raises:
            NotFound: not adopted.
        """
        row = self._store.row("SELECT id FROM readers WHERE serial = ?", (serial,))
        if row is None:
            raise NotFound(f"Reader {serial} is not adopted")
        return int(row["id"])


def display_name(name: str) -> str:
    """A name a device can show: printable, at most 128 characters, never empty."""
    shown = "".join(c if c.isprintable() else " " for c in name).strip()[:128]
    return shown or "Unnamed"


async def _tell(session: Any, msg: m.ControllerMessage) -> None:
    try:
        await session.send(msg)
    except LinkError as exc:
        log.warning("could not update %s: %s", session.label, exc)
