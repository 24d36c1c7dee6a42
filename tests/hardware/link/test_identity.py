"""Device identity files: created once, reused, private, and never printed."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from hardware.link.errors import IdentityFileError
from hardware.link.identity import (
    DeviceIdentity,
    load_identity,
    load_or_create_identity,
    random_mac,
    save_identity,
)
from hardware.link.messages import DeviceKind


def test_new_identity_shape() -> None:
    identity = DeviceIdentity.create(DeviceKind.READER, "LR2-", "reader-pro-2.1", "2.4.1")
    assert re.fullmatch(r"LR2-[0-9A-F]{8}", identity.serial)
    assert re.fullmatch(r"[0-9a-f]{12}", identity.token)
    assert identity.controller_key is None
    assert len(identity.public_key) == 32
    assert identity.info().serial == identity.serial


def test_random_mac_is_locally_administered_unicast() -> None:
    for _ in range(50):
        first = int(random_mac()[:2], 16)
        assert first & 0x02 and not first & 0x01


def test_identity_round_trips_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "reader.json"
    identity = load_or_create_identity(path, DeviceKind.READER, "LR2-", "m", "1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    identity.controller_key = b"\x07" * 32
    save_identity(path, identity)
    again = load_or_create_identity(path, DeviceKind.READER, "LR2-", "m", "1")
    assert (again.serial, again.token, again.mac) == (identity.serial, identity.token, identity.mac)
    assert again.public_key == identity.public_key
    assert again.controller_key == b"\x07" * 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_repr_hides_the_secrets(tmp_path: Path) -> None:
    identity = DeviceIdentity.create(DeviceKind.DOOR_CONTROLLER, "LC2-", "c", "1")
    assert identity.token not in repr(identity)
    assert repr(identity) == f"DeviceIdentity(door_controller {identity.serial})"


@pytest.mark.parametrize(
    "content", ["", "{}", "[1]", '{"kind": "toaster"}', "not json", '{"kind": "reader"}']
)
def test_bad_identity_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(IdentityFileError, match="bad identity file"):
        load_identity(path)
