"""Start the real `lintel` processes on loopback and find where they listen."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def spawn(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Run ``python -m app.cli ARGS`` with output to ``log``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        env=env,
    )


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
