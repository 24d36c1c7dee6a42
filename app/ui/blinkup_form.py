"""The BlinkUp form: network type, Wi-Fi or static IP, mode, the estimated time and the advice.

Thin: it collects :class:`~app.ui.blinkup_plan.FormValues`, shows a
:class:`~app.ui.blinkup_plan.FormError` next to its field, and re-estimates the duration as the
installer types. The checks themselves live in ``blinkup_plan``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.blinkup_plan import (
    FIELD_LABELS,
    MODE_LABELS,
    NETWORK_LABELS,
    STATIC_FIELDS,
    FormError,
    FormValues,
    NetworkType,
    estimate,
)
from app.ui.widgets import named
from hardware.blinkup import Mode

GUIDANCE = (
    "<b>Before you start</b><ul>"
    "<li>Turn the screen brightness to maximum.</li>"
    "<li>Switch off auto-brightness and night mode (Night Light, Night Shift, True Tone) "
    "and any colour inversion.</li>"
    "<li>Make sure the reader's LED shows amber (ready to connect).</li>"
    "<li>Hold the reader flat against the screen and keep it still until the flashing stops; "
    "shade it from lamps and windows.</li>"
    "</ul>A 3-second countdown comes first. Press Esc at any time to stop."
)
ERROR_STYLE = "color: #b71c1c;"


class BlinkUpForm(QWidget):
    """The fields of a BlinkUp transfer, with errors shown next to them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.server: str | None = None  # the device server sent in fast mode
        self.network = named(QComboBox(), "blinkupNetwork")
        for kind, label in NETWORK_LABELS.items():
            self.network.addItem(label, kind)
        self.mode = named(QComboBox(), "blinkupMode")
        for mode, label in MODE_LABELS.items():
            self.mode.addItem(label, mode)
        self.mode.setToolTip(
            "Compatible works with every reader of this kind. Fast is about three times "
            "shorter and corrects errors, and also tells the reader where this device server is."
        )
        self.ssid = named(QLineEdit(), "blinkupSsid")
        self.ssid.setPlaceholderText("network name")
        self.password = named(QLineEdit(), "blinkupPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_password = named(QCheckBox("Show"), "blinkupShowPassword")
        self.show_password.toggled.connect(self._toggle_password)
        self.static = {name: named(QLineEdit(), f"blinkup_{name}") for name in STATIC_FIELDS}
        self.static["dns2"].setPlaceholderText("optional")
        self.errors = {
            name: self._error_label(name) for name in ("ssid", "password", *STATIC_FIELDS, "")
        }

        self.wifi_box = QGroupBox("Wi-Fi")
        wifi = QFormLayout(self.wifi_box)
        wifi.addRow("Network (SSID)", self.ssid)
        wifi.addRow(self.errors["ssid"])
        password_row = QHBoxLayout()
        password_row.addWidget(self.password, 1)
        password_row.addWidget(self.show_password)
        self.password_label = QLabel("Password")
        wifi.addRow(self.password_label, password_row)
        wifi.addRow(self.errors["password"])
        self.static_box = QGroupBox("Static IP")
        static = QFormLayout(self.static_box)
        for name in STATIC_FIELDS:
            static.addRow(FIELD_LABELS[name], self.static[name])
            static.addRow(self.errors[name])

        top = QFormLayout()
        top.addRow("Network", self.network)
        top.addRow("Mode", self.mode)
        self.duration = named(QLabel(), "blinkupDuration")
        self.server_note = named(QLabel(), "blinkupServerNote")
        self.server_note.setWordWrap(True)
        self.guidance = named(QLabel(GUIDANCE), "blinkupGuidance")
        self.guidance.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.wifi_box)
        layout.addWidget(self.static_box)
        layout.addWidget(self.errors[""])
        layout.addWidget(self.duration)
        layout.addWidget(self.server_note)
        layout.addWidget(self.guidance)

        self.network.currentIndexChanged.connect(self._changed)
        self.mode.currentIndexChanged.connect(self._changed)
        for edit in (self.ssid, self.password, *self.static.values()):
            edit.textChanged.connect(self._update_estimate)
        self._changed()

    def _error_label(self, name: str) -> QLabel:
        label = named(QLabel(), f"blinkupError_{name}" if name else "blinkupError")
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.hide()
        return label

    def _toggle_password(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password.setEchoMode(mode)

    def _changed(self) -> None:
        kind = NetworkType(self.network.currentData())
        self.wifi_box.setVisible(kind in (NetworkType.WIFI, NetworkType.WIFI_OPEN))
        with_password = kind is NetworkType.WIFI
        for widget in (self.password, self.show_password, self.password_label):
            widget.setVisible(with_password)
        self.static_box.setVisible(kind is NetworkType.ETHERNET_STATIC)
        self.clear_errors()
        self._update_estimate()

    def set_server(self, address: str, note: str = "") -> None:
        """Set the device server sent in fast mode, and a note when it is a fallback."""
        self.server = address
        self.server_note.setText(note)
        self.server_note.setVisible(bool(note))
        self._update_estimate()

    def values(self) -> FormValues:
        """What the installer typed."""
        return FormValues(
            network=NetworkType(self.network.currentData()),
            ssid=self.ssid.text(),
            password=self.password.text(),
            static={name: edit.text() for name, edit in self.static.items()},
            mode=Mode(self.mode.currentData()),
        )

    def show_error(self, error: FormError) -> None:
        """Show ``error`` next to its field (or under the form) and focus the field."""
        self.clear_errors()
        label = self.errors.get(error.field, self.errors[""])
        label.setText(error.message)
        label.show()
        edit = {"ssid": self.ssid, "password": self.password, **self.static}.get(error.field)
        if edit is not None:
            edit.setFocus()

    def clear_errors(self) -> None:
        """Hide every error message."""
        for label in self.errors.values():
            label.clear()
            label.hide()

    def error_text(self) -> str:
        """The error messages on show, joined (empty when there are none)."""
        return " ".join(label.text() for label in self.errors.values() if label.text())

    def _update_estimate(self) -> None:
        values = self.values()
        try:
            seconds = estimate(values, self.server)
        except FormError:
            self.duration.setText("Estimated time: fill in the form to see it.")
            return
        mode = MODE_LABELS[values.mode]
        self.duration.setText(
            f"Estimated time: about {seconds:.0f} s of flashing in {mode} mode at 60 frames/s, "
            "after the countdown."
        )
