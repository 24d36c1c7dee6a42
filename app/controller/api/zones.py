"""Intrusion zone routes (an extension of the public API): define, watch, disarm, silence."""

from __future__ import annotations

from aiohttp import web

from app.access.roles import Permission
from app.controller.api.auth import require
from app.controller.api.context import actor_of, ctx, login
from app.controller.api.http import no_content, page_response, path_id, read_root
from app.controller.paging import Page, window


async def list_zones(request: web.Request) -> web.StreamResponse:
    """GET /zones: every zone with its live level."""
    require(login(request), Permission.READ_SITE)
    limit, offset = window(request.query, 50)
    zones = ctx(request).zones.all()
    return page_response(Page(zones[offset : offset + limit], offset, len(zones)))


async def get_zone(request: web.Request) -> web.StreamResponse:
    """GET /zones/{id}."""
    require(login(request), Permission.READ_SITE)
    return web.json_response(ctx(request).zones.present(path_id(request)))


async def create_zone(request: web.Request) -> web.StreamResponse:
    """POST /zones."""
    require(login(request), Permission.MANAGE_SITE)
    body = await read_root(request, "zone")
    return web.json_response(ctx(request).zones.create(body, actor_of(request)))


async def delete_zone(request: web.Request) -> web.StreamResponse:
    """DELETE /zones/{id}."""
    require(login(request), Permission.MANAGE_SITE)
    ctx(request).zones.delete(path_id(request))
    return no_content()


async def disarm_zone(request: web.Request) -> web.StreamResponse:
    """POST /zones/{id}/disarm: disarm until the policy next changes, silencing the siren."""
    require(login(request), Permission.MANAGE_DOORS)
    who = login(request)
    ctx(request).zones.disarm(path_id(request), who.user_id or 0)
    return no_content()


async def silence_zone(request: web.Request) -> web.StreamResponse:
    """POST /zones/{id}/silence: stop the siren."""
    require(login(request), Permission.MANAGE_DOORS)
    ctx(request).zones.silence(path_id(request))
    return no_content()


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the zone routes."""
    router.add_get("/zones", list_zones)
    router.add_post("/zones", create_zone)
    router.add_get("/zones/{id}", get_zone)
    router.add_delete("/zones/{id}", delete_zone)
    router.add_post("/zones/{id}/disarm", disarm_zone)
    router.add_post("/zones/{id}/silence", silence_zone)
