"""The simulated light sensor: deterministic, and each condition does what it says."""

from __future__ import annotations

import random
from dataclasses import replace

from hardware.blinkup import SensorModel, simulate

FPS = 50.0  # 20 samples per frame at 1 kHz: frame centres fall on whole samples
PLAIN = SensorModel(response=0.0, gamma=1.0, lead_in=0.1, tail=0.1, idle_level=0)


def _centres(samples: list[float], count: int, lead: float = 0.1) -> list[float]:
    return [samples[round((lead + (i + 0.5) / FPS) * 1000)] for i in range(count)]


def test_levels_gain_and_ambient() -> None:
    model = SensorModel(
        response=0.0, gamma=1.0, gain=0.2, ambient=0.3, lead_in=0.1, tail=0.1, idle_level=0
    )
    samples = simulate([0, 255, 51], FPS, model, random.Random(1))
    assert len(samples) == round((0.1 + 3 / FPS + 0.1) * 1000)
    assert [round(v, 6) for v in _centres(samples, 3)] == [0.3, 0.5, 0.34]


def test_gamma_and_response() -> None:
    samples = simulate(
        [255, 0], FPS, SensorModel(response=0.002, lead_in=0.1, idle_level=0), random.Random(1)
    )
    first_frame = samples[100:120]
    assert first_frame[0] < 0.5 < first_frame[-1]  # settles within the frame
    assert abs(first_frame[-1] - 1.0) < 1e-3
    gray = simulate([128], FPS, SensorModel(response=0.0, gamma=2.2, lead_in=0.1), random.Random(1))
    assert abs(gray[110] - (128 / 255) ** 2.2) < 1e-9


def test_same_seed_same_samples_and_noise_is_gaussian_ish() -> None:
    model = SensorModel(noise=0.01, jitter=0.05)
    a = simulate([0, 255] * 20, 60, model, random.Random(7))
    b = simulate([0, 255] * 20, 60, model, random.Random(7))
    c = simulate([0, 255] * 20, 60, model, random.Random(8))
    assert a == b != c
    quiet = simulate([0] * 50, FPS, SensorModel(noise=0.01, idle_level=0), random.Random(3))
    spread = (sum(v * v for v in quiet) / len(quiet)) ** 0.5
    assert 0.008 < spread < 0.012


def test_dropped_and_repeated_frames() -> None:
    levels = [0, 255, 0, 255]
    dropped = simulate(levels, FPS, replace(PLAIN, dropped=(1,)), random.Random(1))
    assert [round(v) for v in _centres(dropped, 3)] == [0, 0, 1]
    repeated = simulate(levels, FPS, replace(PLAIN, repeated=(1,)), random.Random(1))
    assert [round(v) for v in _centres(repeated, 5)] == [0, 1, 1, 0, 1]


def test_drift_and_jitter() -> None:
    model = replace(PLAIN, drift=0.5, gain_drift=-0.5)
    samples = simulate([255] * 50, FPS, model, random.Random(1))
    assert abs(samples[1000] - (0.5 + 1.0 * (1 - 0.5))) < 1e-9  # at t = 1 s
    jittery = replace(PLAIN, jitter=0.05)
    lengths = {len(simulate([0] * 100, FPS, jittery, random.Random(s))) for s in range(5)}
    assert len(lengths) > 1
    assert all(abs(n - 2200) <= 100 for n in lengths)  # ±5 % of 2 s at most
