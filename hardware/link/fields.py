"""Strict, typed reads of fields from a decoded JSON object (used by the frame codec)."""

from __future__ import annotations

import base64
import binascii
from enum import Enum
from typing import TypeVar

from hardware.link.errors import LinkDecodeError, show

E = TypeVar("E", bound=Enum)

_MISSING = object()


class FieldReader:
    """Reads named fields out of one JSON object, checking each type exactly.

    Every read marks the field as used; ``finish()`` then rejects any field nobody read, so
    unknown fields never slip through.
    """

    def __init__(self, obj: dict[str, object], raw: bytes, where: str) -> None:
        """Wrap ``obj``.

        Args:
            obj: The decoded JSON object.
            raw: The whole frame body, kept for error messages.
            where: The message name, used as a prefix in error messages.
        """
        self._obj = obj
        self._raw = raw
        self._where = where
        self._used: set[str] = set()

    def fail(self, reason: str) -> LinkDecodeError:
        """Return a decode error naming this message (the caller raises it).

        Args:
            reason: What was wrong.

        Returns:
            The error to raise.
        """
        return LinkDecodeError(f"{self._where}: {reason}", self._raw)

    def _take(self, name: str, optional: bool = False) -> object:
        self._used.add(name)
        value = self._obj.get(name, _MISSING)
        if value is _MISSING:
            if optional:
                return None
            raise self.fail(f"missing field {name!r}")
        return value

    def _wrong(self, name: str, kind: str, value: object) -> LinkDecodeError:
        return self.fail(f"field {name!r} must be {kind}, got {show(value)}")

    def text(self, name: str) -> str:
        """Read a required string."""
        value = self._take(name)
        if not isinstance(value, str):
            raise self._wrong(name, "a string", value)
        return value

    def opt_text(self, name: str) -> str | None:
        """Read an optional string (missing or null gives ``None``)."""
        value = self._take(name, optional=True)
        if value is None or isinstance(value, str):
            return value
        raise self._wrong(name, "a string or null", value)

    def integer(self, name: str) -> int:
        """Read a required integer (booleans are not integers here)."""
        value = self._take(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(name, "an integer", value)
        return value

    def boolean(self, name: str) -> bool:
        """Read a required boolean."""
        value = self._take(name)
        if not isinstance(value, bool):
            raise self._wrong(name, "true or false", value)
        return value

    def opt_boolean(self, name: str) -> bool | None:
        """Read an optional boolean (missing or null gives ``None``)."""
        value = self._take(name, optional=True)
        if value is None or isinstance(value, bool):
            return value
        raise self._wrong(name, "true, false or null", value)

    def number(self, name: str) -> float:
        """Read a required number (integer or float) as a float."""
        value = self._take(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(name, "a number", value)
        return float(value)

    def opt_number(self, name: str) -> float | None:
        """Read an optional number (missing or null gives ``None``)."""
        value = self._take(name, optional=True)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(name, "a number or null", value)
        return float(value)

    def b64(self, name: str) -> bytes:
        """Read a required standard base64 string and return its bytes."""
        value = self.text(name)
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise self._wrong(name, "base64", value) from None

    def enum(self, name: str, cls: type[E]) -> E:
        """Read a required string that must be one of ``cls``'s values."""
        value = self.text(name)
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in cls)
            raise self._wrong(name, f"one of {allowed}", value) from None

    def nested(self, name: str) -> FieldReader:
        """Read a required nested JSON object and return a reader over it."""
        value = self._take(name)
        if not isinstance(value, dict):
            raise self._wrong(name, "an object", value)
        return FieldReader(value, self._raw, f"{self._where}.{name}")

    def finish(self) -> None:
        """Reject any field that was not read.

        Raises:
            LinkDecodeError: If the object holds unknown fields.
        """
        unknown = sorted(set(self._obj) - self._used)
        if unknown:
            raise self.fail(f"unknown field(s) {show(unknown)}")
