"""``GET /openapi.json``: an OpenAPI 3.0 description built from the routes actually served.

Nothing here is written path by path. Each route is classified by its shape (list, get, create,
update, delete, or an action on one object) and described from data:

- request bodies from the resource specs' field specs (types, bounds, patterns, choices);
- response objects from the SQLite table definitions (column types, ``NOT NULL``), refined by the
  field specs and by the fields the presenters add (:data:`PRESENTED`);
- status codes from what each kind of route can answer (:data:`STATUSES`, :data:`ACTIONS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from app.controller.api.openapi_inputs import (
    EVENT_FILTERS,
    EVENT_SET_BODY,
    PAGING,
    UNLOCK_BODY,
    list_parameters,
    path_parameters,
    query_param,
    resource_body,
)
from app.controller.api.openapi_schemas import (
    ERROR,
    ERROR_WORDS,
    ERRORS,
    JSON,
    OPENAPI_PATH,
    SPECS,
    UNLOCKED,
    Schema,
    event_schema,
    event_set_schema,
    obj_schema,
    organization_schema,
    resource_schema,
    role_schema,
    typed,
)
from app.controller.paging import MAX_LIMIT
from app.controller.resources import (
    CARDS,
    READERS,
    ResourceSpec,
)

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
                "description": ERROR_WORDS[status],
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
                query_param("limit", typed("integer", minimum=0, maximum=MAX_LIMIT)),
                query_param("cursor", typed("string"), text="the cursor of the previous page"),
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
                    "200": {
                        "description": "OpenAPI 3.0",
                        "content": {JSON: {"schema": obj_schema({})}},
                    }
                },
            }
        else:
            operation_id = f"{method.lower()}{path.replace('/', '_').replace('.', '_')}"
            op = _describe(method, path).document(operation_id, secured=True)
            op["parameters"] = [*path_parameters(path), *op["parameters"]]
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
