"""A light sensor looking at a flashing screen, for tests, benchmarks and the simulated reader.

Frame levels and a frame rate go in; samples come out, as a phototransistor behind a reader's
front would give them: the screen's gamma, its pixel response (first-order, so each frame
settles toward its level), the swing the sensor sees (``gain``), ambient light, slow drift of
both, Gaussian noise, frame-time jitter, and frames the display drops or shows twice. All the
randomness comes from the ``random.Random`` passed in, so a seed gives the same samples.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SensorModel:
    """How the sensor sees the screen; values are in units of the sensor's full scale.

    Attributes:
        rate: Samples per second.
        response: Time constant of the pixels' response, seconds (a little smoothing).
        gamma: Screen level 0–255 to light: ``(level / 255) ** gamma``.
        gain: Sensor reading of full white minus black (0.1 = a 10 % swing).
        ambient: Reading with the screen black (ambient light, dark current).
        drift: Change of ``ambient`` per second.
        gain_drift: Relative change of ``gain`` per second (auto-brightness), e.g. -0.01.
        noise: Standard deviation of Gaussian noise on each sample.
        jitter: Each frame lasts ``(1 ± jitter) / fps`` (uniform), so frames come early or late.
        dropped: Indexes of frames the display never shows (later ones move up).
        repeated: Indexes of frames the display shows twice.
        lead_in: Seconds of idle screen before the first frame.
        tail: Seconds of idle screen after the last frame.
        idle_level: Screen level before and after the transfer.
    """

    rate: float = 1000.0
    response: float = 0.002
    gamma: float = 2.2
    gain: float = 1.0
    ambient: float = 0.0
    drift: float = 0.0
    gain_drift: float = 0.0
    noise: float = 0.0
    jitter: float = 0.0
    dropped: tuple[int, ...] = ()
    repeated: tuple[int, ...] = ()
    lead_in: float = 0.3
    tail: float = 0.2
    idle_level: int = 128


def _schedule(
    levels: Sequence[int], fps: float, model: SensorModel, rng: random.Random
) -> list[tuple[float, int]]:
    # (end time, level) of each stretch of constant screen, idle lead-in and tail included.
    shown: list[int] = []
    dropped, repeated = set(model.dropped), set(model.repeated)
    for index, level in enumerate(levels):
        if index not in dropped:
            shown += [level] * (2 if index in repeated else 1)
    stretches = [(model.lead_in, model.idle_level)]
    now = model.lead_in
    for level in shown:
        now += (1.0 + rng.uniform(-model.jitter, model.jitter)) / fps
        stretches.append((now, level))
    stretches.append((now + model.tail, model.idle_level))
    return stretches


def simulate(
    levels: Sequence[int], fps: float, model: SensorModel, rng: random.Random
) -> list[float]:
    """Return the samples a sensor reads while the screen shows ``levels`` at ``fps``.

    Args:
        levels: Screen level (0–255) of each frame, as the flasher would show them.
        fps: Nominal frame rate.
        model: The sensor and display conditions.
        rng: Source of jitter and noise.

    Returns:
        One reading per sample period, from the start of the lead-in to the end of the tail.
    """
    stretches = _schedule(levels, fps, model, rng)
    step = 1.0 / model.rate
    count = math.floor(stretches[-1][0] * model.rate)
    light = float((model.idle_level / 255.0) ** model.gamma)  # the screen has been idle a while
    out: list[float] = []
    seg = 0
    now = 0.0  # time up to which `light` is known
    for n in range(count):
        t = n * step
        while stretches[seg][0] <= t:  # the screen changed level before this sample
            light = _settle(light, stretches[seg][1], stretches[seg][0] - now, model)
            now = stretches[seg][0]
            seg += 1
        light = _settle(light, stretches[seg][1], t - now, model)
        now = t
        gain = max(0.0, model.gain * (1.0 + model.gain_drift * t))
        reading = model.ambient + model.drift * t + gain * light
        out.append(reading + (rng.gauss(0.0, model.noise) if model.noise else 0.0))
    return out


def _settle(light: float, level: int, elapsed: float, model: SensorModel) -> float:
    # First-order pixel response toward `level` over `elapsed` seconds.
    target = float((level / 255.0) ** model.gamma)
    if model.response <= 0.0:
        return target
    return target + (light - target) * math.exp(-elapsed / model.response)
