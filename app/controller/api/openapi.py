"""``GET /openapi.json``: an OpenAPI 3.0 description built from the routes actually served.

Nothing here is written path by path. Each route is classified by its shape (list, get, create,
update, delete, or an action on one object) and described from data:

- request bodies from the resource specs' field specs (types, bounds, patterns, choices);
- response objects from the SQLite table definitions (column types, ``NOT NULL``), refined by the
  field specs and by the fields the presenters add (:data:`PRESENTED`);
- status codes from what each kind of route can answer (:data:`STATUSES`, :data:`ACTIONS`).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from aiohttp import web

from app.access.roles import Permission, Scope
from app.controller.audit import EVENT_COLUMNS
from app.controller.event_sets import LIST_FILTERS, SCALAR_FILTERS
from app.controller.fields import CONTROL_CHARACTERS, MAX_INTEGER, FieldSpec, Kind
from app.controller.paging import MAX_LIMIT, MAX_OFFSET
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

_FIELD_TYPES: dict[Kind, Schema] = {
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
_ERROR_WORDS = {
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


def _nullable(schema: Schema, nullable: bool) -> Schema:
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
    return _nullable(schema, not column.not_null)


def _columns_schema(table: str, spec: ResourceSpec | None = None) -> dict[str, Schema]:
    hidden = spec.hidden if spec is not None else frozenset()
    return {
        c.name: _column_schema(c, spec)
        for c in table_columns().get(table, ())
        if c.name not in hidden and c.type != "BLOB"
    }


def _obj(properties: dict[str, Schema], *, nullable: bool = False) -> Schema:
    """An object with every listed property required (other properties allowed)."""
    schema: Schema = {"type": "object", "properties": properties}
    if properties:
        schema["required"] = sorted(properties)
    return _nullable(schema, nullable)


def _brief(table: str, *keys: str, nullable: bool = True, **extra: Schema) -> Schema:
    """A nested ``{id, ...}`` summary of a row of ``table`` (null when the row is missing)."""
    columns = _columns_schema(table)
    return _obj({k: columns.get(k, {}) for k in ("id", *keys)} | extra, nullable=nullable)


def _t(kind: str, *, nullable: bool = False, **more: Any) -> Schema:
    return _nullable({"type": kind, **more}, nullable)


BOOL = _t("boolean")

# What the presenters add to a row's columns, per resource.
PRESENTED: dict[str, dict[str, Schema]] = {
    PLACES.name: {"tz_time_zone": _t("string"), "locks_count": _t("integer")},
    LOCKS.name: {
        "place": _brief("places", "name", "latitude", "longitude", nullable=False),
        "time_restriction_time_zone": _t("string", nullable=True),
        "configured": BOOL,
        "online": BOOL,
        "unlocked": BOOL,
        "open": BOOL,
        "on_scheduled_unlock": BOOL,
        "floor_id": _t("integer", nullable=True),
    },
    GROUP_LOCKS.name: {
        "group": _brief("groups", "name", resource_type=_t("string", enum=["Group"])),
        "lock": _brief("locks", "description", "name"),
        "place_id": _t("integer", nullable=True),
        "place": _brief("places", "name"),
    },
    USERS.name: {"metadata": _t("object"), "confirmed": BOOL, "scim_access_enabled": BOOL},
    CARDS.name: {
        "uid": _t("string", nullable=True),
        "model": _t("string"),
        "frequency": _t("string"),
        "third_party": BOOL,
        "format_name": _t("string"),
        "assigned": BOOL,
        "activated": BOOL,
        "user_id": _t("integer", nullable=True),
    },
    CARD_ASSIGNMENTS.name: {
        "user_id": _t("integer"),
        "guest_id": _t("integer", nullable=True),
    },
    ROLE_ASSIGNMENTS.name: {
        "applies_to": _brief("groups", "name"),
        "assignee": _brief("users", "name", "email"),
        "user_id": _t("integer"),
    },
    READERS.name: {
        "device_id": _t("string"),
        "online": BOOL,
        "lock": _brief("locks", "name"),
        "cards_enabled": BOOL,
    },
    CONTROLLERS.name: {"device_id": _t("string"), "online": BOOL},
}
# Shown once, in the answer to a create, and never again.
REVEALED: dict[str, dict[str, Schema]] = {
    LOGINS.name: {"secret": _t("string")},
    GROUP_LINKS.name: {
        "secret": _t("string"),
        "quick_response_code_token": _t("string", nullable=True),
        "quick_response_code_image": _t("string", nullable=True),
    },
}


def resource_schema(spec: ResourceSpec, *, created: bool = False) -> Schema:
    """A resource object as the presenters show it."""
    properties: dict[str, Schema] = {
        "id": _t("integer"),
        "resource_type": _t("string", enum=[spec.resource_type]),
    }
    properties |= _columns_schema(spec.table, spec)
    properties |= PRESENTED.get(spec.name, {})
    if created:
        properties |= REVEALED.get(spec.name, {})
    return _obj(properties)


def event_schema() -> Schema:
    """The public API's Event object, as ``present_event`` builds it."""
    columns = _columns_schema("events")
    properties = {c: columns.get(c, {}) for c in EVENT_COLUMNS if c != "reader_id"}
    properties |= {"id": _t("integer"), "success": BOOL, "sequence": _t("integer")}
    return _obj(properties)


