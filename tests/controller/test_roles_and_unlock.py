"""Roles on every endpoint, and unlocking from the app or with an access link."""

from __future__ import annotations

from app.access.restrictions import proximity_proof
from app.controller.logins import create_login
from app.controller.resources import GROUPS, LOCKS
from app.controller.service import Controller
from tests.controller.conftest import Api
from tests.controller.wired import Wired
from tests.waiting import until


def login_for(controller: Controller, role: str, user_id: int | None = None) -> str:
    return create_login(controller.store, f"{role} login", role, user_id)


WRITES = [
    ("POST", "/places", {"place": {"name": "X", "address": "Y"}}),
    ("POST", "/locks", {"lock": {"name": "X", "place_id": 1}}),
    ("PATCH", "/locks/1", {"lock": {"name": "Renamed"}}),
    ("DELETE", "/locks/1", None),
    ("POST", "/groups", {"group": {"name": "G"}}),
    ("POST", "/group_locks", {"group_lock": {"group_id": 1, "lock_id": 1}}),
    ("POST", "/users", {"user": {"email": "x@example.com"}}),
    ("POST", "/cards", {"card": {"type": "third_party_hf", "uid": "04112233"}}),
    ("POST", "/locks/1/lock_down", None),
    ("PATCH", "/readers/1", {"reader": {"name": "R"}}),
    ("POST", "/logins", {"login": {"name": "x", "role_id": "administrator"}}),
]


async def test_basic_member_cannot_write_anything(
    api: Api, controller: Controller, wired: Wired
) -> None:
    member = wired.member(controller.site, "bob@example.com")
    secret = login_for(controller, "basic", member["id"])
    for method, path, body in WRITES:
        status, data, _ = await api.call(method, path, body, secret=secret)
        assert status == 403, (method, path, status, data)
        assert data["code"]
    status, _, _ = await api.call("GET", "/users", secret=secret)
    assert status == 403
    assert controller.site.get(LOCKS, wired.lock["id"])["name"] == "Front door"
    # ...but may open the doors of their group.
    status, data, _ = await api.call("POST", f"/locks/{wired.lock['id']}/unlock", {}, secret=secret)
    assert (status, data) == (200, {"message": "Unlocked!"})


async def test_front_desk_manages_people_but_not_doors(
    api: Api, controller: Controller, wired: Wired
) -> None:
    secret = login_for(controller, "front_desk")
    status, user, _ = await api.call(
        "POST", "/users", {"user": {"email": "v@example.com"}}, secret=secret
    )
    assert status == 200
    status, _, _ = await api.call(
        "POST",
        "/role_assignments",
        {
            "role_assignment": {
                "role_id": "group_basic",
                "assignee_type": "User",
                "assignee_id": user["id"],
                "applies_to_type": "Group",
                "applies_to_id": wired.group["id"],
            }
        },
        secret=secret,
    )
    assert status == 200
    # No escalation: a front desk cannot make anyone an administrator.
    status, _, _ = await api.call(
        "POST",
        "/role_assignments",
        {
            "role_assignment": {
                "role_id": "administrator",
                "assignee_type": "User",
                "assignee_id": user["id"],
                "applies_to_type": "Organization",
                "applies_to_id": controller.organization_id,
            }
        },
        secret=secret,
    )
    assert status == 403
    for method, path, body in WRITES:
        if path in ("/users", "/cards"):
            continue
        status, _, _ = await api.call(method, path, body, secret=secret)
        assert status == 403, (method, path)
    status, _, _ = await api.call("POST", f"/locks/{wired.lock['id']}/unlock", secret=secret)
    assert status == 403  # not in the door's group


async def test_kiosk_reads_nothing(api: Api, controller: Controller, wired: Wired) -> None:
    secret = login_for(controller, "kiosk")
    for path in ("/locks", "/users", "/events", "/places/1"):
        status, _, _ = await api.call("GET", path, secret=secret)
        assert status == 403, path


async def test_access_link_opens_only_its_group_doors_while_valid(
    api: Api, controller: Controller, wired: Wired
) -> None:
    status, link, _ = await api.call(
        "POST",
        "/group_links",
        {
            "group_link": {
                "group_id": wired.group["id"],
                "name": "Visitor Bob",
                "email": "bob@example.com",
            }
        },
    )
    assert status == 200 and link["secret"]
    other_lock = controller.site.create(LOCKS, {"name": "Vault", "place_id": wired.place["id"]})
    headers_secret = link["secret"]

    async def link_call(method: str, path: str, body: object = None) -> int:
        async with api.session.request(
            method,
            api.base + path,
            json=body,
            headers={"Authorization": f"KISI-GROUP-LINK {headers_secret}"},
        ) as response:
            return response.status

    assert await link_call("POST", f"/locks/{wired.lock['id']}/unlock") == 200
    assert await link_call("POST", f"/locks/{other_lock['id']}/unlock") == 403
    assert await link_call("GET", "/users") == 403
    assert await link_call("POST", "/places", {"place": {"name": "x", "address": "y"}}) == 403
    # The secret is never listed again.
    status, links, _ = await api.call("GET", f"/group_links?group_id={wired.group['id']}")
    assert status == 200 and "secret" not in links[0] and "secret_hash" not in links[0]
    events = controller.event_log.recent(5)
    assert events[0]["actor_type"] == "GroupLink" and events[0]["via"] == "link"
    expired_status, expired, _ = await api.call(
        "POST",
        "/group_links",
        {
            "group_link": {
                "group_id": wired.group["id"],
                "name": "Old",
                "valid_until": "2020-01-01T00:00:00Z",
            }
        },
    )
    assert expired_status == 200
    headers_secret = expired["secret"]
    assert await link_call("POST", f"/locks/{wired.lock['id']}/unlock") == 403


async def test_app_unlock_pulses_the_relay_and_names_the_member(
    api: Api, controller: Controller, wired: Wired
) -> None:
    member = wired.member(controller.site, "ann@example.com")
    secret = login_for(controller, "basic", member["id"])
    relay = wired.sim.controllers[0].relay(1)
    status, _, _ = await api.call(
        "POST",
        f"/locks/{wired.lock['id']}/unlock",
        {"context": {"location": {"latitude": 52.52, "longitude": 13.405}}},
        secret=secret,
    )
    assert status == 200
    await until(lambda: relay.pulses == 1, what="relay pulse")
    event = controller.event_log.recent(1)[0]
    assert event["actor_id"] == member["id"] and event["via"] == "app" and event["success"]


async def test_geofence_and_reader_restrictions_for_app_unlocks(
    api: Api, controller: Controller, wired: Wired
) -> None:
    member = wired.member(controller.site, "geo@example.com")
    secret = login_for(controller, "basic", member["id"])
    lock_id = wired.lock["id"]
    controller.site.update(LOCKS, lock_id, {"geofence_restriction_enabled": True})
    far = {"context": {"location": {"latitude": 48.13, "longitude": 11.58}}}  # Munich
    near = {"context": {"location": {"latitude": 52.5201, "longitude": 13.4051}}}
    status, err, _ = await api.call("POST", f"/locks/{lock_id}/unlock", far, secret=secret)
    assert status == 403 and err["code"] == "lc0005"
    status, err, _ = await api.call("POST", f"/locks/{lock_id}/unlock", {}, secret=secret)
    assert status == 403 and err["code"] == "lc0006"
    status, _, _ = await api.call("POST", f"/locks/{lock_id}/unlock", near, secret=secret)
    assert status == 200
    # A group restriction: the reader's proximity proof is required.
    controller.site.update(LOCKS, lock_id, {"geofence_restriction_enabled": False})
    controller.site.update(GROUPS, wired.group["id"], {"reader_restriction_enabled": True})
    status, err, _ = await api.call(
        "POST", f"/locks/{lock_id}/unlock", {"lock": {"proximity_proof": "00" * 16}}, secret=secret
    )
    assert status == 403 and err["code"] == "lc0007"
    key = controller.site_state.proximity_keys(lock_id)[0]
    proof = proximity_proof(key, lock_id, controller.config.clock())
    status, _, _ = await api.call(
        "POST", f"/locks/{lock_id}/unlock", {"lock": {"proximity_proof": proof}}, secret=secret
    )
    assert status == 200


