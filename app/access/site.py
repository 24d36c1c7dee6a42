"""Facts about a site that access decisions read, and the read-only view that supplies them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.access.roles import Scope
from app.access.schedules import Consequence, Schedule


@dataclass(frozen=True)
class Restrictions:
    """Which restrictions a group or a door has switched on."""

    time: bool = False
    geofence: bool = False
    reader: bool = False
    geofence_radius_m: float = 300.0


@dataclass(frozen=True)
class Group:
    """A group of members; its role assignments open the doors linked to it."""

    id: int
    name: str
    restrictions: Restrictions = field(default_factory=lambda: Restrictions())


@dataclass(frozen=True)
class ZoneGuard:
    """An armed intrusion zone's hold on one of its doors, as a decision needs it."""

    armed: bool  # the zone's level keeps this door shut (away: every door; stay: exterior)
    override_user_ids: frozenset[int] = frozenset()
    members_can_override: bool = False


@dataclass(frozen=True)
class Place:
    """A building or site with its own time zone."""

    id: int
    name: str
    time_zone: str
    locked_down: bool = False
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Lock:
    """A door (the public API calls it a lock)."""

    id: int
    name: str
    place_id: int
    locked_down: bool = False
    has_relay: bool = True
    latitude: float | None = None
    longitude: float | None = None
    restrictions: Restrictions = field(default_factory=lambda: Restrictions())
    two_factor: bool = False  # phones must be unlocked to tap


@dataclass(frozen=True)
class Reader:
    """A reader as the decision needs it: where it is and which door it opens."""

    id: int
    name: str
    place_id: int | None
    lock_id: int | None


@dataclass(frozen=True)
class Card:
    """An enrolled card."""

    id: int
    type: str
    facility_code: int | None = None
    card_number: int | None = None
    uid: str | None = None
    token: str | None = None  # a site-secured card's credential token (upper-case hex)


@dataclass(frozen=True)
class CardAssignment:
    """A card given to a user."""

    id: int
    card_id: int
    user_id: int
    activated: bool


@dataclass(frozen=True)
class User:
    """A member of the organization."""

    id: int
    name: str
    email: str
    access_enabled: bool = True


@dataclass(frozen=True)
class RoleAssignment:
    """A role held by a user on the organization, a place or a group, maybe time-bounded."""

    id: int
    user_id: int
    role_id: str
    scope: Scope
    scope_id: int
    valid_from: datetime | None = None
    valid_until: datetime | None = None


class SiteState(Protocol):
    """Read-only lookups over the site model; implemented over SQLite and in memory."""

    def reader(self, reader_id: int) -> Reader | None:
        """The reader with this id."""
        ...

    def lock(self, lock_id: int) -> Lock | None:
        """The lock with this id."""
        ...

    def place(self, place_id: int) -> Place | None:
        """The place with this id."""
        ...

    def cards_by_number(
        self, card_type: str, facility_code: int | None, card_number: int
    ) -> Sequence[Card]:
        """Cards of ``card_type`` carrying these numbers."""
        ...

    def cards_by_uid(self, uid: str) -> Sequence[Card]:
        """HF cards with this UID (upper-case hex)."""
        ...

    def card_key(self) -> Ed25519PublicKey | None:
        """The public key site-secured cards are signed with (None: the site has none)."""
        ...

    def card_assignments(self, card_id: int) -> Sequence[CardAssignment]:
        """Assignments of a card."""
        ...

    def user(self, user_id: int) -> User | None:
        """The user with this id."""
        ...

    def role_assignments(self, user_id: int) -> Sequence[RoleAssignment]:
        """Every role the user holds."""
        ...

    def groups_of_lock(self, lock_id: int) -> frozenset[int]:
        """Ids of the groups linked to a lock (group_locks)."""
        ...

    def group(self, group_id: int) -> Group | None:
        """The group with this id."""
        ...

    def proximity_keys(self, lock_id: int) -> Sequence[bytes]:
        """Secrets of the readers at a door, from which their proximity proofs are made."""
        ...

    def schedules(self, scheduleable_type: str, scheduleable_id: int) -> Sequence[Schedule]:
        """Every schedule of a door (``"Lock"``) or a group (``"Group"``)."""
        ...

    def zone_guard(self, lock_id: int) -> ZoneGuard | None:
        """The intrusion zone guarding a door now, if it is in one."""
        ...

    def schedule_active(
        self,
        scheduleable_type: str,
        scheduleable_id: int,
        consequence: Consequence,
        tz: str,
        now: datetime,
    ) -> bool:
        """Whether a door's or group's schedules of ``consequence`` are in force at ``now``.

        The same as ``schedules.effective_active`` over ``schedules(...)``; a view may answer
        it from a cache of the day's windows.
        """
        ...
