"""Random secrets for logins and access links, kept on disk only as hashes."""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> str:
    """A fresh 256-bit secret, URL-safe."""
    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    """What is stored instead of a secret.

    Secrets are 256-bit random strings, so a plain hash is enough to keep them off disk.
    """
    return hashlib.sha256(secret.encode()).hexdigest()
