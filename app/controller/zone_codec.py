"""Zone bodies of our REST API (an extension of the public API): parse and present."""

from __future__ import annotations

from typing import Any

from app.access.zones import LEVELS, PolicyRule, Zone, ZoneDoor, ZoneError

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _list(body: dict[str, Any], key: str) -> list[Any]:
    value = body.get(key, [])
    if not isinstance(value, list):
        raise ZoneError(key, "must be a list")
    return value


def _bool(body: dict[str, Any], key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise ZoneError(key, "must be true or false")
    return value


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**62:
        raise ZoneError(field, "must be a positive integer")
    return value


def _rule(item: Any, index: int) -> PolicyRule:
    where = f"rules[{index}]"
    if not isinstance(item, dict):
        raise ZoneError(where, "must be an object")
    days = item.get("weekdays")
    if not isinstance(days, list) or not days:
        raise ZoneError(f"{where}.weekdays", "needs at least one day")
    numbers: set[int] = set()
    for day in days:
        if isinstance(day, str) and day.lower() in DAY_NAMES:
            numbers.add(DAY_NAMES.index(day.lower()))
        else:
            raise ZoneError(f"{where}.weekdays", f"{day!r} is not a day name like monday")
    start, end, level = item.get("start"), item.get("end"), item.get("level")
    if not isinstance(start, str) or not isinstance(end, str):
        raise ZoneError(where, 'needs start and end as "hh:mm"')
    if level not in LEVELS:
        raise ZoneError(f"{where}.level", "must be disarmed, stay or away")
    return PolicyRule(frozenset(numbers), start, end, level)


def parse_zone(body: Any, zone_id: int = 0) -> Zone:
    """Build a zone from ``{"zone": {...}}``'s inner object.

    Raises:
        ZoneError: the first field that is wrong, in plain words.
    """
    if not isinstance(body, dict):
        raise ZoneError("zone", "must be an object")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ZoneError("name", "can't be blank")
    controller_id = _int(body.get("controller_id"), "controller_id")
    default = body.get("default_level", "disarmed")
    if default not in LEVELS:
        raise ZoneError("default_level", "must be disarmed, stay or away")
    doors: list[ZoneDoor] = []
    for i, item in enumerate(_list(body, "doors")):
        if not isinstance(item, dict):
            raise ZoneError(f"doors[{i}]", "must be an object")
        doors.append(
            ZoneDoor(_int(item.get("lock_id"), f"doors[{i}].lock_id"), _bool(item, "exterior"))
        )
    overriders = frozenset(_int(v, "override_user_ids") for v in _list(body, "override_user_ids"))
    rules = tuple(_rule(item, i) for i, item in enumerate(_list(body, "rules")))
    return Zone(
        zone_id,
        controller_id,
        tuple(doors),
        rules,
        default,
        overriders,
        _bool(body, "members_can_override"),
        name.strip(),
    )


def zone_to_dict(zone: Zone) -> dict[str, Any]:
    """The zone as our API writes it (without live state)."""
    return {
        "id": zone.id,
        "name": zone.name,
        "controller_id": zone.controller_id,
        "default_level": zone.default_level,
        "members_can_override": zone.members_can_override,
        "override_user_ids": sorted(zone.override_user_ids),
        "doors": [{"lock_id": d.lock_id, "exterior": d.exterior} for d in zone.doors],
        "rules": [
            {
                "weekdays": [DAY_NAMES[d] for d in sorted(r.weekdays)],
                "start": r.start,
                "end": r.end,
                "level": r.level,
            }
            for r in zone.rules
        ],
    }
