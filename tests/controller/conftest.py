"""A controller running in-process on loopback with its REST API, and an HTTP client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from multidict import CIMultiDictProxy

from app.controller.service import Controller, ControllerConfig

if TYPE_CHECKING:
    from tests.controller.wired import Wired


def loopback_config(
    data_dir: Path, api_port: int | None = None, **settings: Any
) -> ControllerConfig:
    """A controller configuration that listens on loopback only, on free ports."""
    return ControllerConfig(
        data_dir=data_dir,
        api_host="127.0.0.1",
        api_port=api_port,
        device_host="127.0.0.1",
        device_port=0,
        device_fallback_port=None,
        **settings,
    )


class Api:
    """A tiny client for the controller's REST API, authenticated as a login."""

    def __init__(self, session: aiohttp.ClientSession, base: str, secret: str) -> None:
        self.session = session
        self.base = base
        self.secret = secret

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        secret: str | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, Any, CIMultiDictProxy[str]]:
        headers = {
            "Authorization": f"KISI-LOGIN {secret or self.secret}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        kwargs: dict[str, Any] = {"headers": headers}
        if raw is not None:
            kwargs["data"] = raw
        elif body is not None:
            kwargs["json"] = body
        async with self.session.request(method, self.base + path, **kwargs) as response:
            text = await response.text()
            data = None
            if text:
                data = await response.json(content_type=None)
            return response.status, data, response.headers

    async def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, data, _ = await self.call(method, path, body)
        assert status in (200, 204), (status, data)
        return data


@pytest.fixture
async def controller(tmp_path: Path) -> AsyncIterator[Controller]:
    ctl = Controller(loopback_config(tmp_path / "site", api_port=0))
    await ctl.start()
    try:
        yield ctl
    finally:
        await ctl.stop()


@pytest.fixture
async def api(controller: Controller) -> AsyncIterator[Api]:
    secret = (controller.config.data_dir / "admin.secret").read_text().strip()
    async with aiohttp.ClientSession() as session:
        yield Api(session, f"http://127.0.0.1:{controller.api_port}", secret)


@pytest.fixture
async def wired(controller: Controller, tmp_path: Path) -> AsyncIterator[Wired]:
    """One adopted simulated reader and door controller, relay 1 wired to a door."""
    from tests.controller.wired import wire  # wired.py imports this module

    setup = await wire(controller, tmp_path)
    try:
        yield setup
    finally:
        await setup.sim.async_close()
