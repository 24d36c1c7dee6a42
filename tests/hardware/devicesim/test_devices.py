"""Simulated readers and door controllers against a real LinkServer on loopback."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hardware.devicesim.sim import DeviceSim
from hardware.link.errors import LinkClosedError, LinkTimeoutError
from hardware.link.hub import Admission
from hardware.link.messages import (
    Accepted,
    Ack,
    AdmissionState,
    Credential,
    DeviceKind,
    Energize,
    Identify,
    InputChanged,
    InputState,
    LedState,
    Present,
    Pulse,
    SetLed,
    Tamper,
)
from hardware.link.server import LinkServer
from tests.hardware.devicesim.conftest import MEMBER_CARD, STRANGER_CARD, SiteHub, make_sim
from tests.hardware.link.support import wait_until

pytestmark = pytest.mark.timeout(30)  # a hung socket must fail the test, not the run


async def _all_connected(sim: DeviceSim) -> None:
    await wait_until(
        lambda: all(r.connected for r in sim.readers) and all(c.connected for c in sim.controllers)
    )


async def test_devices_connect_and_are_admitted(sim: DeviceSim, hub: SiteHub) -> None:
    await sim.readers[0].runner.wait_for(lambda: sim.readers[0].connected, timeout=5)
    await _all_connected(sim)
    kinds = sorted(p.kind.value for p in hub.peers)
    assert kinds == ["door_controller", "reader", "reader"]
    reader = sim.readers[0]
    peer = next(p for p in hub.peers if p.serial == reader.serial)
    assert peer.model == "reader-pro-2.1" and peer.firmware == "2.4.1"
    assert peer.verify_token(reader.token)  # the installer types the label code
    assert reader.led is LedState.DIM_WHITE  # pending, not assigned
    assert not reader.adopted


async def test_member_card_is_green_and_pulses_the_door(sim: DeviceSim, hub: SiteHub) -> None:
    await _all_connected(sim)
    reader, door = sim.readers[0], sim.controllers[0]
    decision = await reader.present(Credential(wiegand=MEMBER_CARD))
    assert decision.granted
    assert reader.led is LedState.GREEN
    assert (reader.last_decision, reader.decisions) == ("granted", 1)
    await wait_until(lambda: door.relay(1).pulses == 1)
    assert door.relay(1).energized
    await wait_until(lambda: not door.relay(1).energized)
    assert [r.pulses for r in door.relays] == [1, 0, 0, 0, 0]
    await wait_until(lambda: reader.led is LedState.DIM_WHITE)  # feedback over
    await wait_until(lambda: hub.received(Ack) == [Ack(decision.seq)])


async def test_stranger_card_is_red_without_a_pulse(sim: DeviceSim, hub: SiteHub) -> None:
    await _all_connected(sim)
    reader, door = sim.readers[1], sim.controllers[0]
    decision = await reader.present(Credential(wiegand=STRANGER_CARD))
    assert not decision.granted and decision.code == "afc496"
    assert reader.led is LedState.RED
    assert reader.last_decision == "denied"
    await wait_until(lambda: reader.led is LedState.DIM_WHITE)
    assert door.relay(1).pulses == 0


async def test_adoption_assignment_and_led_commands(sim: DeviceSim, hub: SiteHub) -> None:
    await _all_connected(sim)
    reader = sim.readers[0]
    session = next(s for s in hub.sessions if s.peer.serial == reader.serial)
    await session.send(Accepted(AdmissionState.ADOPTED, assigned=True, name="Front door"))
    await wait_until(lambda: reader.adopted and reader.assigned)
    assert reader.led is LedState.WHITE
    await session.send(Identify(0.2))
    await wait_until(lambda: reader.led is LedState.BLINKING_WHITE)
    await wait_until(lambda: reader.led is LedState.WHITE)
    await session.send(SetLed(LedState.WHITE_YELLOW, None))
    await wait_until(lambda: reader.led is LedState.WHITE_YELLOW)


async def test_adopted_reader_starts_white(
    tmp_path: Path, server: LinkServer, hub: SiteHub
) -> None:
    hub.admission = Admission.accept(AdmissionState.ADOPTED, assigned=True)
    assert server.bound_port is not None
    async with make_sim(tmp_path, server.bound_port, readers=1, controllers=0) as sim:
        reader = sim.readers[0]
        await wait_until(lambda: reader.connected and reader.assigned)
        assert reader.adopted
        assert reader.led is LedState.WHITE


async def test_energize_holds_and_input_changes_reach_the_hub(sim: DeviceSim, hub: SiteHub) -> None:
    await _all_connected(sim)
    door = sim.controllers[0]
    session = hub.session_of(DeviceKind.DOOR_CONTROLLER)
    await session.send(Energize(5, True))
    await wait_until(lambda: door.relay(5).energized)
    assert door.relay(5).pulses == 0
    await session.send(Energize(5, False))
    await wait_until(lambda: not door.relay(5).energized)
    assert await door.set_input(3, InputState.OPEN)
    await wait_until(lambda: hub.received(InputChanged) == [InputChanged(3, InputState.OPEN)])
    assert door.status()["inputs"][2] == {"channel": 3, "state": "open"}
    with pytest.raises(ValueError, match=r"1\.\.8"):
        await door.set_input(9, InputState.OPEN)
    with pytest.raises(ValueError):
        await door.set_input(1, "ajar")
    assert await door.set_input(3, "closed")
    await session.send(Pulse(2, 0.05))
    await door.runner.wait_for(lambda: door.relay(2).pulses == 1, timeout=5)
    await door.runner.wait_for(lambda: not door.relay(2).energized, timeout=5)


async def test_tamper_reaches_the_hub(sim: DeviceSim, hub: SiteHub) -> None:
    await _all_connected(sim)
    await sim.readers[0].tamper()
    await wait_until(lambda: hub.received(Tamper) == [Tamper(True)])


async def test_present_times_out_when_the_controller_never_answers(
    sim: DeviceSim, hub: SiteHub
) -> None:
    await _all_connected(sim)
    hub.decide = lambda msg: None  # type: ignore[assignment,return-value]
    with pytest.raises(LinkTimeoutError, match="no decision"):
        await sim.readers[0].present(Credential(uid="04a1b2c3"), timeout=0.2)
    assert hub.received(Present)


async def test_present_fails_fast_when_disconnected(sim: DeviceSim) -> None:
    await _all_connected(sim)
    reader = sim.readers[0]
    await reader.async_close()
    with pytest.raises(LinkClosedError, match="not connected"):
        await reader.present(Credential(uid="04a1b2c3"))


async def test_pending_presentation_fails_when_the_link_drops(sim: DeviceSim, hub: SiteHub) -> None:
    await _all_connected(sim)
    reader = sim.readers[0]
    hub.decide = lambda msg: None  # type: ignore[assignment,return-value]
    task = asyncio.create_task(reader.present(Credential(uid="04a1b2c3")))
    await wait_until(lambda: bool(hub.received(Present)))
    session = next(s for s in hub.sessions if s.peer.serial == reader.serial)
    await session.close()
    with pytest.raises(LinkClosedError):
        await task
