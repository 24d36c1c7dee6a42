"""Schedule routes and the calendar summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from app.access.roles import Permission
from app.access.schedules import Consequence, occurrences
from app.controller.api.auth import require
from app.controller.api.context import actor_of, ctx, login
from app.controller.api.http import no_content, page_response, path_id, read_root
from app.controller.clock import iso
from app.controller.errors import invalid
from app.controller.event_sets import parse_interval
from app.controller.paging import parse_int

MAX_SUMMARY = timedelta(days=62)


async def list_schedules(request: web.Request) -> web.StreamResponse:
    """GET /schedules."""
    require(login(request), Permission.READ_SITE)
    return page_response(ctx(request).schedules.list(request.query))


async def get_schedule(request: web.Request) -> web.StreamResponse:
    """GET /schedules/{id}."""
    require(login(request), Permission.READ_SITE)
    return web.json_response(ctx(request).schedules.get(path_id(request)))


async def create_schedule(request: web.Request) -> web.StreamResponse:
    """POST /schedules."""
    require(login(request), Permission.MANAGE_DOORS)
    body = await read_root(request, "schedule")
    return web.json_response(ctx(request).schedules.create(body, actor_of(request)))


async def update_schedule(request: web.Request) -> web.StreamResponse:
    """PATCH /schedules/{id}."""
    require(login(request), Permission.MANAGE_DOORS)
    schedule_id = path_id(request)
    body = await read_root(request, "schedule")
    ctx(request).schedules.update(schedule_id, body, actor_of(request))
    return no_content()


async def delete_schedule(request: web.Request) -> web.StreamResponse:
    """DELETE /schedules/{id}."""
    require(login(request), Permission.MANAGE_DOORS)
    ctx(request).schedules.delete(path_id(request), actor_of(request))
    return no_content()


def _target(query: Any) -> tuple[str, int]:
    for param, kind in (("lock_id", "Lock"), ("group_id", "Group")):
        if param in query:
            return kind, parse_int(str(query[param]), param, 1)
    raise invalid("lock_id", "give lock_id or group_id")


async def calendar_summary(request: web.Request) -> web.StreamResponse:
    """GET /calendar/summary?around=<interval>&consequence=&lock_id=|group_id=.

    ``events`` are the occurrences of the ordinary schedules, ``exceptions`` those of the
    override schedules, and ``schedules_by_day`` which schedules occur on each local day.
    """
    require(login(request), Permission.READ_SITE)
    c = ctx(request)
    kind, target_id = _target(request.query)
    now = c.config.clock()
    around = request.query.get("around")
    try:
        start, end = parse_interval(around) if around else (now, now + timedelta(days=7))
    except ValueError as exc:
        raise invalid("around", str(exc)) from None
    if end - start > MAX_SUMMARY:
        raise invalid("around", "may be at most 62 days wide")
    wanted = request.query.get("consequence")
    if wanted is not None and wanted not in {c_.value for c_ in Consequence}:
        raise invalid("consequence", "must be allow, first_to_arrive, permit or unlock")
    zone = c.schedules.zone_of(kind, target_id)
    local = ZoneInfo(zone)
    schedules = [
        s
        for s in c.schedules.of(kind, target_id)
        if s.enabled and (wanted is None or s.consequence.value == wanted)
    ]
    events: list[dict[str, Any]] = []
    exceptions: list[dict[str, Any]] = []
    by_day: dict[str, set[int]] = {}
    for schedule in schedules:
        for window in occurrences(schedule, start, end, zone):
            item = {
                "schedule_id": schedule.id,
                "name": schedule.name,
                "consequence": schedule.consequence.value,
                "starts_at": iso(window.start),
                "ends_at": iso(window.end),
            }
            (exceptions if schedule.override else events).append(item)
            day = window.start.astimezone(local).date()
            while datetime.combine(day, datetime.min.time(), local) < window.end:
                by_day.setdefault(day.isoformat(), set()).add(schedule.id)
                day += timedelta(days=1)
    events.sort(key=lambda e: e["starts_at"])
    exceptions.sort(key=lambda e: e["starts_at"])
    return web.json_response(
        {
            "events": events,
            "exceptions": exceptions,
            "schedules_by_day": [
                {"date": d, "schedule_ids": sorted(ids)} for d, ids in sorted(by_day.items())
            ],
        }
    )


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the schedule routes."""
    router.add_get("/schedules", list_schedules)
    router.add_post("/schedules", create_schedule)
    router.add_get("/schedules/{id}", get_schedule)
    router.add_patch("/schedules/{id}", update_schedule)
    router.add_delete("/schedules/{id}", delete_schedule)
    router.add_get("/calendar/summary", calendar_summary)
