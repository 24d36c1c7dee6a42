"""The simulator's JSON control API (aiohttp): inspect devices, present cards, flip inputs."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeGuard

from aiohttp import web

from hardware.blinkup import BlinkUpError, Mode
from hardware.devicesim.errors import ApiCode, ApiError
from hardware.doorctl.sim import SimDoorController
from hardware.link.errors import LinkClosedError, LinkTimeoutError
from hardware.link.messages import INPUT_CHANNELS, Credential, InputState
from hardware.reader.sim import SimReader

log = logging.getLogger("lintel.devicesim")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_CREDENTIAL_KEYS = {"wiegand", "uid", "ndef", "phone_unlocked"}


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn ``ApiError`` (and anything unexpected) into a JSON error body."""
    try:
        return await handler(request)
    except ApiError as exc:
        return web.json_response(exc.body(), status=exc.status)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return web.json_response({"error": exc.reason, "code": str(exc.status)}, status=exc.status)
    except Exception:
        log.exception("control API failed on %s %s", request.method, request.path)
        error = ApiError(ApiCode.INTERNAL, "internal error")
        return web.json_response(error.body(), status=error.status)


async def _json_object(request: web.Request, *, optional: bool = False) -> dict[str, object]:
    text = await request.text()
    if not text.strip() and optional:
        return {}
    try:
        body = json.loads(text)
    except ValueError:
        raise ApiError(ApiCode.INVALID_JSON, "body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(ApiCode.INVALID_BODY, "body must be a JSON object")
    return body


def parse_credential(body: dict[str, object]) -> Credential:
    """Build a credential from ``{"wiegand": bits}`` or ``{"uid": hex[, "ndef": hex]}``.

    Raises:
        ApiError: With code ``invalid_credential`` if the body is not one of those forms.
    """
    unknown = sorted(set(body) - _CREDENTIAL_KEYS)
    if unknown:
        raise ApiError(ApiCode.INVALID_CREDENTIAL, f"unknown field(s): {', '.join(unknown)}")
    strings: dict[str, str] = {}
    phone_unlocked = body.get("phone_unlocked")
    if phone_unlocked is not None and not isinstance(phone_unlocked, bool):
        raise ApiError(ApiCode.INVALID_CREDENTIAL, "phone_unlocked must be true or false")
    for key, value in body.items():
        if value is None or key == "phone_unlocked":
            continue
        if not isinstance(value, str):
            raise ApiError(ApiCode.INVALID_CREDENTIAL, f"{key} must be a string")
        strings[key] = value
    try:
        return Credential(
            strings.get("wiegand"), strings.get("uid"), strings.get("ndef"), phone_unlocked
        )
    except ValueError as exc:
        raise ApiError(ApiCode.INVALID_CREDENTIAL, str(exc)) from None


def _finite(value: object) -> TypeGuard[float]:
    """A JSON number that is a real, finite number (not a boolean, not NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


class ControlApi:
    """Serves the control API for a fixed set of simulated devices."""

    def __init__(
        self, readers: Sequence[SimReader], controllers: Sequence[SimDoorController]
    ) -> None:
        """Create the API over these devices (not serving until ``start``)."""
        self._readers = {r.serial: r for r in readers}
        self._controllers = {c.serial: c for c in controllers}
        self._runner: web.AppRunner | None = None
        # A BlinkUp recording is ~30,000 samples: allow bodies of a few megabytes.
        self.app = web.Application(middlewares=[_errors], client_max_size=16 << 20)
        self.app.add_routes(
            [
                web.get("/readers", self._list_readers),
                web.get("/readers/{serial}", self._get_reader),
                web.post("/readers/{serial}/present", self._present),
                web.post("/readers/{serial}/tamper", self._tamper),
                web.post("/readers/{serial}/light", self._light),
                web.get("/controllers", self._list_controllers),
                web.get("/controllers/{serial}", self._get_controller),
                web.post("/controllers/{serial}/inputs/{channel}", self._set_input),
            ]
        )

    async def start(self, host: str, port: int) -> int:
        """Start serving and return the bound port (``port`` may be 0)."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        address = self._runner.addresses[0]
        return int(address[1])

    async def async_close(self) -> None:
        """Stop serving (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    def _reader(self, request: web.Request) -> SimReader:
        serial = request.match_info["serial"]
        reader = self._readers.get(serial)
        if reader is None:
            raise ApiError(ApiCode.READER_NOT_FOUND, f"no reader with serial {serial!r}")
        return reader

    def _controller(self, request: web.Request) -> SimDoorController:
        serial = request.match_info["serial"]
        controller = self._controllers.get(serial)
        if controller is None:
            raise ApiError(ApiCode.CONTROLLER_NOT_FOUND, f"no controller with serial {serial!r}")
        return controller

    async def _list_readers(self, request: web.Request) -> web.Response:
        return web.json_response([r.status() for r in self._readers.values()])

    async def _get_reader(self, request: web.Request) -> web.Response:
        return web.json_response(self._reader(request).status())

    async def _present(self, request: web.Request) -> web.Response:
        reader = self._reader(request)
        credential = parse_credential(await _json_object(request))
        if not reader.connected:
            raise ApiError(ApiCode.NOT_CONNECTED, f"reader {reader.serial} is not connected")
        try:
            decision = await reader.present(credential)
        except LinkTimeoutError as exc:
            raise ApiError(ApiCode.DECISION_TIMEOUT, str(exc)) from None
        except LinkClosedError as exc:
            raise ApiError(ApiCode.LINK_CLOSED, str(exc)) from None
        return web.json_response(
            {"granted": decision.granted, "code": decision.code, "message": decision.message}
        )

    async def _tamper(self, request: web.Request) -> web.Response:
        reader = self._reader(request)
        body = await _json_object(request, optional=True)
        active = body.get("active", True)
        if not isinstance(active, bool) or set(body) - {"active"}:
            raise ApiError(ApiCode.INVALID_BODY, 'body must be {"active": true|false} or empty')
        if not reader.connected:
            raise ApiError(ApiCode.NOT_CONNECTED, f"reader {reader.serial} is not connected")
        try:
            await reader.tamper(active)
        except LinkClosedError as exc:
            raise ApiError(ApiCode.LINK_CLOSED, str(exc)) from None
        return web.json_response({"serial": reader.serial, "tamper": active})

    async def _light(self, request: web.Request) -> web.Response:
        """A BlinkUp transfer as the reader's light sensor saw it: samples, rate, fps."""
        reader = self._reader(request)
        body = await _json_object(request)
        samples, rate, fps = body.get("samples"), body.get("rate", 1000), body.get("fps", 60)
        mode = body.get("mode")
        if (
            set(body) - {"samples", "rate", "fps", "mode"}
            or not isinstance(samples, list)
            or not all(_finite(x) for x in samples)
            or not _finite(rate)
            or not _finite(fps)
            or mode not in (None, "imp", "fast")
        ):
            raise ApiError(
                ApiCode.INVALID_BODY,
                'body must be {"samples": [numbers], "rate": Hz, "fps": frames/s'
                ', "mode": "imp"|"fast" (optional)}',
            )
        try:
            got = await reader.receive_light(
                samples, float(rate), float(fps), None if mode is None else Mode(str(mode))
            )
        except BlinkUpError as exc:
            raise ApiError(ApiCode.BLINKUP_FAILED, f"the reader could not read it: {exc}") from None
        return web.json_response({"serial": reader.serial, **got.summary()})

    async def _list_controllers(self, request: web.Request) -> web.Response:
        return web.json_response([c.status() for c in self._controllers.values()])

    async def _get_controller(self, request: web.Request) -> web.Response:
        return web.json_response(self._controller(request).status())

    async def _set_input(self, request: web.Request) -> web.Response:
        controller = self._controller(request)
        text = request.match_info["channel"]
        if not text.isdigit() or not 1 <= int(text) <= INPUT_CHANNELS:
            raise ApiError(ApiCode.INVALID_CHANNEL, f"input must be 1..{INPUT_CHANNELS}: {text!r}")
        body = await _json_object(request)
        state = body.get("state")
        if set(body) != {"state"} or state not in {s.value for s in InputState}:
            raise ApiError(
                ApiCode.INVALID_BODY, 'body must be {"state": "open"|"closed"|"cut"|"short"}'
            )
        try:
            reported = await controller.set_input(int(text), InputState(str(state)))
        except LinkClosedError:
            reported = False
        return web.json_response({"channel": int(text), "state": state, "reported": reported})
