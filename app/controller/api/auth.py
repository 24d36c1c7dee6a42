"""Who is calling, and may they do this? Every route names the permission it needs."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.access.roles import ROLES, Permission, Scope
from app.controller.errors import Forbidden, Unauthorized
from app.controller.logins import Login, authenticate, authenticate_link
from app.controller.resources import ROLE_ASSIGNMENTS, ResourceSpec
from app.controller.store import Store

WORDS = {
    Permission.MANAGE_SITE: "change the site",
    Permission.MANAGE_DOORS: "change doors, groups or devices",
    Permission.MANAGE_PEOPLE: "change people, cards or access links",
    Permission.READ_SITE: "read the site",
    Permission.VIEW_EVENTS: "read the audit trail",
    Permission.SUBMIT_CREDENTIALS: "submit credentials",
    Permission.UNLOCK_ALL: "unlock every door",
    Permission.UNLOCK_GRANTED: "unlock doors",
}


def login_from(request: web.Request, store: Store) -> Login:
    """Authenticate ``Authorization: KISI-LOGIN <secret>``.

    Also accepts ``KISI-GROUP-LINK <secret>`` (an access link), which may only unlock.

    Raises:
        Unauthorized: the header is missing, of another scheme, or the secret is unknown.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme == "KISI-LOGIN" and secret.strip():
        return authenticate(store, secret.strip())
    if scheme == "KISI-GROUP-LINK" and secret.strip():
        return authenticate_link(store, secret.strip())
    raise Unauthorized("Send Authorization: KISI-LOGIN <secret> (or KISI-GROUP-LINK <secret>)")


def require(login: Login, permission: Permission) -> None:
    """Check that the login's role grants ``permission``.

    Raises:
        Forbidden: it does not.
    """
    if not login.role.allows(permission):
        raise Forbidden(f"The {login.role.name} role may not {WORDS[permission]}", "afc403")


def require_write(login: Login, spec: ResourceSpec, body: Any = None) -> None:
    """Check that ``login`` may change ``spec`` (and, for roles, grant what the body asks).

    Raises:
        Forbidden: the login's role does not allow it.
    """
    require(login, spec.write)
    if spec is ROLE_ASSIGNMENTS and isinstance(body, dict):
        # Granting organization- or place-wide roles is an administrator's call only, so a
        # front desk cannot make anyone (or itself) a manager.
        role = ROLES.get(str(body.get("role_id")))
        if role is not None and role.applies_to is not Scope.GROUP:
            require(login, Permission.MANAGE_SITE)
