"""Bulk card enrolment from CSV: check every row first, report bad rows by line, import the rest.

Mirrors the public API: ``POST /signed_upload_urls`` gives a one-time upload address,
``POST /csv_card_imports`` with the uploaded ``file_name`` starts the import, and
``GET /csv_card_imports/{id}`` shows its status and the errors by line.

Columns (a header row is required, names case-insensitive, order free): ``format`` (H10301,
H10302, H10304, H10306, HF, or a card type of the API), ``facility_code``, ``card_number``,
``uid``, and optionally ``email`` — the card is then given to that (existing) user.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.controller.audit import AuditTrail, Event
from app.controller.card_import_check import Checked, CsvCardCheck, Row
from app.controller.errors import NotFound, invalid
from app.controller.resources import CARD_ASSIGNMENTS, CARDS
from app.controller.secrets import write_private
from app.controller.site import SYSTEM, Actor, SiteService
from app.controller.store import ConstraintError, Store

log = logging.getLogger("lintel.import")
MAX_FILE = 10 << 20
CHUNK = 500
COLUMNS = ("format", "facility_code", "card_number", "uid", "email")


@dataclass
class Job:
    """One running import; ``cancel`` stops it between chunks."""

    id: int
    cancelled: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)


class CardImports:
    """Uploads, imports and their progress."""

    def __init__(self, store: Store, site: SiteService, audit: AuditTrail, uploads: Path) -> None:
        self._store = store
        self._site = site
        self._audit = audit
        self._uploads = uploads
        self._check = CsvCardCheck(store, site)
        self._pending: dict[str, str] = {}  # upload token -> stored file name
        self._jobs: dict[int, Job] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.on_progress: Callable[[int, int, int], None] | None = None  # id, done, total

    # --- uploads -------------------------------------------------------------------------------

    def new_upload(self, file_name: str) -> tuple[str, str]:
        """Reserve a one-time upload; returns (token for the URL, stored file name)."""
        safe = "".join(c for c in Path(file_name).name if c.isalnum() or c in "._-")[-80:]
        stored = f"{secrets.token_hex(8)}-{safe or 'upload.csv'}"
        token = secrets.token_urlsafe(24)
        self._pending[token] = stored
        return token, stored

    def receive(self, token: str, data: bytes) -> str:
        """Keep an uploaded file (only the owner may read it); returns its file name.

        Raises:
            NotFound: unknown or used token; ValidationFailed: the file is too large.
        """
        stored = self._pending.pop(token, None)
        if stored is None:
            raise NotFound("This upload address is unknown or was already used")
        if len(data) > MAX_FILE:
            raise invalid("file", f"is larger than {MAX_FILE >> 20} MB")
        self._uploads.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(self._uploads / stored, data)
        return stored

    # --- imports -------------------------------------------------------------------------------

    def check(self, text: str) -> Checked:
        """Check every row at once; the good rows and the problems by line."""
        return self._check.check(text)

    async def check_in_steps(
        self, text: str, on_step: Callable[[int, int], None] | None = None
    ) -> Checked:
        """Check every row, giving way to the event loop between steps (for big files)."""
        return await self._check.check_in_steps(text, on_step)

    def create(self, body: Any, actor: Actor = SYSTEM) -> dict[str, Any]:
        """Start importing an uploaded file.

        Raises:
            ValidationFailed: no such uploaded file.
        """
        if not isinstance(body, dict) or not isinstance(body.get("file_name"), str):
            raise invalid("file_name", "can't be blank")
        name = Path(body["file_name"]).name
        path = self._uploads / name
        if not name or not path.is_file():
            raise invalid("file_name", "was not uploaded (use POST /signed_upload_urls first)")
        import_id = self._store.insert(
            "csv_card_imports",
            {"name": name.split("-", 1)[-1], "file_name": name, "status": "waiting"},
        )
        job = Job(import_id)
        self._jobs[import_id] = job
        task = asyncio.get_running_loop().create_task(self._run(job, path, actor))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return self.get(import_id)

    def cancel(self, import_id: int) -> None:
        """Stop an import after the chunk it is writing."""
        job = self._jobs.get(import_id)
        if job is not None:
            job.cancelled = True

    async def wait(self, import_id: int) -> dict[str, Any]:
        """Wait until an import is done (for the app and tests)."""
        job = self._jobs.get(import_id)
        if job is not None:
            await job.done.wait()
        return self.get(import_id)

    def get(self, import_id: int) -> dict[str, Any]:
        """The public API's CsvCardImport object (plus our progress counts).

        Raises:
            NotFound: no such import.
        """
        row = self._store.get("csv_card_imports", import_id)
        if row is None:
            raise NotFound(f"CSV card import {import_id} not found")
        org = self._store.get("organizations", 1) or {}
        return {
            "id": row["id"],
            "name": row["name"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "import_errors": json.loads(row["import_errors"]),
            "file_name": row["file_name"],
            "status": row["status"],
            "organization_id": org.get("id"),
            "organization": {
                "id": org.get("id"),
                "resource_type": "Organization",
                "name": org.get("name"),
                "domain": org.get("domain") or "",
            },
            "total": row["total"],
            "imported": row["imported"],
        }

    async def _run(self, job: Job, path: Path, actor: Actor) -> None:
        try:
            await self._import(job, path, actor)
        except Exception as exc:  # the job must end, whatever the file held
            log.exception("CSV card import %d failed", job.id)
            self._finish(job.id, "failed", {"file": [f"could not be imported: {exc}"]}, 0)

    async def _import(self, job: Job, path: Path, actor: Actor) -> None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self._finish(job.id, "failed", {"file": [f"cannot be read as UTF-8 CSV: {exc}"]}, 0)
            return
        checked = await self.check_in_steps(text)
        rows, errors = checked.rows, checked.errors
        if "file" in errors:
            self._finish(job.id, "failed", errors, 0)
            return
        self._store.update(
            "csv_card_imports",
            job.id,
            {"status": "in_progress", "total": len(rows), "import_errors": json.dumps(errors)},
        )
        imported = 0
        for start in range(0, len(rows), CHUNK):
            if job.cancelled:
                errors["import"] = [f"cancelled after {imported} cards"]
                break
            imported += self._write(rows[start : start + CHUNK], errors, actor)
            self._store.update("csv_card_imports", job.id, {"imported": imported})
            if self.on_progress is not None:
                self.on_progress(job.id, imported, len(rows))
            await asyncio.sleep(0)  # let readers be answered between chunks
        self._finish(job.id, "finished", errors, imported)
        self._audit.record(
            Event(
                type="csv_card_import.finish",
                success=not errors,
                actor_type=actor.kind,
                actor_id=actor.id,
                actor_name=actor.name,
                object_type="CsvCardImport",
                object_id=job.id,
                object_name=path.name,
                message=f"{imported} cards imported, {len(errors)} lines with problems",
            )
        )

    def _write(self, rows: list[Row], errors: dict[str, list[str]], actor: Actor) -> int:
        done = 0
        with self._store.transaction():
            for row in rows:
                try:
                    card_id = self._store.insert(CARDS.table, row.card)
                except ConstraintError:
                    errors[f"line {row.line}"] = [
                        "a card with the same identifiers is already enrolled (cabbeb)"
                    ]
                    continue
                if row.user_id is not None:
                    self._store.insert(
                        CARD_ASSIGNMENTS.table,
                        {
                            "card_id": card_id,
                            "assignee_type": "User",
                            "assignee_id": row.user_id,
                            "status": "activated",
                            "created_by_type": actor.kind,
                            "created_by_id": actor.id,
                        },
                    )
                done += 1
        return done

    def _finish(
        self, import_id: int, status: str, errors: dict[str, list[str]], imported: int
    ) -> None:
        self._store.update(
            "csv_card_imports",
            import_id,
            {"status": status, "import_errors": json.dumps(errors), "imported": imported},
        )
        job = self._jobs.pop(import_id, None)
        if job is not None:
            job.done.set()
