"""CSV card import: rows per second for checking and for importing 10,000 H10301 cards.

Run: `.venv/bin/python benchmarks/csv_import.py [--rows N]`.

The site is seeded with one user per row; each row gives its card to its user. Then:

- check: the controller's own `CardImports.check`, once over the whole file at once
  and in steps (as the import job and the app's dialog do, so nothing waits long; the
  longest step is the longest the window waits);
- import, in process: the dialog's path (`new_upload`, `receive`, `create`, `wait`), with the
  longest the event loop was held up while the job ran (the job checks the file again first);
- import over the public API against a `lintel controller` process on loopback:
  `POST /signed_upload_urls`, the upload, `POST /csv_card_imports`, then
  `GET /csv_card_imports/{id}` until it has finished, on a copy of the seeded site.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.controller.resources import USERS  # noqa: E402
from app.controller.service import Controller, ControllerConfig  # noqa: E402
from app.ui.card_import_file import check_file  # noqa: E402
from tests.e2e.processes import start_controller, stop  # noqa: E402


def make_csv(rows: int) -> bytes:
    """One H10301 card per row, each given to its own user."""
    lines = ["format,facility_code,card_number,uid,email"]
    lines += [f"H10301,{i // 65536},{i % 65536},,u{i}@bench.test" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def seed_users(site: Path, rows: int) -> None:
    """The users the rows give their cards to."""
    controller = Controller(ControllerConfig(data_dir=site, api_port=None))
    with controller.store.transaction():
        for i in range(rows):
            controller.site.create(USERS, {"email": f"u{i}@bench.test", "name": f"User {i}"})
    controller.store.close()


class Stalls:
    """The longest the event loop was held up while this runs.

    A task that yields with ``sleep(0)`` runs once per loop iteration, so the longest gap
    between its turns is the longest any one callback (a step, a chunk) kept the loop.
    """

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        before = time.perf_counter()
        while True:
            await asyncio.sleep(0)
            now = time.perf_counter()
            self.longest, before = max(self.longest, now - before), now

    def __enter__(self) -> Stalls:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()


async def check(controller: Controller, data: bytes) -> float:
    """Time the controller's check over the whole file and in the dialog's steps.

    Returns:
        the seconds the dialog's stepped check took.
    """
    rows = data.count(b"\n") - 1
    started = time.perf_counter()
    result = controller.card_imports.check(data.decode("utf-8-sig"))
    whole = time.perf_counter() - started
    print(
        f"check, whole file at once: {len(result.rows):,} ready, {len(result.errors)} with "
        "problems in "
        f"{whole:.2f} s -> {rows / whole:,.0f} rows per second"
    )
    with Stalls() as stalls:
        started = time.perf_counter()
        checked = await check_file(controller.card_imports, data)
        stepped = time.perf_counter() - started
    print(
        f"check in steps (as the dialog and the job): {checked.ready:,} ready in {stepped:.2f} s "
        f"-> {rows / stepped:,.0f} rows per second; longest stall {stalls.longest * 1000:.0f} ms"
    )
    return stepped


async def import_in_process(controller: Controller, data: bytes) -> float:
    """Import as the dialog does; returns the seconds it took."""
    imports = controller.card_imports
    with Stalls() as stalls:
        started = time.perf_counter()
        token, _ = imports.new_upload("cards.csv")
        job = imports.create({"file_name": imports.receive(token, data)})
        final = await imports.wait(job["id"])
        took = time.perf_counter() - started
    print(
        f"import in process (check again + write): {final['imported']:,} cards in {took:.2f} s "
        f"-> {final['imported'] / took:,.0f} rows per second; "
        f"{len(final['import_errors'])} errors; longest stall {stalls.longest * 1000:.0f} ms"
    )
    return took


async def call(http: aiohttp.ClientSession, method: str, url: str, body: Any = None) -> Any:
    """One API request that must succeed; returns its JSON."""
    async with http.request(method, url, json=body) as response:
        assert response.status == 200, (url, response.status, await response.text())
        return await response.json()


async def import_over_api(api: str, secret: str, data: bytes) -> None:
    """Upload and import through the public API; print the import's rate."""
    headers = {"Authorization": f"KISI-LOGIN {secret}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        started = time.perf_counter()
        signed = await call(
            http,
            "POST",
            api + "/signed_upload_urls",
            {"signed_upload_url": {"file_name": "cards.csv", "file_type": "csv_card_import"}},
        )
        async with http.post(signed["signed_upload_url"], data=data) as response:
            stored = (await response.json())["file_name"]
        uploaded = time.perf_counter()
        job = await call(
            http, "POST", api + "/csv_card_imports", {"csv_card_import": {"file_name": stored}}
        )
        while job["status"] not in ("finished", "failed"):
            await asyncio.sleep(0.02)
            job = await call(http, "GET", f"{api}/csv_card_imports/{job['id']}")
        took = time.perf_counter() - uploaded
    print(
        f"upload over the API: {len(data) / 1024:,.0f} KiB in {(uploaded - started) * 1000:.0f} ms"
    )
    print(
        f"import over the API (check again + write): {job['imported']:,} cards in {took:.2f} s "
        f"-> {job['imported'] / took:,.0f} rows per second; {len(job['import_errors'])} errors"
    )
    for line, messages in list(job["import_errors"].items())[:3]:
        print(f"  {line}: {'; '.join(messages)}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    data = make_csv(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        seed_users(root / "site", args.rows)
        print(f"seeded {args.rows:,} users in {time.perf_counter() - started:.1f} s")
        shutil.copytree(root / "site", root / "api-site")
        controller = Controller(ControllerConfig(data_dir=root / "site", api_port=None))
        try:
            checking = await check(controller, data)
            importing = await import_in_process(controller, data)
        finally:
            controller.store.close()
        print(
            f"total: {checking + importing:.2f} s for {args.rows:,} rows as in the dialog "
            f"(check in steps {checking:.2f} s, upload and import {importing:.2f} s)"
        )
        proc, endpoints = start_controller(root / "api-site", root / "controller.log")
        try:
            secret = (root / "api-site" / "admin.secret").read_text().strip()
            await import_over_api(f"http://{endpoints['api']}", secret, data)
        finally:
            stop(proc)


if __name__ == "__main__":
    asyncio.run(main())
