"""The access domain's read-only site view, answered from the store with indexed queries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.access.roles import Scope
from app.access.schedules import Consequence, Schedule
from app.access.site import (
    Card,
    CardAssignment,
    Group,
    Lock,
    Place,
    Reader,
    Restrictions,
    RoleAssignment,
    User,
    ZoneGuard,
)
from app.controller.clock import parse_iso
from app.controller.schedule_store import ScheduleStore
from app.controller.store import Memo, Row, Store


def _restrictions(row: Row, radius: float = 300.0) -> Restrictions:
    return Restrictions(
        time=bool(row["time_restriction_enabled"]),
        geofence=bool(row["geofence_restriction_enabled"]),
        reader=bool(row["reader_restriction_enabled"]),
        geofence_radius_m=float(radius),
    )


def _card(row: Row) -> Card:
    return Card(
        row["id"], row["type"], row["facility_code"], row["card_number"], row["uid"], row["token"]
    )


class SqlSiteState:
    """``app.access.site.SiteState`` over the controller's SQLite store."""

    def __init__(
        self,
        store: Store,
        schedules: ScheduleStore,
        card_key: Ed25519PublicKey | None = None,
    ) -> None:
        self._store = store
        self._schedules = schedules
        self._card_key = card_key
        # Set by the controller once its zone keeper exists: lock id -> guard or None.
        self.zone_guards: Callable[[int], ZoneGuard | None] = lambda _lock_id: None

    def zone_guard(self, lock_id: int) -> ZoneGuard | None:
        """The armed zone guarding a door (live, from the zone keeper)."""
        return self.zone_guards(lock_id)

    def schedules(self, scheduleable_type: str, scheduleable_id: int) -> Sequence[Schedule]:
        """Schedules of a door or group, parsed once and cached."""
        return self._schedules.of(scheduleable_type, scheduleable_id)

    def schedule_active(
        self,
        scheduleable_type: str,
        scheduleable_id: int,
        consequence: Consequence,
        tz: str,
        now: datetime,
    ) -> bool:
        """Whether the schedules of ``consequence`` are in force now (cached windows)."""
        return self._schedules.active(scheduleable_type, scheduleable_id, consequence, tz, now)

    def reader(self, reader_id: int) -> Reader | None:
        """The reader with this id."""
        row = self._store.get("readers", reader_id)
        if row is None:
            return None
        return Reader(row["id"], row["name"], row["place_id"], row["lock_id"])

    def lock(self, lock_id: int) -> Lock | None:
        """The lock with this id."""
        row = self._store.row(
            "SELECT l.*, EXISTS(SELECT 1 FROM controller_relay_connections c"
            " WHERE c.lock_id = l.id) AS has_relay FROM locks l WHERE l.id = ?",
            (lock_id,),
        )
        if row is None:
            return None
        return Lock(
            row["id"],
            row["name"],
            row["place_id"],
            bool(row["locked_down"]),
            bool(row["has_relay"]),
            row["latitude"],
            row["longitude"],
            _restrictions(row, row["geofence_restriction_radius"]),
            bool(row["two_factor_enabled"]),
        )

    def place(self, place_id: int) -> Place | None:
        """The place with this id."""
        row = self._store.get("places", place_id)
        if row is None:
            return None
        return Place(
            row["id"],
            row["name"],
            row["time_zone"],
            bool(row["locked_down"]),
            row["latitude"],
            row["longitude"],
        )

    def cards_by_number(
        self, card_type: str, facility_code: int | None, card_number: int
    ) -> Sequence[Card]:
        """Cards of a type with these numbers."""
        rows = self._store.rows(
            "SELECT * FROM cards WHERE type = ? AND ifnull(facility_code, -1) = ?"
            " AND card_number = ?",
            (card_type, -1 if facility_code is None else facility_code, card_number),
        )
        return [_card(r) for r in rows]

    def cards_by_uid(self, uid: str) -> Sequence[Card]:
        """Cards with this UID."""
        return [_card(r) for r in self._store.rows("SELECT * FROM cards WHERE uid = ?", (uid,))]

    def card_key(self) -> Ed25519PublicKey | None:
        """The public key site-secured cards are signed with."""
        return self._card_key

    def card_assignments(self, card_id: int) -> Sequence[CardAssignment]:
        """Assignments of a card to users."""
        rows = self._store.rows(
            "SELECT * FROM card_assignments WHERE card_id = ? AND assignee_type = 'User'",
            (card_id,),
        )
        return [
            CardAssignment(r["id"], r["card_id"], r["assignee_id"], r["status"] == "activated")
            for r in rows
        ]

    def user(self, user_id: int) -> User | None:
        """The user with this id."""
        row = self._store.get("users", user_id)
        if row is None:
            return None
        return User(row["id"], row["name"] or "", row["email"], bool(row["access_enabled"]))

    def role_assignments(self, user_id: int) -> Sequence[RoleAssignment]:
        """Roles the user holds."""
        rows = self._store.rows(
            "SELECT * FROM role_assignments WHERE assignee_type = 'User' AND assignee_id = ?",
            (user_id,),
        )
        return [
            RoleAssignment(
                r["id"],
                user_id,
                r["role_id"],
                Scope(r["applies_to_type"]),
                r["applies_to_id"],
                parse_iso(r["valid_from"]) if r["valid_from"] else None,
                parse_iso(r["valid_until"]) if r["valid_until"] else None,
            )
            for r in rows
        ]

    def groups_of_lock(self, lock_id: int) -> frozenset[int]:
        """Groups linked to a lock."""
        rows = self._store.rows("SELECT group_id FROM group_locks WHERE lock_id = ?", (lock_id,))
        return frozenset(r["group_id"] for r in rows)

    def group(self, group_id: int) -> Group | None:
        """The group with this id, with its restrictions."""
        row = self._store.get("groups", group_id)
        return None if row is None else Group(row["id"], row["name"], _restrictions(row))

    def proximity_keys(self, lock_id: int) -> Sequence[bytes]:
        """Proximity secrets of the readers at a door."""
        rows = self._store.rows(
            "SELECT proximity_key FROM readers WHERE lock_id = ? AND proximity_key IS NOT NULL",
            (lock_id,),
        )
        return [bytes(r["proximity_key"]) for r in rows]


