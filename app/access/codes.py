"""Stable denial and error codes, shared with the public API we mirror."""

from __future__ import annotations

from enum import StrEnum


class DenialCode(StrEnum):
    """Why a door stayed locked. Values are the public API's error codes."""

    ACCESS_DENIED = "afc496"
    NOT_YET_VALID = "f358de"
    NO_LONGER_VALID = "f35ade"
    NOT_ALLOWED_NOW = "34ffaa"
    DOOR_LOCKED_DOWN = "fad001"
    PLACE_LOCKED_DOWN = "fad002"
    DOOR_NOT_FOUND = "fad10e"
    DENIED_BY_ZONE = "fad137"
    DOOR_HAS_NO_CONTROLLER = "ff420a"
    CARD_NOT_FOUND = "faa9ef"
    CARD_NOT_ACTIVATED = "faa9ff"
    # Codes of our own for failures the public API has no code for.
    CARD_UNREADABLE = "lc0001"
    READER_NOT_ASSIGNED = "lc0002"
    USER_ACCESS_DISABLED = "lc0003"
    CARD_NOT_ASSIGNED = "lc0004"
    OUTSIDE_GEOFENCE = "lc0005"
    LOCATION_REQUIRED = "lc0006"
    NOT_AT_READER = "lc0007"
    PHONE_LOCKED = "lc0008"
    LINK_DISABLED = "lc0009"
    CARD_NOT_GENUINE = "lc0010"


DENIAL_MESSAGES: dict[DenialCode, str] = {
    DenialCode.ACCESS_DENIED: "Access denied",
    DenialCode.NOT_YET_VALID: "Access is not yet valid",
    DenialCode.NO_LONGER_VALID: "Access is no longer valid",
    DenialCode.NOT_ALLOWED_NOW: "Access is not allowed at this moment",
    DenialCode.DOOR_LOCKED_DOWN: "The door is locked down",
    DenialCode.PLACE_LOCKED_DOWN: "The place is locked down",
    DenialCode.DOOR_NOT_FOUND: "Door not found",
    DenialCode.DENIED_BY_ZONE: "Access denied by zone",
    DenialCode.DOOR_HAS_NO_CONTROLLER: "The door has no controller",
    DenialCode.CARD_NOT_FOUND: "Card not found",
    DenialCode.CARD_NOT_ACTIVATED: "Card not activated",
    DenialCode.CARD_UNREADABLE: "Card could not be read",
    DenialCode.READER_NOT_ASSIGNED: "The reader is not assigned to a door",
    DenialCode.USER_ACCESS_DISABLED: "The user's access is disabled",
    DenialCode.CARD_NOT_ASSIGNED: "The card is not assigned to anyone",
    DenialCode.OUTSIDE_GEOFENCE: "You are too far from the door to unlock it",
    DenialCode.LOCATION_REQUIRED: "This door needs your location to unlock; turn location on",
    DenialCode.NOT_AT_READER: "Hold your phone to the door's reader to unlock it",
    DenialCode.PHONE_LOCKED: "Unlock your phone first, then tap the reader again",
    DenialCode.LINK_DISABLED: "This access link is disabled",
    DenialCode.CARD_NOT_GENUINE: "The card's credential is not valid for this site",
}
