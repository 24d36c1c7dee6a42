"""Event sets: a filtered view of the audit trail that clients poll and page by cursor."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from app.controller.audit import present_event
from app.controller.clock import Clock, iso, parse_iso
from app.controller.errors import NotFound, ValidationFailed, invalid
from app.controller.fields import MAX_INTEGER, parse_datetime
from app.controller.paging import parse_int
from app.controller.store import Store

MAX_SPAN = timedelta(days=90)
LIST_FILTERS = {"event_type": "type", "event_uuid": "uuid", "event_sequence": "id"}
SCALAR_FILTERS = {
    "event_actor_id": "actor_id",
    "event_actor_type": "actor_type",
    "event_authenticated_by_id": "authenticated_by_id",
    "event_authenticated_by_type": "authenticated_by_type",
    "event_object_id": "object_id",
    "event_object_type": "object_type",
    "event_place_id": "place_id",
    "place_id": "place_id",
    "event_success": "success",
}
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def _duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match or text in ("P", "PT"):
        raise ValueError(text)
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _instant(text: str) -> datetime:
    return parse_iso(parse_datetime(text))


def parse_interval(text: str) -> tuple[datetime, datetime]:
    """An ISO 8601 interval: start/end, start/duration or duration/end.

    Raises:
        ValueError: malformed, reversed, or wider than 90 days.
    """
    first, sep, second = text.partition("/")
    if not sep:
        raise ValueError("an interval has two parts separated by /")
    try:
        if first.startswith("P"):
            end = _instant(second)
            start = end - _duration(first)
        else:
            start = _instant(first)
            end = start + _duration(second) if second.startswith("P") else _instant(second)
        if not (start.astimezone(UTC).year >= 1000 and end.astimezone(UTC).year <= 9999):
            raise ValueError("the interval must lie between the years 1000 and 9999")
    except OverflowError:
        raise ValueError("the interval must lie between the years 1000 and 9999") from None
    if end < start:
        raise ValueError("the interval ends before it starts")
    if end - start > MAX_SPAN:
        raise ValueError("an interval may be at most 90 days wide")
    return start, end


class EventSets:
    """Creates event sets and pages through them."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def create(self, body: Any) -> dict[str, Any]:
        """Store a filtered set; the local trail answers at once, so it is ``finished``.

        Raises:
            ValidationFailed: unknown or malformed filters.
        """
        if not isinstance(body, dict):
            raise invalid("event_set", "must be an object")
        allowed = {"interval", *LIST_FILTERS, *SCALAR_FILTERS}
        unknown = [k for k in body if k not in allowed]
        if unknown:
            raise ValidationFailed({k: ["is not a known filter"] for k in unknown})
        if body.get("place_id") is not None and body.get("event_place_id") is not None:
            raise invalid("place_id", "use either place_id or event_place_id")
        filters = {k: v for k, v in body.items() if v is not None}
        interval = filters.get("interval")
        if interval is None:
            now = self._clock()
            filters["interval"] = f"{iso(now - MAX_SPAN)}/{iso(now)}"
        try:
            parse_interval(str(filters["interval"]))
        except ValueError as exc:
            raise invalid("interval", str(exc)) from None
        for key, value in filters.items():
            if key in LIST_FILTERS and not isinstance(value, str):
                raise invalid(key, "must be a comma-separated string")
            if key == "event_success" and not isinstance(value, bool):
                raise invalid(key, "must be true or false")
            if key.endswith("_id") and (
                isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INTEGER
            ):
                raise invalid(key, "must be an integer")
            if (key.endswith("_type") or key == "interval") and not isinstance(value, str):
                raise invalid(key, "must be a string")
        set_id = self._store.insert(
            "event_sets",
            {
                "created_at": self._store.now(),
                "status": "finished",
                "filters": json.dumps(filters),
                "place_id": filters.get("place_id"),
            },
            stamp=False,
        )
        return self.get(set_id, limit=50, cursor=None)

    def get(self, set_id: int, limit: int, cursor: str | None) -> dict[str, Any]:
        """One page of a set's events, oldest first, with the cursor of the next page.

        Raises:
            NotFound: unknown set; ValidationFailed: bad cursor.
        """
        row = self._store.get("event_sets", set_id)
        if row is None:
            raise NotFound(f"Event set {set_id} not found")
        filters: dict[str, Any] = json.loads(row["filters"])
        start, end = parse_interval(filters["interval"])
        where = ["created_at >= ?", "created_at <= ?"]
        args: list[Any] = [iso(start), iso(end)]
        for key, column in LIST_FILTERS.items():
            if key in filters:
                values = [v.strip() for v in str(filters[key]).split(",") if v.strip()]
                where.append(f"{column} IN ({', '.join('?' for _ in values)})")
                args.extend(values)
        for key, column in SCALAR_FILTERS.items():
            if key in filters:
                where.append(f"{column} = ?")
                args.append(int(filters[key]) if key == "event_success" else filters[key])
        if cursor:
            where.append("id > ?")
            args.append(parse_int(cursor, "cursor", 0))
        rows = self._store.rows(
            f"SELECT * FROM events WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",
            [*args, limit + 1],
        )
        more = len(rows) > limit
        rows = rows[:limit]
        out = {
            "id": row["id"],
            "created_at": row["created_at"],
            "status": row["status"],
            "place_id": row["place_id"],
            **filters,
        }
        out["events"] = [present_event(r) for r in rows]
        out["cursor"] = str(rows[-1]["id"]) if more and rows else None
        return out
