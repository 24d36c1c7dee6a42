"""Start the real `lintel` processes on loopback and find where they listen."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def spawn(args: list[str], log: Path, prefix: Sequence[str] = ()) -> subprocess.Popen[bytes]:
    """Run ``python -m app.cli ARGS`` (behind ``prefix``, e.g. taskset) with output to ``log``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    handle = log.open("wb")
    return subprocess.Popen(
        [*prefix, sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        env=env,
    )


def start_controller(
    site: Path, log: Path, prefix: Sequence[str] = ()
) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """Start ``lintel controller`` on loopback with free ports; returns it and its endpoints."""
    (site / "endpoints.json").unlink(missing_ok=True)  # before the start, or we race its write
    args = [
        "controller",
        "--data",
        str(site),
        "--api",
        "127.0.0.1:0",
        "--device-host",
        "127.0.0.1",
        "--device-port",
        "0",
        "--device-fallback-port",
        "0",
    ]
    process = spawn(args, log, prefix)
    return process, read_json_file(site / "endpoints.json", process, log)


def read_json_file(
    path: Path, process: subprocess.Popen[bytes], log: Path, timeout: float = 30.0
) -> Any:
    """Wait until a process writes a JSON file (or dies, which fails with its log)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited {process.returncode}:\n{log.read_text()}")
        if path.exists():
            try:
                return json.loads(path.read_text())
            except ValueError:
                pass  # written at this instant; read again
        time.sleep(0.02)
    raise TimeoutError(f"{path} did not appear:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes], kill: bool = False) -> None:
    """Stop a process (SIGTERM, or SIGKILL when ``kill``) and reap it."""
    if process.poll() is None:
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
