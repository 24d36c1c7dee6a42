"""Actions beyond plain CRUD: organizations, roles, unlock, lockdown, card activation."""

from __future__ import annotations

from dataclasses import replace

from aiohttp import web

from app.access.roles import ROLES
from app.controller.api.auth import require_write
from app.controller.api.context import actor_of, ctx, login
from app.controller.api.crud import Handler
from app.controller.api.http import no_content, page_response, path_id, read_json
from app.controller.audit import Event
from app.controller.errors import Forbidden, Unavailable
from app.controller.paging import Page, window
from app.controller.resources import CARD_ASSIGNMENTS, LOCKS, PLACES, ResourceSpec


async def organizations(request: web.Request) -> web.StreamResponse:
    """GET /organizations: the one organization this controller serves."""
    row = ctx(request).store.get("organizations", ctx(request).organization_id) or {}
    return page_response(Page([{**row, "resource_type": "Organization"}], 0, 1))


async def roles(request: web.Request) -> web.StreamResponse:
    """GET /roles: the built-in roles."""
    limit, offset = window(request.query, 50)
    items = [
        {
            "id": r.id,
            "applies_to": r.applies_to.value,
            "name": r.name,
            "description": r.description,
            "custom": False,
            "custom_role_id": None,
            "permissions": {
                "locks_unlock": True,
                "manage_site": r.manage_site,
                "manage_people": r.manage_people,
                "manage_doors": r.manage_doors,
            },
        }
        for r in ROLES.values()
    ]
    return page_response(Page(items[offset : offset + limit], offset, len(items)))


async def unlock(request: web.Request) -> web.StreamResponse:
    """POST /locks/{id}/unlock: open a door from the app (administrators and managers)."""
    c = ctx(request)
    lock_id = path_id(request)
    lock = c.site.get(LOCKS, lock_id)
    await read_json(request, optional=True)
    who = login(request)
    actor = actor_of(request)
    base = Event(
        type="lock.unlock",
        actor_type=actor.kind,
        actor_id=actor.id,
        actor_name=actor.name,
        authenticated_by_type="Login",
        authenticated_by_id=who.id,
        object_type="Lock",
        object_id=lock_id,
        object_name=lock["name"],
        place_id=lock["place_id"],
        via="app",
    )
    if not who.role.unlock_all_doors:
        c.audit.record(_failed(base, "afc496", "Access denied"))
        raise Forbidden("This login may not unlock doors", "afc496")
    if not c.doors.connections(lock_id):
        c.audit.record(_failed(base, "ff420a", "The door has no controller"))
        raise Unavailable("The door has no controller relay connected", "ff420a")
    if not await c.doors.pulse_lock(lock_id):
        c.audit.record(_failed(base, "ff420a", "The door controller is offline"))
        raise Unavailable("The door controller is offline", "ff420a")
    c.audit.record(base)
    return web.json_response({"message": "Unlocked!"})


def _failed(event: Event, code: str, message: str) -> Event:
    return replace(
        event, success=False, code=code, error_code=code, error_message=message, message=message
    )


def _lockdown(spec: ResourceSpec, on: bool) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        c = ctx(request)
        require_write(login(request), spec.name)
        row_id = path_id(request)
        row = c.site.row(spec, row_id)
        c.store.update(
            spec.table,
            row_id,
            {
                "locked_down": int(on),
                "locked_down_since": c.store.now() if on else None,
            },
        )
        actor = actor_of(request)
        c.audit.record(
            Event(
                type=f"{spec.root}.{'lock_down' if on else 'cancel_lockdown'}",
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type=spec.resource_type,
                object_id=row_id,
                object_name=row["name"],
                place_id=row["place_id"] if spec is LOCKS else row_id,
            )
        )
        return no_content()

    return handler


def _activation(activate: bool) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        c = ctx(request)
        require_write(login(request), CARD_ASSIGNMENTS.name)
        row_id = path_id(request)
        row = c.site.row(CARD_ASSIGNMENTS, row_id)
        status = "activated" if activate else "deactivated"
        c.store.update(CARD_ASSIGNMENTS.table, row_id, {"status": status})
        actor = actor_of(request)
        c.audit.record(
            Event(
                type=f"card.{'activate' if activate else 'deactivate'}",
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type="Card",
                object_id=row["card_id"],
            )
        )
        return no_content()

    return handler


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the action routes."""
    router.add_get("/organizations", organizations)
    router.add_get("/roles", roles)
    router.add_post("/locks/{id}/unlock", unlock)
    router.add_post("/locks/{id}/lock_down", _lockdown(LOCKS, True))
    router.add_post("/locks/{id}/cancel_lockdown", _lockdown(LOCKS, False))
    router.add_post("/places/{id}/lock_down", _lockdown(PLACES, True))
    router.add_post("/places/{id}/cancel_lockdown", _lockdown(PLACES, False))
    router.add_post("/card_assignments/{id}/activate", _activation(True))
    router.add_post("/card_assignments/{id}/deactivate", _activation(False))