def organization_schema() -> Schema:
    """The one organization a controller serves."""
    return _obj(
        {"resource_type": _t("string", enum=["Organization"])} | _columns_schema("organizations")
    )


def role_schema() -> Schema:
    """A built-in role with its permissions as booleans."""
    permissions = {name: BOOL for name in ("locks_unlock", *(p.value for p in Permission))}
    return _obj(
        {
            "id": _t("string"),
            "applies_to": _t("string", enum=[s.value for s in Scope]),
            "name": _t("string"),
            "description": _t("string"),
            "custom": BOOL,
            "custom_role_id": _t("string", nullable=True),
            "permissions": _obj(permissions),
        }
    )


def _event_set_filter(name: str) -> Schema:
    if name in LIST_FILTERS:
        return _t("string", nullable=True, description="comma-separated")
    if name == "event_success":
        return _t("boolean", nullable=True)
    if name.endswith("_id"):
        return _t("integer", nullable=True, minimum=-MAX_INTEGER, maximum=MAX_INTEGER)
    return _t("string", nullable=True)


EVENT_SET_FILTERS: dict[str, Schema] = {
    "interval": _t("string", nullable=True, description="ISO 8601: start/end, start/P…, P…/end"),
    **{name: _event_set_filter(name) for name in (*LIST_FILTERS, *SCALAR_FILTERS)},
}


def event_set_schema() -> Schema:
    """An event set with its filters echoed and one page of events."""
    schema = _obj(
        {
            "id": _t("integer"),
            "created_at": _t("string", format="date-time"),
            "status": _t("string", enum=["in_progress", "finished", "failed"]),
            "place_id": _t("integer", nullable=True),
            "interval": _t("string"),
            "events": {"type": "array", "items": event_schema()},
            "cursor": _t("string", nullable=True),
        }
    )
    schema["properties"] |= {k: v for k, v in EVENT_SET_FILTERS.items() if k != "interval"}
    return schema


# --- request bodies ----------------------------------------------------------------------------


# Examples for fields whose values follow a rule a generic example would break.
FIELD_EXAMPLES: dict[str, Any] = {
    "email": "jane@example.com",
    "phone": "+12025550123",
    "uid": "04A1B2C3D4",
    "two_factor_pin": "1234",
    "role_id": "group_basic",
    "time_zone": "Europe/Berlin",
}


def field_example(spec: FieldSpec) -> Any:
    """A value the field accepts (references point at id 1), or None when there is none."""
    if spec.name in FIELD_EXAMPLES:
        value = FIELD_EXAMPLES[spec.name]
        if spec.pattern is not None and not re.fullmatch(spec.pattern, str(value)):
            return None
        return value
    if spec.choices:
        return spec.choices[0]
    if spec.kind in (Kind.INTEGER, Kind.NUMBER):
        low = spec.minimum if spec.minimum is not None else -MAX_INTEGER
        high = spec.maximum if spec.maximum is not None else MAX_INTEGER
        value = min(max(1, low), high)
        return int(value) if spec.kind is Kind.INTEGER else float(value)
    examples: dict[Kind, Any] = {
        Kind.BOOLEAN: True,
        Kind.DATETIME: "2030-01-01T09:00:00Z",
        Kind.OBJECT: {},
        Kind.STRING: None if spec.pattern else f"Example {spec.name.replace('_', ' ')}",
    }
    return examples.get(spec.kind)


