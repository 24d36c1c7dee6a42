"""The access decision: may this credential open this reader's door now?

``decide`` is a pure function of the presentation, the reader, a read-only view of the site and
the time. Every outcome names its reason, so the audit trail can say why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.access.codes import DENIAL_MESSAGES, DenialCode
from app.access.credentials import CredentialError, Presentation, card_keys
from app.access.roles import ROLES, Scope
from app.access.site import Card, Lock, Place, RoleAssignment, SiteState, User


@dataclass(frozen=True)
class Decision:
    """The outcome of one access attempt, with everything the audit trail records."""

    granted: bool
    code: DenialCode | None
    message: str
    reader_id: int
    lock_id: int | None = None
    lock_name: str | None = None
    place_id: int | None = None
    user: User | None = None
    card: Card | None = None
    role_assignment_id: int | None = None
    role_id: str | None = None
    group_id: int | None = None


@dataclass(frozen=True)
class _Where:
    reader_id: int
    lock: Lock
    place: Place | None


def _deny(
    code: DenialCode,
    reader_id: int,
    where: _Where | None = None,
    *,
    message: str | None = None,
    user: User | None = None,
    card: Card | None = None,
) -> Decision:
    return Decision(
        granted=False,
        code=code,
        message=message or DENIAL_MESSAGES[code],
        reader_id=reader_id,
        lock_id=where.lock.id if where else None,
        lock_name=where.lock.name if where else None,
        place_id=where.lock.place_id if where else None,
        user=user,
        card=card,
    )


def decide(presentation: Presentation, reader_id: int, site: SiteState, now: datetime) -> Decision:
    """Decide whether a credential presented at a reader opens its door.

    Args:
        presentation: what the reader read (Wiegand bits or an HF UID).
        reader_id: the reader that saw it.
        site: read-only lookups over the site model.
        now: the current time, timezone-aware.

    Returns:
        A Decision; denials carry a stable code and a plain message.
    """
    reader = site.reader(reader_id)
    if reader is None or reader.lock_id is None:
        return _deny(DenialCode.READER_NOT_ASSIGNED, reader_id)
    lock = site.lock(reader.lock_id)
    if lock is None:
        return _deny(DenialCode.DOOR_NOT_FOUND, reader_id)
    where = _Where(reader_id, lock, site.place(lock.place_id))

    try:
        keys = card_keys(presentation)
    except CredentialError as exc:
        return _deny(DenialCode.CARD_UNREADABLE, reader_id, where, message=str(exc))
    cards: list[Card] = []
    for key in keys:
        if key.uid is not None:
            cards.extend(site.cards_by_uid(key.uid))
        elif key.card_number is not None:
            cards.extend(site.cards_by_number(key.card_type, key.facility_code, key.card_number))
    if not cards:
        return _deny(DenialCode.CARD_NOT_FOUND, reader_id, where)

    holder = _holder(cards, site)
    if isinstance(holder, DenialCode):
        return _deny(holder, reader_id, where, card=cards[0])
    card, user = holder
    if not user.access_enabled:
        return _deny(DenialCode.USER_ACCESS_DISABLED, reader_id, where, user=user, card=card)
    return _authorize(where, user, card, site.role_assignments(user.id), site, now)


def _holder(cards: list[Card], site: SiteState) -> tuple[Card, User] | DenialCode:
    """The card with an activated assignment and its user, or why there is none."""
    any_assignment = False
    for card in cards:
        for assignment in site.card_assignments(card.id):
            any_assignment = True
            if not assignment.activated:
                continue
            user = site.user(assignment.user_id)
            if user is not None:
                return card, user
    return DenialCode.CARD_NOT_ACTIVATED if any_assignment else DenialCode.CARD_NOT_ASSIGNED


def _in_window(ra: RoleAssignment, now: datetime) -> bool:
    return (ra.valid_from is None or ra.valid_from <= now) and (
        ra.valid_until is None or now < ra.valid_until
    )


def _authorize(
    where: _Where,
    user: User,
    card: Card,
    assignments: Sequence[RoleAssignment],
    site: SiteState,
    now: datetime,
) -> Decision:
    lock, place = where.lock, where.place
    held = [ra for ra in assignments if _in_window(ra, now)]

    def grant(ra: RoleAssignment, group_id: int | None) -> Decision:
        return Decision(
            granted=True,
            code=None,
            message="Access granted",
            reader_id=where.reader_id,
            lock_id=lock.id,
            lock_name=lock.name,
            place_id=lock.place_id,
            user=user,
            card=card,
            role_assignment_id=ra.id,
            role_id=ra.role_id,
            group_id=group_id,
        )

    # Administrators of the organization or of this place open every door, lockdown included.
    for ra in held:
        role = ROLES.get(ra.role_id)
        if role is None or not role.unlock_all_doors:
            continue
        site_wide = ra.scope is Scope.ORGANIZATION or (
            ra.scope is Scope.PLACE and ra.scope_id == lock.place_id
        )
        if site_wide and (role.manage_site or not _locked_down(lock, place)):
            return grant(ra, None)

    if place is not None and place.locked_down:
        return _deny(DenialCode.PLACE_LOCKED_DOWN, where.reader_id, where, user=user, card=card)
    if lock.locked_down:
        return _deny(DenialCode.DOOR_LOCKED_DOWN, where.reader_id, where, user=user, card=card)

    groups = site.groups_of_lock(lock.id)
    relevant = [ra for ra in assignments if ra.scope is Scope.GROUP and ra.scope_id in groups]
    for ra in relevant:
        if _in_window(ra, now):
            return grant(ra, ra.scope_id)
    if any(ra.valid_from is not None and now < ra.valid_from for ra in relevant):
        code = DenialCode.NOT_YET_VALID
    elif relevant:
        code = DenialCode.NO_LONGER_VALID
    else:
        code = DenialCode.ACCESS_DENIED
    return _deny(code, where.reader_id, where, user=user, card=card)


def _locked_down(lock: Lock, place: Place | None) -> bool:
    return lock.locked_down or (place is not None and place.locked_down)
