"""Event set routes: create a filtered set, then poll and page it by cursor."""

from __future__ import annotations

from aiohttp import web

from app.controller.api.context import ctx
from app.controller.api.http import path_id, read_root
from app.controller.paging import window


async def create_set(request: web.Request) -> web.StreamResponse:
    """POST /event_sets."""
    body = await read_root(request, "event_set", optional=True)
    return web.json_response(ctx(request).event_sets.create(body))


async def get_set(request: web.Request) -> web.StreamResponse:
    """GET /event_sets/{id}?limit=&cursor=."""
    limit, _ = window(request.query, 50)
    cursor = request.query.get("cursor")
    return web.json_response(ctx(request).event_sets.get(path_id(request), limit, cursor))


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the event routes."""
    router.add_post("/event_sets", create_set)
    router.add_get("/event_sets/{id}", get_set)
