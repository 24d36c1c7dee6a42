"""Turn stored rows into the public API's JSON objects."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

from app.access.credentials import FORMAT_OF_CARD_TYPE, SECURED_HF_CARD_TYPE
from app.access.wiegand import WiegandError, encode
from app.controller.resources import (
    CARD_ASSIGNMENTS,
    CARDS,
    CONTROLLERS,
    GROUP_LOCKS,
    LOCKS,
    PLACES,
    READERS,
    ROLE_ASSIGNMENTS,
    USERS,
    ResourceSpec,
)
from app.controller.store import Row, Store


class LiveView(Protocol):
    """What the device server knows right now about connected devices and doors."""

    def is_online(self, serial: str) -> bool:
        """Whether the device with this serial has a live link."""
        ...

    def lock_unlocked(self, lock_id: int) -> bool:
        """Whether a lock's relay is energized now."""
        ...

    def lock_held(self, lock_id: int) -> bool:
        """Whether a lock is held unlocked by a schedule."""
        ...

    def connections(self, lock_id: int) -> list[Row]:
        """The relays wired to a lock, with their controller's serial."""
        ...


def base(spec: ResourceSpec, row: Row) -> dict[str, Any]:
    """Columns of a row as JSON, booleans as booleans, hidden columns left out."""
    out: dict[str, Any] = {"id": row["id"], "resource_type": spec.resource_type}
    for key, value in row.items():
        if key in spec.hidden or key == "id":
            continue
        out[key] = bool(value) if key in spec.booleans and value is not None else value
    return out


class Presenter:
    """Builds API objects, adding the nested objects and live fields each resource shows."""

    def __init__(self, store: Store, live: LiveView) -> None:
        self._store = store
        self._live = live
        self._extra: dict[str, Callable[[dict[str, Any]], None]] = {
            PLACES.name: self._place,
            LOCKS.name: self._lock,
            GROUP_LOCKS.name: self._group_lock,
            USERS.name: self._user,
            CARDS.name: self._card,
            CARD_ASSIGNMENTS.name: self._card_assignment,
            ROLE_ASSIGNMENTS.name: self._role_assignment,
            READERS.name: self._reader,
            CONTROLLERS.name: self._controller,
        }

    def present(self, spec: ResourceSpec, row: Row) -> dict[str, Any]:
        """The API object for a stored row."""
        out = base(spec, row)
        extra = self._extra.get(spec.name)
        if extra is not None:
            extra(out)
        return out

    def _brief(self, table: str, row_id: int | None, *keys: str) -> dict[str, Any] | None:
        if row_id is None:
            return None
        row = self._store.get(table, row_id)
        return None if row is None else {k: row.get(k) for k in ("id", *keys)}

    def _place(self, out: dict[str, Any]) -> None:
        out["tz_time_zone"] = out["time_zone"]
        out["locks_count"] = self._store.scalar(
            "SELECT count(*) FROM locks WHERE place_id = ?", (out["id"],)
        )

    def _lock(self, out: dict[str, Any]) -> None:
        place = self._store.get("places", out["place_id"]) or {}
        out["place"] = {k: place.get(k) for k in ("id", "name", "latitude", "longitude")}
        out["time_restriction_time_zone"] = place.get("time_zone")
        relays = self._live.connections(out["id"])
        out["configured"] = bool(relays)
        out["online"] = any(self._live.is_online(str(r["serial"])) for r in relays)
        held = self._live.lock_held(out["id"])
        out["unlocked"] = held or self._live.lock_unlocked(out["id"])
        out["open"] = False
        out["on_scheduled_unlock"] = held
        out["floor_id"] = None

    def _group_lock(self, out: dict[str, Any]) -> None:
        group = self._brief("groups", out["group_id"], "name")
        if group is not None:
            group["resource_type"] = "Group"
        out["group"] = group
        out["lock"] = self._brief("locks", out["lock_id"], "description", "name")
        lock = self._store.get("locks", out["lock_id"]) or {}
        out["place_id"] = lock.get("place_id")
        out["place"] = self._brief("places", lock.get("place_id"), "name")

    def _user(self, out: dict[str, Any]) -> None:
        out["metadata"] = json.loads(out.get("metadata") or "{}")
        out["confirmed"] = bool(out.get("confirmed"))
        out["scim_access_enabled"] = False

    def _card(self, out: dict[str, Any]) -> None:
        card_type = str(out["type"])
        lf = "_lf_" in card_type
        secured = card_type == SECURED_HF_CARD_TYPE
        out["model"] = (
            "credential-site-secured-hf"
            if secured
            else "credential-third-party-lf"
            if lf
            else "credential-third-party-hf"
        )
        out["frequency"] = "LF" if lf else "HF"
        out["third_party"] = not secured
        out["format_name"] = (
            "site_secured" if secured else card_type.removeprefix("third_party_lf_") if lf else "hf"
        )
        if lf and out.get("uid") is None:
            out["uid"] = _lf_uid(card_type, out.get("facility_code"), out.get("card_number"))
        assignment = self._store.row(
            "SELECT * FROM card_assignments WHERE card_id = ? ORDER BY id DESC LIMIT 1",
            (out["id"],),
        )
        out["assigned"] = assignment is not None
        out["activated"] = bool(assignment and assignment["status"] == "activated")
        out["user_id"] = assignment["assignee_id"] if assignment else None

    def _card_assignment(self, out: dict[str, Any]) -> None:
        out["user_id"] = out["assignee_id"]
        out["guest_id"] = None

    def _role_assignment(self, out: dict[str, Any]) -> None:
        table = {"Organization": "organizations", "Place": "places", "Group": "groups"}
        out["applies_to"] = self._brief(table[out["applies_to_type"]], out["applies_to_id"], "name")
        out["assignee"] = self._brief("users", out["assignee_id"], "name", "email")
        out["user_id"] = out["assignee_id"]

    def _reader(self, out: dict[str, Any]) -> None:
        out["device_id"] = out["serial"]
        out["online"] = self._live.is_online(str(out["serial"]))
        out["lock"] = self._brief("locks", out["lock_id"], "name")
        out["cards_enabled"] = True

    def _controller(self, out: dict[str, Any]) -> None:
        out["device_id"] = out["serial"]
        out["online"] = self._live.is_online(str(out["serial"]))


def _lf_uid(card_type: str, facility_code: int | None, card_number: int | None) -> str | None:
    """The hex of a card's Wiegand bits, as the public API shows an LF card's uid."""
    name = FORMAT_OF_CARD_TYPE.get(card_type)
    if name is None or card_number is None:
        return None
    try:
        bits = encode(name, facility_code, card_number)
    except WiegandError:
        return None
    return f"{int(bits, 2):X}"
