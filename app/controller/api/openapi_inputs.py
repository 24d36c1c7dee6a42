"""Request bodies and parameters of /openapi.json, from the resource specs' field specs."""

from __future__ import annotations

import re
from typing import Any

from app.controller.api.openapi_schemas import (
    EVENT_SET_FILTERS,
    FIELD_TYPES,
    INT64_MAX,
    JSON,
    TEXT_PATTERN,
    Schema,
    nullable_schema,
    table_columns,
    typed,
)
from app.controller.fields import MAX_INTEGER, FieldSpec, Kind
from app.controller.paging import MAX_LIMIT, MAX_OFFSET
from app.controller.resources import (
    GROUP_LOCKS,
    ResourceSpec,
)

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
    schema: Schema = dict(FIELD_TYPES[spec.kind])
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
    return nullable_schema(schema, spec.nullable and not spec.required)


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
                        "properties": {"proximity_proof": typed("string", nullable=True)},
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


def query_param(name: str, schema: Schema, *, required: bool = False, text: str = "") -> Schema:
    param: Schema = {"name": name, "in": "query", "required": required, "schema": schema}
    if text:
        param["description"] = text
    return param


PAGING = (
    query_param("limit", typed("integer", minimum=0, maximum=MAX_LIMIT), text="page size"),
    query_param("offset", typed("integer", minimum=0, maximum=MAX_OFFSET), text="items to skip"),
)
ID_FILTER = typed("integer", minimum=-INT64_MAX, maximum=INT64_MAX)
EVENT_FILTERS = (
    query_param("type", typed("string"), text="event types, comma-separated"),
    query_param("lock_id", ID_FILTER),
    query_param("user_id", ID_FILTER),
    query_param("place_id", ID_FILTER),
    query_param("success", typed("boolean")),
    query_param("since", typed("string", format="date-time")),
    query_param("until", typed("string", format="date-time")),
)


def _filter_schema(spec: ResourceSpec, column: str) -> Schema:
    """A list filter typed like the column it compares with."""
    found = next((c for c in table_columns().get(spec.table, ()) if c.name == column), None)
    if column == "id" or (found is not None and found.type == "INTEGER"):
        return ID_FILTER
    return typed("string")


def list_parameters(spec: ResourceSpec) -> list[Schema]:
    """Paging, the spec's filters and its search."""
    params = list(PAGING)
    for name, column in spec.filters.items():
        required = spec is GROUP_LOCKS and name == "group_id"
        params.append(query_param(name, _filter_schema(spec, column), required=required))
    if spec.search:
        text = "searches " + ", ".join(spec.search)
        params.append(query_param("query", typed("string"), text=text))
    return params


def path_parameters(path: str) -> list[Schema]:
    params: list[Schema] = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            schema = (
                typed("string", minLength=1)
                if name == "token"
                else typed("integer", minimum=1, maximum=10**18 - 1, example=1)
            )
            params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params