def field_schema(spec: FieldSpec) -> Schema:
    """A writable field as a request body describes it."""
    schema: Schema = dict(_FIELD_TYPES[spec.kind])
    if spec.max_length is not None:
        schema["maxLength"] = spec.max_length
    if spec.choices is not None:
        schema["enum"] = list(spec.choices)
    if spec.minimum is not None:
        schema["minimum"] = spec.minimum
    if spec.maximum is not None:
        schema["maximum"] = spec.maximum
    if spec.pattern is not None:
        schema["pattern"] = f"^(?:{spec.pattern})$"
    elif schema["type"] == "string" and spec.choices is None and spec.kind is Kind.STRING:
        schema["pattern"] = TEXT_PATTERN
    example = field_example(spec)
    if example is not None:
        schema["example"] = example
    return _nullable(schema, spec.nullable and not spec.required)


def _wrapped(root: str, inner: Schema, *, required: bool = True) -> Schema:
    return {
        "required": required,
        "content": {
            JSON: {
                "schema": {
                    "type": "object",
                    "properties": {root: inner},
                    **({"required": [root]} if required else {}),
                }
            }
        },
    }


def resource_body(
    spec: ResourceSpec,
    creating: bool,
    only: tuple[str, ...] | None = None,
    required: tuple[str, ...] = (),
) -> Schema:
    """``{"<root>": {...fields}}`` for a create, an update or an action taking some fields."""
    chosen = [
        f
        for f in spec.fields
        if (f.on_create if creating else f.on_update) and (only is None or f.name in only)
    ]
    inner: Schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: field_schema(f) for f in chosen},
    }
    needed = [f.name for f in chosen if (f.required and creating) or f.name in required]
    for name in required:
        inner["properties"][name].pop("nullable", None)
        if inner["properties"][name].get("type") == "string":
            inner["properties"][name]["minLength"] = 1
    if needed:
        inner["required"] = needed
    return _wrapped(spec.root, inner)


UNLOCK_BODY: Schema = {
    "required": False,
    "content": {
        JSON: {
            "schema": {
                "type": "object",
                "properties": {
                    "context": {
                        "type": "object",
                        "nullable": True,
                        "properties": {
                            "location": {
                                "type": "object",
                                "nullable": True,
                                "required": ["latitude", "longitude"],
                                "properties": {
                                    "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                                    "longitude": {
                                        "type": "number",
                                        "minimum": -180,
                                        "maximum": 180,
                                    },
                                },
                            },
                        },
                    },
                    "lock": {
                        "type": "object",
                        "nullable": True,
                        "required": ["proximity_proof"],
                        "properties": {"proximity_proof": _t("string", nullable=True)},
                    },
                },
            }
        }
    },
}
EVENT_SET_BODY = _wrapped(
    "event_set",
    {"type": "object", "additionalProperties": False, "properties": EVENT_SET_FILTERS},
    required=False,
)


# --- parameters --------------------------------------------------------------------------------


def _query(name: str, schema: Schema, *, required: bool = False, text: str = "") -> Schema:
    param: Schema = {"name": name, "in": "query", "required": required, "schema": schema}
    if text:
        param["description"] = text
    return param


PAGING = (
    _query("limit", _t("integer", minimum=0, maximum=MAX_LIMIT), text="page size"),
    _query("offset", _t("integer", minimum=0, maximum=MAX_OFFSET), text="items to skip"),
)
ID_FILTER = _t("integer", minimum=-INT64_MAX, maximum=INT64_MAX)
EVENT_FILTERS = (
    _query("type", _t("string"), text="event types, comma-separated"),
    _query("lock_id", ID_FILTER),
    _query("user_id", ID_FILTER),
    _query("place_id", ID_FILTER),
    _query("success", _t("boolean")),
    _query("since", _t("string", format="date-time")),
    _query("until", _t("string", format="date-time")),
)


def _filter_schema(spec: ResourceSpec, column: str) -> Schema:
    """A list filter typed like the column it compares with."""
    found = next((c for c in table_columns().get(spec.table, ()) if c.name == column), None)
    if column == "id" or (found is not None and found.type == "INTEGER"):
        return ID_FILTER
    return _t("string")


def list_parameters(spec: ResourceSpec) -> list[Schema]:
    """Paging, the spec's filters and its search."""
    params = list(PAGING)
    for name, column in spec.filters.items():
        required = spec is GROUP_LOCKS and name == "group_id"
        params.append(_query(name, _filter_schema(spec, column), required=required))
    if spec.search:
        text = "searches " + ", ".join(spec.search)
        params.append(_query("query", _t("string"), text=text))
    return params


def _path_parameters(path: str) -> list[Schema]:
    params: list[Schema] = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            schema = (
                _t("string", minLength=1)
                if name == "token"
                else _t("integer", minimum=1, maximum=10**18 - 1, example=1)
            )
            params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params


