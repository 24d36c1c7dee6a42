"""Response schemas of /openapi.json: objects from the tables, refined by the field specs."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.access.roles import Permission, Scope
from app.controller.audit import EVENT_COLUMNS
from app.controller.event_sets import LIST_FILTERS, SCALAR_FILTERS
from app.controller.fields import CONTROL_CHARACTERS, MAX_INTEGER, Kind
from app.controller.resources import (
    ALL_RESOURCES,
    CARD_ASSIGNMENTS,
    CARDS,
    CONTROLLERS,
    GROUP_LINKS,
    GROUP_LOCKS,
    LOCKS,
    LOGINS,
    PLACES,
    READERS,
    ROLE_ASSIGNMENTS,
    USERS,
    ResourceSpec,
)
from app.controller.schema import SCHEMA

Schema = dict[str, Any]

SPECS = {s.name: s for s in ALL_RESOURCES}
OPENAPI_PATH = "/openapi.json"
JSON = "application/json"
# What SQLite can store in an INTEGER column; ids and integer filters are bounded by it.
INT64_MAX = 2**63 - 1

FIELD_TYPES: dict[Kind, Schema] = {
    Kind.STRING: {"type": "string"},
    Kind.TIME_ZONE: {"type": "string", "minLength": 1},
    Kind.INTEGER: {"type": "integer", "minimum": -MAX_INTEGER, "maximum": MAX_INTEGER},
    Kind.NUMBER: {"type": "number"},
    Kind.BOOLEAN: {"type": "boolean"},
    Kind.DATETIME: {"type": "string", "format": "date-time"},
    Kind.OBJECT: {"type": "object"},
}
# Text fields refuse control characters other than tab, line feed and carriage return.
TEXT_PATTERN = "^[^" + CONTROL_CHARACTERS.replace("\\x", "\\u00") + "]*$"
_COLUMN_TYPES = {"INTEGER": "integer", "REAL": "number", "TEXT": "string"}

ERROR: Schema = {
    "type": "object",
    "required": ["error", "code"],
    "properties": {"error": {"type": "string"}, "code": {"type": "string"}},
}
ERRORS: Schema = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
}
UNLOCKED: Schema = {
    "type": "object",
    "required": ["message"],
    "additionalProperties": False,
    "properties": {"message": {"type": "string", "enum": ["Unlocked!"]}},
}
ERROR_WORDS = {
    "401": "Missing or unknown credentials",
    "403": "The login's role does not allow this",
    "404": "No such object (or no such device waiting, for a token)",
    "409": "Conflicts with the current state (a duplicate, or still in use)",
    "413": "The request body is larger than 1 MiB",
    "422": "Invalid parameters or body",
    "503": "A device needed for this is not connected",
}


# --- object schemas from the tables ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a table as SQLite declares it."""

    name: str
    type: str
    not_null: bool


