"""How a reader takes its network setup from BlinkUp light samples (the reader's receiver).

A real reader's phototransistor is sampled at about 1 kHz; the samples go through
``hardware.blinkup``'s receiver. The reader does not know which format the laptop chose, so it
listens for both: the first that decodes wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hardware.blinkup import (
    BlinkUpDecodeError,
    ClearSettings,
    DecodeFailure,
    Mode,
    NetworkSettings,
    decode,
)
from hardware.link.runner import ServerAddress

MAX_SAMPLES = 600_000  # ten minutes at 1 kHz; no transfer is anywhere near as long


@dataclass(frozen=True)
class Provisioned:
    """What a reader keeps from a transfer (the Wi-Fi password stays inside ``settings``)."""

    settings: NetworkSettings | ClearSettings
    mode: Mode

    def summary(self) -> dict[str, object]:
        """What the reader may show about itself: never the password or the token."""
        s = self.settings
        if isinstance(s, ClearSettings):
            return {"mode": self.mode.value, "cleared": True}
        return {
            "mode": self.mode.value,
            "ssid": s.wifi.ssid if s.wifi else None,
            "static_ip": s.static.address if s.static else None,
            "enrolled": s.enrolment is not None,
            "plan": s.enrolment.plan if s.enrolment else None,
        }

    def server(self, default: ServerAddress) -> ServerAddress:
        """The device server to connect to: the one sent (fast mode) or the reader's default."""
        s = self.settings
        if isinstance(s, NetworkSettings) and s.enrolment and s.enrolment.server:
            host, _, port = s.enrolment.server.rpartition(":")
            return ServerAddress(host.strip("[]"), int(port), None)
        return default


def receive(
    samples: Sequence[float], rate: float, fps: float, mode: Mode | None = None
) -> Provisioned:
    """Decode a light recording, in ``mode`` or (None) whichever format it holds.

    Raises:
        BlinkUpDecodeError: neither format decodes (the last format's reason is kept).
        BlinkUpError: bad rate or fps.
    """
    if len(samples) > MAX_SAMPLES:
        raise BlinkUpDecodeError(DecodeFailure.BAD_SAMPLES, f"more than {MAX_SAMPLES} samples")
    failure: BlinkUpDecodeError | None = None
    for candidate in (mode,) if mode else (Mode.IMP, Mode.FAST):
        try:
            return Provisioned(decode(samples, rate, fps, candidate), candidate)
        except BlinkUpDecodeError as exc:
            failure = exc
    assert failure is not None
    raise failure
