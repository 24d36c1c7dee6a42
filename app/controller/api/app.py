"""The aiohttp application: middlewares for auth and errors, and every route."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Handler

from app.controller.api import actions, decisions, devices, events, imports, schedules, zones
from app.controller.api.auth import login_from
from app.controller.api.context import CONTROLLER_KEY, LOGIN, ctx
from app.controller.api.crud import add_crud
from app.controller.api.http import error_response, plain_error
from app.controller.api.openapi import openapi_document
from app.controller.errors import ControllerError, invalid
from app.controller.resources import (
    CARD_ASSIGNMENTS,
    CARDS,
    CONTROLLER_INPUTS,
    CONTROLLER_RELAYS,
    CONTROLLERS,
    GROUP_LINKS,
    GROUP_LOCKS,
    GROUPS,
    LOCKS,
    LOGINS,
    PLACES,
    READERS,
    RELAY_CONNECTIONS,
    ROLE_ASSIGNMENTS,
    USERS,
)

if TYPE_CHECKING:
    from app.controller.service import Controller

log = logging.getLogger("lintel.api")
PUBLIC_PATHS = frozenset({"/openapi.json"})


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes the public API's error body; nothing escapes as a 500 page."""
    try:
        return await handler(request)
    except ControllerError as exc:
        return error_response(exc)
    except web.HTTPNotFound:
        return plain_error(404, f"No route for {request.method} {request.path[:200]}", "afc404")
    except web.HTTPMethodNotAllowed:
        return plain_error(405, f"{request.method} is not allowed here", "afc405")
    except web.HTTPRequestEntityTooLarge:
        return plain_error(413, "The request body is too large", "afc413")
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unexpected error in %s %s", request.method, request.path)
        return plain_error(500, "Internal error; the request was not applied", "afc500")


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Require ``Authorization: KISI-LOGIN <secret>`` on everything but the API description."""
    if request.path not in PUBLIC_PATHS and not request.path.startswith(imports.UPLOADS):
        request[LOGIN] = login_from(request, ctx(request).store)
    return await handler(request)


def _require_group_filter(request: web.Request) -> None:
    if "group_id" not in request.query:
        raise invalid("group_id", "is required")


async def _openapi(request: web.Request) -> web.StreamResponse:
    return web.json_response(openapi_document(request.app.router))


def build_app(controller: Controller) -> web.Application:
    """The REST API application for a controller."""
    app = web.Application(middlewares=[errors_middleware, auth_middleware], client_max_size=1 << 20)
    app[CONTROLLER_KEY] = controller
    router = app.router
    router.add_get("/openapi.json", _openapi)
    actions.add_routes(router)
    devices.add_routes(router)
    events.add_routes(router)
    schedules.add_routes(router)
    zones.add_routes(router)
    imports.add_routes(router)
    decisions.add_routes(router)
    add_crud(router, PLACES)
    add_crud(router, LOCKS, "gcud")  # GET /locks is in actions: members see their own
    add_crud(router, GROUPS)
    add_crud(router, GROUP_LOCKS, "lgcd", before_list=_require_group_filter)
    add_crud(router, USERS)
    add_crud(router, ROLE_ASSIGNMENTS, "lgcud")
    add_crud(router, CARDS, "lgcd")
    add_crud(router, CARD_ASSIGNMENTS)
    add_crud(router, READERS, "lg")
    add_crud(router, CONTROLLERS, "lg")
    add_crud(router, CONTROLLER_RELAYS, "lg")
    add_crud(router, CONTROLLER_INPUTS, "lgu")
    add_crud(router, RELAY_CONNECTIONS, "lgcud")
    add_crud(router, GROUP_LINKS, "lcd")
    add_crud(router, LOGINS, "lgc")  # DELETE /logins/{id} is in actions: it guards lockout
    return app
