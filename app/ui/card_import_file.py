"""What the import dialog knows of a CSV file of cards before importing it (no Qt here).

The controller's own check decides which rows are ready (``CardImports.check_in_steps``); this
module turns a file's bytes into that check and says in plain words when the file as a whole
cannot be imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.controller.card_import import MAX_FILE, CardImports

NOT_CARDS = (
    "This file does not look like a card list: its first row must name the columns, "
    "including format (for example: format,facility_code,card_number,uid,email). "
    "Start from the template and choose the file again."
)


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says what to do."""


@dataclass
class Checked:
    """What a file holds, as the controller's check sees it."""

    data: bytes
    rows: int  # data rows (blank lines are not rows)
    ready: int
    problems: dict[int, str] = field(default_factory=dict)  # line -> the controller's message


def decode(data: bytes) -> str:
    """The file's text, decoded as the controller's import decodes it.

    Raises:
        FileProblem: too large, not UTF-8 text, or empty.
    """
    if len(data) > MAX_FILE:
        raise FileProblem(
            f"The file is larger than {MAX_FILE >> 20} MB. Split it and import each part."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            "This file is not a CSV text file. Save it from your spreadsheet as "
            "“CSV UTF-8” and choose it again."
        ) from None
    if not text.strip():
        raise FileProblem(
            "The file is empty. Fill in the template, one card per row, and choose it again."
        )
    return text


async def check_file(
    imports: CardImports, data: bytes, on_step: Callable[[int, int], None] | None = None
) -> Checked:
    """Check every row of a file with the controller's check, giving way to the window.

    Raises:
        FileProblem: the file as a whole cannot be imported.
    """
    result = await imports.check_in_steps(decode(data), on_step)
    if "file" in result.errors:
        reason = "; ".join(result.errors["file"])
        raise FileProblem(f"This file {reason}. Check it and choose it again.")
    if "line 1" in result.errors:
        raise FileProblem(NOT_CARDS)
    if not result.data_rows:
        raise FileProblem("The file has a header but no card rows. Add one card per row below it.")
    problems = {int(k.removeprefix("line ")): "; ".join(v) for k, v in result.errors.items()}
    return Checked(data, result.data_rows, len(result.rows), problems)
