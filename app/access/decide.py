"""The access decision: may this credential, member or link open this door now?

``decide`` (a credential at a reader) and ``decide_unlock`` (an in-app unlock or an access
link) are pure functions of what was presented, a read-only view of the site and the time.
Every outcome names its reason, so the audit trail can say why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.access.codes import DENIAL_MESSAGES, DenialCode
from app.access.credentials import (
    SECURED_HF_CARD_TYPE,
    CardKey,
    CredentialError,
    NotGenuineError,
    Presentation,
    UidRead,
    card_keys,
)
from app.access.restrictions import Method, UnlockContext, check_location, check_time
from app.access.roles import ROLES, Scope
from app.access.site import Card, Lock, Place, RoleAssignment, SiteState, User


@dataclass(frozen=True)
class Decision:
    """The outcome of one access attempt, with everything the audit trail records."""

    granted: bool
    code: DenialCode | None
    message: str
    reader_id: int | None
    method: Method = Method.READER
    lock_id: int | None = None
    lock_name: str | None = None
    place_id: int | None = None
    user: User | None = None
    card: Card | None = None
    link_id: int | None = None
    role_assignment_id: int | None = None
    role_id: str | None = None
    group_id: int | None = None


@dataclass(frozen=True)
class LinkGrant:
    """An access link: a digital credential that opens its group's doors while valid."""

    id: int
    group_id: int
    enabled: bool = True
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True)
class UnlockRequest:
    """An unlock asked for from the app (a login, maybe a member) or through an access link."""

    method: Method
    user_id: int | None = None
    login_role_id: str | None = None  # an API login's own role, when it is not a member
    link: LinkGrant | None = None
    context: UnlockContext = field(default_factory=UnlockContext)


@dataclass(frozen=True)
class _Attempt:
    reader_id: int | None
    method: Method
    lock: Lock
    place: Place | None
    user: User | None = None
    card: Card | None = None
    link_id: int | None = None
    context: UnlockContext = field(default_factory=UnlockContext)

    def deny(self, code: DenialCode, message: str | None = None) -> Decision:
        return Decision(
            granted=False,
            code=code,
            message=message or DENIAL_MESSAGES[code],
            reader_id=self.reader_id,
            method=self.method,
            lock_id=self.lock.id,
            lock_name=self.lock.name,
            place_id=self.lock.place_id,
            user=self.user,
            card=self.card,
            link_id=self.link_id,
        )

    def grant(
        self, ra: RoleAssignment | None, role_id: str | None, group_id: int | None
    ) -> Decision:
        return Decision(
            granted=True,
            code=None,
            message="Access granted",
            reader_id=self.reader_id,
            method=self.method,
            lock_id=self.lock.id,
            lock_name=self.lock.name,
            place_id=self.lock.place_id,
            user=self.user,
            card=self.card,
            link_id=self.link_id,
            role_assignment_id=ra.id if ra and ra.id else None,
            role_id=role_id,
            group_id=group_id,
        )


def _no_door(code: DenialCode, reader_id: int | None, method: Method) -> Decision:
    return Decision(False, code, DENIAL_MESSAGES[code], reader_id, method)


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
        return _no_door(DenialCode.READER_NOT_ASSIGNED, reader_id, Method.READER)
    lock = site.lock(reader.lock_id)
    if lock is None:
        return _no_door(DenialCode.DOOR_NOT_FOUND, reader_id, Method.READER)
    attempt = _Attempt(reader_id, Method.READER, lock, site.place(lock.place_id))
    try:
        keys = card_keys(presentation, site.card_key())
    except NotGenuineError as exc:
        return attempt.deny(DenialCode.CARD_NOT_GENUINE, str(exc))
    except CredentialError as exc:
        return attempt.deny(DenialCode.CARD_UNREADABLE, str(exc))
    cards: list[Card] = []
    for key in keys:
        if key.uid is not None:
            cards.extend(c for c in site.cards_by_uid(key.uid) if _matches(c, key))
        elif key.card_number is not None:
            cards.extend(site.cards_by_number(key.card_type, key.facility_code, key.card_number))
    if not cards:
        return attempt.deny(DenialCode.CARD_NOT_FOUND)
    holder = _holder(cards, site)
    if isinstance(holder, DenialCode):
        return _Attempt(reader_id, Method.READER, lock, attempt.place, card=cards[0]).deny(holder)
    card, user = holder
    attempt = _Attempt(reader_id, Method.READER, lock, attempt.place, user, card)
    if not user.access_enabled:
        return attempt.deny(DenialCode.USER_ACCESS_DISABLED)
    decision = _authorize(attempt, site.role_assignments(user.id), site, now)
    if (
        decision.granted
        and lock.two_factor
        and isinstance(presentation, UidRead)
        and presentation.phone_unlocked is False
    ):
        # Only members who would get in hear that they must unlock the phone first.
        return attempt.deny(DenialCode.PHONE_LOCKED)
    return decision


