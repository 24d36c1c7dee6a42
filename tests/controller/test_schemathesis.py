"""Schemathesis over every operation of ``/openapi.json``: no 5xx, and every answer as described.

The controller runs on its own event loop in a background thread, on loopback with a random
port, because schemathesis calls the API synchronously. The site is seeded first (a place, a
door wired to a simulated reader and door controller, a group, a user with a card, an access
link) so that ids 1..N exist and more than the not-found paths run. Each operation runs with
its documented examples, with valid data and with invalid data; generation is bounded,
derandomized and not shrunk, so the run is repeatable and takes under a minute.

The last tests pin the input hardening behind this: strict JSON, date-times, query integers.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import ServerError
from schemathesis.openapi.checks import UndefinedStatusCode
from schemathesis.specs.openapi.adapter.validators import validate_v3
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.controller.api.app import build_app
from app.controller.api.http import parse_json
from app.controller.api.openapi import openapi_document
from app.controller.api.openapi_inputs import field_example
from app.controller.errors import ValidationFailed
from app.controller.fields import parse_datetime, parse_fields
from app.controller.paging import parse_int
from app.controller.resources import (
    ALL_RESOURCES,
    CARD_ASSIGNMENTS,
    CARDS,
    GROUP_LINKS,
    LOGINS,
    PLACES,
    ROLE_ASSIGNMENTS,
    USERS,
    ResourceSpec,
)
from app.controller.service import Controller
from hardware.devicesim.sim import DeviceSim
from tests.controller.conftest import loopback_config
from tests.controller.wired import wire

T = TypeVar("T")
MAX_EXAMPLES = 12  # generated cases per operation and mode
EXAMPLE_RUNS = 3  # cases built from the documented examples (they vary only what is missing)
EXAMPLES, POSITIVE, NEGATIVE = "examples", "positive", "negative"
# Not server errors: 503 (a device not connected, e.g. a reader rebooting) is an answer the API
# documents where it can happen, and status_code_conformance holds each operation to that.
NOT_SERVER_ERRORS = ["2xx", "3xx", "4xx", "503"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


class LoopThread:
    """An asyncio loop running in a daemon thread; coroutines are handed to it and awaited."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        """Run ``coro`` on the loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        """Stop the loop and its thread."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


@dataclass
class Live:
    """A running, seeded controller and how to call it."""

    base_url: str
    headers: dict[str, str]
    admin_login_id: int


async def _seed(controller: Controller, tmp_path: Path) -> DeviceSim:
    """A wired door plus a member with a card, an access link and a front-desk login."""
    wired = await wire(controller, tmp_path)
    site = controller.site
    user = wired.member(site, "jane@example.com")
    site.create(USERS, {"email": "bob@example.com", "name": "Bob", "metadata": {"emp": "7"}})
    card = site.create(
        CARDS, {"type": "third_party_lf_hid_h10301", "facility_code": 12, "card_number": 345}
    )
    site.create(CARDS, {"type": "third_party_hf", "uid": "04A1B2C3D4"})
    site.create(
        CARD_ASSIGNMENTS,
        {"card_id": card["id"], "assignee_type": "User", "assignee_id": user["id"]},
    )
    site.create(
        ROLE_ASSIGNMENTS,
        {
            "role_id": "place_manager",
            "assignee_type": "User",
            "assignee_id": user["id"],
            "applies_to_type": "Place",
            "applies_to_id": wired.place["id"],
        },
    )
    site.create(GROUP_LINKS, {"group_id": wired.group["id"], "name": "Visitor"})
    site.create(LOGINS, {"name": "Front desk", "role_id": "front_desk"})
    controller.event_sets.create({})
    return wired.sim


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A seeded controller on loopback, served from a background thread."""
    tmp_path = tmp_path_factory.mktemp("schemathesis")
    config = loopback_config(tmp_path / "site", api_port=0)
    loop = LoopThread()
    try:
        controller = Controller(config)
        loop.run(controller.start())
        sim: DeviceSim | None = None
        try:
            sim = loop.run(_seed(controller, tmp_path))
            secret = (config.data_dir / "admin.secret").read_text().strip()
            admin = loop.run(_admin_login_id(controller))
            yield Live(
                f"http://127.0.0.1:{controller.api_port}",
                {"Authorization": f"KISI-LOGIN {secret}"},
                admin,
            )
        finally:
            if sim is not None:
                loop.run(sim.async_close())
            loop.run(controller.stop())
    finally:
        loop.close()


async def _admin_login_id(controller: Controller) -> int:
    """The administrator login's id (read on the loop's thread, which owns the database)."""
    row = controller.store.row("SELECT id FROM logins WHERE role_id = 'administrator'")
    assert row is not None
    return int(row["id"])


@pytest.fixture(scope="module")
def api_schema(live: Live) -> Any:
    """The schema as the running controller serves it."""
    config = SchemathesisConfig.from_dict(
        {
            "checks": {"not_a_server_error": {"expected-statuses": NOT_SERVER_ERRORS}},
        }
    )
    return schemathesis.openapi.from_url(f"{live.base_url}/openapi.json", config=config)


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    """One HTTP session (keep-alive) for the whole run."""
    with requests.Session() as s:
        yield s


SERVER_ERROR = (ServerError, UndefinedStatusCode)


def _cases() -> list[Any]:
    """Tests per documented operation, listed from the routes (no server needed).

    Each operation is run with its documented examples, with valid data and with invalid data
    (when it takes anything that can be made invalid). Operations that destroy seeded objects
    (deletes, releasing a reader) run last, so the others find ids 1..N still there.
    """
    document = openapi_document(build_app(cast(Any, None)).router)
    cases: list[tuple[bool, Any]] = []
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            takes_input = bool(op.get("parameters") or op.get("requestBody"))
            for mode in (EXAMPLES, POSITIVE, NEGATIVE):
                if mode != POSITIVE and not takes_input:
                    continue
                name = f"{method.upper()} {path} {mode}"
                param = pytest.param(method.upper(), path, mode, id=name)
                destroys = method == "delete" or path.endswith("/deassign")
                cases.append((destroys, param))
    return [param for _, param in sorted(cases, key=lambda c: c[0])]


