"""Reading the audit trail: filtered pages, CSV export, the newest events."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from app.controller.audit import present_event
from app.controller.errors import invalid
from app.controller.fields import parse_datetime
from app.controller.paging import Page, parse_int
from app.controller.store import Store

CSV_COLUMNS = (
    "created_at",
    "type",
    "success",
    "actor_name",
    "actor_email",
    "object_type",
    "object_id",
    "object_name",
    "via",
    "code",
    "message",
)
MAX_CSV_ROWS = 100_000


def _int(params: Mapping[str, str], name: str) -> int:
    return parse_int(params[name], name)


def _where(params: Mapping[str, str]) -> tuple[str, list[Any]]:
    """SQL conditions for the filters of ``GET /events``.

    Raises:
        ValidationFailed: a filter that is not what it should be.
    """
    where: list[str] = []
    args: list[Any] = []
    if params.get("type"):
        types = [t.strip() for t in params["type"].split(",") if t.strip()]
        where.append(f"type IN ({', '.join('?' for _ in types)})")
        args += types
    if "lock_id" in params:
        where.append("object_type = 'Lock' AND object_id = ?")
        args.append(_int(params, "lock_id"))
    if "user_id" in params:
        where.append("actor_type = 'User' AND actor_id = ?")
        args.append(_int(params, "user_id"))
    if "place_id" in params:
        where.append("place_id = ?")
        args.append(_int(params, "place_id"))
    if "success" in params:
        if params["success"] not in ("true", "false"):
            raise invalid("success", "must be true or false")
        where.append("success = ?")
        args.append(int(params["success"] == "true"))
    for name, op in (("since", ">="), ("until", "<")):
        if name in params:
            try:
                stored = parse_datetime(params[name])
            except ValueError:
                raise invalid(name, "must be an RFC 3339 date-time") from None
            where.append(f"created_at {op} ?")
            args.append(stored)
    return (" WHERE " + " AND ".join(where)) if where else "", args


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A leading = + - @ would make a spreadsheet run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class EventLog:
    """Queries over the append-only events table."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def page(self, params: Mapping[str, str], limit: int, offset: int) -> Page:
        """Newest first, filtered."""
        clause, args = _where(params)
        total = int(self._store.scalar(f"SELECT count(*) FROM events{clause}", args))
        rows = self._store.rows(
            f"SELECT * FROM events{clause} ORDER BY id DESC LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        return Page([present_event(r) for r in rows], offset, total)

    def csv(self, params: Mapping[str, str]) -> str:
        """Matching events (newest first) as CSV with a header row."""
        clause, args = _where(params)
        rows = self._store.rows(
            f"SELECT * FROM events{clause} ORDER BY id DESC LIMIT ?", [*args, MAX_CSV_ROWS]
        )
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            shown = present_event(row)
            writer.writerow([_cell(shown[c]) for c in CSV_COLUMNS])
        return out.getvalue()

    def recent(self, count: int) -> list[dict[str, Any]]:
        """The newest events, newest first."""
        rows = self._store.rows("SELECT * FROM events ORDER BY id DESC LIMIT ?", (count,))
        return [present_event(r) for r in rows]