@cache
def table_columns() -> dict[str, tuple[Column, ...]]:
    """Every table's columns, read from the schema by SQLite itself (no DDL parsing here)."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            table: tuple(
                Column(name, str(decl).upper(), bool(not_null) or bool(pk))
                for _, name, decl, not_null, _, pk in db.execute(f"PRAGMA table_info({table})")
            )
            for table in tables
        }
    finally:
        db.close()


def nullable_schema(schema: Schema, nullable: bool) -> Schema:
    out = dict(schema)
    if nullable:
        out["nullable"] = True
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


def _column_schema(column: Column, spec: ResourceSpec | None = None) -> Schema:
    """How a stored column appears in a response."""
    written = {f.stored_as: f for f in spec.fields} if spec is not None else {}
    field_spec = written.get(column.name)
    schema: Schema
    if spec is not None and column.name in spec.booleans:
        schema = {"type": "boolean"}
    elif field_spec is not None and field_spec.kind is Kind.OBJECT:
        schema = {"type": "object"}
    else:
        schema = {"type": _COLUMN_TYPES.get(column.type, "string")}
    is_time = column.name.endswith(("_at", "_since")) or (
        field_spec is not None and field_spec.kind is Kind.DATETIME
    )
    if is_time and schema["type"] == "string":
        schema["format"] = "date-time"
    if field_spec is not None and field_spec.choices is not None:
        schema["enum"] = list(field_spec.choices)
    return nullable_schema(schema, not column.not_null)


def _columns_schema(table: str, spec: ResourceSpec | None = None) -> dict[str, Schema]:
    hidden = spec.hidden if spec is not None else frozenset()
    return {
        c.name: _column_schema(c, spec)
        for c in table_columns().get(table, ())
        if c.name not in hidden and c.type != "BLOB"
    }


def obj_schema(properties: dict[str, Schema], *, nullable: bool = False) -> Schema:
    """An object with every listed property required (other properties allowed)."""
    schema: Schema = {"type": "object", "properties": properties}
    if properties:
        schema["required"] = sorted(properties)
    return nullable_schema(schema, nullable)


def _brief(table: str, *keys: str, nullable: bool = True, **extra: Schema) -> Schema:
    """A nested ``{id, ...}`` summary of a row of ``table`` (null when the row is missing)."""
    columns = _columns_schema(table)
    return obj_schema({k: columns.get(k, {}) for k in ("id", *keys)} | extra, nullable=nullable)


def typed(kind: str, *, nullable: bool = False, **more: Any) -> Schema:
    return nullable_schema({"type": kind, **more}, nullable)


BOOL = typed("boolean")

# What the presenters add to a row's columns, per resource.
PRESENTED: dict[str, dict[str, Schema]] = {
    PLACES.name: {"tz_time_zone": typed("string"), "locks_count": typed("integer")},
    LOCKS.name: {
        "place": _brief("places", "name", "latitude", "longitude", nullable=False),
        "time_restriction_time_zone": typed("string", nullable=True),
        "configured": BOOL,
        "online": BOOL,
        "unlocked": BOOL,
        "open": BOOL,
        "on_scheduled_unlock": BOOL,
        "floor_id": typed("integer", nullable=True),
    },
    GROUP_LOCKS.name: {
        "group": _brief("groups", "name", resource_type=typed("string", enum=["Group"])),
        "lock": _brief("locks", "description", "name"),
        "place_id": typed("integer", nullable=True),
        "place": _brief("places", "name"),
    },
    USERS.name: {"metadata": typed("object"), "confirmed": BOOL, "scim_access_enabled": BOOL},
    CARDS.name: {
        "uid": typed("string", nullable=True),
        "model": typed("string"),
        "frequency": typed("string"),
        "third_party": BOOL,
        "format_name": typed("string"),
        "assigned": BOOL,
        "activated": BOOL,
        "user_id": typed("integer", nullable=True),
    },
    CARD_ASSIGNMENTS.name: {
        "user_id": typed("integer"),
        "guest_id": typed("integer", nullable=True),
    },
    ROLE_ASSIGNMENTS.name: {
        "applies_to": _brief("groups", "name"),
        "assignee": _brief("users", "name", "email"),
        "user_id": typed("integer"),
    },
    READERS.name: {
        "device_id": typed("string"),
        "online": BOOL,
        "lock": _brief("locks", "name"),
        "cards_enabled": BOOL,
    },
    CONTROLLERS.name: {"device_id": typed("string"), "online": BOOL},
}
# Shown once, in the answer to a create, and never again.
REVEALED: dict[str, dict[str, Schema]] = {
    LOGINS.name: {"secret": typed("string")},
    GROUP_LINKS.name: {
        "secret": typed("string"),
        "quick_response_code_token": typed("string", nullable=True),
        "quick_response_code_image": typed("string", nullable=True),
    },
}


def resource_schema(spec: ResourceSpec, *, created: bool = False) -> Schema:
    """A resource object as the presenters show it."""
    properties: dict[str, Schema] = {
        "id": typed("integer"),
        "resource_type": typed("string", enum=[spec.resource_type]),
    }
    properties |= _columns_schema(spec.table, spec)
    properties |= PRESENTED.get(spec.name, {})
    if created:
        properties |= REVEALED.get(spec.name, {})
    return obj_schema(properties)


def event_schema() -> Schema:
    """The public API's Event object, as ``present_event`` builds it."""
    columns = _columns_schema("events")
    properties = {c: columns.get(c, {}) for c in EVENT_COLUMNS if c != "reader_id"}
    properties |= {"id": typed("integer"), "success": BOOL, "sequence": typed("integer")}
    return obj_schema(properties)


def organization_schema() -> Schema:
    """The one organization a controller serves."""
    return obj_schema(
        {"resource_type": typed("string", enum=["Organization"])} | _columns_schema("organizations")
    )


def role_schema() -> Schema:
    """A built-in role with its permissions as booleans."""
    permissions = {name: BOOL for name in ("locks_unlock", *(p.value for p in Permission))}
    return obj_schema(
        {
            "id": typed("string"),
            "applies_to": typed("string", enum=[s.value for s in Scope]),
            "name": typed("string"),
            "description": typed("string"),
            "custom": BOOL,
            "custom_role_id": typed("string", nullable=True),
            "permissions": obj_schema(permissions),
        }
    )


def _event_set_filter(name: str) -> Schema:
    if name in LIST_FILTERS:
        return typed("string", nullable=True, description="comma-separated")
    if name == "event_success":
        return typed("boolean", nullable=True)
    if name.endswith("_id"):
        return typed("integer", nullable=True, minimum=-MAX_INTEGER, maximum=MAX_INTEGER)
    return typed("string", nullable=True)


EVENT_SET_FILTERS: dict[str, Schema] = {
    "interval": typed("string", nullable=True, description="ISO 8601: start/end, start/P…, P…/end"),
    **{name: _event_set_filter(name) for name in (*LIST_FILTERS, *SCALAR_FILTERS)},
}


def event_set_schema() -> Schema:
    """An event set with its filters echoed and one page of events."""
    schema = obj_schema(
        {
            "id": typed("integer"),
            "created_at": typed("string", format="date-time"),
            "status": typed("string", enum=["in_progress", "finished", "failed"]),
            "place_id": typed("integer", nullable=True),
            "interval": typed("string"),
            "events": {"type": "array", "items": event_schema()},
            "cursor": typed("string", nullable=True),
        }
    )
    schema["properties"] |= {k: v for k, v in EVENT_SET_FILTERS.items() if k != "interval"}
    return schema
