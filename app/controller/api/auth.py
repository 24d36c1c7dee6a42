"""Who is calling, and may they do this?"""

from __future__ import annotations

from aiohttp import web

from app.controller.errors import Forbidden, Unauthorized
from app.controller.logins import Login, authenticate
from app.controller.store import Store

# What each write needs, by resource; reads need only a valid login.
PEOPLE = frozenset({"users", "cards", "card_assignments", "role_assignments", "group_links"})


def login_from(request: web.Request, store: Store) -> Login:
    """Authenticate ``Authorization: KISI-LOGIN <secret>``.

    Raises:
        Unauthorized: the header is missing, of another scheme, or the secret is unknown.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme != "KISI-LOGIN" or not secret.strip():
        raise Unauthorized("Send Authorization: KISI-LOGIN <secret>")
    return authenticate(store, secret.strip())


def require_write(login: Login, resource: str) -> None:
    """Check that ``login`` may change ``resource``.

    Raises:
        Forbidden: the login's role does not allow it.
    """
    role = login.role
    allowed = role.manage_site or (role.manage_people if resource in PEOPLE else role.manage_doors)
    if not allowed:
        raise Forbidden(f"The {role.name} role may not change {resource}")
