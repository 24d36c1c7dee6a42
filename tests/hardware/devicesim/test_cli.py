"""``device-sim`` as a real process: starts, serves its control API, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from hardware.devicesim.cli import build_parser, main
from hardware.link.server import LinkServer
from tests.hardware.devicesim.conftest import SiteHub
from tests.hardware.link.support import wait_until

pytestmark = pytest.mark.timeout(30)  # a hung socket must fail the test, not the run

ROOT = Path(__file__).resolve().parents[3]


def test_parser_defaults_and_addresses() -> None:
    args = build_parser().parse_args(
        ["--data", "d", "--server", "127.0.0.1:4000", "--control", "[::1]:0"]
    )
    assert (args.readers, args.controllers, args.server_fallback) == (1, 1, 993)
    assert args.control == ("::1", 0)
    assert args.feedback_seconds == 3.0


@pytest.mark.parametrize(
    "argv",
    [
        ["--data", "d", "--readers", "-1"],
        ["--data", "d", "--control", "localhost"],
        ["--data", "d", "--control", "h:99999"],
        ["--readers", "1"],
    ],
)
def test_bad_arguments_exit_with_usage(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def test_bad_server_address_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path), "--server", "nohost"]) == 2
    assert "expected HOST:PORT" in capsys.readouterr().err


async def test_process_runs_until_sigterm(tmp_path: Path, server: LinkServer, hub: SiteHub) -> None:
    control_file = tmp_path / "control.json"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hardware.devicesim.cli",
        "--readers",
        "2",
        "--controllers",
        "1",
        "--server",
        f"127.0.0.1:{server.bound_port}",
        "--server-fallback",
        "0",
        "--control",
        "127.0.0.1:0",
        "--data",
        str(tmp_path),
        "--feedback-seconds",
        "0.5",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await wait_until(control_file.exists, timeout=20)
        address = json.loads(control_file.read_text())["control"]
        await wait_until(lambda: len(hub.sessions) == 3, timeout=20)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://{address}/readers") as resp:
                readers = await resp.json()
            assert [r["connected"] for r in readers] == [True, True]
            async with http.get(f"http://{address}/controllers") as resp:
                assert (await resp.json())[0]["connected"]
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(20):
            output, _ = await proc.communicate()
        assert proc.returncode == 0, output.decode()
        await wait_until(lambda: len(hub.closed) == 3)
        for reader in readers:
            assert reader["token"].encode() not in output  # labels never reach the log
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
