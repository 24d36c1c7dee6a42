"""Errors raised by ``hardware.discovery`` (one base class for the whole package)."""

from __future__ import annotations

_SHOW_LIMIT = 64


def show(value: object, limit: int = _SHOW_LIMIT) -> str:
    """Return a short printable representation of a bad value for error messages.

    Args:
        value: The offending value.
        limit: Maximum number of characters kept.

    Returns:
        ``repr(value)`` cut to ``limit`` characters, with ``...`` when truncated.
    """
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class DiscoveryError(Exception):
    """Base class of every error raised by ``hardware.discovery``.

    Messages are plain sentences, safe to show to an installer.
    """


class InterfaceError(DiscoveryError):
    """The network interface setting names no usable IPv4 interface.

    Attributes:
        setting: The setting as given (an interface name or an IPv4 address).
    """

    def __init__(self, setting: str, message: str) -> None:
        self.setting = setting
        super().__init__(message)


class InvalidRecordError(DiscoveryError):
    """A device record (to announce, or received from the network) is invalid.

    Attributes:
        field: The offending field or TXT key.
        value: The offending value (may be ``None`` when it is missing).
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"invalid {field} {show(value)}: {reason}")


class DeviceConflictError(DiscoveryError):
    """Another responder on the network already announces this device's name.

    Attributes:
        serial: Serial number of the device that could not be announced.
    """

    def __init__(self, serial: str, message: str) -> None:
        self.serial = serial
        super().__init__(message)


class UnknownDeviceError(DiscoveryError):
    """The announcer is not announcing a device with this serial number.

    Attributes:
        serial: The serial number asked for.
    """

    def __init__(self, serial: str) -> None:
        self.serial = serial
        super().__init__(f"device {serial!r} is not announced")


class DiscoveryClosedError(DiscoveryError):
    """The announcer or browser is closed (or was never started)."""
