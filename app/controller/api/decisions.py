"""``POST /decisions``: a kiosk (or any station acting as a reader) asks for a decision.

The kiosk role may do this and nothing else. The body names the reader the station stands in
for and what it read; the answer says granted or not, and why, and the door opens on a grant.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.access.credentials import Presentation, UidRead, WiegandRead
from app.access.roles import Permission
from app.controller.api.auth import require
from app.controller.api.context import ctx, login
from app.controller.api.http import read_root
from app.controller.errors import invalid
from app.controller.fields import MAX_INTEGER


def _presentation(credential: Any) -> Presentation:
    if not isinstance(credential, dict) or len(credential) != 1:
        raise invalid("credential", 'must be {"wiegand": "<bits>"} or {"uid": "<hex>"}')
    ((kind, value),) = credential.items()
    if kind not in ("wiegand", "uid") or not isinstance(value, str) or len(value) > 200:
        raise invalid("credential", 'must be {"wiegand": "<bits>"} or {"uid": "<hex>"}')
    return WiegandRead(value) if kind == "wiegand" else UidRead(value)


async def decide_for_station(request: web.Request) -> web.StreamResponse:
    """POST /decisions: decide a credential read by a station at a reader's door."""
    require(login(request), Permission.SUBMIT_CREDENTIALS)
    body = await read_root(request, "decision")
    reader_id = body.get("reader_id")
    if (
        isinstance(reader_id, bool)
        or not isinstance(reader_id, int)
        or not (0 < reader_id <= MAX_INTEGER)
    ):
        raise invalid("reader_id", "must be the id of a reader")
    decision = await ctx(request).decisions.at_reader(
        reader_id, _presentation(body.get("credential"))
    )
    return web.json_response(
        {
            "granted": decision.granted,
            "code": decision.code.value if decision.code else None,
            "message": decision.message,
            "lock_id": decision.lock_id,
            "user_id": decision.user.id if decision.user else None,
        }
    )


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the decision route."""
    router.add_post("/decisions", decide_for_station)
