"""Door monitoring through real inputs of a simulated door controller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.controller.resources import CONTROLLER_INPUTS, LOCKS
from app.controller.service import Controller
from tests.controller.wired import FakeClock, Wired, clocked_rig
from tests.waiting import until


@pytest.fixture
async def clocked(tmp_path: Path) -> AsyncIterator[tuple[Controller, Wired, FakeClock]]:
    async with clocked_rig(tmp_path, FakeClock()) as rig:
        yield rig.controller, rig.wired, rig.clock


def wire_inputs(controller: Controller, lock_id: int) -> None:
    inputs = controller.site.list(CONTROLLER_INPUTS, {"limit": "20"}).items
    contact, rex = inputs[0], inputs[1]
    controller.site.update(
        CONTROLLER_INPUTS, contact["id"], {"type": "contact_sensor", "lock_id": lock_id}
    )
    controller.site.update(
        CONTROLLER_INPUTS, rex["id"], {"type": "request_to_exit", "lock_id": lock_id}
    )


def types(controller: Controller) -> list[str]:
    return [e["type"] for e in reversed(controller.event_log.recent(40))]


async def test_forced_open_held_open_rex_and_line_faults(
    clocked: tuple[Controller, Wired, FakeClock],
) -> None:
    controller, wired, clock = clocked
    lock_id = wired.lock["id"]
    controller.site.update(LOCKS, lock_id, {"held_open_duration": 30})
    wire_inputs(controller, lock_id)
    door = wired.sim.controllers[0]

    # Opened with no grant: forced open.
    await door.set_input(1, "open")
    await until(lambda: "lock.forced_open" in types(controller), what="forced open")
    await door.set_input(1, "closed")
    await until(lambda: "lock.closed" in types(controller), what="closed")

    # Request to exit: unlock recorded, relay pulsed, and opening then is not forced.
    relay = door.relay(1)
    await door.set_input(2, "open")
    await until(lambda: relay.pulses == 1, what="REX pulse")
    await door.set_input(2, "closed")
    await door.set_input(1, "open")
    await until(lambda: types(controller).count("lock.opened") == 2, what="second opening")
    assert types(controller).count("lock.forced_open") == 1
    rex = [e for e in controller.event_log.recent(10) if e["via"] == "request_to_exit"]
    assert rex and rex[0]["type"] == "lock.unlock" and rex[0]["success"]

    # Left open past the held-open time: one alarm, and the reader shows white/yellow.
    clock.now += timedelta(seconds=31)
    await controller.monitor.tick(lock_id)
    await controller.monitor.tick(lock_id)
    assert types(controller).count("lock.held_open") == 1
    reader = wired.sim.readers[0]
    await until(lambda: reader.led == "white_yellow", what="held-open LED")
    await door.set_input(1, "closed")
    await until(lambda: reader.led == "white", what="LED back to white")

    # End-of-line supervision: a cut line is a controller tamper.
    await door.set_input(1, "cut")
    await until(lambda: "controller.tamper" in types(controller), what="tamper")
    tamper = next(e for e in controller.event_log.recent(10) if e["type"] == "controller.tamper")
    assert not tamper["success"]
