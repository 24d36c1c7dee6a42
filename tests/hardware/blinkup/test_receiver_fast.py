"""Receiving fast transfers: round trips, and recovery from one dropped, repeated or wrong frame."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardware.blinkup import BlinkUpDecodeError, DecodeFailure, Mode, Proxy, StaticIP, fast, frames
from tests.hardware.blinkup.support import (
    HARD,
    SMALL,
    WORST,
    network_settings,
    send,
    slipped,
    transfer,
)

SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIRST = len(fast.ALTERNATION) - 4  # frames before this may fall before the lock


def test_worst_case_under_hard_conditions() -> None:
    assert send(WORST, Mode.FAST) == WORST


@given(
    sent=network_settings(Mode.FAST),
    seed=st.integers(0, 2**32),
    ambient=st.floats(0.0, 0.6),
    drift=st.floats(-0.005, 0.005),
    gain_drift=st.floats(-0.01, 0.01),
    gamma=st.floats(1.8, 2.6),
    idle=st.integers(0, 255),
    fps=st.sampled_from([60.0, 30.0]),
)
@SLOW
def test_round_trip_through_a_noisy_sensor(
    sent,
    seed: int,
    ambient: float,
    drift: float,
    gain_drift: float,
    gamma: float,
    idle: int,
    fps: float,
) -> None:
    model = replace(
        HARD, ambient=ambient, drift=drift, gain_drift=gain_drift, gamma=gamma, idle_level=idle
    )
    assert transfer(frames(sent, Mode.FAST), Mode.FAST, model, seed, fps) == sent


@given(
    where=st.floats(0.0, 1.0),
    kind=st.sampled_from(["dropped", "repeated"]),
    seed=st.integers(0, 99),
)
@SLOW
def test_one_dropped_or_repeated_frame_is_recovered(where: float, kind: str, seed: int) -> None:
    levels = frames(SMALL, Mode.FAST)
    index = FIRST + int(where * (len(levels) - FIRST - 1))
    assert transfer(levels, Mode.FAST, slipped(HARD, kind, index), seed) == SMALL


@given(where=st.floats(0.0, 1.0), shown=st.sampled_from(fast.LEVELS), seed=st.integers(0, 99))
@SLOW
def test_one_wrong_frame_is_corrected(where: float, shown: int, seed: int) -> None:
    levels = frames(SMALL, Mode.FAST)
    index = FIRST + int(where * (len(levels) - FIRST - 1))
    levels[index] = shown  # possibly the level of a neighbour: reads as a repeat plus a loss
    assert transfer(levels, Mode.FAST, seed=seed) == SMALL


@pytest.mark.parametrize(
    "index",
    [
        len(fast.ALTERNATION) + 1,  # sync word
        len(fast.ALTERNATION) + len(fast.SYNC) + 3,  # training
        len(fast.PREAMBLE) + 5,  # header
        len(fast.PREAMBLE) + 4 * fast.HEADER_BYTES - 2,  # end of the header
        len(frames(SMALL, Mode.FAST)) - 4,  # last data frames
    ],
)
@pytest.mark.parametrize("kind", ["dropped", "repeated"])
def test_slips_at_the_seams(index: int, kind: str) -> None:
    assert send(SMALL, Mode.FAST, slipped(HARD, kind, index)) == SMALL


def test_a_burst_beyond_the_parity_is_refused() -> None:
    levels = frames(SMALL, Mode.FAST)
    start = len(fast.PREAMBLE) + 4 * fast.HEADER_BYTES + 8
    for i in range(start, start + 40):  # 10 bytes of garbage, 12 parity bytes
        levels[i] = fast.LEVELS[(i * 7) % 5]
    with pytest.raises(BlinkUpDecodeError) as info:
        transfer(levels, Mode.FAST)
    assert info.value.reason in (DecodeFailure.TOO_MANY_ERRORS, DecodeFailure.CRC_MISMATCH)


def test_two_swings_low_and_high() -> None:
    assert send(SMALL, Mode.FAST, replace(HARD, gain=1.0, noise=0.02)) == SMALL
    assert send(SMALL, Mode.FAST, replace(HARD, gain=0.1, ambient=0.9)) == SMALL


def test_a_long_message_spans_interleaved_codewords() -> None:
    proxy = Proxy(".".join(["p" * 60] * 3), 8080, "u" * 40, "x" * 40)
    sent = replace(
        WORST, static=StaticIP("10.1.2.3", "255.255.0.0", "10.1.0.1", "1.1.1.1"), proxy=proxy
    )
    message = fast.packet(sent)
    assert len(fast.layout(len(message))) == 2
    levels = frames(sent, Mode.FAST)
    assert send(sent, Mode.FAST, slipped(HARD, "dropped", len(levels) // 2)) == sent


def test_a_slow_screen_is_equalised() -> None:
    # A 6 ms pixel response leaves about a third of each step unfinished at 60 fps.
    assert send(WORST, Mode.FAST, replace(HARD, response=0.006)) == WORST
