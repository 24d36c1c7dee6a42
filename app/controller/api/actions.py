"""Actions beyond plain CRUD: organizations, roles, unlock, lockdown, card activation."""

from __future__ import annotations

import math
from typing import Any

from aiohttp import web

from app.access.codes import DenialCode
from app.access.decide import UnlockRequest
from app.access.restrictions import Method, UnlockContext
from app.access.roles import ROLES, Permission, Scope
from app.controller.api.auth import require, require_write
from app.controller.api.context import actor_of, ctx, login
from app.controller.api.crud import Handler
from app.controller.api.http import no_content, page_response, path_id, read_json
from app.controller.errors import Conflict, Forbidden, Unavailable, invalid
from app.controller.paging import Page, window
from app.controller.resources import CARD_ASSIGNMENTS, LOCKS, LOGINS, PLACES, ResourceSpec


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
                "locks_unlock": r.allows(Permission.UNLOCK_GRANTED) or r.unlock_all_doors,
                **{p.value: r.allows(p) for p in Permission},
            },
        }
        for r in ROLES.values()
    ]
    return page_response(Page(items[offset : offset + limit], offset, len(items)))


def parse_unlock_body(body: Any) -> UnlockContext:
    """The unlock body's context: the phone's location and the reader's proximity proof.

    Raises:
        ValidationFailed: a malformed location or lock object.
    """
    if not isinstance(body, dict):
        raise invalid("body", "must be a JSON object")
    context, lock = body.get("context"), body.get("lock")
    latitude = longitude = None
    if context is not None:
        if not isinstance(context, dict):
            raise invalid("context", "must be an object")
        location = context.get("location")
        if location is not None:
            if not isinstance(location, dict) or not all(
                isinstance(location.get(k), int | float) and not isinstance(location.get(k), bool)
                for k in ("latitude", "longitude")
            ):
                raise invalid("location", "needs numeric latitude and longitude")
            raw = (location["latitude"], location["longitude"])
            # Range-check before float(): a 400-digit integer would overflow it.
            if not (-90 <= raw[0] <= 90 and -180 <= raw[1] <= 180):
                raise invalid("location", "is not on Earth")
            latitude, longitude = float(raw[0]), float(raw[1])
            if not (math.isfinite(latitude) and math.isfinite(longitude)):
                raise invalid("location", "is not on Earth")
    proof = None
    if lock is not None:
        if not isinstance(lock, dict) or "proximity_proof" not in lock:
            raise invalid("lock", "needs proximity_proof")
        proof = lock["proximity_proof"]
        if proof is not None and not isinstance(proof, str):
            raise invalid("proximity_proof", "must be a string")
    return UnlockContext(latitude, longitude, proof)


async def unlock(request: web.Request) -> web.StreamResponse:
    """POST /locks/{id}/unlock: open a door from the app or through an access link."""
    c = ctx(request)
    lock_id = path_id(request)
    c.site.row(LOCKS, lock_id)
    context = parse_unlock_body(await read_json(request, optional=True))
    who = login(request)
    if not (who.role.allows(Permission.UNLOCK_GRANTED) or who.role.unlock_all_doors):
        raise Forbidden(f"The {who.role.name} role may not unlock doors", "afc403")
    if who.link is not None:
        unlock_request = UnlockRequest(Method.LINK, link=who.link)
    else:
        unlock_request = UnlockRequest(
            Method.APP, user_id=who.user_id, login_role_id=who.role.id, context=context
        )
    decision = await c.decisions.unlock(unlock_request, lock_id)
    if decision.granted:
        return web.json_response({"message": "Unlocked!"})
    code = decision.code.value if decision.code else "afc496"
    if decision.code is DenialCode.DOOR_HAS_NO_CONTROLLER:
        raise Unavailable(decision.message, code)
    raise Forbidden(decision.message, code)


def _lockdown(spec: ResourceSpec, on: bool) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        require_write(login(request), spec)
        await ctx(request).lockdowns.set(spec, path_id(request), on, actor_of(request))
        return no_content()

    return handler


async def first_to_arrive(request: web.Request) -> web.StreamResponse:
    """POST /locks/{id}/first_to_arrive: start today's first-to-arrive unlock now."""
    c = ctx(request)
    require_write(login(request), LOCKS)
    lock_id = path_id(request)
    c.site.row(LOCKS, lock_id)
    if not c.scheduled_unlocks.granted(lock_id):
        raise Conflict("The door has no first-to-arrive schedule running now", "afc409")
    return no_content()


def _activation(activate: bool) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        c = ctx(request)
        require_write(login(request), CARD_ASSIGNMENTS)
        c.site.set_card_activation(path_id(request), activate, actor_of(request))
        return no_content()

    return handler


async def list_locks(request: web.Request) -> web.StreamResponse:
    """GET /locks: every door for those who read the site; a member's or link's own doors."""
    c = ctx(request)
    who = login(request)
    if who.role.allows(Permission.READ_SITE):
        return page_response(c.site.list(LOCKS, request.query))
    if not who.role.allows(Permission.UNLOCK_GRANTED):
        require(who, Permission.READ_SITE)
    if who.link is not None:
        groups = [who.link.group_id]
    elif who.user_id is not None:
        now = c.config.clock()
        groups = [
            ra.scope_id
            for ra in c.site_state.role_assignments(who.user_id)
            if ra.scope is Scope.GROUP
            and (ra.valid_from is None or ra.valid_from <= now)
            and (ra.valid_until is None or now < ra.valid_until)
        ]
    else:
        groups = []
    return page_response(c.site.list_locks_of_groups(groups, request.query))


async def delete_login(request: web.Request) -> web.StreamResponse:
    """DELETE /logins/{id}, refusing what would lock every administrator out."""
    c = ctx(request)
    who = login(request)
    require_write(who, LOGINS)
    login_id = path_id(request)
    row = c.site.row(LOGINS, login_id)
    if login_id == who.id and who.link is None:
        raise Conflict("You cannot delete the login you are using", "afc409")
    admins = c.store.scalar("SELECT count(*) FROM logins WHERE role_id = 'administrator'")
    if row["role_id"] == "administrator" and int(admins) <= 1:
        raise Conflict("This is the last administrator login; create another first", "afc409")
    c.site.delete(LOGINS, login_id, actor_of(request))
    return no_content()


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the action routes."""
    router.add_delete("/logins/{id}", delete_login)
    router.add_get("/locks", list_locks)
    router.add_get("/organizations", organizations)
    router.add_get("/roles", roles)
    router.add_post("/locks/{id}/unlock", unlock)
    router.add_post("/locks/{id}/lock_down", _lockdown(LOCKS, True))
    router.add_post("/locks/{id}/cancel_lockdown", _lockdown(LOCKS, False))
    router.add_post("/locks/{id}/first_to_arrive", first_to_arrive)
    router.add_post("/places/{id}/lock_down", _lockdown(PLACES, True))
    router.add_post("/places/{id}/cancel_lockdown", _lockdown(PLACES, False))
    router.add_post("/card_assignments/{id}/activate", _activation(True))
    router.add_post("/card_assignments/{id}/deactivate", _activation(False))