def _matches(card: Card, key: CardKey) -> bool:
    """Whether an enrolled card with the presented UID is the one presented.

    A site-secured card must be presented with its genuine credential (a bare UID is easy to
    copy), and with the latest one written to it when the enrolment recorded a token.
    """
    if key.card_type != SECURED_HF_CARD_TYPE:
        return card.type != SECURED_HF_CARD_TYPE  # plain HF cards and phones, by UID alone
    if card.type != SECURED_HF_CARD_TYPE:
        return False
    return card.token is None or card.token == key.token


def decide_unlock(request: UnlockRequest, lock_id: int, site: SiteState, now: datetime) -> Decision:
    """Decide an in-app unlock or an access-link unlock of a door.

    Args:
        request: who asks, how, and the phone's context (location, proximity proof).
        lock_id: the door.
        site: read-only lookups over the site model.
        now: the current time, timezone-aware.
    """
    lock = site.lock(lock_id)
    if lock is None:
        return _no_door(DenialCode.DOOR_NOT_FOUND, None, request.method)
    place = site.place(lock.place_id)
    if request.link is not None:
        link = request.link
        attempt = _Attempt(None, Method.LINK, lock, place, link_id=link.id)
        if not link.enabled:
            return attempt.deny(DenialCode.LINK_DISABLED)
        as_member = RoleAssignment(
            0, 0, "group_basic", Scope.GROUP, link.group_id, link.valid_from, link.valid_until
        )
        return _authorize(attempt, [as_member], site, now)
    user = site.user(request.user_id) if request.user_id is not None else None
    attempt = _Attempt(None, request.method, lock, place, user, context=request.context)
    held: list[RoleAssignment] = list(site.role_assignments(user.id)) if user else []
    if request.login_role_id is not None:
        held.append(RoleAssignment(0, 0, request.login_role_id, Scope.ORGANIZATION, 0))
    if user is not None and not user.access_enabled:
        return attempt.deny(DenialCode.USER_ACCESS_DISABLED)
    return _authorize(attempt, held, site, now)


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
    attempt: _Attempt, assignments: Sequence[RoleAssignment], site: SiteState, now: datetime
) -> Decision:
    lock, place = attempt.lock, attempt.place
    locked_down = lock.locked_down or (place is not None and place.locked_down)

    # Organization or place administrators and managers open every door without a group;
    # only those who may manage the site pass a lockdown.
    for ra in assignments:
        role = ROLES.get(ra.role_id)
        if role is None or not role.unlock_all_doors or not _in_window(ra, now):
            continue
        site_wide = ra.scope is Scope.ORGANIZATION or (
            ra.scope is Scope.PLACE and ra.scope_id == lock.place_id
        )
        if site_wide and (role.manage_site or not locked_down):
            return attempt.grant(ra if ra.id else None, ra.role_id, None)

    if place is not None and place.locked_down:
        return attempt.deny(DenialCode.PLACE_LOCKED_DOWN)
    if lock.locked_down:
        return attempt.deny(DenialCode.DOOR_LOCKED_DOWN)

    groups = site.groups_of_lock(lock.id)
    relevant = [ra for ra in assignments if ra.scope is Scope.GROUP and ra.scope_id in groups]
    current = [ra for ra in relevant if _in_window(ra, now)]
    refusal: DenialCode | None = None
    guard = site.zone_guard(lock.id)
    if (
        guard is not None
        and guard.armed
        and not (
            guard.members_can_override
            or (attempt.user is not None and attempt.user.id in guard.override_user_ids)
        )
    ):
        # The zone is armed for this door and this member may not disarm it by unlocking.
        return attempt.deny(DenialCode.DENIED_BY_ZONE)
    for ra in current:
        group = site.group(ra.scope_id)
        problem = check_time(lock, place, group, site, now) or check_location(
            attempt.method,
            lock,
            place,
            group,
            attempt.context,
            site.proximity_keys(lock.id) if attempt.method is Method.APP else (),
            now,
        )
        if problem is None:
            return attempt.grant(ra, ra.role_id, ra.scope_id)
        refusal = refusal or problem
    if refusal is not None:
        return attempt.deny(refusal)
    if any(ra.valid_from is not None and now < ra.valid_from for ra in relevant):
        return attempt.deny(DenialCode.NOT_YET_VALID)
    if relevant:
        return attempt.deny(DenialCode.NO_LONGER_VALID)
    return attempt.deny(DenialCode.ACCESS_DENIED)
