"""Keeping benchmark processes on their own cores and reading what CPU they used (Linux)."""

from __future__ import annotations

import os
from pathlib import Path


def pin(core: int) -> None:
    """Keep this process on one core (when the machine has it)."""
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > core:
        os.sched_setaffinity(0, {core})


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and kernel CPU time a process has used (from /proc); robust to other load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick
