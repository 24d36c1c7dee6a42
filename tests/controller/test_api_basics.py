"""The REST API's shapes: wrapped bodies, status codes, errors, paging, auth."""

from __future__ import annotations

import os
import stat

from app.controller.service import Controller
from tests.controller.conftest import Api


async def test_admin_secret_is_private_and_not_logged(controller: Controller, caplog) -> None:
    path = controller.config.data_dir / "admin.secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    secret = path.read_text().strip()
    assert len(secret) >= 40
    assert secret not in caplog.text


async def test_without_login_is_401(api: Api) -> None:
    status, body, _ = await api.call("GET", "/places", secret="nope")
    assert status == 401
    assert set(body) == {"error", "code"}


async def test_create_place_and_lock(api: Api) -> None:
    place = await api.ok(
        "POST",
        "/places",
        {"place": {"name": "HQ", "address": "1 Main St", "time_zone": "Europe/London"}},
    )
    assert place["name"] == "HQ" and place["time_zone"] == "Europe/London"
    assert place["locked_down"] is False
    lock = await api.ok("POST", "/locks", {"lock": {"name": "Front", "place_id": place["id"]}})
    assert lock["place_id"] == place["id"] and lock["place"]["name"] == "HQ"
    status, body, _ = await api.call("PATCH", f"/locks/{lock['id']}", {"lock": {"name": "Main"}})
    assert status == 204 and body is None
    got = await api.ok("GET", f"/locks/{lock['id']}")
    assert got["name"] == "Main"


async def test_validation_errors_are_422_with_field_messages(api: Api) -> None:
    status, body, _ = await api.call("POST", "/places", {"place": {"name": 5}})
    assert status == 422
    assert "address" in body["errors"] and "name" in body["errors"]
    status, body, _ = await api.call("POST", "/places", raw=b"{not json")
    assert status == 422
    status, body, _ = await api.call("POST", "/locks", {"lock": {"name": "x", "place_id": 999}})
    assert status == 422 and body["errors"] == {"place_id": ["does not exist"]}
    status, body, _ = await api.call(
        "POST", "/places", {"place": {"name": "A", "address": "B", "time_zone": "Mars/Olympus"}}
    )
    assert status == 422 and "time_zone" in body["errors"]


async def test_unknown_ids_are_404(api: Api) -> None:
    for path in ("/locks/999", "/locks/abc", "/places/0"):
        status, body, _ = await api.call("GET", path)
        assert status == 404, path
        assert set(body) == {"error", "code"}


async def test_paging_header(api: Api) -> None:
    for i in range(15):
        await api.ok("POST", "/places", {"place": {"name": f"P{i}", "address": "x"}})
    status, body, headers = await api.call("GET", "/places?limit=10&offset=10")
    assert status == 200 and len(body) == 5
    assert headers["X-Collection-Range"] == "10-14/15"
    status, body, _ = await api.call("GET", "/places?limit=9999")
    assert status == 422


async def test_roles_list_has_a_group_role(api: Api) -> None:
    roles = await api.ok("GET", "/roles")
    assert any(r["applies_to"] == "Group" for r in roles)


async def test_openapi_describes_served_paths(api: Api) -> None:
    doc = await api.ok("GET", "/openapi.json")
    assert "/readers/{token}/assign" in doc["paths"]
    assert "post" in doc["paths"]["/locks/{id}/unlock"]


async def test_duplicate_card_is_conflict_cabbeb(api: Api) -> None:
    body = {"card": {"type": "third_party_lf_hid_h10301", "facility_code": 1, "card_number": 2}}
    card = await api.ok("POST", "/cards", body)
    assert card["uid"] and card["frequency"] == "LF"
    status, err, _ = await api.call("POST", "/cards", body)
    assert status == 409 and err["code"] == "cabbeb"
    status, err, _ = await api.call(
        "POST",
        "/cards",
        {"card": {"type": "third_party_lf_hid_h10301", "facility_code": 256, "card_number": 2}},
    )
    assert status == 422 and "facility_code" in err["errors"]
