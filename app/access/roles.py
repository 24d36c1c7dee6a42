"""Roles a login or member can hold, and what each may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    """What a role assignment applies to."""

    ORGANIZATION = "Organization"
    PLACE = "Place"
    GROUP = "Group"


@dataclass(frozen=True)
class Role:
    """A built-in role."""

    id: str
    applies_to: Scope
    name: str
    description: str
    unlock_all_doors: bool
    manage_site: bool
    manage_people: bool
    manage_doors: bool


ROLES: dict[str, Role] = {
    r.id: r
    for r in (
        Role(
            "administrator",
            Scope.ORGANIZATION,
            "Administrator",
            "Full control of the organization and every door.",
            True,
            True,
            True,
            True,
        ),
        Role(
            "manager",
            Scope.ORGANIZATION,
            "Manager",
            "Manages people, groups, cards and doors.",
            True,
            False,
            True,
            True,
        ),
        Role(
            "front_desk",
            Scope.ORGANIZATION,
            "Front desk",
            "Manages users, cards and access links only.",
            False,
            False,
            True,
            False,
        ),
        Role(
            "kiosk",
            Scope.ORGANIZATION,
            "Kiosk",
            "Submits credentials for decisions only.",
            False,
            False,
            False,
            False,
        ),
        Role(
            "basic",
            Scope.ORGANIZATION,
            "Basic member",
            "Unlocks the doors granted to them.",
            False,
            False,
            False,
            False,
        ),
        Role(
            "place_administrator",
            Scope.PLACE,
            "Place administrator",
            "Full control of one place and its doors.",
            True,
            True,
            True,
            True,
        ),
        Role(
            "place_manager",
            Scope.PLACE,
            "Place manager",
            "Manages people and doors of one place.",
            True,
            False,
            True,
            True,
        ),
        Role(
            "group_basic",
            Scope.GROUP,
            "Group member",
            "Unlocks the group's doors within the group's restrictions.",
            False,
            False,
            False,
            False,
        ),
        Role(
            "group_manager",
            Scope.GROUP,
            "Group manager",
            "Unlocks the group's doors and manages its members.",
            False,
            False,
            True,
            False,
        ),
    )
}
