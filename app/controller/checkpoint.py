"""Move WAL checkpoints off the decision path: a thread with its own connection runs them.

SQLite otherwise checkpoints inside whichever commit crosses the threshold, and that commit
(usually a decision's audit row) waits for it. A passive checkpoint from another connection
never blocks writers, so the event loop keeps answering readers while the WAL is folded in.

Passive checkpoints alone let the WAL grow for ever under steady load: the file starts over
only when a checkpoint has copied every frame, and with a commit every millisecond some
frame always arrives while the checkpoint syncs. So once the WAL passes ``restart_frames``,
the thread asks for a RESTART checkpoint: it holds writers back just long enough to copy the
few frames the passive one left (milliseconds), and the next commit writes the WAL from its
start again, into pages the kernel already has, instead of growing the file.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger("lintel.store")

# Frames of 4 KiB pages: 16 MiB of WAL before a restart is forced.
RESTART_FRAMES = 4096


class Checkpointer:
    """Checkpoints a WAL database every ``interval`` seconds until closed."""

    def __init__(
        self, path: str, interval: float = 1.0, restart_frames: int = RESTART_FRAMES
    ) -> None:
        self._path = path
        self._interval = interval
        self._restart_frames = restart_frames
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.restarts = 0  # how often the WAL was made to start over

    def start(self) -> None:
        """Start the background thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        db = sqlite3.connect(self._path, check_same_thread=False)
        # A restart waits for the current writer to finish its transaction (well under this);
        # if the database stays busy longer, skip and try at the next interval.
        db.execute("PRAGMA busy_timeout=200")
        try:
            while not self._stop.wait(self._interval):
                try:
                    self._checkpoint(db)
                except sqlite3.Error as exc:  # a busy or locked moment: try again next time
                    log.debug("checkpoint skipped: %s", exc)
        finally:
            db.close()

    def _checkpoint(self, db: sqlite3.Connection) -> None:
        busy, frames, _copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if busy or frames < self._restart_frames:
            return
        busy, _frames, _copied = db.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
        if not busy:
            self.restarts += 1

    def close(self) -> None:
        """Stop and wait for the thread (idempotent)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
