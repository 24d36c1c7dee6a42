"""Enrolment tokens: issued for BlinkUp, proven once by the device that received them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.controller.enrolment import Enrolments
from app.controller.service import Controller
from hardware.link import messages as m
from hardware.link.errors import LinkRejectedError
from tests.controller.conftest import loopback_config
from tests.controller.test_device_admission import connect, reader_identity
from tests.controller.wired import START, FakeClock


async def test_a_device_proving_an_issued_token_is_pending_and_named_by_plan(
    controller: Controller,
) -> None:
    enrolment = controller.enrolments.issue()
    identity = reader_identity()
    link = await connect(controller, identity, enrolment_token=enrolment.token)
    try:
        assert link.admission.state == m.AdmissionState.PENDING
        assert controller.enrolments.claimed_by(enrolment.plan_id) == identity.serial
        event = controller.event_log.recent(1)[0]
        assert event["type"] == "device.enrolled" and event["object_name"] == identity.serial
        assert enrolment.token not in str(event)
    finally:
        await link.async_close()


async def test_the_token_is_one_time_another_device_is_refused(controller: Controller) -> None:
    enrolment = controller.enrolments.issue()
    first = reader_identity()
    link = await connect(controller, first, enrolment_token=enrolment.token)
    await link.async_close()
    again = await connect(controller, first, enrolment_token=enrolment.token)  # reconnects
    await again.async_close()
    with pytest.raises(LinkRejectedError, match="enrolment"):
        await connect(controller, reader_identity(), enrolment_token=enrolment.token)


async def test_withdrawn_token_is_refused(controller: Controller) -> None:
    enrolment = controller.enrolments.issue()
    controller.enrolments.withdraw(enrolment.plan_id)
    with pytest.raises(LinkRejectedError, match="enrolment"):
        await connect(controller, reader_identity(), enrolment_token=enrolment.token)


def test_tokens_expire_unless_claimed() -> None:
    clock = FakeClock(START)
    enrolments = Enrolments(clock, lifetime=timedelta(minutes=30))
    issued = enrolments.issue()
    assert issued.expires_at == START + timedelta(minutes=30)
    assert len(issued.plan_id) == len(issued.token) == 16
    assert issued.token not in repr(issued)
    clock.now = START + timedelta(minutes=31)
    enrolments.issue()  # housekeeping runs on every call
    assert enrolments.claimed_by(issued.plan_id) is None


async def test_an_expired_token_is_refused(tmp_path) -> None:
    clock = FakeClock(START)
    controller = Controller(loopback_config(tmp_path, clock=clock))
    await controller.start()
    try:
        enrolment = controller.enrolments.issue()
        clock.now = START + timedelta(minutes=31)
        with pytest.raises(LinkRejectedError, match="enrolment"):
            await connect(controller, reader_identity(), enrolment_token=enrolment.token)
    finally:
        await controller.stop()
