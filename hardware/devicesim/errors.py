"""Errors of the simulator's control API, with stable codes mapped to HTTP status here only."""

from __future__ import annotations

from enum import StrEnum


class ApiCode(StrEnum):
    """Stable error codes of the control API."""

    INVALID_JSON = "invalid_json"
    INVALID_BODY = "invalid_body"
    INVALID_CREDENTIAL = "invalid_credential"
    INVALID_CHANNEL = "invalid_channel"
    READER_NOT_FOUND = "reader_not_found"
    CONTROLLER_NOT_FOUND = "controller_not_found"
    NOT_CONNECTED = "not_connected"
    LINK_CLOSED = "link_closed"
    DECISION_TIMEOUT = "decision_timeout"
    BLINKUP_FAILED = "blinkup_failed"
    INTERNAL = "internal_error"


HTTP_STATUS: dict[ApiCode, int] = {
    ApiCode.INVALID_JSON: 400,
    ApiCode.INVALID_BODY: 400,
    ApiCode.INVALID_CREDENTIAL: 400,
    ApiCode.INVALID_CHANNEL: 400,
    ApiCode.READER_NOT_FOUND: 404,
    ApiCode.CONTROLLER_NOT_FOUND: 404,
    ApiCode.NOT_CONNECTED: 409,
    ApiCode.LINK_CLOSED: 503,
    ApiCode.DECISION_TIMEOUT: 504,
    ApiCode.BLINKUP_FAILED: 422,
    ApiCode.INTERNAL: 500,
}


class ApiError(Exception):
    """An error answered as ``{"error": message, "code": code}`` with the mapped status."""

    def __init__(self, code: ApiCode, message: str) -> None:
        """Create the error.

        Args:
            code: The stable code (decides the HTTP status).
            message: A message safe to show to the caller.
        """
        self.code = code
        self.message = message
        super().__init__(message)

    @property
    def status(self) -> int:
        """The HTTP status for this error."""
        return HTTP_STATUS[self.code]

    def body(self) -> dict[str, str]:
        """The JSON error body."""
        return {"error": self.message, "code": self.code.value}
