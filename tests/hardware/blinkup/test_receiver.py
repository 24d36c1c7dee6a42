"""The receiver's API: chunked input, progress, errors that stay, garbage in, clean errors out."""

from __future__ import annotations

import contextlib
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardware.blinkup import (
    BlinkUpDecodeError,
    BlinkUpError,
    ClearSettings,
    DecodeFailure,
    Mode,
    Receiver,
    RxState,
    decode,
    frames,
    simulate,
)
from tests.hardware.blinkup.support import HARD, SMALL, receivable

GARBAGE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("mode", list(Mode))
def test_chunks_of_any_size_give_progress_then_the_settings(mode: Mode) -> None:
    samples = simulate(frames(SMALL, mode), 60, HARD, random.Random(5))
    rx = Receiver(mode, 1000, 60)
    rng = random.Random(6)
    states, fractions, pos = [], [], 0
    while pos < len(samples):
        step = rng.randint(1, 400)
        progress = rx.feed(samples[pos : pos + step])
        pos += step
        states.append(progress.state)
        fractions.append(progress.fraction)
    assert states[0] is RxState.SEARCHING
    assert RxState.RECEIVING in states
    assert states[-1] is RxState.DONE
    assert fractions[-1] == 1.0
    assert progress.settings == receivable(SMALL, mode)
    assert progress.expected == len(frames(SMALL, mode))
    receiving = [f for s, f in zip(states, fractions, strict=True) if s is RxState.RECEIVING]
    assert receiving == sorted(receiving) and 0 < max(receiving) < 1
    assert rx.finish() == receivable(SMALL, mode)
    assert rx.feed([0.0] * 100).state is RxState.DONE  # later samples change nothing


def test_a_failure_stays_until_reset() -> None:
    levels = frames(SMALL, Mode.IMP)
    samples = simulate(levels, 60, HARD, random.Random(1))
    broken = simulate(levels[:200] + levels[201:], 60, HARD, random.Random(1))
    rx = Receiver(Mode.IMP, 1000, 60)
    with pytest.raises(BlinkUpDecodeError) as first:
        rx.feed(broken)
    assert rx.progress.state is RxState.FAILED
    with pytest.raises(BlinkUpDecodeError) as again:
        rx.feed([0.5])
    assert again.value is first.value
    with pytest.raises(BlinkUpDecodeError):
        rx.finish()
    rx.reset()
    rx.feed(samples)
    assert rx.finish() == receivable(SMALL, Mode.IMP)


@pytest.mark.parametrize("mode", list(Mode))
def test_clear_round_trip(mode: Mode) -> None:
    samples = simulate(frames(ClearSettings(), mode), 60, HARD, random.Random(2))
    assert decode(samples, 1000, 60, mode) == ClearSettings()


@pytest.mark.parametrize("mode", list(Mode))
def test_silence_and_a_steady_screen_have_no_preamble(mode: Mode) -> None:
    for samples in ([0.3] * 3000, [random.Random(1).gauss(0.3, 0.01) for _ in range(3000)], []):
        with pytest.raises(BlinkUpDecodeError) as info:
            decode(samples, 1000, 60, mode)
        assert info.value.reason is DecodeFailure.NO_PREAMBLE


def test_the_other_modes_transfer_is_not_decoded() -> None:
    samples = simulate(frames(SMALL, Mode.FAST), 60, HARD, random.Random(3))
    with pytest.raises(BlinkUpDecodeError) as info:
        decode(samples, 1000, 60, Mode.IMP)
    assert info.value.reason is DecodeFailure.NO_PREAMBLE
    assert "found an alternation of frames, but then" in str(info.value)


def test_cut_short_fast() -> None:
    levels = frames(SMALL, Mode.FAST)
    samples = simulate(levels[: len(levels) // 2], 60, HARD, random.Random(4))
    with pytest.raises(BlinkUpDecodeError) as info:
        decode(samples, 1000, 60, Mode.FAST)
    assert info.value.reason is DecodeFailure.TRUNCATED


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1e300, "x"])
def test_bad_samples(bad: object) -> None:
    rx = Receiver(Mode.FAST, 1000, 60)
    with pytest.raises(BlinkUpDecodeError) as info:
        rx.feed([0.1, 0.2, bad])  # type: ignore[list-item]
    assert info.value.reason is DecodeFailure.BAD_SAMPLES
    assert "sample 2" in str(info.value)


@pytest.mark.parametrize(
    ("mode", "rate", "fps", "text"),
    [
        ("morse", 1000, 60, "unknown BlinkUp mode"),
        ("imp", 200, 60, "samples per frame"),
        ("fast", 1000, 0, "frame rate"),
        ("fast", math.nan, 60, "sample rate"),
    ],
)
def test_bad_receiver_setup(mode: str, rate: float, fps: float, text: str) -> None:
    with pytest.raises(BlinkUpError, match=text):
        Receiver(mode, rate, fps)


@given(
    mode=st.sampled_from(list(Mode)),
    data=st.lists(st.floats(-1e6, 1e6), max_size=3000),
    chunk=st.integers(1, 500),
)
@GARBAGE
def test_garbage_raises_only_decode_errors(mode: Mode, data: list[float], chunk: int) -> None:
    rx = Receiver(mode, 1000, 60)
    try:
        for pos in range(0, len(data), chunk):
            rx.feed(data[pos : pos + chunk])
        rx.finish()
    except BlinkUpDecodeError:
        pass


@given(
    mode=st.sampled_from(list(Mode)),
    seed=st.integers(0, 2**32),
    alternation=st.integers(10, 80),
    tail=st.integers(0, 400),
    scale=st.sampled_from([1e-6, 1.0, 5e4]),
)
@GARBAGE
def test_an_alternation_then_garbage_raises_only_decode_errors(
    mode: Mode, seed: int, alternation: int, tail: int, scale: float
) -> None:
    rng = random.Random(seed)
    levels = [0, 255] * (alternation // 2) + [rng.randrange(256) for _ in range(tail)]
    samples = [scale * (10 + v) for v in simulate(levels, 60, HARD, rng)]
    with contextlib.suppress(BlinkUpDecodeError):
        decode(samples, 1000, 60, mode)