# --- operations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """What a ``POST /<resource>/{id|token}/<action>`` route takes and answers."""

    statuses: tuple[str, ...]
    ok: str = "204"
    body: str | None = None  # "unlock", or "assign" (the spec's name/place fields)
    summary: str = ""


ACTIONS: dict[str, Action] = {
    "unlock": Action(("404", "413", "422", "503"), "200", "unlock", "Unlock the door"),
    "lock_down": Action(("404",), summary="Lock down"),
    "cancel_lockdown": Action(("404",), summary="End a lockdown"),
    "activate": Action(("404",), summary="Activate the card assignment"),
    "deactivate": Action(("404",), summary="Deactivate the card assignment"),
    "assign": Action(("404", "413", "422"), body="assign", summary="Adopt the device by token"),
    "deassign": Action(("404", "409"), summary="Release the device"),
    "identify": Action(("404", "503"), summary="Blink the device's LED"),
    "reboot": Action(("404", "503"), summary="Restart the device"),
    "reset_tamper": Action(("404",), summary="Acknowledge a tamper alarm"),
    "first_to_arrive": Action(("404", "409"), summary="Start a first-to-arrive unlock now"),
    "disarm": Action(("404",), summary="Disarm the zone"),
    "silence": Action(("404",), summary="Silence the zone's siren"),
}
# Besides 401 and 403 on every authenticated route.
STATUSES: dict[str, tuple[str, ...]] = {
    "list": ("422",),
    "get": ("404",),
    "create": ("413", "422"),
    "update": ("404", "413", "422"),
    "delete": ("404", "409"),
}
# Creates that can answer 409 (a card with the same identifiers is already enrolled).
CONFLICT_ON_CREATE = frozenset({CARDS.name})
ASSIGN_FIELDS = {READERS.name: ("name", "place_id", "description")}


@dataclass
class Operation:
    """One operation being described."""

    ok: str = "200"
    body: Schema | None = None
    errors: set[str] = field(default_factory=set)
    parameters: list[Schema] = field(default_factory=list)
    result: Schema | None = None  # the 200 body's schema
    page: bool = False  # a list with X-Collection-Range
    media: str = JSON
    summary: str = ""

    def document(self, operation_id: str, secured: bool) -> Schema:
        """The OpenAPI operation object."""
        responses: Schema = {}
        if self.ok == "204":
            responses["204"] = {"description": "Done; no body"}
        else:
            schema: Schema = self.result if self.result is not None else {"type": "object"}
            if self.page:
                schema = {"type": "array", "items": schema}
            responses[self.ok] = {"description": "OK", "content": {self.media: {"schema": schema}}}
            if self.page:
                responses[self.ok]["headers"] = {
                    "X-Collection-Range": {
                        "description": "start-end/total",
                        "required": True,
                        "schema": {"type": "string", "pattern": r"^\d+-\d+/\d+$"},
                    }
                }
        for status in sorted(self.errors | ({"401", "403"} if secured else set())):
            body = ERRORS if status == "422" else ERROR
            responses[status] = {
                "description": _ERROR_WORDS[status],
                "content": {JSON: {"schema": body}},
            }
        op: Schema = {
            "operationId": operation_id,
            "parameters": list(self.parameters),
            "responses": responses,
        }
        if self.summary:
            op["summary"] = self.summary
        if self.body is not None:
            op["requestBody"] = self.body
        if secured:
            op["security"] = [{"KisiLogin": []}]
        return op


def _describe_resource(method: str, path: str, spec: ResourceSpec) -> Operation:
    """CRUD routes of a resource spec, and the actions on one of its objects."""
    parts = path.strip("/").split("/")
    one = len(parts) >= 2
    if method == "GET" and not one:
        return Operation(
            result=resource_schema(spec),
            page=True,
            parameters=list_parameters(spec),
            errors=set(STATUSES["list"]),
            summary=f"List {spec.name}",
        )
    if method == "GET" and len(parts) == 2:
        return Operation(
            result=resource_schema(spec), errors=set(STATUSES["get"]), summary=f"A {spec.root}"
        )
    if method == "POST" and not one:
        errors = set(STATUSES["create"])
        if spec.name in CONFLICT_ON_CREATE:
            errors.add("409")
        return Operation(
            result=resource_schema(spec, created=True),
            body=resource_body(spec, creating=True),
            errors=errors,
            summary=f"Create a {spec.root}",
        )
    if method == "PATCH" and len(parts) == 2:
        return Operation(
            ok="204",
            body=resource_body(spec, creating=False),
            errors=set(STATUSES["update"]),
            summary=f"Update a {spec.root}",
        )
    if method == "DELETE" and len(parts) == 2:
        return Operation(ok="204", errors=set(STATUSES["delete"]), summary=f"Delete a {spec.root}")
    return _action(method, path, spec)


