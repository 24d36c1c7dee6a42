"""The WAL stays bounded while a writer commits without pause (checkpoints in their thread)."""

from __future__ import annotations

from pathlib import Path

from app.controller.checkpoint import Checkpointer
from app.controller.store import Store

ROW = "x" * 200


def test_the_wal_starts_over_under_steady_writes(tmp_path: Path) -> None:
    store = Store(tmp_path / "site.db")
    store.close()  # only its schema and pragmas; this test drives its own checkpointer
    store = Store(tmp_path / "site.db")
    checkpointer = Checkpointer(store.path, interval=0.01, restart_frames=200)
    checkpointer.start()
    wal = Path(store.path + "-wal")
    try:
        store.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        biggest = 0
        written = 0
        # Commit one row at a time, as the audit trail does under load, until the checkpointer
        # has made the WAL start over a few times (a passive checkpoint alone never does).
        while checkpointer.restarts < 3:
            assert written < 200_000, "the WAL never started over"
            with store.transaction():
                store.execute("INSERT INTO t (v) VALUES (?)", (ROW,), site=False)
            written += 1
            biggest = max(biggest, wal.stat().st_size)
        frame = 4096 + 24
        assert store.scalar("SELECT count(*) FROM t") == written
        assert biggest < written * frame  # every commit writes a frame: the file was reused
    finally:
        checkpointer.close()
        store.close()