def _strategy(operation: Any, mode: str) -> SearchStrategy[schemathesis.Case]:
    if mode == EXAMPLES:
        found = operation.get_strategies_from_examples(fill_missing=True)
        if found:
            return st.one_of(found)
    kind = GenerationMode.NEGATIVE if mode == NEGATIVE else GenerationMode.POSITIVE
    strategy: SearchStrategy[schemathesis.Case] = operation.as_strategy(generation_mode=kind)
    return strategy


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
@pytest.mark.parametrize(("method", "path", "mode"), _cases())
def test_api_matches_its_description(
    api_schema: Any,
    live: Live,
    session: requests.Session,
    method: str,
    path: str,
    mode: str,
) -> None:
    """Every operation answers with a documented status and body, and never with a 5xx."""
    operation = api_schema[path][method]

    @given(case=_strategy(operation, mode))
    @settings(
        max_examples=EXAMPLE_RUNS if mode == EXAMPLES else MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        # No shrinking: a failure is reported as found, and a failing run stays short.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        # The run logs in as this login; deleting it would leave only 401s to test.
        own = (case.path_parameters or {}).get("id") == live.admin_login_id
        if method == "DELETE" and path == "/logins/{id}" and own:
            case.path_parameters = {"id": 10**9}
        case.call_and_validate(
            base_url=live.base_url, session=session, headers=live.headers, checks=CHECKS
        )

    try:
        run()
    except BaseException:
        raise


def test_description_is_valid_openapi() -> None:
    """The generated document passes the OpenAPI 3.0 schema."""
    document = openapi_document(build_app(cast(Any, None)).router)
    validate_v3(document)
    assert document["paths"]["/locks/{id}/unlock"]["post"]["responses"]["200"]


@pytest.mark.parametrize("spec", ALL_RESOURCES, ids=lambda s: s.name)
def test_field_examples_are_accepted(spec: ResourceSpec) -> None:
    """Every example the description gives for a field passes that field's validation."""
    for field in spec.fields:
        example = field_example(field)
        if example is not None:
            parse_fields([field], {field.name: example}, creating=field.on_create)


@pytest.mark.parametrize(
    "raw",
    [
        b"1e999",
        b'{"lock": {"latitude": -1e400}}',
        b"NaN",
        b'{"a": Infinity}',
        b"[" * 100_000 + b"]" * 100_000,
        b"[" * 40 + b"]" * 40,
        b'{"name": "\\ud800"}',
        b"\xff\xfe",
        b"1" * 5000,
    ],
)
def test_json_the_api_refuses(raw: bytes) -> None:
    """Bodies Python's json would take (or choke on) but the API must refuse with a 422."""
    with pytest.raises(ValidationFailed):
        parse_json(raw)


def test_json_the_api_takes() -> None:
    """Ordinary bodies, escaped surrogate pairs and moderate nesting parse as before."""
    assert parse_json(b'{"name": "\\ud83d\\ude00", "n": [[[1.5]]]}') == {
        "name": "\U0001f600",
        "n": [[[1.5]]],
    }


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2030-01-01T09:00:00Z", "2030-01-01T09:00:00.000Z"),
        ("2030-01-01t09:00:00.5+01:00", "2030-01-01T08:00:00.500Z"),
        ("2030-01-01 09:00", "2030-01-01T09:00:00.000Z"),
    ],
)
def test_datetimes_taken(text: str, stored: str) -> None:
    """RFC 3339 date-times are stored in UTC with milliseconds."""
    assert parse_datetime(text) == stored


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC: OverflowError
        "9999-12-31T23:59:59-01:00",  # after 9999 in UTC
        "0005-01-01T00:00:00Z",  # would be written as "5-01-01..."
        "2030-01-01",
        "2030-W01-1T00:00",
        "２０３０-01-01T00:00:00Z",
    ],
)
def test_datetimes_refused(text: str) -> None:
    """Anything else is a ValueError (a 422 for the field), never an OverflowError."""
    with pytest.raises(ValueError):
        parse_datetime(text)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "a\x00b", "address": "x"}, "name"),
        ({"name": "a\x1bb", "address": "x"}, "name"),
        ({"name": "a", "address": "x", "time_zone": "a/" * 3000}, "time_zone"),
        ({"name": "a", "address": "x", "latitude": 10**400}, "latitude"),
        ({"name": "a", "address": "x", "latitude": float("nan")}, "latitude"),
    ],
)
def test_fields_refuse_what_sqlite_or_devices_cannot_take(body: dict[str, Any], field: str) -> None:
    """NUL and other control characters, absurd time zones and numbers are field errors."""
    with pytest.raises(ValidationFailed) as caught:
        parse_fields(PLACES.fields, body, creating=True)
    assert field in caught.value.errors


@pytest.mark.parametrize("raw", ["1_000", " 5", "²", "١", "9" * 20, "-9223372036854775809", ""])
def test_integer_query_parameters_refused(raw: str) -> None:
    """Only ASCII digits within 64 bits: the rest is a 422, not a 500 from SQLite."""
    with pytest.raises(ValidationFailed):
        parse_int(raw, "place_id")


def test_integer_query_parameters_taken() -> None:
    """Signed 64-bit integers pass."""
    assert parse_int("-9223372036854775808", "x") == -(2**63)
    assert parse_int("+42", "x") == 42
