"""Receiving imp transfers through the simulated sensor; failing cleanly on a slipped frame."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardware.blinkup import BlinkUpDecodeError, DecodeFailure, Mode, frames, imp
from tests.hardware.blinkup.support import (
    HARD,
    SMALL,
    WORST,
    network_settings,
    receivable,
    send,
    slipped,
    transfer,
)

PREAMBLE_FRAMES = 16 * len(imp.PREAMBLE)
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_worst_case_under_hard_conditions() -> None:
    assert send(WORST, Mode.IMP) == receivable(WORST, Mode.IMP)


@given(
    sent=network_settings(Mode.IMP),
    seed=st.integers(0, 2**32),
    ambient=st.floats(0.0, 0.6),
    drift=st.floats(-0.005, 0.005),
    gain_drift=st.floats(-0.01, 0.01),
    idle=st.integers(0, 255),
    fps=st.sampled_from([60.0, 30.0]),
)
@SLOW
def test_round_trip_through_a_noisy_sensor(
    sent, seed: int, ambient: float, drift: float, gain_drift: float, idle: int, fps: float
) -> None:
    model = replace(HARD, ambient=ambient, drift=drift, gain_drift=gain_drift, idle_level=idle)
    got = transfer(frames(sent, Mode.IMP), Mode.IMP, model, seed, fps)
    assert got == receivable(sent, Mode.IMP)


@given(
    where=st.floats(0.0, 1.0),
    kind=st.sampled_from(["dropped", "repeated"]),
    seed=st.integers(0, 99),
)
@SLOW
def test_a_dropped_or_repeated_frame_fails_cleanly(where: float, kind: str, seed: int) -> None:
    levels = frames(SMALL, Mode.IMP)
    packet_frames = len(levels) - PREAMBLE_FRAMES - imp.TRAILER_FRAMES
    # Any packet frame but the very last (repeating that one comes after the packet is whole).
    index = PREAMBLE_FRAMES + int(where * (packet_frames - 2))
    with pytest.raises(BlinkUpDecodeError) as info:
        transfer(levels, Mode.IMP, slipped(HARD, kind, index), seed)
    assert info.value.reason is DecodeFailure.LOST_SYNC
    assert "of the packet" in str(info.value)


def test_a_wrong_frame_is_a_crc_mismatch() -> None:
    levels = frames(SMALL, Mode.IMP)
    index = PREAMBLE_FRAMES + 8 * 16 + 1  # a value frame in the ninth packet byte
    levels[index] = 255 if levels[index] == 191 else 191
    with pytest.raises(BlinkUpDecodeError) as info:
        transfer(levels, Mode.IMP)
    assert info.value.reason is DecodeFailure.CRC_MISMATCH


def test_a_slip_early_in_the_preamble_only_delays_the_lock() -> None:
    model = replace(HARD, dropped=(3,))  # 49 alternating frames are left to lock on
    assert send(SMALL, Mode.IMP, model) == receivable(SMALL, Mode.IMP)


def test_a_slip_late_in_the_preamble_leaves_too_few_zeros() -> None:
    with pytest.raises(BlinkUpDecodeError) as info:
        send(SMALL, Mode.IMP, replace(HARD, repeated=(40,)))
    assert info.value.reason is DecodeFailure.NO_PREAMBLE


def test_cut_short() -> None:
    levels = frames(SMALL, Mode.IMP)[: PREAMBLE_FRAMES + 200]
    with pytest.raises(BlinkUpDecodeError) as info:
        transfer(levels, Mode.IMP, replace(HARD, idle_level=0))
    assert info.value.reason in (DecodeFailure.TRUNCATED, DecodeFailure.LOST_SYNC)
