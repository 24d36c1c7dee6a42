"""Round trip through Qt: flasher frames rendered offscreen -> light sensor -> decoder.

Each frame is the flasher widget as Qt paints it (the flat level plus the progress line); its
mean luminance is what a sensor pressed against the screen sees. That goes through the 1 kHz
sensor model with noise, ambient light and gain, and the receiver must give back the settings.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.ui.blinkup_flasher import BlinkUpFlasher
from app.ui.blinkup_plan import FPS
from hardware.blinkup import Mode, NetworkSettings, Receiver, SensorModel, frames, simulate
from tests.hardware.blinkup.support import network_settings, receivable

ROUND_TRIP = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

sensors = st.builds(
    SensorModel,
    gain=st.floats(0.15, 0.6),
    ambient=st.floats(0.0, 0.3),
    noise=st.floats(0.0, 0.004),
    jitter=st.floats(0.0, 0.03),
)
sizes = st.sampled_from([(97, 61), (160, 90), (64, 64)])  # odd widths exercise row padding


def mean_luminance(image: QImage) -> float:
    """The average gray level (0–255) of ``image``, as a sensor covering it would see."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(gray.constBits())
    stride, width, height = gray.bytesPerLine(), gray.width(), gray.height()
    total = sum(sum(data[row * stride : row * stride + width]) for row in range(height))
    return total / (width * height)


def seen_by_sensor(flasher: BlinkUpFlasher) -> list[int]:
    """Render every frame of the flasher and return each frame's mean level."""
    return [round(mean_luminance(flasher.render_frame(i))) for i in range(len(flasher.levels))]


def round_trip(
    sent: NetworkSettings, mode: Mode, model: SensorModel, size: tuple[int, int]
) -> None:
    flasher = BlinkUpFlasher(frames(sent, mode), FPS)
    try:
        flasher.resize(*size)
        levels = seen_by_sensor(flasher)
        rendered = flasher.render_frame(0)
        assert (rendered.width(), rendered.height()) == size
        samples = simulate(levels, FPS, model, random.Random(len(levels)))
        receiver = Receiver(mode, model.rate, FPS)
        for start in range(0, len(samples), 250):  # chunks, as a reader's sensor delivers them
            receiver.feed(samples[start : start + 250])
        assert receiver.finish() == receivable(sent, mode)
    finally:
        flasher.deleteLater()


@ROUND_TRIP
@given(sent=network_settings(Mode.IMP), model=sensors, size=sizes)
def test_imp_settings_survive_the_flasher_and_the_sensor(
    qapp: QApplication, sent: NetworkSettings, model: SensorModel, size: tuple[int, int]
) -> None:
    round_trip(sent, Mode.IMP, model, size)


@ROUND_TRIP
@given(sent=network_settings(Mode.FAST), model=sensors, size=sizes)
def test_fast_settings_survive_the_flasher_and_the_sensor(
    qapp: QApplication, sent: NetworkSettings, model: SensorModel, size: tuple[int, int]
) -> None:
    round_trip(sent, Mode.FAST, model, size)


def test_each_rendered_frame_is_its_level_within_the_progress_line(qapp: QApplication) -> None:
    levels = [0, 136, 186, 224, 255, 191]
    flasher = BlinkUpFlasher(levels, FPS)
    flasher.resize(200, 100)
    try:
        seen = [mean_luminance(flasher.render_frame(i)) for i in range(len(levels))]
        # The line is 4 of 100 rows, drawn 40 levels off, over part of the width.
        assert all(abs(s - level) <= 1.6 for s, level in zip(seen, levels, strict=True))
        image = flasher.render_frame(2)
        assert image.pixelColor(100, 10).red() == 186  # the frame itself is flat
        assert image.pixelColor(10, 98).red() == 186 - 40  # the progress line, done part
    finally:
        flasher.deleteLater()
