"""Intrusion zones: doors armed and disarmed by a weekly policy, overrides, violations, siren.

A zone groups doors of one door controller. Its level (disarmed, stay, away) comes from a
weekly policy read in the place's wall-clock time; a granted unlock by someone allowed to
override disarms it until the policy next changes. ``zone_step`` is a pure reducer like
``doorstate.step``: events in, state and effects out. Rules are in docs/door-monitoring.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Literal

from app.access.doorstate import TimedEvent
from app.access.relays import Effect, Emit, EventType, NextTick, ReaderLed, SirenOff, SirenOn

Level = Literal["disarmed", "stay", "away"]

LEVELS: tuple[Level, ...] = ("disarmed", "stay", "away")
MAX_ZONES_PER_CONTROLLER = 4
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_DAY = 24 * 60
_SEARCH_DAYS = 10  # a week of boundaries, the day before (past midnight) and some slack


class ZoneError(ValueError):
    """A zone definition that cannot be used; ``field`` names the offending part."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class ZoneDoor:
    """A door in a zone; exterior doors lead outside and stay locked while armed."""

    lock_id: int
    exterior: bool


@dataclass(frozen=True)
class PolicyRule:
    """A weekly window with a level.

    Attributes:
        weekdays: days the window starts on, Monday = 0 ... Sunday = 6.
        start: "hh:mm" wall-clock start in the place's time zone.
        end: "hh:mm" end; "24:00" is the end of the day; an end before the start runs past
            midnight into the next day.
        level: the zone's level inside the window.
    """

    weekdays: frozenset[int]
    start: str
    end: str
    level: Level


@dataclass(frozen=True)
class Zone:
    """An intrusion zone of one door controller."""

    id: int
    controller_id: int
    doors: tuple[ZoneDoor, ...]
    rules: tuple[PolicyRule, ...] = ()
    default_level: Level = "disarmed"
    override_user_ids: frozenset[int] = frozenset()
    members_can_override: bool = False
    name: str = ""

    def door(self, lock_id: int) -> ZoneDoor | None:
        """The zone's entry for a door, or None if the door is not in this zone."""
        return next((d for d in self.doors if d.lock_id == lock_id), None)


@dataclass(frozen=True)
class ZoneState:
    """A zone's live level; ``alarm`` means the siren sounds until silenced or disarmed."""

    level: Level
    overridden_until: datetime | None = None
    alarm: bool = False


@dataclass(frozen=True)
class PolicyTick(TimedEvent):
    """Time passed (the controller calls this at each ``NextTick``)."""


@dataclass(frozen=True)
class GrantedUnlock(TimedEvent):
    """A door was unlocked by a granted credential; ``can_override`` comes from the user's role."""

    lock_id: int
    user_id: int
    can_override: bool


@dataclass(frozen=True)
class DoorOpened(TimedEvent):
    """A door opened; ``authorized`` is False for a forced opening."""

    lock_id: int
    authorized: bool


@dataclass(frozen=True)
class ReaderTampered(TimedEvent):
    """A reader of the door was taken off the wall."""

    lock_id: int


@dataclass(frozen=True)
class Disarm(TimedEvent):
    """Someone allowed to (the API checks) disarms the zone by hand."""

    user_id: int


@dataclass(frozen=True)
class SilenceSiren(TimedEvent):
    """Stop the siren; the zone stays at its level."""


ZoneEvent = PolicyTick | GrantedUnlock | DoorOpened | ReaderTampered | Disarm | SilenceSiren


@lru_cache(maxsize=512)  # parsed on every policy evaluation; rules repeat a few strings
def _minutes(text: str, *, end: bool) -> int:
    if end and text == "24:00":
        return _DAY
    match = _HHMM.match(text)
    if match is None:
        raise ValueError(f"not an hh:mm time: {text!r}")
    return int(match[1]) * 60 + int(match[2])


def _rule_covers(rule: PolicyRule, weekday: int, minute: int) -> bool:
    start, end = _minutes(rule.start, end=False), _minutes(rule.end, end=True)
    if start < end:
        return weekday in rule.weekdays and start <= minute < end
    # Past midnight: the evening of a listed day, or the early hours of the day after it.
    return (weekday in rule.weekdays and minute >= start) or (
        (weekday - 1) % 7 in rule.weekdays and minute < end
    )


def _local(now: datetime, tz: tzinfo) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"time must be timezone-aware: {now!r}")
    return now.astimezone(tz)


def policy_level(zone: Zone, now: datetime, tz: tzinfo) -> Level:
    """The level the weekly policy sets at ``now``.

    Rules are read in the place's wall-clock time: a window over a skipped daylight-saving hour
    is shorter, over a repeated hour longer. Where windows overlap, the most secure level wins,
    so the order of rules never matters.

    Args:
        zone: the zone with its rules.
        now: the time, timezone-aware.
        tz: the place's time zone.

    Returns:
        The level of the most secure covering rule, else the zone's default level.
    """
    local = _local(now, tz)
    minute = local.hour * 60 + local.minute
    levels = [r.level for r in zone.rules if _rule_covers(r, local.weekday(), minute)]
    return max(levels, key=LEVELS.index) if levels else zone.default_level


