"""Event set routes: create a filtered set, then poll and page it by cursor."""

from __future__ import annotations

from aiohttp import web

from app.access.roles import Permission
from app.controller.api.auth import require
from app.controller.api.context import ctx, login
from app.controller.api.http import page_response, path_id, read_root
from app.controller.paging import window


async def create_set(request: web.Request) -> web.StreamResponse:
    """POST /event_sets."""
    require(login(request), Permission.VIEW_EVENTS)
    body = await read_root(request, "event_set", optional=True)
    return web.json_response(ctx(request).event_sets.create(body))


async def get_set(request: web.Request) -> web.StreamResponse:
    """GET /event_sets/{id}?limit=&cursor=."""
    require(login(request), Permission.VIEW_EVENTS)
    limit, _ = window(request.query, 50)
    cursor = request.query.get("cursor")
    return web.json_response(ctx(request).event_sets.get(path_id(request), limit, cursor))


async def list_events(request: web.Request) -> web.StreamResponse:
    """GET /events: newest first, filtered by type, lock, user, success and time."""
    require(login(request), Permission.VIEW_EVENTS)
    limit, offset = window(request.query, 50)
    return page_response(ctx(request).event_log.page(request.query, limit, offset))


async def events_csv(request: web.Request) -> web.StreamResponse:
    """GET /events.csv: the same filters, every matching event, as a spreadsheet."""
    require(login(request), Permission.VIEW_EVENTS)
    body = ctx(request).event_log.csv(request.query)
    return web.Response(
        text=body,
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="events.csv"'},
    )


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the event routes."""
    router.add_get("/events", list_events)
    router.add_get("/events.csv", events_csv)
    router.add_post("/event_sets", create_set)
    router.add_get("/event_sets/{id}", get_set)
