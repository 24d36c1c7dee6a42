"""Typed fields of request bodies: parse JSON values strictly and collect every error."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.controller.clock import iso, parse_iso
from app.controller.errors import ValidationFailed

# Integers beyond this are refused: SQLite stores 64-bit integers, and no field needs more.
MAX_INTEGER = 2**62
# Longer than any IANA name; longer keys are refused before the time zone database is asked.
MAX_TIME_ZONE = 64
# C0 and C1 control characters other than tab, line feed and carriage return (and DEL): they
# break CSV exports, logs and device displays, and no name or note needs them.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
# RFC 3339 as clients send it: seconds and the offset may be left out (naive times are UTC).
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?"
)


class Kind(StrEnum):
    """The JSON type of a field and how it is stored."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATETIME = "date-time"
    TIME_ZONE = "time_zone"
    OBJECT = "object"


@dataclass(frozen=True)
class FieldSpec:
    """One field of a resource body."""

    name: str
    kind: Kind
    required: bool = False
    nullable: bool = True
    on_create: bool = True
    on_update: bool = True
    max_length: int | None = None
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    column: str | None = None
    check: Callable[[Any], str | None] | None = None

    @property
    def stored_as(self) -> str:
        """The table column holding this field."""
        return self.column or self.name


def _time_zone(value: str) -> str | None:
    if not value or len(value) > MAX_TIME_ZONE:
        return "is not a known IANA time zone"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError, RecursionError):
        return "is not a known IANA time zone"
    return None


def _text_problem(value: str) -> str | None:
    """Why a string cannot be stored and shown as text, if it cannot."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode"
    if _CONTROL.search(value):
        return "must not contain control characters"
    return None


def parse_datetime(value: str) -> str:
    """An RFC 3339 date-time as stored: UTC with milliseconds.

    Raises:
        ValueError: not an RFC 3339 date-time, or outside the years 1000 to 9999 in UTC.
    """
    if not _DATETIME.fullmatch(value):
        raise ValueError(value)
    text = value[:10] + "T" + value[11:].replace("z", "Z")
    try:
        moment = parse_iso(text)
        stored = iso(moment)
    except OverflowError:
        raise ValueError(value) from None
    if not 1000 <= moment.astimezone(UTC).year <= 9999:
        raise ValueError(value)
    return stored


def _coerce(spec: FieldSpec, value: Any) -> tuple[Any, str | None]:
    kind = spec.kind
    if kind in (Kind.STRING, Kind.TIME_ZONE):
        if not isinstance(value, str):
            return None, "must be a string"
        problem = _text_problem(value)
        if problem is not None:
            return None, problem
        if not spec.nullable and not value.strip():
            return None, "can't be blank"
        if spec.max_length is not None and len(value) > spec.max_length:
            return None, f"is too long (maximum is {spec.max_length} characters)"
        if spec.choices is not None and value not in spec.choices:
            return None, f"must be one of {', '.join(spec.choices)}"
        if spec.pattern is not None and not re.fullmatch(spec.pattern, value):
            return None, "has an invalid format"
        if kind is Kind.TIME_ZONE:
            return value, _time_zone(value)
        return value, None
    if kind is Kind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, "must be an integer"
        if abs(value) > MAX_INTEGER:
            return None, "is out of range"
    elif kind is Kind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, "must be a number"
        if isinstance(value, int) and abs(value) > MAX_INTEGER:
            return None, "is out of range"
        if not math.isfinite(value):
            return None, "must be a finite number"
        value = float(value)
    elif kind is Kind.BOOLEAN:
        if not isinstance(value, bool):
            return None, "must be true or false"
        return int(value), None
    elif kind is Kind.DATETIME:
        if not isinstance(value, str):
            return None, "must be an RFC 3339 date-time"
        try:
            return parse_datetime(value), None
        except ValueError:
            return None, "must be an RFC 3339 date-time"
    elif kind is Kind.OBJECT:
        if not isinstance(value, dict):
            return None, "must be an object"
        return value, None
    if spec.minimum is not None and value < spec.minimum:
        return None, f"must be at least {spec.minimum:g}"
    if spec.maximum is not None and value > spec.maximum:
        return None, f"must be at most {spec.maximum:g}"
    return value, None


def parse_fields(fields: Sequence[FieldSpec], body: Any, *, creating: bool) -> dict[str, Any]:
    """Validate a body's inner object against field specs.

    Args:
        fields: the resource's fields.
        body: the object under the root key (already unwrapped).
        creating: True for a create (required fields enforced), False for an update.

    Returns:
        Column name -> stored value, for the fields present.

    Raises:
        ValidationFailed: with every field's problems at once.
    """
    if not isinstance(body, Mapping):
        raise ValidationFailed({"body": ["must be a JSON object"]})
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    allowed = {f.name: f for f in fields if (f.on_create if creating else f.on_update)}
    for name in body:
        if name not in allowed:
            errors.setdefault(str(name), []).append("is not a writable field")
    for spec in allowed.values():
        if spec.name not in body:
            if creating and spec.required:
                errors.setdefault(spec.name, []).append("can't be blank")
            continue
        raw = body[spec.name]
        if raw is None:
            if spec.nullable and not spec.required:
                values[spec.stored_as] = None
            else:
                errors.setdefault(spec.name, []).append("can't be blank")
            continue
        value, problem = _coerce(spec, raw)
        if problem is None and spec.check is not None:
            problem = spec.check(raw)
        if problem is not None:
            errors.setdefault(spec.name, []).append(problem)
        else:
            values[spec.stored_as] = value
    if errors:
        raise ValidationFailed(errors)
    return values
