"""BlinkUp transfer time and success rate for both modes, through the simulated light sensor.

Run: `.venv/bin/python benchmarks/blinkup.py [--count N] [--seed S] [--workers W]`.
For each mode and payload (small: "MyWiFi"/"secret123" + enrolment; worst case: 32-byte SSID,
63-byte password, enrolment) it prints the seconds at 60 fps and the share of N noisy transfers
(default 1,000 per cell, fixed seed) that decode to exactly the settings sent: under moderate
noise, then with one frame dropped as well, then under heavy noise. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware.blinkup import (
    BlinkUpDecodeError,
    Enrolment,
    Mode,
    NetworkSettings,
    SensorModel,
    Settings,
    WiFi,
    decode,
    frames,
    simulate,
)

FPS = 60.0
RATE = 1000.0
ENROL = Enrolment("0123456789abcdef", "fedcba9876543210", "192.168.1.10:31314")
PAYLOADS = {
    "small": NetworkSettings(WiFi("MyWiFi", "secret123"), enrolment=ENROL),
    "worst": NetworkSettings(WiFi("W" * 32, "p" * 63), enrolment=ENROL),
}
CONDITIONS = (
    "swing 10 % of full scale (FS); ambient offset uniform 0.05-0.6 FS; ambient drift uniform "
    "±0.005 FS/s; swing drift uniform ±1 %/s; frame times ±5 % (uniform, cumulative); pixel "
    "response 2 ms; gamma 2.2; idle screen level uniform 0-255 for 0.2-1.0 s before"
)
# name -> (Gaussian noise sigma in FS, drop one frame after the preamble)
SCENARIOS = {
    "noise 0.005": (0.005, False),
    "+1 dropped frame": (0.005, True),
    "noise 0.015": (0.015, False),
}


def conditions(rng: random.Random, frame_count: int, noise: float, drop: bool) -> SensorModel:
    """One transfer's sensor and screen conditions, drawn from ``rng``."""
    model = SensorModel(
        rate=RATE,
        response=0.002,
        gain=0.1,
        ambient=rng.uniform(0.05, 0.6),
        drift=rng.uniform(-0.005, 0.005),
        gain_drift=rng.uniform(-0.01, 0.01),
        noise=noise,
        jitter=0.05,
        lead_in=rng.uniform(0.2, 1.0),
        idle_level=rng.randrange(256),
    )
    if drop:  # somewhere after the preamble (the first 10 % of the frames)
        model = replace(model, dropped=(rng.randrange(frame_count // 10, frame_count - 8),))
    return model


def expected(settings: Settings, mode: Mode) -> Settings:
    """What a receiver can give back: imp carries neither the server nor WPA vs WPA2."""
    if mode is Mode.FAST or not isinstance(settings, NetworkSettings):
        return settings
    enrol = settings.enrolment
    return replace(settings, enrolment=enrol and replace(enrol, server=None))


def one(job: tuple[str, str, str, int]) -> str:
    """Run one transfer; return ``ok`` or the failure code."""
    payload, mode_name, scenario, seed = job
    mode = Mode(mode_name)
    settings = PAYLOADS[payload]
    levels = frames(settings, mode)
    rng = random.Random(seed)
    model = conditions(rng, len(levels), *SCENARIOS[scenario])
    samples = simulate(levels, FPS, model, rng)
    try:
        got = decode(samples, RATE, FPS, mode)
    except BlinkUpDecodeError as exc:
        return exc.reason.value
    return "ok" if got == expected(settings, mode) else "wrong settings"


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="transfers per cell")
    parser.add_argument("--seed", type=int, default=20240605)
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count())
    args = parser.parse_args()
    print(f"BlinkUp at {FPS:g} fps, sensor at {RATE:g} Hz; {args.count} transfers per cell.")
    print(f"All transfers: {CONDITIONS}.")
    print("Columns: Gaussian noise sigma per sample (0.005 FS = 5 % of the swing), with or")
    print("without one frame dropped after the preamble. Cells: transfers decoded exactly.")
    print(f"{'mode':5} {'payload':8} {'frames':>6} {'seconds':>7}", end="")
    print("".join(f"  {name:>16}" for name in SCENARIOS) + "  failures")
    began = time.perf_counter()
    with multiprocessing.Pool(args.workers) as pool:
        for mode in Mode:
            for payload, settings in PAYLOADS.items():
                count = len(frames(settings, mode))
                cells, notes = [], []
                for number, scenario in enumerate(SCENARIOS):
                    base = args.seed + 7919 * number
                    jobs = [(payload, mode.value, scenario, base + i) for i in range(args.count)]
                    results = Counter(pool.map(one, jobs, chunksize=8))
                    cells.append(f"{100 * results['ok'] / args.count:.1f} %")
                    del results["ok"]
                    notes.append(", ".join(f"{k} {v}" for k, v in sorted(results.items())) or "-")
                print(
                    f"{mode.value:5} {payload:8} {count:6d} {count / FPS:7.1f}"
                    + "".join(f"  {cell:>16}" for cell in cells)
                    + f"  {' | '.join(notes)}",
                    flush=True,
                )
    print(f"({time.perf_counter() - began:.0f} s with {args.workers} worker processes)")


if __name__ == "__main__":
    main()
