"""Bad bodies and ids get clear 4xx errors, never a 500, and never change anything."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.controller.resources import PLACES
from app.controller.service import Controller
from tests.controller.conftest import Api

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
ROOTS = {
    "/places": "place",
    "/locks": "lock",
    "/users": "user",
    "/cards": "card",
    "/groups": "group",
    "/group_locks": "group_lock",
    "/role_assignments": "role_assignment",
    "/card_assignments": "card_assignment",
    "/controller_relay_connections": "controller_relay_connection",
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(sorted(ROOTS)), inner=JSON, wrap=st.booleans())
async def test_junk_bodies_are_4xx(api: Api, path: str, inner: object, wrap: bool) -> None:
    body = {ROOTS[path]: inner} if wrap else inner
    status, data, _ = await api.call("POST", path, raw=json.dumps(body).encode())
    assert status < 500, (path, body, data)
    if status >= 400:
        assert "error" in data or "errors" in data


async def test_junk_bytes_and_ids(api: Api, controller: Controller) -> None:
    for raw in (b"\xff\xfe", b"[", b"null", b"1e999", b'{"place": []}'):
        status, _, _ = await api.call("POST", "/places", raw=raw)
        assert status == 422, raw
    for path in ("/locks/-1", "/locks/1e3", "/locks/99999999999999999999", "/readers/%00"):
        status, _, _ = await api.call("GET", path)
        assert status == 404, path
    status, _, _ = await api.call("PATCH", "/readers/1", {"reader": {"place_id": 1}})
    assert status in (404, 422)
    assert controller.site.list(PLACES, {}).total == 0
