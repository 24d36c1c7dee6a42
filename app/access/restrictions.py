"""Group and door restrictions: geofence, reader proximity and (through schedules) time.

Door restrictions take priority over group restrictions: a restriction switched on at the door
applies to every group, and replaces the group's restriction of the same kind. Geofence and
reader restrictions apply to in-app unlocks only; digital credentials (links, QR codes) and
cards are exempt, as the seeds say.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.access.codes import DenialCode
from app.access.schedules import Consequence
from app.access.site import Group, Lock, Place, SiteState

EARTH_RADIUS_M = 6_371_000.0
PROOF_STEP_SECONDS = 60


class Method(StrEnum):
    """How an unlock was asked for."""

    READER = "reader"  # card or phone at the door's reader
    APP = "app"  # in-app unlock by a signed-in member
    LINK = "link"  # access link or QR code (digital credential)


@dataclass(frozen=True)
class UnlockContext:
    """What an in-app unlock carries: where the phone is and what the door's reader told it."""

    latitude: float | None = None
    longitude: float | None = None
    proximity_proof: str | None = None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def proximity_proof(key: bytes, lock_id: int, at: datetime) -> str:
    """The proof a door's reader broadcasts during the minute that contains ``at``."""
    step = int(at.timestamp()) // PROOF_STEP_SECONDS
    return hmac.new(key, f"{lock_id}:{step}".encode(), hashlib.sha256).hexdigest()[:32]


def proof_valid(keys: Sequence[bytes], lock_id: int, proof: str, now: datetime) -> bool:
    """Whether ``proof`` came from one of the door's readers this minute or the last."""
    earlier = datetime.fromtimestamp(now.timestamp() - PROOF_STEP_SECONDS, now.tzinfo)
    return any(
        hmac.compare_digest(proximity_proof(key, lock_id, moment), proof)
        for key in keys
        for moment in (now, earlier)
    )


def check_time(
    lock: Lock, place: Place | None, group: Group | None, site: SiteState, now: datetime
) -> DenialCode | None:
    """Refuse outside the ``allow`` schedules of the door (if it restricts time) or else the
    group's (if it does); every unlock method is subject to it."""
    if lock.restrictions.time:
        target = ("Lock", lock.id)
    elif group is not None and group.restrictions.time:
        target = ("Group", group.id)
    else:
        return None
    zone = place.time_zone if place is not None else "UTC"
    if site.schedule_active(*target, Consequence.ALLOW, zone, now):
        return None
    return DenialCode.NOT_ALLOWED_NOW


def check_location(
    method: Method,
    lock: Lock,
    place: Place | None,
    group: Group | None,
    context: UnlockContext,
    proximity_keys: Sequence[bytes],
    now: datetime,
) -> DenialCode | None:
    """The first geofence or reader restriction that refuses this unlock, if any."""
    if method is not Method.APP:
        return None
    door, grp = lock.restrictions, group.restrictions if group else None
    geofence = door if door.geofence else grp if grp and grp.geofence else None
    if geofence is not None:
        lat = lock.latitude if lock.latitude is not None else place.latitude if place else None
        lon = lock.longitude if lock.longitude is not None else place.longitude if place else None
        if context.latitude is None or context.longitude is None:
            return DenialCode.LOCATION_REQUIRED
        if lat is None or lon is None:
            return DenialCode.LOCATION_REQUIRED
        if distance_m(context.latitude, context.longitude, lat, lon) > geofence.geofence_radius_m:
            return DenialCode.OUTSIDE_GEOFENCE
    reader = door.reader or (grp is not None and grp.reader)
    if reader and not (
        context.proximity_proof
        and proof_valid(proximity_keys, lock.id, context.proximity_proof, now)
    ):
        return DenialCode.NOT_AT_READER
    return None