async def test_unlock_of_a_door_with_an_offline_controller_is_503(
    api: Api, controller: Controller, wired: Wired
) -> None:
    await wired.sim.controllers[0].async_close()
    await until(
        lambda: not controller.registry.is_online(wired.sim.controllers[0].serial),
        what="controller offline",
    )
    status, err, _ = await api.call("POST", f"/locks/{wired.lock['id']}/unlock")
    assert status == 503 and err["code"] == "ff420a"


async def test_two_factor_tap_through_the_reader(
    api: Api, controller: Controller, wired: Wired
) -> None:
    from app.controller.resources import CARD_ASSIGNMENTS, CARDS
    from hardware.link.messages import Credential

    member = wired.member(controller.site, "tap@example.com")
    phone = controller.site.create(CARDS, {"type": "mobile_credential", "uid": "0a0b0c0d0e0f"})
    controller.site.create(
        CARD_ASSIGNMENTS,
        {"card_id": phone["id"], "assignee_type": "User", "assignee_id": member["id"]},
    )
    status, _, _ = await api.call(
        "PATCH", f"/locks/{wired.lock['id']}", {"lock": {"two_factor_enabled": True}}
    )
    assert status == 204
    reader = wired.sim.readers[0]
    await until(lambda: reader.assigned, what="reader assigned")
    locked = await reader.present(Credential(uid="0A0B0C0D0E0F", phone_unlocked=False))
    assert not locked.granted and locked.code == "lc0008"
    assert reader.led == "red"
    unlocked = await reader.present(Credential(uid="0A0B0C0D0E0F", phone_unlocked=True))
    assert unlocked.granted


async def test_members_and_links_list_only_their_doors(
    api: Api, controller: Controller, wired: Wired
) -> None:
    vault = controller.site.create(LOCKS, {"name": "Vault", "place_id": wired.place["id"]})
    member = wired.member(controller.site, "list@example.com")
    secret = login_for(controller, "basic", member["id"])
    status, doors, headers = await api.call("GET", "/locks", secret=secret)
    assert status == 200 and [d["name"] for d in doors] == ["Front door"]
    assert headers["X-Collection-Range"] == "0-0/1"
    status, everything, _ = await api.call("GET", "/locks")
    assert {d["id"] for d in everything} == {wired.lock["id"], vault["id"]}
    _, link, _ = await api.call(
        "POST", "/group_links", {"group_link": {"group_id": wired.group["id"], "name": "Guest"}}
    )
    async with api.session.get(
        api.base + "/locks", headers={"Authorization": f"KISI-GROUP-LINK {link['secret']}"}
    ) as response:
        assert response.status == 200
        assert [d["name"] for d in await response.json()] == ["Front door"]


async def test_kiosk_asks_for_decisions_and_nothing_else(
    api: Api, controller: Controller, wired: Wired
) -> None:
    from app.access.wiegand import encode
    from app.controller.resources import CARD_ASSIGNMENTS, CARDS

    member = wired.member(controller.site, "kiosk-visitor@example.com")
    card = controller.site.create(
        CARDS, {"type": "third_party_lf_hid_h10301", "facility_code": 9, "card_number": 99}
    )
    controller.site.create(
        CARD_ASSIGNMENTS,
        {"card_id": card["id"], "assignee_type": "User", "assignee_id": member["id"]},
    )
    kiosk = login_for(controller, "kiosk")
    body = {
        "decision": {
            "reader_id": wired.reader_id,
            "credential": {"wiegand": encode("H10301", 9, 99)},
        }
    }
    status, answer, _ = await api.call("POST", "/decisions", body, secret=kiosk)
    assert status == 200 and answer["granted"] and answer["user_id"] == member["id"]
    await until(lambda: wired.sim.controllers[0].relay(1).pulses >= 1, what="door opened")
    status, answer, _ = await api.call(
        "POST",
        "/decisions",
        {"decision": {"reader_id": wired.reader_id, "credential": {"wiegand": "1" * 26}}},
        secret=kiosk,
    )
    assert status == 200 and not answer["granted"] and answer["code"] == "lc0001"
    status, _, _ = await api.call(
        "POST",
        "/decisions",
        {"decision": {"reader_id": wired.reader_id, "credential": {"qr": "x"}}},
        secret=kiosk,
    )
    assert status == 422
    # A basic member may not ask for decisions.
    member_login = login_for(controller, "basic", member["id"])
    status, _, _ = await api.call("POST", "/decisions", body, secret=member_login)
    assert status == 403
