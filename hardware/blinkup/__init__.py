"""BlinkUp: network settings sent to a reader by flashing the laptop screen.

Two optical formats share one settings model (``settings``):

- ``imp`` (``imp.py``): the tri-level format readers of this kind understand, byte for byte;
- ``fast`` (``fast.py``): our own five-level format, about 3× shorter, with CRC-32 and
  Reed–Solomon error correction; documented in ``docs/blinkup-fast.md``.

The sending side is pure: :func:`frames` gives one screen level (0–255) per display frame, which
the Qt flasher (in ``app/ui``) shows one per refresh. The receiving side, :class:`Receiver`,
takes light-sensor samples chunk by chunk and returns the settings or raises
:class:`BlinkUpDecodeError`. ``sensor.simulate`` turns frames into samples as a real sensor
would see them, for tests, benchmarks and the simulated reader. Nothing here imports Qt.
"""

from hardware.blinkup.errors import BlinkUpDecodeError, BlinkUpError, DecodeFailure
from hardware.blinkup.receiver import Progress, Receiver, RxState, decode
from hardware.blinkup.sensor import SensorModel, simulate
from hardware.blinkup.settings import (
    ClearSettings,
    Enrolment,
    NetworkSettings,
    Proxy,
    Security,
    Settings,
    StaticIP,
    WiFi,
)
from hardware.blinkup.transfer import Mode, duration, frames, packet, screen_levels, symbols

__all__ = [
    "BlinkUpDecodeError",
    "BlinkUpError",
    "ClearSettings",
    "DecodeFailure",
    "Enrolment",
    "Mode",
    "NetworkSettings",
    "Progress",
    "Proxy",
    "Receiver",
    "RxState",
    "Security",
    "SensorModel",
    "Settings",
    "StaticIP",
    "WiFi",
    "decode",
    "duration",
    "frames",
    "packet",
    "screen_levels",
    "simulate",
    "symbols",
]
