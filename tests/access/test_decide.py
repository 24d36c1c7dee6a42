"""decide(): who opens which door, and why not — table-driven over an in-memory site."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.access.codes import DenialCode
from app.access.credentials import UidRead, WiegandRead
from app.access.decide import decide
from app.access.roles import Scope
from app.access.site import (
    Card,
    CardAssignment,
    Lock,
    Place,
    Reader,
    RoleAssignment,
    User,
    ZoneGuard,
)
from app.access.wiegand import encode
from tests.access.memory_site import MemorySite

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
MEMBER = WiegandRead(encode("H10301", 10, 100))


def site(**changes: object) -> MemorySite:
    s = MemorySite(
        readers={1: Reader(1, "R", 1, 1), 2: Reader(2, "Loose", 1, None)},
        locks={1: Lock(1, "Front", 1), 2: Lock(2, "Back", 1)},
        places={1: Place(1, "HQ", "Europe/Berlin")},
        cards=[
            Card(1, "third_party_lf_hid_h10301", 10, 100),
            Card(2, "third_party_hf", uid="04AABBCCDD"),
        ],
        assignments=[CardAssignment(1, 1, 7, True), CardAssignment(2, 2, 7, True)],
        users={7: User(7, "Jane", "jane@example.com")},
        roles=[RoleAssignment(1, 7, "group_basic", Scope.GROUP, 3)],
        group_locks={(3, 1)},
    )
    for key, value in changes.items():
        setattr(s, key, value)
    return s


def test_member_is_granted_with_who_and_why() -> None:
    d = decide(MEMBER, 1, site(), NOW)
    assert d.granted and d.code is None
    assert d.user is not None and d.user.id == 7 and d.lock_id == 1 and d.group_id == 3


def test_hf_uid_is_granted() -> None:
    assert decide(UidRead("04:aa:bb:cc:dd"), 1, site(), NOW).granted


CASES = [
    ("unknown card", WiegandRead(encode("H10301", 1, 1)), 1, {}, DenialCode.CARD_NOT_FOUND),
    ("garbled bits", WiegandRead("1" * 26), 1, {}, DenialCode.CARD_UNREADABLE),
    ("odd length", WiegandRead("1" * 27), 1, {}, DenialCode.CARD_UNREADABLE),
    ("bad uid", UidRead("zz"), 1, {}, DenialCode.CARD_UNREADABLE),
    ("reader without door", MEMBER, 2, {}, DenialCode.READER_NOT_ASSIGNED),
    ("unknown reader", MEMBER, 99, {}, DenialCode.READER_NOT_ASSIGNED),
    ("other door", MEMBER, 1, {"readers": {1: Reader(1, "R", 1, 2)}}, DenialCode.ACCESS_DENIED),
    (
        "deactivated card",
        MEMBER,
        1,
        {"assignments": [CardAssignment(1, 1, 7, False)]},
        DenialCode.CARD_NOT_ACTIVATED,
    ),
    ("unassigned card", MEMBER, 1, {"assignments": []}, DenialCode.CARD_NOT_ASSIGNED),
    (
        "access disabled",
        MEMBER,
        1,
        {"users": {7: User(7, "J", "j@x", access_enabled=False)}},
        DenialCode.USER_ACCESS_DISABLED,
    ),
    (
        "not yet valid",
        MEMBER,
        1,
        {
            "roles": [
                RoleAssignment(
                    1, 7, "group_basic", Scope.GROUP, 3, valid_from=NOW + timedelta(hours=1)
                )
            ]
        },
        DenialCode.NOT_YET_VALID,
    ),
    (
        "expired",
        MEMBER,
        1,
        {"roles": [RoleAssignment(1, 7, "group_basic", Scope.GROUP, 3, valid_until=NOW)]},
        DenialCode.NO_LONGER_VALID,
    ),
    (
        "door locked down",
        MEMBER,
        1,
        {"locks": {1: Lock(1, "Front", 1, locked_down=True)}},
        DenialCode.DOOR_LOCKED_DOWN,
    ),
    (
        "place locked down",
        MEMBER,
        1,
        {"places": {1: Place(1, "HQ", "UTC", locked_down=True)}},
        DenialCode.PLACE_LOCKED_DOWN,
    ),
]


@pytest.mark.parametrize(
    ("label", "presented", "reader", "changes", "code"), CASES, ids=[c[0] for c in CASES]
)
def test_denials(label, presented, reader, changes, code) -> None:
    d = decide(presented, reader, site(**changes), NOW)
    assert not d.granted and d.code is code, label
    assert d.message


def test_administrator_opens_every_door_even_in_lockdown() -> None:
    s = site(
        roles=[RoleAssignment(1, 7, "administrator", Scope.ORGANIZATION, 1)],
        locks={1: Lock(1, "Front", 1, locked_down=True)},
    )
    assert decide(MEMBER, 1, s, NOW).granted


def test_manager_does_not_pass_a_lockdown() -> None:
    s = site(
        roles=[RoleAssignment(1, 7, "manager", Scope.ORGANIZATION, 1)],
        locks={1: Lock(1, "Front", 1, locked_down=True)},
    )
    assert decide(MEMBER, 1, s, NOW).code is DenialCode.DOOR_LOCKED_DOWN


@given(bits=st.text(alphabet="01", min_size=0, max_size=140))
def test_random_reads_never_grant(bits: str) -> None:
    # Only facility 10 / card 100 is enrolled; any other read must be refused.
    if bits == MEMBER.bits:
        return
    assert not decide(WiegandRead(bits), 1, site(), NOW).granted


def test_two_factor_tap_needs_an_unlocked_phone() -> None:
    phone = Card(3, "mobile_credential", uid="A1B2C3D4E5F6")
    s = site(
        cards=[*site().cards, phone],
        assignments=[*site().assignments, CardAssignment(3, 3, 7, True)],
        locks={1: Lock(1, "Server room", 1, two_factor=True)},
    )
    locked = decide(UidRead("A1B2C3D4E5F6", phone_unlocked=False), 1, s, NOW)
    assert not locked.granted and locked.code is DenialCode.PHONE_LOCKED
    assert "Unlock your phone" in locked.message
    assert decide(UidRead("A1B2C3D4E5F6", phone_unlocked=True), 1, s, NOW).granted
    # A card is not a phone: two-factor does not apply to it.
    assert decide(MEMBER, 1, s, NOW).granted
    # Without two-factor on the door, a locked phone still opens it.
    relaxed = site(cards=s.cards, assignments=s.assignments)
    assert decide(UidRead("A1B2C3D4E5F6", phone_unlocked=False), 1, relaxed, NOW).granted


@given(
    role=st.sampled_from(
        ["group_basic", "group_manager", "basic", "front_desk", "kiosk", "manager", "administrator"]
    ),
    scope_id=st.integers(1, 4),
    linked=st.booleans(),
    start=st.none() | st.integers(-5, 5),
    end=st.none() | st.integers(-5, 5),
    door_down=st.booleans(),
    place_down=st.booleans(),
    access=st.booleans(),
    activated=st.booleans(),
)
def test_grants_only_with_a_reason(
    role, scope_id, linked, start, end, door_down, place_down, access, activated
) -> None:
    hour = timedelta(hours=1)
    scope = Scope.GROUP if role.startswith("group_") else Scope.ORGANIZATION
    ra = RoleAssignment(
        1,
        7,
        role,
        scope,
        scope_id,
        None if start is None else NOW + start * hour,
        None if end is None else NOW + end * hour,
    )
    s = site(
        roles=[ra],
        group_locks={(scope_id, 1)} if linked else set(),
        locks={1: Lock(1, "Front", 1, locked_down=door_down)},
        places={1: Place(1, "HQ", "UTC", locked_down=place_down)},
        users={7: User(7, "Jane", "j@x", access_enabled=access)},
        assignments=[CardAssignment(1, 1, 7, activated)],
    )
    decision = decide(MEMBER, 1, s, NOW)
    in_window = (ra.valid_from is None or ra.valid_from <= NOW) and (
        ra.valid_until is None or ra.valid_until > NOW
    )
    if decision.granted:
        assert access and activated and in_window
        if role == "administrator":
            return
        assert not place_down and not door_down
        assert role == "manager" or (scope is Scope.GROUP and linked)


def test_armed_zone_denies_members_who_may_not_override() -> None:
    armed = site(guards={1: ZoneGuard(armed=True)})
    denied = decide(MEMBER, 1, armed, NOW)
    assert not denied.granted and denied.code is DenialCode.DENIED_BY_ZONE
    assert decide(MEMBER, 1, site(guards={1: ZoneGuard(armed=False)}), NOW).granted
    allowed = site(guards={1: ZoneGuard(armed=True, override_user_ids=frozenset({7}))})
    assert decide(MEMBER, 1, allowed, NOW).granted
    everyone = site(guards={1: ZoneGuard(armed=True, members_can_override=True)})
    assert decide(MEMBER, 1, everyone, NOW).granted
    admin = site(
        guards={1: ZoneGuard(armed=True)},
        roles=[RoleAssignment(1, 7, "administrator", Scope.ORGANIZATION, 1)],
    )
    assert decide(MEMBER, 1, admin, NOW).granted
