"""limit/offset paging as the public API does it, and integer query parameters in general."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.controller.errors import ValidationFailed

MAX_LIMIT = 250
MAX_OFFSET = 20000
# What SQLite can compare with: an integer filter outside this range can match nothing anyway.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")


@dataclass(frozen=True)
class Page:
    """One page of a list with the numbers for ``X-Collection-Range``."""

    items: list[dict[str, Any]]
    offset: int
    total: int

    @property
    def collection_range(self) -> str:
        """``start-end/total`` as the public API writes it."""
        end = self.offset + len(self.items) - 1 if self.items else self.offset
        return f"{self.offset}-{end}/{self.total}"


def parse_int(raw: str, name: str, low: int = INT64_MIN, high: int = INT64_MAX) -> int:
    """A query parameter as an integer: ASCII digits with an optional sign, within bounds.

    Plain ``int()`` also takes ``1_000``, spaces and non-ASCII digits, and Python integers past
    64 bits make SQLite raise instead of matching nothing.

    Raises:
        ValidationFailed: not an integer, or outside ``low..high``.
    """
    if not _INTEGER.fullmatch(raw):
        raise ValidationFailed({name: ["must be an integer"]})
    value = int(raw)
    if not low <= value <= high:
        raise ValidationFailed({name: [f"must be between {low} and {high}"]})
    return value


def _number(params: Mapping[str, str], name: str, default: int, high: int, low: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    return parse_int(raw, name, low, high)


def window(params: Mapping[str, str], default_limit: int) -> tuple[int, int]:
    """The (limit, offset) asked for.

    Raises:
        ValidationFailed: not integers or out of range.
    """
    limit = _number(params, "limit", default_limit, MAX_LIMIT, 0)
    offset = _number(params, "offset", 0, MAX_OFFSET, 0)
    return limit, offset
