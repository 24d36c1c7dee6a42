"""Roles a login or member can hold, and what each may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    """What a role assignment applies to."""

    ORGANIZATION = "Organization"
    PLACE = "Place"
    GROUP = "Group"


class Permission(StrEnum):
    """One thing a role allows."""

    UNLOCK_ALL = "unlock_all_doors"  # every door, without a group (lockdown only for admins)
    UNLOCK_GRANTED = "unlock_granted_doors"  # the doors the member's groups open
    MANAGE_SITE = "manage_site"  # places, devices, lockdown, everything
    MANAGE_DOORS = "manage_doors"  # doors, groups and their doors, readers, relays, schedules
    MANAGE_PEOPLE = "manage_people"  # users, cards, group membership, access links
    READ_SITE = "read_site"  # list and read the site model
    VIEW_EVENTS = "view_events"  # read the audit trail
    SUBMIT_CREDENTIALS = "submit_credentials"  # a kiosk asks for decisions on what it scanned


P = Permission


@dataclass(frozen=True)
class Role:
    """A built-in role."""

    id: str
    applies_to: Scope
    name: str
    description: str
    permissions: frozenset[Permission]

    def allows(self, permission: Permission) -> bool:
        """Whether this role grants ``permission``."""
        return permission in self.permissions

    @property
    def unlock_all_doors(self) -> bool:
        """Opens every door without group membership."""
        return P.UNLOCK_ALL in self.permissions

    @property
    def manage_site(self) -> bool:
        """Full control, lockdown included."""
        return P.MANAGE_SITE in self.permissions

    @property
    def manage_people(self) -> bool:
        """Manages users, cards and links."""
        return P.MANAGE_PEOPLE in self.permissions

    @property
    def manage_doors(self) -> bool:
        """Manages doors, groups and devices."""
        return P.MANAGE_DOORS in self.permissions


_ADMIN = frozenset(P)
_MANAGER = frozenset(
    {P.UNLOCK_ALL, P.MANAGE_DOORS, P.MANAGE_PEOPLE, P.READ_SITE, P.VIEW_EVENTS, P.UNLOCK_GRANTED}
)
_FRONT_DESK = frozenset({P.MANAGE_PEOPLE, P.READ_SITE, P.UNLOCK_GRANTED})
_MEMBER = frozenset({P.UNLOCK_GRANTED})

ROLES: dict[str, Role] = {
    r.id: r
    for r in (
        Role(
            "administrator",
            Scope.ORGANIZATION,
            "Administrator",
            "Full control of the organization and every door.",
            _ADMIN,
        ),
        Role(
            "manager",
            Scope.ORGANIZATION,
            "Manager",
            "Manages people, groups, cards and doors; opens every door.",
            _MANAGER,
        ),
        Role(
            "front_desk",
            Scope.ORGANIZATION,
            "Front desk",
            "Manages users, cards and access links only.",
            _FRONT_DESK,
        ),
        Role(
            "kiosk",
            Scope.ORGANIZATION,
            "Kiosk",
            "Submits scanned credentials for decisions.",
            frozenset({P.SUBMIT_CREDENTIALS}),
        ),
        Role(
            "basic",
            Scope.ORGANIZATION,
            "Basic member",
            "Unlocks the doors granted to them.",
            _MEMBER,
        ),
        Role(
            "place_administrator",
            Scope.PLACE,
            "Place administrator",
            "Full control of one place and its doors.",
            _ADMIN,
        ),
        Role(
            "place_manager",
            Scope.PLACE,
            "Place manager",
            "Manages people and doors of one place.",
            _MANAGER,
        ),
        Role(
            "group_basic",
            Scope.GROUP,
            "Group member",
            "Unlocks the group's doors within the group's restrictions.",
            _MEMBER,
        ),
        Role(
            "group_manager",
            Scope.GROUP,
            "Group manager",
            "Unlocks the group's doors and manages its members.",
            frozenset({P.UNLOCK_GRANTED, P.MANAGE_PEOPLE}),
        ),
    )
}

# The role of a caller that authenticated with an access link's secret: it may only unlock
# its group's doors. It is not assignable, so it is not in ROLES.
LINK_ROLE = Role(
    "access_link",
    Scope.GROUP,
    "Access link",
    "Opens its group's doors.",
    frozenset({P.UNLOCK_GRANTED}),
)
