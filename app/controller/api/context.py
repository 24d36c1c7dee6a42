"""Access to the controller and the caller from inside a request handler."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from app.controller.logins import Login
from app.controller.site import Actor

if TYPE_CHECKING:
    from app.controller.service import Controller

    ApiContext = Controller
else:
    ApiContext = object

CONTROLLER_KEY: web.AppKey[ApiContext] = web.AppKey("controller", ApiContext)
LOGIN: web.RequestKey[Login] = web.RequestKey("login", Login)


def ctx(request: web.Request) -> ApiContext:
    """The controller serving this request."""
    return request.app[CONTROLLER_KEY]


def login(request: web.Request) -> Login:
    """The authenticated caller (set by the auth middleware)."""
    return request[LOGIN]


def actor_of(request: web.Request) -> Actor:
    """The caller as the audit trail names it."""
    who = login(request)
    if who.user_id is not None:
        return Actor("User", who.user_id, who.name)
    return Actor("Login", who.id, who.name)
