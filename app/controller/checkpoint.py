"""Move WAL checkpoints off the decision path: a thread with its own connection runs them.

SQLite otherwise checkpoints inside whichever commit crosses the threshold, and that commit
(usually a decision's audit row) waits for it. A passive checkpoint from another connection
never blocks writers, so the event loop keeps answering readers while the WAL is folded in.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger("lintel.store")


class Checkpointer:
    """Checkpoints a WAL database every ``interval`` seconds until closed."""

    def __init__(self, path: str, interval: float = 1.0) -> None:
        self._path = path
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the background thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        db = sqlite3.connect(self._path, check_same_thread=False)
        try:
            while not self._stop.wait(self._interval):
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:  # a busy or locked moment: try again next time
                    log.debug("checkpoint skipped: %s", exc)
        finally:
            db.close()

    def close(self) -> None:
        """Stop and wait for the thread (idempotent)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
