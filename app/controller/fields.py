"""Typed fields of request bodies: parse JSON values strictly and collect every error."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.controller.clock import iso, parse_iso
from app.controller.errors import ValidationFailed


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
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "is not a known IANA time zone"
    return None


def _coerce(spec: FieldSpec, value: Any) -> tuple[Any, str | None]:
    kind = spec.kind
    if kind in (Kind.STRING, Kind.TIME_ZONE):
        if not isinstance(value, str):
            return None, "must be a string"
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
        if abs(value) > 2**62:
            return None, "is out of range"
    elif kind is Kind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return None, "must be a number"
        value = float(value)
    elif kind is Kind.BOOLEAN:
        if not isinstance(value, bool):
            return None, "must be true or false"
        return int(value), None
    elif kind is Kind.DATETIME:
        if not isinstance(value, str):
            return None, "must be an RFC 3339 date-time"
        try:
            return iso(parse_iso(value)), None
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