def _action(method: str, path: str, spec: ResourceSpec | None) -> Operation:
    """``POST /<resource>/{id|token}/<action>``, or a loose description of another route."""
    parts = path.strip("/").split("/")
    action = ACTIONS.get(parts[-1]) if method == "POST" and len(parts) == 3 else None
    if action is None:
        return _generic(method, path)
    op = Operation(ok=action.ok, errors=set(action.statuses), summary=action.summary)
    if action.ok == "200" and action.body == "unlock":
        op.result = UNLOCKED
    if action.body == "unlock":
        op.body = UNLOCK_BODY
    elif action.body == "assign" and spec is not None:
        only = ASSIGN_FIELDS.get(spec.name, ("name", "place_id"))
        op.body = resource_body(spec, True, only, required=("name", "place_id"))
    return op


def _generic(method: str, path: str) -> Operation:
    """A route this module has no data for: any JSON body, and every status such routes use.

    Such a route can describe itself precisely through its handler's ``openapi`` attribute.
    """
    errors = {"404", "409", "413", "422", "503"}
    if method in ("PATCH", "DELETE") or (method == "POST" and "{" in path):
        return Operation(ok="204", errors=errors)
    return Operation(result={}, errors=errors)


def _describe(method: str, path: str) -> Operation:
    """Any served route."""
    name = path.strip("/").split("/")[0]
    if path == "/organizations":
        return Operation(result=organization_schema(), page=True, summary="The organization")
    if path == "/roles":
        return Operation(
            result=role_schema(),
            page=True,
            parameters=list(PAGING),
            errors={"422"},
            summary="The built-in roles",
        )
    if path == "/events":
        return Operation(
            result=event_schema(),
            page=True,
            parameters=[*PAGING, *EVENT_FILTERS],
            errors={"422"},
            summary="The audit trail, newest first",
        )
    if path == "/events.csv":
        return Operation(
            result={"type": "string"},
            media="text/csv",
            parameters=list(EVENT_FILTERS),
            errors={"422"},
            summary="The audit trail as CSV",
        )
    if path == "/event_sets" and method == "POST":
        return Operation(
            result=event_set_schema(),
            body=EVENT_SET_BODY,
            errors={"413", "422"},
            summary="Create an event set",
        )
    if path == "/event_sets/{id}" and method == "GET":
        return Operation(
            result=event_set_schema(),
            parameters=[
                _query("limit", _t("integer", minimum=0, maximum=MAX_LIMIT)),
                _query("cursor", _t("string"), text="the cursor of the previous page"),
            ],
            errors={"404", "422"},
            summary="A page of an event set",
        )
    spec = SPECS.get(name)
    if spec is not None:
        return _describe_resource(method, path, spec)
    return _action(method, path, None)


def openapi_document(router: web.UrlDispatcher) -> dict[str, Any]:
    """Describe every route the router serves."""
    paths: dict[str, dict[str, Any]] = {}
    for route in router.routes():
        method = route.method.upper()
        info = route.get_info()
        path = info.get("path") or info.get("formatter")
        if method == "HEAD" or not path:
            continue
        if path == OPENAPI_PATH:
            op: Schema = {
                "operationId": "get_openapi",
                "summary": "This description",
                "parameters": [],
                "responses": {
                    "200": {"description": "OpenAPI 3.0", "content": {JSON: {"schema": _obj({})}}}
                },
            }
        else:
            operation_id = f"{method.lower()}{path.replace('/', '_').replace('.', '_')}"
            op = _describe(method, path).document(operation_id, secured=True)
            op["parameters"] = [*_path_parameters(path), *op["parameters"]]
            # A handler may describe itself where no spec does: its ``openapi`` attribute holds
            # operation fields (requestBody, responses, parameters, ...) that replace these.
            hint = getattr(route.handler, "openapi", None)
            if isinstance(hint, dict):
                op.update(hint)
        paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.0.3",
        "info": {"title": "Lintel local controller", "version": "1"},
        "components": {
            "securitySchemes": {
                "KisiLogin": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "KISI-LOGIN <secret>",
                }
            }
        },
        "paths": paths,
    }
