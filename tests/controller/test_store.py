"""Opening a site database written under older rules."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.controller.store import Store, StoreError


def test_cards_sharing_a_uid_from_an_older_version_are_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "site.db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("DROP INDEX cards_one_per_uid")  # as an older version left it
    for card_type in ("third_party_hf", "site_secured_hf"):
        db.execute(
            "INSERT INTO cards (type, uid, created_at, updated_at) VALUES (?, 'AB01', 'x', 'x')",
            (card_type,),
        )
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="remove the duplicates"):
        Store(path)
    kept = sqlite3.connect(path)
    assert kept.execute("SELECT count(*) FROM cards").fetchone() == (2,)  # nothing lost
    kept.close()