def _wall(day: date, minute: int, tz: tzinfo, fold: int = 0) -> datetime:
    """The instant (in UTC) of a wall-clock minute; minutes past 24:00 run into later days."""
    day += timedelta(days=minute // _DAY)
    local = datetime.combine(day, time(minute % _DAY // 60, minute % 60, fold=fold), tzinfo=tz)
    return local.astimezone(UTC)


def _offset_changes(first: date, days: int, tz: tzinfo) -> set[datetime]:
    """The instants the place's UTC offset changes (daylight saving) over ``days`` days."""
    found: set[datetime] = set()
    for k in range(days):
        lo = int(_wall(first + timedelta(days=k), 0, tz).timestamp())
        hi = int(_wall(first + timedelta(days=k + 1), 0, tz).timestamp())
        before = datetime.fromtimestamp(lo, tz).utcoffset()
        if before == datetime.fromtimestamp(hi, tz).utcoffset():
            continue
        while hi - lo > 1:  # offsets change on whole seconds
            mid = (lo + hi) // 2
            if datetime.fromtimestamp(mid, tz).utcoffset() == before:
                lo = mid
            else:
                hi = mid
        found.add(datetime.fromtimestamp(hi, UTC))
    return found


def next_policy_change(zone: Zone, now: datetime, tz: tzinfo) -> datetime | None:
    """The first moment after ``now`` at which ``policy_level`` differs from its level now.

    Candidates are every rule boundary (both readings of a repeated wall time) and every
    daylight-saving change, when a skipped or repeated hour moves a boundary.

    Returns:
        That moment in UTC, or None when the policy sets one level all week.
    """
    first = _local(now, tz).date() - timedelta(days=1)
    candidates = _offset_changes(first, _SEARCH_DAYS, tz) if zone.rules else set()
    for offset in range(_SEARCH_DAYS):
        day = first + timedelta(days=offset)
        for rule in zone.rules:
            if day.weekday() not in rule.weekdays:
                continue
            start, end = _minutes(rule.start, end=False), _minutes(rule.end, end=True)
            for minute in (start, end if end > start else end + _DAY):
                candidates.update(_wall(day, minute, tz, fold) for fold in (0, 1))
    current = policy_level(zone, now, tz)
    for moment in sorted(c for c in candidates if c > now):
        if policy_level(zone, moment, tz) != current:
            return moment
    return None


def may_override(zone: Zone, user_id: int, can_override: bool) -> bool:
    """Whether a granted unlock by this user disarms the zone."""
    return can_override or zone.members_can_override or user_id in zone.override_user_ids


def scheduled_unlocks_allowed(zone_level: Level, exterior: bool) -> bool:
    """Whether a door's scheduled unlocks may run at this zone level.

    Disarmed: every door follows its schedule. Stay and away: exterior doors stay locked;
    interior doors still follow theirs.
    """
    return zone_level == "disarmed" or not exterior


def armed_for(zone_level: Level, exterior: bool) -> bool:
    """Whether an unauthorized opening of this door is a violation at this level.

    Away arms every door; stay arms the perimeter only, since people are inside and move
    between rooms.
    """
    return zone_level == "away" or (zone_level == "stay" and exterior)


def initial_zone_state(zone: Zone, now: datetime, tz: tzinfo) -> ZoneState:
    """A zone's state when the controller starts: the policy's level, no override, quiet."""
    return ZoneState(policy_level(zone, now, tz))


def zone_step(
    zone: Zone, state: ZoneState, event: ZoneEvent, tz: tzinfo
) -> tuple[ZoneState, list[Effect]]:
    """Apply one event to a zone.

    Args:
        zone: the zone's definition.
        state: its state before the event.
        event: what happened, with its time.
        tz: the place's time zone, for the policy.

    Returns:
        The new state and the effects, ending with a ``NextTick`` for the next policy change
        or the end of an override when there is one.
    """
    out: list[Effect] = []
    at = event.at
    state = _advance(zone, state, at, tz, out)
    match event:
        case GrantedUnlock() if zone.door(event.lock_id) is not None:
            if state.level != "disarmed" and may_override(zone, event.user_id, event.can_override):
                message = f"User {event.user_id} overrode {state.level} by unlocking"
                emit = Emit(
                    EventType.ZONE_OVERRIDE, True, message, None, event.lock_id, event.user_id
                )
                state = _override(zone, state, at, tz, emit, out)
        case DoorOpened():
            door = zone.door(event.lock_id)
            if door is not None and not event.authorized and armed_for(state.level, door.exterior):
                state = _violate(zone, state, event.lock_id, "Door opened while armed", out)
        case ReaderTampered() if zone.door(event.lock_id) is not None:
            if state.level != "disarmed":
                state = _violate(zone, state, event.lock_id, "Reader tampered while armed", out)
        case Disarm():
            if state.level != "disarmed":
                message = f"User {event.user_id} disarmed the zone"
                emit = Emit(EventType.ZONE_OVERRIDE, True, message, user_id=event.user_id)
                state = _override(zone, state, at, tz, emit, out)
            state = _silence(zone, state, out)
        case SilenceSiren():
            state = _silence(zone, state, out)
    tick = state.overridden_until or next_policy_change(zone, at, tz)
    if tick is not None:
        out.append(NextTick(tick))
    return state, out


def _transition(zone: Zone, old: Level, new: Level, user_id: int | None) -> Emit:
    name = zone.name or f"Zone {zone.id}"
    return Emit(EventType.ZONE_TRANSITION, True, f"{name}: {old} to {new}", user_id=user_id)


def _advance(
    zone: Zone, state: ZoneState, at: datetime, tz: tzinfo, out: list[Effect]
) -> ZoneState:
    """Follow the policy up to ``at``, ending an override whose time is up."""
    if state.overridden_until is not None:
        if at < state.overridden_until:
            return state
        state = replace(state, overridden_until=None)
    level = policy_level(zone, at, tz)
    if level == state.level:
        return state
    out.append(Emit(EventType.ZONE_POLICY_ACTIVATE, True, f"Policy set the zone to {level}"))
    out.append(_transition(zone, state.level, level, None))
    # A siren keeps sounding through a scheduled disarm: someone has to look at it.
    return replace(state, level=level)


def _override(
    zone: Zone, state: ZoneState, at: datetime, tz: tzinfo, emit: Emit, out: list[Effect]
) -> ZoneState:
    """Disarm until the policy next changes (or, for a policy that never does, the day ends)."""
    until = next_policy_change(zone, at, tz) or _wall(_local(at, tz).date(), _DAY, tz)
    out.extend((emit, _transition(zone, state.level, "disarmed", emit.user_id)))
    return _silence(zone, ZoneState("disarmed", until, state.alarm), out)


def _violate(
    zone: Zone, state: ZoneState, lock_id: int, message: str, out: list[Effect]
) -> ZoneState:
    out.append(Emit(EventType.ZONE_POLICY_VIOLATE, False, message, lock_id=lock_id))
    if state.alarm:
        return state
    out.append(SirenOn(zone.controller_id))
    out.extend(ReaderLed("blue_red", None, door.lock_id) for door in zone.doors)
    return replace(state, alarm=True)


def _silence(zone: Zone, state: ZoneState, out: list[Effect]) -> ZoneState:
    if not state.alarm:
        return state
    out.append(SirenOff(zone.controller_id))
    out.extend(ReaderLed("white", None, door.lock_id) for door in zone.doors)
    return replace(state, alarm=False)


def validate_zones(zones: Sequence[Zone]) -> None:
    """Check a site's zones before they are used.

    Raises:
        ZoneError: more than 4 zones on a controller, a door in two zones, a repeated zone id,
            or a malformed rule (bad weekday, time, empty window or level).
    """
    seen_ids: set[int] = set()
    per_controller: dict[int, int] = {}
    door_zone: dict[int, int] = {}
    for i, zone in enumerate(zones):
        where = f"zones[{i}]"
        if zone.id in seen_ids:
            raise ZoneError(f"{where}.id", f"zone id {zone.id} is used twice")
        seen_ids.add(zone.id)
        per_controller[zone.controller_id] = per_controller.get(zone.controller_id, 0) + 1
        if per_controller[zone.controller_id] > MAX_ZONES_PER_CONTROLLER:
            too_many = f"a door controller has at most {MAX_ZONES_PER_CONTROLLER} zones"
            raise ZoneError(f"{where}.controller_id", too_many)
        if zone.default_level not in LEVELS:
            raise ZoneError(f"{where}.default_level", f"unknown level {zone.default_level!r}")
        for j, door in enumerate(zone.doors):
            if door.lock_id in door_zone:
                taken = f"door {door.lock_id} is already in zone {door_zone[door.lock_id]}"
                raise ZoneError(f"{where}.doors[{j}].lock_id", taken)
            door_zone[door.lock_id] = zone.id
        for j, rule in enumerate(zone.rules):
            _validate_rule(f"{where}.rules[{j}]", rule)


def _validate_rule(where: str, rule: PolicyRule) -> None:
    if not rule.weekdays or not rule.weekdays <= frozenset(range(7)):
        raise ZoneError(f"{where}.weekdays", "weekdays must be a non-empty subset of 0..6")
    for name, text, end in (("start", rule.start, False), ("end", rule.end, True)):
        try:
            _minutes(text, end=end)
        except ValueError as exc:
            raise ZoneError(f"{where}.{name}", str(exc)) from None
    if _minutes(rule.start, end=False) == _minutes(rule.end, end=True):
        raise ZoneError(f"{where}.end", "the window is empty: end equals start")
    if rule.level not in LEVELS:
        raise ZoneError(f"{where}.level", f"unknown level {rule.level!r}")
