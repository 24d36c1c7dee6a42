"""Uploads and CSV card imports, as the public API does them."""

from __future__ import annotations

from aiohttp import web

from app.access.roles import Permission
from app.controller.api.auth import require
from app.controller.api.context import actor_of, ctx, login
from app.controller.api.http import path_id, read_root
from app.controller.card_import import MAX_FILE
from app.controller.errors import invalid

UPLOADS = "/uploads/"


async def signed_upload_url(request: web.Request) -> web.StreamResponse:
    """POST /signed_upload_urls: a one-time address to upload a file to."""
    require(login(request), Permission.MANAGE_PEOPLE)
    body = await read_root(request, "signed_upload_url")
    file_name = body.get("file_name")
    if not isinstance(file_name, str) or not file_name.strip() or len(file_name) > 255:
        raise invalid("file_name", "can't be blank")
    if body.get("file_type", "csv_card_import") not in (
        "csv_card_import",
        "csv_user_import",
        "image",
    ):
        raise invalid("file_type", "must be csv_card_import, csv_user_import or image")
    token, stored = ctx(request).card_imports.new_upload(file_name)
    url = f"{request.scheme}://{request.host}{UPLOADS}{token}"
    return web.json_response({"signed_upload_url": url, "file_name": stored})


async def upload(request: web.Request) -> web.StreamResponse:
    """POST or PUT /uploads/{token}: the file itself (the token is the authorization)."""
    # read(n) returns what has arrived so far; a file must be read to its end (up to the limit).
    data = bytearray()
    while len(data) <= MAX_FILE:
        chunk = await request.content.read(MAX_FILE + 1 - len(data))
        if not chunk:
            break
        data += chunk
    stored = ctx(request).card_imports.receive(request.match_info["token"], bytes(data))
    return web.json_response({"file_name": stored})


async def create_import(request: web.Request) -> web.StreamResponse:
    """POST /csv_card_imports: check every row, then import the good ones in the background."""
    require(login(request), Permission.MANAGE_PEOPLE)
    body = await read_root(request, "csv_card_import")
    return web.json_response(ctx(request).card_imports.create(body, actor_of(request)))


async def get_import(request: web.Request) -> web.StreamResponse:
    """GET /csv_card_imports/{id}: status, counts and the errors by line."""
    require(login(request), Permission.MANAGE_PEOPLE)
    return web.json_response(ctx(request).card_imports.get(path_id(request)))


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the import routes."""
    router.add_post("/signed_upload_urls", signed_upload_url)
    router.add_post(UPLOADS + "{token}", upload)
    router.add_put(UPLOADS + "{token}", upload)
    router.add_post("/csv_card_imports", create_import)
    router.add_get("/csv_card_imports/{id}", get_import)