class CachedSiteState:
    """The same lookups, each remembered until the site model is next written to.

    A decision reads about ten rows; between edits of the site they never change, so the
    decision path serves them from memory (``Store.generation`` tells when to forget).
    """

    def __init__(self, inner: SqlSiteState, store: Store) -> None:
        self._inner = inner
        self._memo = Memo(store)

    def schedules(self, scheduleable_type: str, scheduleable_id: int) -> Sequence[Schedule]:
        """Schedules of a door or group (cached by the schedule store)."""
        return self._inner.schedules(scheduleable_type, scheduleable_id)

    def schedule_active(
        self,
        scheduleable_type: str,
        scheduleable_id: int,
        consequence: Consequence,
        tz: str,
        now: datetime,
    ) -> bool:
        """Whether the schedules of ``consequence`` are in force now (cached windows)."""
        return self._inner.schedule_active(scheduleable_type, scheduleable_id, consequence, tz, now)

    def zone_guard(self, lock_id: int) -> ZoneGuard | None:
        """Zones change with time, so this is never cached."""
        return self._inner.zone_guard(lock_id)

    def reader(self, reader_id: int) -> Reader | None:
        """The reader with this id."""
        return self._memo.get(("reader", reader_id), lambda: self._inner.reader(reader_id))

    def lock(self, lock_id: int) -> Lock | None:
        """The lock with this id."""
        return self._memo.get(("lock", lock_id), lambda: self._inner.lock(lock_id))

    def place(self, place_id: int) -> Place | None:
        """The place with this id."""
        return self._memo.get(("place", place_id), lambda: self._inner.place(place_id))

    def cards_by_number(
        self, card_type: str, facility_code: int | None, card_number: int
    ) -> Sequence[Card]:
        """Cards of a type with these numbers."""
        key = ("cards", card_type, facility_code, card_number)
        return self._memo.get(
            key, lambda: self._inner.cards_by_number(card_type, facility_code, card_number)
        )

    def cards_by_uid(self, uid: str) -> Sequence[Card]:
        """Cards with this UID."""
        return self._memo.get(("uid", uid), lambda: self._inner.cards_by_uid(uid))

    def card_key(self) -> Ed25519PublicKey | None:
        """The site's card key (it never changes while running)."""
        return self._inner.card_key()

    def card_assignments(self, card_id: int) -> Sequence[CardAssignment]:
        """Assignments of a card."""
        return self._memo.get(
            ("assignments", card_id), lambda: self._inner.card_assignments(card_id)
        )

    def user(self, user_id: int) -> User | None:
        """The user with this id."""
        return self._memo.get(("user", user_id), lambda: self._inner.user(user_id))

    def role_assignments(self, user_id: int) -> Sequence[RoleAssignment]:
        """Roles the user holds."""
        return self._memo.get(("roles", user_id), lambda: self._inner.role_assignments(user_id))

    def groups_of_lock(self, lock_id: int) -> frozenset[int]:
        """Groups linked to a lock."""
        return self._memo.get(("groups", lock_id), lambda: self._inner.groups_of_lock(lock_id))

    def group(self, group_id: int) -> Group | None:
        """The group with this id."""
        return self._memo.get(("group", group_id), lambda: self._inner.group(group_id))

    def proximity_keys(self, lock_id: int) -> Sequence[bytes]:
        """Proximity secrets of the readers at a door."""
        return self._memo.get(("proximity", lock_id), lambda: self._inner.proximity_keys(lock_id))
