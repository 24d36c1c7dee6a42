"""Reader and door-controller routes: adopt by token, bind to doors, identify."""

from __future__ import annotations

from aiohttp import web

from app.controller.api.auth import require_write
from app.controller.api.context import actor_of, ctx, login
from app.controller.api.http import no_content, path_id, read_root
from app.controller.resources import CONTROLLERS, READERS


def _token(request: web.Request) -> str:
    return request.match_info["token"].strip().lower()


async def assign_reader(request: web.Request) -> web.StreamResponse:
    """POST /readers/{token}/assign: adopt a reader into a place."""
    require_write(login(request), READERS)
    body = await read_root(request, READERS.root)
    await ctx(request).adoption.assign_reader(_token(request), body, actor_of(request))
    return no_content()


async def update_reader(request: web.Request) -> web.StreamResponse:
    """PATCH /readers/{id}: rename, bind to a lock, and tell the reader."""
    require_write(login(request), READERS)
    c = ctx(request)
    reader_id = path_id(request)
    body = await read_root(request, READERS.root)
    c.site.update(READERS, reader_id, body, actor_of(request))
    await c.adoption.push_reader_state(reader_id)
    return no_content()


async def deassign_reader(request: web.Request) -> web.StreamResponse:
    """POST /readers/{id}/deassign: release a reader; it waits as pending again."""
    require_write(login(request), READERS)
    await ctx(request).adoption.release(READERS, path_id(request))
    return no_content()


async def identify_reader(request: web.Request) -> web.StreamResponse:
    """POST /readers/{id}/identify: blink the reader's LED."""
    require_write(login(request), READERS)
    c = ctx(request)
    row = c.site.row(READERS, path_id(request))
    await c.adoption.identify(row["serial"])
    return no_content()


async def reset_tamper(request: web.Request) -> web.StreamResponse:
    """POST /readers/{id}/reset_tamper: acknowledge a tamper alarm once the reader is back."""
    require_write(login(request), READERS)
    await ctx(request).adoption.reset_tamper(path_id(request), actor_of(request))
    return no_content()


async def reboot_reader(request: web.Request) -> web.StreamResponse:
    """POST /readers/{id}/reboot: restart the reader (it reconnects by itself)."""
    require_write(login(request), READERS)
    c = ctx(request)
    row = c.site.row(READERS, path_id(request))
    await c.adoption.reboot(row["serial"])
    return no_content()


async def assign_controller(request: web.Request) -> web.StreamResponse:
    """POST /controllers/{token}/assign: adopt a door controller into a place."""
    require_write(login(request), CONTROLLERS)
    body = await read_root(request, CONTROLLERS.root)
    await ctx(request).adoption.assign_controller(_token(request), body, actor_of(request))
    return no_content()


async def update_controller(request: web.Request) -> web.StreamResponse:
    """PATCH /controllers/{id}: rename."""
    require_write(login(request), CONTROLLERS)
    row_id = path_id(request)
    body = await read_root(request, CONTROLLERS.root)
    ctx(request).site.update(CONTROLLERS, row_id, body, actor_of(request))
    return no_content()


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the device routes."""
    router.add_post("/readers/{token}/assign", assign_reader)
    router.add_patch("/readers/{id}", update_reader)
    router.add_post("/readers/{id}/deassign", deassign_reader)
    router.add_post("/readers/{id}/identify", identify_reader)
    router.add_post("/readers/{id}/reset_tamper", reset_tamper)
    router.add_post("/readers/{id}/reboot", reboot_reader)
    router.add_post("/controllers/{token}/assign", assign_controller)
    router.add_patch("/controllers/{id}", update_controller)
