"""Random secrets for logins and access links, kept on disk only as hashes."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path


def new_secret() -> str:
    """A fresh 256-bit secret, URL-safe."""
    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    """What is stored instead of a secret.

    Secrets are 256-bit random strings, so a plain hash is enough to keep them off disk.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read or write (mode 0600 from the first byte on)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # an older file of the same name may have had looser rights
