"""GET /events with filters, /events.csv, and tamper acknowledgement and reboot of readers."""

from __future__ import annotations

import csv
import io

from app.access.wiegand import encode
from app.controller.service import Controller
from hardware.link.messages import Credential
from tests.controller.conftest import Api
from tests.controller.wired import Wired
from tests.waiting import until


async def test_events_filters_and_csv(api: Api, controller: Controller, wired: Wired) -> None:
    reader = wired.sim.readers[0]
    await until(lambda: reader.assigned, what="reader assigned")
    await reader.present(Credential(wiegand=encode("H10301", 1, 1)))
    await reader.present(Credential(wiegand=encode("H10301", 2, 2)))
    status, events, headers = await api.call(
        "GET", f"/events?type=lock.unlock&lock_id={wired.lock['id']}&success=false"
    )
    assert status == 200 and len(events) == 2
    assert all(e["type"] == "lock.unlock" and not e["success"] for e in events)
    assert headers["X-Collection-Range"] == "0-1/2"
    status, events, _ = await api.call("GET", "/events?success=true&type=lock.unlock")
    assert status == 200 and events == []
    status, _, _ = await api.call("GET", "/events?since=yesterday")
    assert status == 422
    async with api.session.get(
        api.base + "/events.csv?type=lock.unlock",
        headers={"Authorization": f"KISI-LOGIN {api.secret}"},
    ) as response:
        assert response.status == 200 and response.content_type == "text/csv"
        rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert len(rows) == 2 and rows[0]["object_name"] == "Front door"
    assert {r["success"] for r in rows} == {"False"}


async def test_tamper_is_recorded_and_reset(api: Api, controller: Controller, wired: Wired) -> None:
    reader = wired.sim.readers[0]
    await reader.tamper(True)

    def tampered() -> bool:
        row = controller.store.get("readers", wired.reader_id)
        return bool(row and row["tampered"])

    await until(tampered, what="tamper recorded")
    status, got, _ = await api.call("GET", f"/readers/{wired.reader_id}")
    assert got["tampered"] is True
    status, _, _ = await api.call("POST", f"/readers/{wired.reader_id}/reset_tamper")
    assert status == 204
    status, got, _ = await api.call("GET", f"/readers/{wired.reader_id}")
    assert got["tampered"] is False
    types = [e["type"] for e in controller.event_log.recent(5)]
    assert "reader.tamper" in types and "reader.reset_tamper" in types


async def test_reboot_makes_the_reader_reconnect(api: Api, wired: Wired) -> None:
    reader = wired.sim.readers[0]
    status, _, _ = await api.call("POST", f"/readers/{wired.reader_id}/reboot")
    assert status == 204
    await until(lambda: reader.rebooted == 1, what="reboot received")
    await until(lambda: reader.connected, what="reader back")
