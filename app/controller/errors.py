"""Errors of the controller service. Each carries a stable code; the API maps kinds to HTTP."""

from __future__ import annotations


class ControllerError(Exception):
    """Base of the service's errors; ``message`` is safe to show to a user."""

    code = "afc500"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(ControllerError):
    """The addressed object does not exist."""

    code = "afc404"


class Conflict(ControllerError):
    """The request clashes with the current state (a duplicate, a busy device)."""

    code = "afc409"


class Forbidden(ControllerError):
    """The login may not do this."""

    code = "afc403"


class Unauthorized(ControllerError):
    """No valid credentials were given."""

    code = "afc401"


class Unavailable(ControllerError):
    """A device needed for the action is not reachable."""

    code = "afc503"


class ValidationFailed(ControllerError):
    """Fields of a request body are wrong; ``errors`` maps each field to its messages."""

    code = "afc422"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.items()), ("body", ["is invalid"]))
        super().__init__(f"{first[0]} {first[1][0]}")
        self.errors = errors


def invalid(field: str, message: str) -> ValidationFailed:
    """A validation error on one field."""
    return ValidationFailed({field: [message]})
