"""Generic list/get/create/update/delete routes for a resource spec."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from app.controller.api.auth import require, require_write
from app.controller.api.context import ApiContext, actor_of, ctx, login
from app.controller.api.http import no_content, page_response, path_id, read_root
from app.controller.resources import ResourceSpec

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def add_crud(
    routes: web.RouteTableDef | web.UrlDispatcher,
    spec: ResourceSpec,
    ops: str = "lgcud",
    *,
    before_list: Callable[[web.Request], None] | None = None,
) -> None:
    """Register the standard routes of ``spec``.

    Args:
        routes: the app's router.
        spec: the resource.
        ops: which of l(ist) g(et) c(reate) u(pdate) d(elete) to expose.
        before_list: a check run before listing (for required filters).
    """
    assert isinstance(routes, web.UrlDispatcher)
    base = f"/{spec.name}"

    async def list_(request: web.Request) -> web.StreamResponse:
        require(login(request), spec.read)
        if before_list is not None:
            before_list(request)
        return page_response(ctx(request).site.list(spec, request.query))

    async def get(request: web.Request) -> web.StreamResponse:
        require(login(request), spec.read)
        return web.json_response(ctx(request).site.get(spec, path_id(request)))

    async def create(request: web.Request) -> web.StreamResponse:
        body = await read_root(request, spec.root)
        require_write(login(request), spec, body)
        c: ApiContext = ctx(request)
        return web.json_response(c.site.create(spec, body, actor_of(request)))

    async def update(request: web.Request) -> web.StreamResponse:
        require_write(login(request), spec)
        row_id = path_id(request)
        body = await read_root(request, spec.root)
        ctx(request).site.update(spec, row_id, body, actor_of(request))
        return no_content()

    async def delete(request: web.Request) -> web.StreamResponse:
        require_write(login(request), spec)
        ctx(request).site.delete(spec, path_id(request), actor_of(request))
        return no_content()

    if "l" in ops:
        routes.add_get(base, list_)
    if "c" in ops:
        routes.add_post(base, create)
    if "g" in ops:
        routes.add_get(base + "/{id}", get)
    if "u" in ops:
        routes.add_patch(base + "/{id}", update)
    if "d" in ops:
        routes.add_delete(base + "/{id}", delete)
