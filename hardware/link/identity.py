"""A device's persistent identity: serial, label token, MAC, Ed25519 key, pinned controller.

Stored as a JSON file readable by its owner only (mode 0600), written atomically so a crash
never leaves half a key behind.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from hardware.link.errors import IdentityFileError
from hardware.link.handshake import DeviceInfo, public_key_bytes
from hardware.link.messages import DeviceKind
from hardware.link.tokens import new_token


def random_mac() -> str:
    """Return a random locally administered, unicast MAC address (``02:..`` style)."""
    octets = bytearray(secrets.token_bytes(6))
    octets[0] = (octets[0] & 0xFC) | 0x02
    return ":".join(f"{b:02x}" for b in octets)


@dataclass
class DeviceIdentity:
    """Who a device is. Mutable only in ``controller_key``, pinned on first admission."""

    kind: DeviceKind
    serial: str
    token: str
    model: str
    firmware: str
    mac: str
    private_key: Ed25519PrivateKey
    controller_key: bytes | None = None
    enrolment_token: str | None = None

    @classmethod
    def create(
        cls, kind: DeviceKind, serial_prefix: str, model: str, firmware: str
    ) -> DeviceIdentity:
        """Make a brand-new identity (fresh serial, token, MAC and key, nothing pinned).

        Args:
            kind: Reader or door controller.
            serial_prefix: Prefix of the serial, e.g. ``"LR2-"``; 8 hex digits follow.
            model: Model name, e.g. ``"reader-pro-2.1"``.
            firmware: Firmware version string.
        """
        return cls(
            kind=kind,
            serial=serial_prefix + secrets.token_hex(4).upper(),
            token=new_token(),
            model=model,
            firmware=firmware,
            mac=random_mac(),
            private_key=Ed25519PrivateKey.generate(),
        )

    @property
    def public_key(self) -> bytes:
        """The raw 32-byte public identity key."""
        return public_key_bytes(self.private_key)

    def info(self) -> DeviceInfo:
        """Return the fields this device announces in its ``Hello``."""
        return DeviceInfo(self.kind, self.serial, self.model, self.firmware, self.mac)

    def __repr__(self) -> str:
        # Keep the token and private key out of any log line that prints an identity.
        return f"DeviceIdentity({self.kind.value} {self.serial})"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def save_identity(path: Path, identity: DeviceIdentity) -> None:
    """Write an identity file atomically with mode 0600.

    Args:
        path: Where to write it.
        identity: The identity.
    """
    raw_key = identity.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    pinned = identity.controller_key
    doc = {
        "kind": identity.kind.value,
        "serial": identity.serial,
        "token": identity.token,
        "model": identity.model,
        "firmware": identity.firmware,
        "mac": identity.mac,
        "private_key": _b64(raw_key),
        "controller_key": None if pinned is None else _b64(pinned),
        "enrolment_token": identity.enrolment_token,
    }
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2)
        fh.write("\n")
    os.chmod(tmp, 0o600)  # O_CREAT's mode is ignored when the temp file already existed
    os.replace(tmp, path)


def load_identity(path: Path) -> DeviceIdentity:
    """Read an identity file.

    Args:
        path: The file written by ``save_identity``.

    Raises:
        IdentityFileError: If it cannot be read or a field is missing or malformed.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        pinned = doc["controller_key"]
        identity = DeviceIdentity(
            kind=DeviceKind(doc["kind"]),
            serial=str(doc["serial"]),
            token=str(doc["token"]),
            model=str(doc["model"]),
            firmware=str(doc["firmware"]),
            mac=str(doc["mac"]),
            private_key=Ed25519PrivateKey.from_private_bytes(
                base64.b64decode(doc["private_key"], validate=True)
            ),
            controller_key=None if pinned is None else base64.b64decode(pinned, validate=True),
            enrolment_token=doc.get("enrolment_token"),
        )
    except (OSError, ValueError, KeyError, TypeError, binascii.Error) as exc:
        # The message names the field or error only; never the file's secret contents.
        raise IdentityFileError(f"bad identity file {path}: {type(exc).__name__} {exc}") from None
    return identity


def load_or_create_identity(
    path: Path, kind: DeviceKind, serial_prefix: str, model: str, firmware: str
) -> DeviceIdentity:
    """Load the identity at ``path``, creating and saving a new one if there is none.

    Args:
        path: The identity file.
        kind: Device kind for a new identity.
        serial_prefix: Serial prefix for a new identity.
        model: Model for a new identity.
        firmware: Firmware for a new identity.
    """
    if path.exists():
        return load_identity(path)
    identity = DeviceIdentity.create(kind, serial_prefix, model, firmware)
    save_identity(path, identity)
    return identity
