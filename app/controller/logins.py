"""API logins: random secrets stored only as hashes, each with a role."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path

from app.access.decide import LinkGrant
from app.access.roles import LINK_ROLE, ROLES, Role
from app.controller.clock import parse_iso
from app.controller.errors import Unauthorized
from app.controller.secrets import new_secret, secret_digest, write_private
from app.controller.store import Store


@dataclass(frozen=True)
class Login:
    """An authenticated API caller."""

    id: int
    name: str
    role: Role
    user_id: int | None
    link: LinkGrant | None = None


def create_login(store: Store, name: str, role_id: str, user_id: int | None = None) -> str:
    """Create a login and return its secret; only its hash is stored."""
    if role_id not in ROLES:
        raise ValueError(f"unknown role {role_id!r}")
    secret = new_secret()
    store.insert(
        "logins",
        {
            "name": name,
            "secret_hash": secret_digest(secret),
            "role_id": role_id,
            "user_id": user_id,
            "created_at": store.now(),
        },
        stamp=False,
    )
    return secret


def authenticate(store: Store, secret: str) -> Login:
    """The login owning ``secret``.

    Raises:
        Unauthorized: unknown secret.
    """
    digest = secret_digest(secret)
    row = store.row("SELECT * FROM logins WHERE secret_hash = ?", (digest,))
    if row is None or not hmac.compare_digest(row["secret_hash"], digest):
        raise Unauthorized("The login secret is missing or not valid")
    return Login(row["id"], row["name"], ROLES[row["role_id"]], row["user_id"])


def authenticate_link(store: Store, secret: str) -> Login:
    """The access link owning ``secret``, as a caller that may only unlock its doors.

    Raises:
        Unauthorized: unknown secret.
    """
    digest = secret_digest(secret)
    row = store.row("SELECT * FROM group_links WHERE secret_hash = ?", (digest,))
    if row is None or not hmac.compare_digest(row["secret_hash"], digest):
        raise Unauthorized("The access link is not valid")
    grant = LinkGrant(
        row["id"],
        row["group_id"],
        bool(row["link_enabled"]),
        parse_iso(row["valid_from"]) if row["valid_from"] else None,
        parse_iso(row["valid_until"]) if row["valid_until"] else None,
    )
    return Login(row["id"], row["name"], LINK_ROLE, None, grant)


def write_secret_file(path: Path, secret: str) -> None:
    """Write a secret to a file only its owner can read (mode 0600), never via a log."""
    write_private(path, (secret + "\n").encode())
