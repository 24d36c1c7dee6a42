"""limit/offset paging as the public API does it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.controller.errors import ValidationFailed

MAX_LIMIT = 250
MAX_OFFSET = 20000


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


def _number(params: Mapping[str, str], name: str, default: int, high: int, low: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationFailed({name: ["must be an integer"]}) from None
    if not low <= value <= high:
        raise ValidationFailed({name: [f"must be between {low} and {high}"]})
    return value


def window(params: Mapping[str, str], default_limit: int) -> tuple[int, int]:
    """The (limit, offset) asked for.

    Raises:
        ValidationFailed: not integers or out of range.
    """
    limit = _number(params, "limit", default_limit, MAX_LIMIT, 0)
    offset = _number(params, "offset", 0, MAX_OFFSET, 0)
    return limit, offset
