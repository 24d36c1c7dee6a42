"""The audit trail: append-only events in SQLite, announced to live listeners."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from app.controller.store import Row, Store

log = logging.getLogger("lintel.audit")

EVENT_COLUMNS = (
    "uuid",
    "type",
    "action",
    "created_at",
    "actor_type",
    "actor_id",
    "actor_name",
    "actor_email",
    "authenticated_by_type",
    "authenticated_by_id",
    "authorized_by_type",
    "authorized_by_id",
    "authorized_by_role_id",
    "object_type",
    "object_id",
    "object_name",
    "success",
    "message",
    "code",
    "error_code",
    "error_message",
    "organization_id",
    "place_id",
    "via",
    "reader_id",
)


@dataclass(frozen=True)
class Event:
    """One audit record, shaped like the public API's Event object."""

    type: str
    success: bool = True
    message: str | None = None
    actor_type: str | None = None
    actor_id: int | None = None
    actor_name: str | None = None
    actor_email: str | None = None
    authenticated_by_type: str | None = None
    authenticated_by_id: int | None = None
    authorized_by_type: str | None = None
    authorized_by_id: int | None = None
    authorized_by_role_id: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    object_name: str | None = None
    code: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    place_id: int | None = None
    via: str | None = None
    reader_id: int | None = None


Listener = Callable[[dict[str, Any]], None]
EVENT_FIELDS = tuple(f.name for f in fields(Event))
INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in EVENT_COLUMNS)})"
)


def present_event(row: Row) -> dict[str, Any]:
    """The public API's Event object for a stored row."""
    out = {k: row[k] for k in EVENT_COLUMNS if k != "reader_id"}
    out["id"] = row["id"]
    out["success"] = bool(row["success"])
    out["sequence"] = row["id"]
    return out


class AuditTrail:
    """Writes events durably before anyone acts on them, then tells listeners."""

    def __init__(self, store: Store, organization_id: int) -> None:
        self._store = store
        self._organization_id = organization_id
        self._listeners: list[Listener] = []
        self._batch: list[tuple[dict[str, Any], asyncio.Future[dict[str, Any]]]] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with each new event; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def record(self, event: Event) -> dict[str, Any]:
        """Append an event (committed before returning) and notify listeners.

        Returns:
            The stored event as the API shows it.
        """
        values = self._values(event)
        values["id"] = self._store.execute(
            INSERT_EVENT, [values[c] for c in EVENT_COLUMNS], site=False
        )
        return self._announce(values)

    async def record_durably(self, event: Event) -> dict[str, Any]:
        """Append an event and return once it is committed, sharing the commit with the other
        events recorded at the same moment (group commit).

        Under load many decisions land in one event-loop turn; one transaction for all of them
        costs far less than one each, and every caller still waits for its own row on disk.

        Raises:
            StoreError: the batch could not be written; nothing of it was kept.
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[dict[str, Any]] = loop.create_future()
        self._batch.append((self._values(event), done))
        if len(self._batch) == 1:
            loop.call_soon(self._flush)
        return await done

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        try:
            with self._store.transaction():
                for values, _ in batch:
                    values["id"] = self._store.execute(
                        INSERT_EVENT, [values[c] for c in EVENT_COLUMNS], site=False
                    )
        except Exception as exc:
            log.exception("could not write %d audit events", len(batch))
            for _, done in batch:
                if not done.done():
                    done.set_exception(exc)
            return
        for values, done in batch:
            shown = self._announce(values)
            if not done.done():
                done.set_result(shown)

    def _values(self, event: Event) -> dict[str, Any]:
        # Built field by field: dataclasses.asdict deep-copies and is the slowest part of a
        # decision otherwise.
        values: dict[str, Any] = {name: getattr(event, name) for name in EVENT_FIELDS}
        values.update(
            uuid=str(uuid.uuid4()),
            action=event.type.split(".", 1)[-1],
            created_at=self._store.now(),
            success=int(event.success),
            organization_id=self._organization_id,
        )
        return values

    def _announce(self, values: dict[str, Any]) -> dict[str, Any]:
        shown = present_event(values)
        for listener in list(self._listeners):
            try:
                listener(shown)
            except Exception:  # a broken listener must not lose or block the trail
                log.exception("audit listener failed")
        return shown
