"""Schedules as the public API writes them: strict parsing of bodies, and the response shape.

Kept apart from :mod:`app.access.schedules`, which holds the models and their evaluation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from app.access import holidays as hol
from app.access.schedules import (
    WEEKDAYS,
    Consequence,
    HolidayCalendar,
    RecurringEvent,
    Schedule,
    ScheduleableType,
    ScheduleError,
    ScheduleType,
    SingleAllDayEvent,
    SingleEvent,
)

_E = TypeVar("_E", bound=StrEnum)

# Which consequences make sense for which scheduleable (the API's description).
_ALLOWED_ON: dict[Consequence, frozenset[ScheduleableType]] = {
    Consequence.ALLOW: frozenset(ScheduleableType),
    Consequence.UNLOCK: frozenset({ScheduleableType.LOCK}),
    Consequence.FIRST_TO_ARRIVE: frozenset({ScheduleableType.LOCK}),
    Consequence.PERMIT: frozenset({ScheduleableType.ELEVATOR_STOP}),
}

_HHMM = re.compile(r"^([0-9]{2}):([0-9]{2})$")
_YMD = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MIN_YEAR, _MAX_YEAR = 1900, 2999


# ---- parsing -------------------------------------------------------------------------------

_RFC3339 = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})?$"  # an offset is required, but we say so plainly below
)
_VARIANT_FIELDS: dict[ScheduleType, tuple[str, ...]] = {
    ScheduleType.RECURRING_EVENT: (*WEEKDAYS, "starts_at_time", "ends_at_time"),
    ScheduleType.SINGLE_EVENT: ("starts_at", "ends_at"),
    ScheduleType.SINGLE_ALL_DAY_EVENT: ("starts_at_date", "ends_at_date"),
    ScheduleType.HOLIDAY_CALENDAR: ("region", "observed", "ignored_holidays"),
}
_MAX_ID = 2**63 - 1


def _bool(body: Mapping[str, Any], key: str, default: bool | None = None) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise ScheduleError(key, "is required" if value is None else "must be true or false")
    return value


def _choice(body: Mapping[str, Any], key: str, enum: type[_E]) -> _E:
    value = body.get(key)
    if value is None:
        raise ScheduleError(key, "is required")
    try:
        return enum(value)
    except ValueError:
        raise ScheduleError(key, "must be one of " + ", ".join(e.value for e in enum)) from None


def _hhmm(body: Mapping[str, Any], key: str, *, is_end: bool) -> str:
    value = body.get(key)
    if value is None:
        return "00:00"  # the API lets recurring events leave the times out: the whole day
    if not isinstance(value, str) or (match := _HHMM.match(value)) is None:
        raise ScheduleError(key, "must be a time like 09:30 (hh:mm)")
    if is_end and value == "24:00":
        return value
    if int(match[1]) > 23 or int(match[2]) > 59:
        raise ScheduleError(key, "must be between 00:00 and " + ("24:00" if is_end else "23:59"))
    return value


def _instant(body: Mapping[str, Any], key: str) -> datetime:
    value = body.get(key)
    if value is None:
        raise ScheduleError(key, "is required")
    moment: datetime | None = value if isinstance(value, datetime) else None
    if isinstance(value, str) and _RFC3339.match(value):
        try:
            moment = datetime.fromisoformat(value[:-1] + "Z" if value[-1] == "z" else value)
        except ValueError:
            moment = None
    if moment is None:
        raise ScheduleError(key, "must be a date and time like 2026-03-29T09:00:00Z")
    if moment.utcoffset() is None:
        raise ScheduleError(key, "must include a time zone offset, like Z or +01:00")
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        raise ScheduleError(key, f"must be between the years {_MIN_YEAR} and {_MAX_YEAR}")
    # The API ignores seconds: events start and end on whole minutes.
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def _date(body: Mapping[str, Any], key: str) -> date:
    value = body.get(key)
    if value is None:
        raise ScheduleError(key, "is required")
    if isinstance(value, date) and not isinstance(value, datetime):
        day: date | None = value
    elif isinstance(value, str) and _YMD.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
    else:
        day = None
    if day is None:
        raise ScheduleError(key, "must be a valid date like 2026-03-29 (YYYY-MM-DD)")
    if not _MIN_YEAR <= day.year <= _MAX_YEAR:
        raise ScheduleError(key, f"must be between the years {_MIN_YEAR} and {_MAX_YEAR}")
    return day


def _variant(body: Mapping[str, Any]) -> ScheduleType:
    # Without a type the API guesses from the fields present, in this order.
    if body.get("type") is not None:
        return _choice(body, "type", ScheduleType)
    if body.get("region") is not None or body.get("observed") is not None:
        return ScheduleType.HOLIDAY_CALENDAR
    if body.get("starts_at") is not None or body.get("ends_at") is not None:
        return ScheduleType.SINGLE_EVENT
    if body.get("starts_at_date") is not None or body.get("ends_at_date") is not None:
        return ScheduleType.SINGLE_ALL_DAY_EVENT
    return ScheduleType.RECURRING_EVENT


def _common(body: Mapping[str, Any], schedule_id: int) -> dict[str, Any]:
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise ScheduleError("name", "must be text")
    if name is not None and len(name) > 255:
        raise ScheduleError("name", "must be at most 255 characters")
    enabled = _bool(body, "enabled")
    override = _bool(body, "override", False)
    consequence = _choice(body, "consequence", Consequence)
    kind = _choice(body, "scheduleable_type", ScheduleableType)
    target = body.get("scheduleable_id")
    if target is None:
        raise ScheduleError("scheduleable_id", "is required")
    if isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= _MAX_ID:
        raise ScheduleError("scheduleable_id", "must be a positive whole number")
    if kind not in _ALLOWED_ON[consequence]:
        allowed = " or ".join(sorted(k.value for k in _ALLOWED_ON[consequence]))
        raise ScheduleError("consequence", f"{consequence.value} only applies to a {allowed}")
    return {
        "id": schedule_id,
        "name": name,
        "enabled": enabled,
        "override": override,
        "consequence": consequence,
        "scheduleable_type": kind,
        "scheduleable_id": target,
    }


def _ignored(body: Mapping[str, Any], region: str) -> tuple[str, ...]:
    value = body.get("ignored_holidays")
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ScheduleError("ignored_holidays", "must be a list of holiday names")
    # Clients may name a holiday by its key or by its name; we keep keys.
    known = hol.holiday_names(region)
    lookup = {k.casefold(): k for k in known} | {n.casefold(): k for k, n in known.items()}
    keys: list[str] = []
    for item in value:
        key = lookup.get(item.strip().casefold())
        if key is None:
            raise ScheduleError("ignored_holidays", f"{item!r} is not a holiday of region {region}")
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def parse_schedule(body: Mapping[str, Any], *, schedule_id: int = 0) -> Schedule:
    """Validate the inside of a ``{"schedule": {...}}`` request body and build a Schedule.

    Fields that do not belong to the chosen variant (and response-only fields such as
    ``resource_type``) are ignored.

    Args:
        body: the schedule's fields, as the public API names them.
        schedule_id: the id to give the schedule (the store assigns it).

    Returns:
        One of RecurringEvent, SingleEvent, SingleAllDayEvent, HolidayCalendar.

    Raises:
        ScheduleError: the first field that does not validate, with a plain message.
    """
    if not isinstance(body, Mapping):
        raise ScheduleError("schedule", "must be an object")
    variant = _variant(body)
    common = _common(body, schedule_id)
    if variant is ScheduleType.RECURRING_EVENT:
        days = {day: _bool(body, day) for day in WEEKDAYS}
        if not any(days.values()):
            raise ScheduleError("base", "Choose at least one day of the week")
        fields: dict[str, Any] = {
            **common,
            **days,
            "starts_at_time": _hhmm(body, "starts_at_time", is_end=False),
            "ends_at_time": _hhmm(body, "ends_at_time", is_end=True),
        }
        return RecurringEvent(**fields)
    if variant is ScheduleType.SINGLE_EVENT:
        starts_at, ends_at = _instant(body, "starts_at"), _instant(body, "ends_at")
        if ends_at <= starts_at:
            raise ScheduleError("ends_at", "must be at least a minute after starts_at")
        return SingleEvent(**common, starts_at=starts_at, ends_at=ends_at)
    if variant is ScheduleType.SINGLE_ALL_DAY_EVENT:
        first, last = _date(body, "starts_at_date"), _date(body, "ends_at_date")
        if last < first:
            raise ScheduleError("ends_at_date", "must be on or after starts_at_date")
        return SingleAllDayEvent(**common, starts_at_date=first, ends_at_date=last)
    region = body.get("region")
    if region is None:
        raise ScheduleError("region", "is required")
    if not isinstance(region, str) or region not in hol.REGIONS:
        raise ScheduleError("region", "must be one of " + ", ".join(sorted(hol.REGIONS)))
    observed = _bool(body, "observed")
    return HolidayCalendar(
        **common, region=region, observed=observed, ignored_holidays=_ignored(body, region)
    )


def update_schedule(schedule: Schedule, changes: Mapping[str, Any]) -> Schedule:
    """Apply a PATCH body to a schedule and validate the result as a whole.

    Raises:
        ScheduleError: the merged schedule does not validate.
    """
    if not isinstance(changes, Mapping):
        raise ScheduleError("schedule", "must be an object")
    return parse_schedule({**schedule_to_dict(schedule), **changes}, schedule_id=schedule.id)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def schedule_to_dict(schedule: Schedule, *, all_fields: bool = False) -> dict[str, Any]:
    """The public API's response fields of a schedule, as JSON-ready values.

    Args:
        schedule: the schedule.
        all_fields: also carry every other variant's fields as None (a flat row). The API's
            response schemas forbid extra fields, so REST responses leave this False.
    """
    out: dict[str, Any] = {
        "id": schedule.id,
        "type": schedule.type.value,
        "name": schedule.name,
        "enabled": schedule.enabled,
        "override": schedule.override,
        "consequence": schedule.consequence.value,
        "scheduleable_type": schedule.scheduleable_type.value,
        "scheduleable_id": schedule.scheduleable_id,
    }
    if all_fields:
        out.update(dict.fromkeys((f for fs in _VARIANT_FIELDS.values() for f in fs), None))
    if isinstance(schedule, RecurringEvent):
        out.update({day: getattr(schedule, day) for day in WEEKDAYS})
        out.update(starts_at_time=schedule.starts_at_time, ends_at_time=schedule.ends_at_time)
    elif isinstance(schedule, SingleEvent):
        out.update(starts_at=_rfc3339(schedule.starts_at), ends_at=_rfc3339(schedule.ends_at))
    elif isinstance(schedule, SingleAllDayEvent):
        out.update(
            starts_at_date=schedule.starts_at_date.isoformat(),
            ends_at_date=schedule.ends_at_date.isoformat(),
        )
    else:
        out.update(
            region=schedule.region,
            observed=schedule.observed,
            ignored_holidays=list(schedule.ignored_holidays),
        )
    return out
