"""The simulator's JSON control API, over real HTTP on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest

from hardware.devicesim.sim import DeviceSim
from hardware.link.messages import InputChanged, InputState, Present, Tamper
from tests.hardware.devicesim.conftest import (
    MEMBER_CARD,
    STRANGER_CARD,
    Control,
    SiteHub,
    make_sim,
)
from tests.hardware.link.support import closed_port, wait_until

pytestmark = pytest.mark.timeout(30)  # a hung socket must fail the test, not the run


async def _ready(sim: DeviceSim) -> None:
    await wait_until(
        lambda: all(r.connected for r in sim.readers) and all(c.connected for c in sim.controllers)
    )


async def test_control_file_names_the_bound_port(sim: DeviceSim) -> None:
    doc = json.loads((sim.data_dir / "control.json").read_text())
    assert doc == {"control": f"127.0.0.1:{sim.control_port}"}


async def test_list_readers(sim: DeviceSim, control: Control) -> None:
    await _ready(sim)
    readers = await control.get("/readers")
    assert [r["serial"] for r in readers] == [r.serial for r in sim.readers]
    first = readers[0]
    assert set(first) >= {
        "serial",
        "token",
        "model",
        "firmware",
        "connected",
        "adopted",
        "led",
        "last_decision",
        "decisions",
    }
    assert first["token"] == sim.readers[0].token
    assert (first["model"], first["firmware"]) == ("reader-pro-2.1", "2.4.1")
    assert (first["connected"], first["adopted"], first["led"]) == (True, False, "dim_white")
    assert (first["last_decision"], first["decisions"]) == (None, 0)


async def test_present_member_and_stranger(sim: DeviceSim, control: Control, hub: SiteHub) -> None:
    await _ready(sim)
    serial = sim.readers[0].serial
    status, body = await control.post(f"/readers/{serial}/present", {"wiegand": MEMBER_CARD})
    assert (status, body) == (200, {"granted": True, "code": None, "message": "Unlocked!"})
    (reader,) = [r for r in await control.get("/readers") if r["serial"] == serial]
    assert (reader["led"], reader["last_decision"], reader["decisions"]) == ("green", "granted", 1)
    await wait_until(lambda: sim.controllers[0].relay(1).pulses == 1)
    (door,) = await control.get("/controllers")
    assert door["relays"][0]["pulses"] == 1

    status, body = await control.post(f"/readers/{serial}/present", {"wiegand": STRANGER_CARD})
    assert (status, body["granted"], body["code"]) == (200, False, "afc496")
    assert (await control.get(f"/readers/{serial}"))["led"] == "red"


async def test_present_hf_uid_and_ndef(sim: DeviceSim, control: Control, hub: SiteHub) -> None:
    await _ready(sim)
    serial = sim.readers[1].serial
    status, _ = await control.post(f"/readers/{serial}/present", {"uid": "04A1B2C3D4E5F6"})
    assert status == 200
    status, _ = await control.post(
        f"/readers/{serial}/present", {"uid": "04a1b2c3", "ndef": "d1010f"}
    )
    assert status == 200
    creds = [m.credential for m in hub.received(Present) if isinstance(m, Present)]
    assert [(c.uid, c.ndef) for c in creds] == [("04A1B2C3D4E5F6", None), ("04a1b2c3", "d1010f")]


@pytest.mark.parametrize(
    ("body", "code", "needle"),
    [
        ("{", "invalid_json", "not valid JSON"),
        ("[1]", "invalid_body", "JSON object"),
        ("{}", "invalid_credential", "needs wiegand or uid"),
        ('{"wiegand": "0123"}', "invalid_credential", "wiegand must be"),
        ('{"wiegand": 101}', "invalid_credential", "must be a string"),
        ('{"uid": "xyz"}', "invalid_credential", "uid must be hex"),
        ('{"uid": "04a1b2c3", "pin": "1"}', "invalid_credential", "unknown field(s): pin"),
    ],
)
async def test_bad_present_bodies_are_400(
    sim: DeviceSim, control: Control, body: str, code: str, needle: str
) -> None:
    status, answer = await control.post(f"/readers/{sim.readers[0].serial}/present", raw=body)
    assert status == 400
    assert answer["code"] == code
    assert needle in answer["error"]


async def test_unknown_serials_are_404(control: Control) -> None:
    status, body = await control.post("/readers/LR2-NOPE/present", {"wiegand": "1"})
    assert (status, body["code"]) == (404, "reader_not_found")
    assert "LR2-NOPE" in body["error"]
    status, body = await control.post("/controllers/LC2-NOPE/inputs/1", {"state": "open"})
    assert (status, body["code"]) == (404, "controller_not_found")
    async with control.http.get(control.base + "/nowhere") as resp:
        assert resp.status == 404
        assert (await resp.json())["code"] == "404"


async def test_tamper_endpoint(sim: DeviceSim, control: Control, hub: SiteHub) -> None:
    await _ready(sim)
    serial = sim.readers[0].serial
    status, body = await control.post(f"/readers/{serial}/tamper")
    assert (status, body) == (200, {"serial": serial, "tamper": True})
    status, _ = await control.post(f"/readers/{serial}/tamper", {"active": False})
    assert status == 200
    await wait_until(lambda: hub.received(Tamper) == [Tamper(True), Tamper(False)])
    status, body = await control.post(f"/readers/{serial}/tamper", {"active": "yes"})
    assert (status, body["code"]) == (400, "invalid_body")


async def test_inputs_endpoint(sim: DeviceSim, control: Control, hub: SiteHub) -> None:
    await _ready(sim)
    serial = sim.controllers[0].serial
    status, body = await control.post(f"/controllers/{serial}/inputs/2", {"state": "open"})
    assert (status, body) == (200, {"channel": 2, "state": "open", "reported": True})
    await wait_until(lambda: hub.received(InputChanged) == [InputChanged(2, InputState.OPEN)])
    (door,) = await control.get("/controllers")
    assert door["inputs"][1] == {"channel": 2, "state": "open"}
    assert door["serial"] == serial and door["connected"] and len(door["relays"]) == 5
    for path, payload, code in [
        ("inputs/9", {"state": "open"}, "invalid_channel"),
        ("inputs/0", {"state": "open"}, "invalid_channel"),
        ("inputs/x", {"state": "open"}, "invalid_channel"),
        ("inputs/1", {"state": "ajar"}, "invalid_body"),
        ("inputs/1", {"state": "open", "extra": 1}, "invalid_body"),
    ]:
        status, body = await control.post(f"/controllers/{serial}/{path}", payload)
        assert (status, body["code"]) == (400, code), path


async def test_not_connected_reader_is_409(tmp_path: Path) -> None:
    async with (
        make_sim(tmp_path, closed_port(), readers=1, controllers=1) as sim,
        aiohttp.ClientSession() as http,
    ):
        control = Control(http, sim.data_dir)
        (reader,) = await control.get("/readers")
        assert (reader["connected"], reader["led"]) == (False, "amber")  # never configured
        status, body = await control.post(f"/readers/{reader['serial']}/present", {"wiegand": "1"})
        assert (status, body["code"]) == (409, "not_connected")
        status, body = await control.post(f"/readers/{reader['serial']}/tamper")
        assert (status, body["code"]) == (409, "not_connected")
        serial = sim.controllers[0].serial
        status, body = await control.post(f"/controllers/{serial}/inputs/1", {"state": "open"})
        assert (status, body["reported"]) == (200, False)
