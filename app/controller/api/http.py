"""Request and response helpers shared by every route: bodies, ids, pages, errors."""

from __future__ import annotations

import json
import math
from typing import Any

from aiohttp import web

from app.controller.errors import (
    Conflict,
    ControllerError,
    Forbidden,
    NotFound,
    Unauthorized,
    Unavailable,
    ValidationFailed,
    invalid,
)
from app.controller.paging import Page

MAX_BODY = 1 << 20
# Deeper JSON than any body of this API; refused before Python's recursion limit is near.
MAX_DEPTH = 32

# The one place where error kinds become HTTP status codes.
STATUS: dict[type[ControllerError], int] = {
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    ValidationFailed: 422,
    Unavailable: 503,
}


def error_response(exc: ControllerError) -> web.Response:
    """The public API's error body for a service error."""
    status = next((s for kind, s in STATUS.items() if isinstance(exc, kind)), 500)
    if isinstance(exc, ValidationFailed):
        return web.json_response({"errors": exc.errors}, status=422)
    return web.json_response({"error": exc.message, "code": exc.code}, status=status)


def plain_error(status: int, message: str, code: str) -> web.Response:
    """An error body not raised by the service (unknown route, bad JSON)."""
    return web.json_response({"error": message, "code": code}, status=status)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest (stops counting past :data:`MAX_DEPTH`)."""
    depth, level = 0, [value]
    while level and depth <= MAX_DEPTH:
        depth += 1
        nested: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nested.extend(item.values())
            elif isinstance(item, list):
                nested.extend(item)
        level = [v for v in nested if isinstance(v, dict | list)]
    return depth


def parse_json(raw: bytes) -> Any:
    """Strict JSON as this API takes it: UTF-8, finite numbers, no NaN, bounded nesting.

    Raises:
        ValidationFailed: anything else.
    """
    try:
        body = json.loads(raw, parse_float=_finite, parse_constant=_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise invalid("body", "is not valid JSON") from None
    if _depth(body) > MAX_DEPTH:
        raise invalid("body", f"nests deeper than {MAX_DEPTH} levels")
    try:
        # A lone surrogate escape (\ud800) decodes to text that cannot be stored or sent on.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise invalid("body", "is not valid Unicode") from None
    return body


async def read_json(request: web.Request, *, optional: bool = False) -> Any:
    """The request's JSON body.

    Raises:
        ValidationFailed: not JSON, or missing when required.
    """
    raw = await request.read()
    if not raw.strip():
        if optional:
            return {}
        raise invalid("body", "is required")
    return parse_json(raw)


async def read_root(request: web.Request, root: str, *, optional: bool = False) -> Any:
    """The object under the root key of the body, e.g. ``lock`` of ``{"lock": {...}}``.

    Raises:
        ValidationFailed: the root key is missing or not an object.
    """
    body = await read_json(request, optional=optional)
    if not isinstance(body, dict):
        raise invalid("body", "must be a JSON object")
    if root not in body:
        if optional:
            return {}
        raise invalid(root, "is required")
    inner = body[root]
    if not isinstance(inner, dict):
        raise invalid(root, "must be an object")
    return inner


def path_id(request: web.Request, name: str = "id") -> int:
    """An integer id from the path.

    Raises:
        NotFound: not a positive integer (so no object can have it).
    """
    raw = request.match_info[name]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise NotFound(f"No object with id {raw[:40]!r}")
    return int(raw)


def page_response(page: Page) -> web.Response:
    """A list response with the ``X-Collection-Range`` header."""
    return web.json_response(page.items, headers={"X-Collection-Range": page.collection_range})


def no_content() -> web.Response:
    """204, as updates and actions answer."""
    return web.Response(status=204)
