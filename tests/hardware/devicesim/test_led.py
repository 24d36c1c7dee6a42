"""The reader LED model, driven by a fake clock."""

from __future__ import annotations

from hardware.link.messages import LedState
from hardware.reader.led import ReaderLed, idle_led


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_idle_colours() -> None:
    assert idle_led(connected=False, configured=False, assigned=False) is LedState.AMBER
    assert idle_led(connected=True, configured=False, assigned=False) is LedState.DIM_WHITE
    assert idle_led(connected=True, configured=True, assigned=False) is LedState.DIM_WHITE
    assert idle_led(connected=True, configured=True, assigned=True) is LedState.WHITE
    # Offline but set up: still ready to process an unlock from its cache.
    assert idle_led(connected=False, configured=True, assigned=True) is LedState.WHITE
    assert idle_led(connected=False, configured=True, assigned=False) is LedState.DIM_WHITE


def test_timed_override_returns_to_idle() -> None:
    clock = FakeClock()
    led = ReaderLed(clock)
    led.show(LedState.GREEN, 3.0)
    assert led.current(LedState.WHITE) is LedState.GREEN
    clock.now += 2.9
    assert led.current(LedState.WHITE) is LedState.GREEN
    clock.now += 0.1
    assert led.current(LedState.WHITE) is LedState.WHITE


def test_latest_command_wins_and_untimed_holds() -> None:
    clock = FakeClock()
    led = ReaderLed(clock)
    led.show(LedState.BLINKING_WHITE, 10.0)
    led.show(LedState.RED, None)
    clock.now += 1000
    assert led.current(LedState.WHITE) is LedState.RED
    led.clear()
    assert led.current(LedState.DIM_WHITE) is LedState.DIM_WHITE
