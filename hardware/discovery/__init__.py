"""DNS-SD discovery of Lintel devices (zeroconf), always on one explicitly chosen interface.

Devices (and their simulated twins) publish themselves with :class:`DeviceAnnouncer`;
the installer watches with :class:`DeviceBrowser`. The interface is a setting:
:func:`list_interfaces` feeds a dropdown, :func:`resolve_interface` checks a choice,
:func:`default_interface` suggests one for a real user.
"""

from hardware.discovery.announce import DeviceAnnouncer
from hardware.discovery.browse import DeviceBrowser, OnChange
from hardware.discovery.errors import (
    DeviceConflictError,
    DiscoveryClosedError,
    DiscoveryError,
    InterfaceError,
    InvalidRecordError,
    UnknownDeviceError,
)
from hardware.discovery.interfaces import (
    InterfaceChoice,
    default_interface,
    list_interfaces,
    resolve_interface,
)
from hardware.discovery.models import (
    SERVICE_TYPE,
    AnnouncedDevice,
    DeviceKind,
    DeviceState,
    DiscoveredDevice,
    DiscoveryEvent,
)

__all__ = [
    "SERVICE_TYPE",
    "AnnouncedDevice",
    "DeviceAnnouncer",
    "DeviceBrowser",
    "DeviceConflictError",
    "DeviceKind",
    "DeviceState",
    "DiscoveredDevice",
    "DiscoveryClosedError",
    "DiscoveryError",
    "DiscoveryEvent",
    "InterfaceChoice",
    "InterfaceError",
    "InvalidRecordError",
    "OnChange",
    "UnknownDeviceError",
    "default_interface",
    "list_interfaces",
    "resolve_interface",
]
