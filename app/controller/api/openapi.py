"""``GET /openapi.json``: an OpenAPI 3.0 description built from the routes actually served."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.controller.fields import FieldSpec, Kind
from app.controller.resources import ALL_RESOURCES, GROUP_LOCKS, ResourceSpec

SPECS = {s.name: s for s in ALL_RESOURCES}
_TYPES = {
    Kind.STRING: {"type": "string"},
    Kind.TIME_ZONE: {"type": "string"},
    Kind.INTEGER: {"type": "integer"},
    Kind.NUMBER: {"type": "number"},
    Kind.BOOLEAN: {"type": "boolean"},
    Kind.DATETIME: {"type": "string", "format": "date-time"},
    Kind.OBJECT: {"type": "object"},
}
ERROR = {
    "type": "object",
    "required": ["error", "code"],
    "properties": {"error": {"type": "string"}, "code": {"type": "string"}},
}
ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
}


def _field_schema(spec: FieldSpec) -> dict[str, Any]:
    schema: dict[str, Any] = dict(_TYPES[spec.kind])
    if spec.nullable and not spec.required:
        schema["nullable"] = True
    if spec.max_length is not None:
        schema["maxLength"] = spec.max_length
    if spec.choices is not None:
        schema["enum"] = list(spec.choices)
    if spec.minimum is not None:
        schema["minimum"] = spec.minimum
    if spec.maximum is not None:
        schema["maximum"] = spec.maximum
    if spec.pattern is not None:
        schema["pattern"] = f"^{spec.pattern}$"
    return schema


def _body(spec: ResourceSpec, creating: bool, fields: tuple[str, ...] | None = None) -> Any:
    chosen = [
        f
        for f in spec.fields
        if (f.on_create if creating else f.on_update) and (fields is None or f.name in fields)
    ]
    inner: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: _field_schema(f) for f in chosen},
    }
    required = [f.name for f in chosen if f.required and creating]
    if required:
        inner["required"] = required
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": [spec.root],
                    "properties": {spec.root: inner},
                }
            }
        },
    }


def _responses(method: str, path: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "401": {"description": "Unauthorized", "content": {"application/json": {"schema": ERROR}}},
        "404": {"description": "Not found", "content": {"application/json": {"schema": ERROR}}},
        "422": {"description": "Invalid", "content": {"application/json": {"schema": ERRORS}}},
        "403": {"description": "Forbidden", "content": {"application/json": {"schema": ERROR}}},
        "409": {"description": "Conflict", "content": {"application/json": {"schema": ERROR}}},
        "503": {"description": "Unavailable", "content": {"application/json": {"schema": ERROR}}},
    }
    if path.endswith("/unlock"):
        out["200"] = {
            "description": "Unlocked",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["message"],
                        "additionalProperties": False,
                        "properties": {"message": {"type": "string", "enum": ["Unlocked!"]}},
                    }
                }
            },
        }
    elif method in ("PATCH", "DELETE") or (method == "POST" and "{" in path):
        out["204"] = {"description": "Done"}
    elif method == "GET" and not path.endswith("}") and path != "/openapi.json":
        out["200"] = {
            "description": "A page",
            "content": {
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}}
            },
            "headers": {"X-Collection-Range": {"schema": {"type": "string"}}},
        }
    else:
        out["200"] = {
            "description": "The object",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    return out


def _parameters(path: str, method: str) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    for part in path.split("/"):
        if part.startswith("{"):
            name = part.strip("{}")
            kind = "string" if name == "token" else "integer"
            params.append({"name": name, "in": "path", "required": True, "schema": {"type": kind}})
    if method == "GET" and not path.endswith("}"):
        params += [
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 0, "maximum": 250},
            },
            {
                "name": "offset",
                "in": "query",
                "schema": {"type": "integer", "minimum": 0, "maximum": 20000},
            },
        ]
        spec = SPECS.get(path.strip("/"))
        if spec is not None:
            for name in spec.filters:
                kind = (
                    "integer"
                    if name.endswith("_id") or name in ("facility_code", "card_number")
                    else "string"
                )
                params.append(
                    {
                        "name": name,
                        "in": "query",
                        "required": spec is GROUP_LOCKS and name == "group_id",
                        "schema": {"type": kind},
                    }
                )
            if spec.search:
                params.append({"name": "query", "in": "query", "schema": {"type": "string"}})
    return params


def openapi_document(router: web.UrlDispatcher) -> dict[str, Any]:
    """Describe every route the router serves."""
    paths: dict[str, dict[str, Any]] = {}
    for route in router.routes():
        method = route.method.upper()
        info = route.get_info()
        path = info.get("path") or info.get("formatter")
        if method == "HEAD" or not path:
            continue
        op: dict[str, Any] = {
            "operationId": f"{method.lower()}{path.replace('/', '_')}",
            "parameters": _parameters(path, method),
            "responses": _responses(method, path),
        }
        if path != "/openapi.json":
            op["security"] = [{"KisiLogin": []}]
        spec = SPECS.get(path.split("/")[1])
        if spec is not None and method == "POST" and path == f"/{spec.name}":
            op["requestBody"] = _body(spec, creating=True)
        elif spec is not None and method == "PATCH":
            op["requestBody"] = _body(spec, creating=False)
        elif spec is not None and path.endswith("/assign"):
            op["requestBody"] = _body(spec, True, ("name", "place_id", "description"))
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
