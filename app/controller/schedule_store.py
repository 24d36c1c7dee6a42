"""Schedules in the store: create, change, list, and the parsed schedules decisions read."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from app.access.schedule_codec import parse_schedule, schedule_to_dict, update_schedule
from app.access.schedules import Consequence, Schedule, ScheduleError, effective_windows
from app.access.timewindows import Window
from app.controller.audit import AuditTrail, Event
from app.controller.errors import NotFound, ValidationFailed, invalid
from app.controller.paging import Page, window
from app.controller.site import SYSTEM, Actor
from app.controller.store import Memo, Row, Store

TARGETS = {"Lock": "locks", "Group": "groups"}


def _invalid(exc: ScheduleError) -> ValidationFailed:
    return ValidationFailed({exc.field: [exc.message]})


class ScheduleStore:
    """Schedules of doors and groups, with a parsed cache for the decision path."""

    def __init__(self, store: Store, audit: AuditTrail) -> None:
        self._store = store
        self._audit = audit
        self._cache: dict[tuple[str, int], list[Schedule]] = {}
        # (type, id, consequence, zone) -> (span start, span end, windows in force)
        self._windows: dict[tuple[str, int, str, str], tuple[datetime, datetime, list[Window]]] = {}
        self._listeners: list[Callable[[], None]] = []
        self._memo = Memo(store)

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after any schedule changes (the unlock timer re-plans)."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        self._cache.clear()
        self._windows.clear()
        for listener in list(self._listeners):
            listener()

    # --- reads for decisions -------------------------------------------------------------------

    def of(self, scheduleable_type: str, scheduleable_id: int) -> list[Schedule]:
        """Every schedule of a door or group, parsed (cached until something changes)."""
        key = (scheduleable_type, scheduleable_id)
        found = self._cache.get(key)
        if found is None:
            rows = self._store.rows(
                "SELECT id, body FROM schedules WHERE scheduleable_type = ? AND "
                "scheduleable_id = ?",
                key,
            )
            found = [parse_schedule(json.loads(r["body"]), schedule_id=r["id"]) for r in rows]
            self._cache[key] = found
        return found

    def zone_of(self, scheduleable_type: str, scheduleable_id: int) -> str:
        """The time zone a door's or group's schedules run in: its place's, else UTC.

        Raises:
            NotFound: no such door or group.
        """
        return self._memo.get(
            ("zone", scheduleable_type, scheduleable_id),
            lambda: self._zone_of(scheduleable_type, scheduleable_id),
        )

    def _zone_of(self, scheduleable_type: str, scheduleable_id: int) -> str:
        table = TARGETS.get(scheduleable_type)
        target = self._store.get(table, scheduleable_id) if table else None
        if target is None:
            raise NotFound(f"{scheduleable_type} {scheduleable_id} not found")
        place = self._store.get("places", target["place_id"]) if target["place_id"] else None
        return str(place["time_zone"]) if place else "UTC"

    def active(
        self,
        scheduleable_type: str,
        scheduleable_id: int,
        consequence: Consequence,
        tz: str,
        now: datetime,
    ) -> bool:
        """Whether ``consequence`` is in force now, from the day's windows computed once.

        Deciding a card reads this on every presentation, so the windows of the next day are
        kept until the clock leaves them or a schedule changes.
        """
        key = (scheduleable_type, scheduleable_id, consequence.value, tz)
        cached = self._windows.get(key)
        if cached is None or not cached[0] <= now < cached[1]:
            start, end = now - timedelta(minutes=1), now + timedelta(days=1)
            windows = effective_windows(
                self.of(scheduleable_type, scheduleable_id), consequence, start, end, tz
            )
            cached = (start, end, windows)
            if len(self._windows) > 50_000:
                self._windows.clear()
            self._windows[key] = cached
        return any(w.start <= now < w.end for w in cached[2])

    def locks_with(self, *consequences: str) -> list[int]:
        """Doors that have schedules of these consequences."""
        marks = ", ".join("?" for _ in consequences)
        rows = self._store.rows(
            "SELECT DISTINCT scheduleable_id FROM schedules WHERE scheduleable_type = 'Lock'"
            f" AND consequence IN ({marks})",
            consequences,
        )
        return [int(r["scheduleable_id"]) for r in rows]

    # --- the resource --------------------------------------------------------------------------

    def _row(self, schedule_id: int) -> Row:
        row = self._store.get("schedules", schedule_id)
        if row is None:
            raise NotFound(f"Schedule {schedule_id} not found")
        return row

    def present(self, row: Row) -> dict[str, Any]:
        """The public API's Schedule object."""
        body = json.loads(row["body"])
        target = self._store.get(TARGETS[row["scheduleable_type"]], row["scheduleable_id"]) or {}
        place_id = target.get("place_id")
        place = self._store.get("places", place_id) if place_id else None
        return {
            **schedule_to_dict(parse_schedule(body, schedule_id=row["id"]), all_fields=True),
            "id": row["id"],
            "resource_type": "Schedule",
            "scheduleable": {
                "id": target.get("id"),
                "type": row["scheduleable_type"],
                "name": target.get("name"),
            },
            "place_id": place_id,
            "place": {"id": place["id"], "name": place["name"]} if place else None,
            "integration_id": None,
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }

    def get(self, schedule_id: int) -> dict[str, Any]:
        """One schedule."""
        return self.present(self._row(schedule_id))

    def list(self, params: Mapping[str, str]) -> Page:
        """Schedules filtered by consequence and by scheduleable (both type and id, or neither).

        Raises:
            ValidationFailed: a bad filter.
        """
        limit, offset = window(params, 10)
        where: list[str] = []
        args: list[Any] = []
        if "consequence" in params:
            where.append("consequence = ?")
            args.append(params["consequence"])
        has_type, has_id = "scheduleable_type" in params, "scheduleable_id" in params
        if has_type != has_id:
            raise invalid("scheduleable_id", "give scheduleable_type and scheduleable_id together")
        if has_type:
            if not params["scheduleable_id"].isdigit():
                raise invalid("scheduleable_id", "must be an integer")
            where.append("scheduleable_type = ? AND scheduleable_id = ?")
            args += [params["scheduleable_type"], int(params["scheduleable_id"])]
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        total = int(self._store.scalar(f"SELECT count(*) FROM schedules{clause}", args))
        rows = self._store.rows(
            f"SELECT * FROM schedules{clause} ORDER BY id LIMIT ? OFFSET ?", [*args, limit, offset]
        )
        return Page([self.present(r) for r in rows], offset, total)

    def create(self, body: Any, actor: Actor = SYSTEM) -> dict[str, Any]:
        """Validate and store a schedule.

        Raises:
            ValidationFailed: a field is wrong or the door/group does not exist.
        """
        try:
            schedule = parse_schedule(body)
        except ScheduleError as exc:
            raise _invalid(exc) from None
        self._check_target(schedule)
        row_id = self._store.insert("schedules", self._columns(schedule))
        self._changed()
        created = self.get(row_id)
        self._audit.record(
            Event(
                type="schedule.create",
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type="Schedule",
                object_id=row_id,
                object_name=schedule.name,
                place_id=created["place_id"],
            )
        )
        return created

    def update(self, schedule_id: int, body: Any, actor: Actor = SYSTEM) -> None:
        """Apply a partial change and validate the whole schedule again."""
        row = self._row(schedule_id)
        current = parse_schedule(json.loads(row["body"]), schedule_id=schedule_id)
        try:
            schedule = update_schedule(current, body)
        except ScheduleError as exc:
            raise _invalid(exc) from None
        self._check_target(schedule)
        self._store.update("schedules", schedule_id, self._columns(schedule))
        self._changed()
        self._recorded("schedule.update", schedule_id, schedule.name, actor)

    def delete(self, schedule_id: int, actor: Actor = SYSTEM) -> None:
        """Remove a schedule."""
        row = self._row(schedule_id)
        self._store.delete("schedules", schedule_id)
        self._changed()
        self._recorded("schedule.delete", schedule_id, json.loads(row["body"]).get("name"), actor)

    def _recorded(self, kind: str, schedule_id: int, name: str | None, actor: Actor) -> None:
        self._audit.record(
            Event(
                type=kind,
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type="Schedule",
                object_id=schedule_id,
                object_name=name,
            )
        )

    def _check_target(self, schedule: Schedule) -> None:
        table = TARGETS.get(schedule.scheduleable_type.value)
        if table is None:
            raise invalid("scheduleable_type", "must be Lock or Group on this controller")
        if self._store.get(table, schedule.scheduleable_id) is None:
            raise invalid("scheduleable_id", "does not exist")

    @staticmethod
    def _columns(schedule: Schedule) -> dict[str, Any]:
        return {
            "type": schedule.type.value,
            "scheduleable_type": schedule.scheduleable_type.value,
            "scheduleable_id": schedule.scheduleable_id,
            "consequence": schedule.consequence.value,
            "enabled": int(schedule.enabled),
            "body": json.dumps(schedule_to_dict(schedule)),
        }
