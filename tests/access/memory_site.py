"""An in-memory SiteState for decision tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.access.schedules import Consequence, Schedule, effective_active
from app.access.site import (
    Card,
    CardAssignment,
    Group,
    Lock,
    Place,
    Reader,
    RoleAssignment,
    User,
    ZoneGuard,
)


@dataclass
class MemorySite:
    readers: dict[int, Reader] = field(default_factory=dict)
    locks: dict[int, Lock] = field(default_factory=dict)
    places: dict[int, Place] = field(default_factory=dict)
    cards: list[Card] = field(default_factory=list)
    assignments: list[CardAssignment] = field(default_factory=list)
    users: dict[int, User] = field(default_factory=dict)
    roles: list[RoleAssignment] = field(default_factory=list)
    group_locks: set[tuple[int, int]] = field(default_factory=set)
    groups: dict[int, Group] = field(default_factory=dict)
    reader_keys: dict[int, list[bytes]] = field(default_factory=dict)
    schedule_sets: dict[tuple[str, int], list[Schedule]] = field(default_factory=dict)
    guards: dict[int, ZoneGuard] = field(default_factory=dict)
    signing_key: Ed25519PublicKey | None = None

    def reader(self, reader_id: int) -> Reader | None:
        return self.readers.get(reader_id)

    def lock(self, lock_id: int) -> Lock | None:
        return self.locks.get(lock_id)

    def place(self, place_id: int) -> Place | None:
        return self.places.get(place_id)

    def cards_by_number(
        self, card_type: str, facility_code: int | None, card_number: int
    ) -> Sequence[Card]:
        return [
            c
            for c in self.cards
            if c.type == card_type
            and c.facility_code == facility_code
            and c.card_number == card_number
        ]

    def cards_by_uid(self, uid: str) -> Sequence[Card]:
        return [c for c in self.cards if c.uid == uid]

    def card_key(self) -> Ed25519PublicKey | None:
        return self.signing_key

    def card_assignments(self, card_id: int) -> Sequence[CardAssignment]:
        return [a for a in self.assignments if a.card_id == card_id]

    def user(self, user_id: int) -> User | None:
        return self.users.get(user_id)

    def role_assignments(self, user_id: int) -> Sequence[RoleAssignment]:
        return [r for r in self.roles if r.user_id == user_id]

    def groups_of_lock(self, lock_id: int) -> frozenset[int]:
        return frozenset(g for g, lk in self.group_locks if lk == lock_id)

    def group(self, group_id: int) -> Group | None:
        return self.groups.get(group_id, Group(group_id, f"Group {group_id}"))

    def proximity_keys(self, lock_id: int) -> Sequence[bytes]:
        return self.reader_keys.get(lock_id, [])

    def schedules(self, scheduleable_type: str, scheduleable_id: int) -> Sequence[Schedule]:
        return self.schedule_sets.get((scheduleable_type, scheduleable_id), [])

    def schedule_active(
        self,
        scheduleable_type: str,
        scheduleable_id: int,
        consequence: Consequence,
        tz: str,
        now: datetime,
    ) -> bool:
        chosen = self.schedules(scheduleable_type, scheduleable_id)
        return effective_active(chosen, consequence, now, tz)

    def zone_guard(self, lock_id: int) -> ZoneGuard | None:
        return self.guards.get(lock_id)
