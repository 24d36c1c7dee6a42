"""Checking a CSV file of cards, row by row, before anything is stored.

Every row is checked with the same rules as ``POST /cards``; bad rows are reported by line (the
line of the data row as the CSV reader counts it, header = line 1) and the rest can be imported.
The check runs in steps so a 10,000-row file never holds up the event loop: between steps the
controller answers readers and the window repaints.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from app.controller.errors import ValidationFailed, invalid
from app.controller.resources import HF_CARD_TYPES, LF_CARD_TYPES
from app.controller.site import SiteService
from app.controller.store import Store

STEP = 500  # rows per step; a step takes a few tens of milliseconds
SHORT_NAMES = {t.rsplit("_", 1)[-1]: t for t in LF_CARD_TYPES} | {
    "c1k35s": "third_party_lf_hid_corporate1000_35",
    "c1k48s": "third_party_lf_hid_corporate1000_48",
    "hf": "third_party_hf",
    "mobile": "mobile_credential",
}
KNOWN = set(LF_CARD_TYPES) | set(HF_CARD_TYPES)
NO_FORMAT_COLUMN = (
    "the header must name a format column (e.g. format,facility_code,card_number,uid,email)"
)


@dataclass
class Row:
    """A checked CSV row, ready to store."""

    line: int
    card: dict[str, Any]
    user_id: int | None


@dataclass
class Checked:
    """The outcome of a check: rows ready to store and problems keyed ``"line N"`` (or
    ``"file"`` when the file as a whole cannot be read)."""

    rows: list[Row] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    data_rows: int = 0  # rows below the header, blank lines not counted


def _number(text: str, name: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 15:
        raise invalid(name, "must be a whole number")
    return int(text)


class CsvCardCheck:
    """Checks one file's rows against the site (cards' rules, people's e-mails, duplicates)."""

    def __init__(self, store: Store, site: SiteService) -> None:
        self._store = store
        self._site = site

    def check(self, text: str) -> Checked:
        """Check every row at once (for small files and the API's background job)."""
        checked = Checked()
        for _ in self._steps(text, checked, STEP):
            pass
        return checked

    async def check_in_steps(
        self,
        text: str,
        on_step: Callable[[int, int], None] | None = None,
        step: int = STEP,
    ) -> Checked:
        """Check every row, yielding to the event loop between steps of ``step`` rows.

        Args:
            text: the file's text.
            on_step: called with (rows checked, data rows) after each step.
            step: rows per step.
        """
        checked = Checked()
        for done in self._steps(text, checked, step):
            if on_step is not None:
                on_step(done, checked.data_rows)
            await asyncio.sleep(0)
        return checked

    def _steps(self, text: str, checked: Checked, step: int) -> Iterator[int]:
        try:
            # Reading every record first is cheap and gives the total for progress.
            records = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            checked.errors["file"] = [f"is not a CSV file we can read ({exc})"]
            return
        header = [h.strip().lower() for h in records[0]] if records else []
        if "format" not in header:
            checked.errors["line 1"] = [NO_FORMAT_COLUMN]
            return
        body = [(line, r) for line, r in enumerate(records[1:], start=2) if r]
        checked.data_rows = len(body)
        emails = {
            u["email"].lower(): u["id"] for u in self._store.rows("SELECT id, email FROM users")
        }
        seen: dict[tuple[Any, ...], int] = {}
        for start in range(0, len(body), step):
            for line, record in body[start : start + step]:
                self._check_one(
                    line, dict(zip(header, record, strict=False)), emails, seen, checked
                )
            yield min(start + step, len(body))

    def _check_one(
        self,
        line: int,
        cells: dict[str, str],
        emails: dict[str, int],
        seen: dict[tuple[Any, ...], int],
        checked: Checked,
    ) -> None:
        try:
            row = self._row(line, cells, emails)
        except ValidationFailed as exc:
            checked.errors[f"line {line}"] = [
                f"{k} {m}" for k, ms in exc.errors.items() for m in ms
            ]
            return
        card = row.card
        # One HF UID is one physical card, whichever HF type a line calls it.
        hf = card["type"] in HF_CARD_TYPES
        key = (
            ("hf", None, None, card.get("uid"))
            if hf
            else (card["type"], card.get("facility_code"), card.get("card_number"), None)
        )
        if key in seen:
            checked.errors[f"line {line}"] = [f"the same card as line {seen[key]}"]
            return
        seen[key] = line
        checked.rows.append(row)

    def _row(self, line: int, cells: dict[str, str], emails: dict[str, int]) -> Row:
        fmt = cells.get("format", "").strip().lower()
        card_type = SHORT_NAMES.get(fmt) or (fmt if fmt in KNOWN else None)
        if card_type is None:
            raise invalid("format", f"{fmt or '(empty)'} is not a card format we know")
        body: dict[str, Any] = {"type": card_type}
        for name in ("facility_code", "card_number"):
            value = _number(cells.get(name, ""), name)
            if value is not None:
                body[name] = value
        if cells.get("uid", "").strip():
            body["uid"] = cells["uid"].strip()
        card = self._site.card_values(body)
        email = cells.get("email", "").strip().lower()
        user_id = None
        if email:
            user_id = emails.get(email)
            if user_id is None:
                raise invalid("email", f"{email} is not a user of this site")
        return Row(line, card, user_id)
