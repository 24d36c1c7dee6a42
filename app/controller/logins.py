"""API logins: random secrets stored only as hashes, each with a role."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from app.access.roles import ROLES, Role
from app.controller.errors import Unauthorized
from app.controller.store import Store


@dataclass(frozen=True)
class Login:
    """An authenticated API caller."""

    id: int
    name: str
    role: Role
    user_id: int | None


def _digest(secret: str) -> str:
    # Secrets are 256-bit random strings, so a plain hash is enough to keep them off disk.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_login(store: Store, name: str, role_id: str, user_id: int | None = None) -> str:
    """Create a login and return its secret; only its hash is stored."""
    if role_id not in ROLES:
        raise ValueError(f"unknown role {role_id!r}")
    secret = secrets.token_urlsafe(32)
    store.insert(
        "logins",
        {
            "name": name,
            "secret_hash": _digest(secret),
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
    digest = _digest(secret)
    row = store.row("SELECT * FROM logins WHERE secret_hash = ?", (digest,))
    if row is None or not hmac.compare_digest(row["secret_hash"], digest):
        raise Unauthorized("The login secret is missing or not valid")
    return Login(row["id"], row["name"], ROLES[row["role_id"]], row["user_id"])


def write_secret_file(path: Path, secret: str) -> None:
    """Write a secret to a file only its owner can read (mode 0600), never via a log."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret + "\n")
    os.chmod(path, 0o600)
