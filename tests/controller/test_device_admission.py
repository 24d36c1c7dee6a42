"""The device server as the controller runs it: who gets in, and what bad actors get."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.controller.errors import NotFound
from app.controller.resources import LOCKS, PLACES
from app.controller.service import Controller
from hardware.link import messages as m
from hardware.link.client import open_link
from hardware.link.errors import LinkRejectedError
from hardware.link.identity import DeviceIdentity


def reader_identity() -> DeviceIdentity:
    return DeviceIdentity.create(m.DeviceKind.READER, "LR2-", "reader-pro-2.1", "2.4.1")


async def connect(controller: Controller, identity: DeviceIdentity, **kwargs):
    assert controller.device_port
    return await open_link(
        "127.0.0.1",
        controller.device_port,
        None,
        identity.private_key,
        identity.info(),
        identity.token,
        heartbeat_interval=None,
        **kwargs,
    )


async def adopt(controller: Controller, identity: DeviceIdentity) -> int:
    place = controller.site.create(PLACES, {"name": "HQ", "address": "x"})
    return await controller.adoption.assign_reader(
        identity.token, {"name": "Front", "place_id": place["id"]}
    )


async def test_new_device_waits_as_pending_and_cannot_decide(controller: Controller) -> None:
    identity = reader_identity()
    link = await connect(controller, identity)
    try:
        assert link.admission.state == m.AdmissionState.PENDING
        await link.send(m.Present(1, m.Credential(wiegand="1" * 26)))
        reply = await link.recv()
        assert isinstance(reply, m.Decision) and not reply.granted
    finally:
        await link.async_close()


async def test_wrong_enrolment_token_is_refused_and_recorded(controller: Controller) -> None:
    with pytest.raises(LinkRejectedError, match="enrolment"):
        await connect(controller, reader_identity(), enrolment_token="0123456789ab")
    events = controller.event_log.recent(5)
    assert events[0]["type"] == "device.rejected" and not events[0]["success"]


async def test_adoption_needs_the_token_the_device_proved(controller: Controller) -> None:
    identity = reader_identity()
    link = await connect(controller, identity)
    try:
        place = controller.site.create(PLACES, {"name": "HQ", "address": "x"})
        with pytest.raises(NotFound):
            await controller.adoption.assign_reader(
                "aaaaaaaaaaaa", {"name": "x", "place_id": place["id"]}
            )
        reader_id = await controller.adoption.assign_reader(
            identity.token, {"name": "Front", "place_id": place["id"]}
        )
        assert reader_id > 0
    finally:
        await link.async_close()


async def test_impostor_with_an_adopted_serial_is_refused(controller: Controller) -> None:
    identity = reader_identity()
    link = await connect(controller, identity)
    await adopt(controller, identity)
    await link.async_close()
    impostor = replace(identity, private_key=Ed25519PrivateKey.generate())
    with pytest.raises(LinkRejectedError, match="key does not match"):
        await connect(controller, impostor)
    # The real device still gets in, adopted.
    again = await connect(controller, identity)
    try:
        assert again.admission.state == m.AdmissionState.ADOPTED
    finally:
        await again.async_close()


async def test_adopted_reader_without_a_door_denies(controller: Controller) -> None:
    identity = reader_identity()
    link = await connect(controller, identity)
    try:
        await adopt(controller, identity)
        await link.send(m.Present(5, m.Credential(uid="04AABBCCDD")))
        reply = await link.recv()
        while not isinstance(reply, m.Decision):
            reply = await link.recv()
        assert reply.seq == 5 and not reply.granted and reply.code == "lc0002"
        assert controller.site.list(LOCKS, {}).total == 0
    finally:
        await link.async_close()
