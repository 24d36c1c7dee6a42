"""Plain-words messages for errors shown to people."""

from __future__ import annotations

from app.controller.errors import ControllerError, ValidationFailed

LABELS = {
    "place_id": "Place",
    "lock_id": "Door",
    "name": "Name",
    "address": "Address",
    "email": "E-mail",
    "time_zone": "Time zone",
    "facility_code": "Facility code",
    "card_number": "Card number",
    "token": "Code",
}


def explain(exc: Exception) -> str:
    """A sentence a user can act on, from a service error."""
    if isinstance(exc, ValidationFailed):
        parts = [f"{_label(field)} {'; '.join(msgs)}." for field, msgs in exc.errors.items()]
        return " ".join(parts)
    if isinstance(exc, ControllerError):
        return exc.message
    return f"Something went wrong: {exc}. Try again; if it keeps happening, check the log."


def _label(field: str) -> str:
    """A field name as people say it: ``rules[0].end`` becomes ``End``."""
    last = field.rsplit(".", 1)[-1].split("[", 1)[0]
    return LABELS.get(last, last.replace("_", " ").capitalize())
