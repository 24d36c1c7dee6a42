"""SQLite storage of the site model (WAL), with small typed helpers and no business rules."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from app.controller.checkpoint import Checkpointer
from app.controller.clock import Clock, iso, system_clock
from app.controller.schema import ADDED_COLUMNS, SCHEMA, SCHEMA_VERSION

Row = dict[str, Any]
WAL_SIZE_LIMIT = 64 * 1024 * 1024
T = TypeVar("T")


class StoreError(Exception):
    """A storage failure (constraint, corrupt file); base of the store's errors."""


class ConstraintError(StoreError):
    """A write broke a uniqueness or reference rule."""


class Store:
    """One SQLite database file holding the whole site, opened in WAL mode.

    Every public method runs on the caller's thread; the controller calls it from its event loop
    only, so a single connection serves it.
    """

    def __init__(self, path: Path | str, clock: Clock = system_clock) -> None:
        self.path = str(path)
        self.clock = clock
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL keeps every commit across a process crash (kill -9); only power loss can cost
        # the last transactions, which FULL would guard at a large cost per decision.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        # Checkpoints run in a thread of their own (see checkpoint.py), not inside a commit.
        self._db.execute("PRAGMA wal_autocheckpoint=0")
        # When the WAL starts over after a burst, give back all but 64 MiB of it.
        self._db.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
        try:
            self._db.executescript(SCHEMA)
        except sqlite3.IntegrityError as exc:
            # A rule added by this version that data written by an older one breaks.
            self._db.close()
            raise StoreError(
                f"The site database {self.path} holds data this version refuses ({exc}); "
                "open it with the version that wrote it and remove the duplicates"
            ) from exc
        self._checkpointer = Checkpointer(self.path)
        self._checkpointer.start()
        self._add_missing_columns()
        self._db.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
        self._depth = 0
        self._closed = False
        # Bumped by every write to the site model; caches compare it to know they are stale.
        self.generation = 0

    def _add_missing_columns(self) -> None:
        for table, column, declaration in ADDED_COLUMNS:
            present = {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    def close(self) -> None:
        """Close the database; idempotent."""
        if not self._closed:
            self._closed = True
            self._checkpointer.close()
            self._db.close()

    def now(self) -> str:
        """The current time as stored (RFC 3339, UTC)."""
        return iso(self.clock())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes atomically; nests by joining the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._depth = 0

    def execute(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = (), *, site: bool = True
    ) -> int:
        """Run one write; returns the last row id.

        Args:
            sql: the statement.
            params: its parameters.
            site: False for writes that change nothing a decision reads (the audit trail), so
                caches of the site model stay valid.

        Raises:
            ConstraintError: a uniqueness or reference rule was broken.
        """
        if site:
            self.generation += 1
        try:
            cursor = self._db.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise ConstraintError(str(exc)) from exc
        return int(cursor.lastrowid or 0)

    def rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Row]:
        """Rows of a query as dicts."""
        return [dict(r) for r in self._db.execute(sql, params).fetchall()]

    def row(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        found = self._db.execute(sql, params).fetchone()
        return dict(found) if found is not None else None

    def scalar(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        """The first column of the first row, or None."""
        found = self._db.execute(sql, params).fetchone()
        return found[0] if found is not None else None

    def insert(self, table: str, values: Mapping[str, Any], *, stamp: bool = True) -> int:
        """Insert a row (adding created_at/updated_at when ``stamp``); returns its id."""
        data = dict(values)
        if stamp:
            now = self.now()
            data.setdefault("created_at", now)
            data.setdefault("updated_at", now)
        columns = ", ".join(data)
        marks = ", ".join("?" for _ in data)
        return self.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(data.values())
        )

    def update(
        self, table: str, row_id: int, values: Mapping[str, Any], *, stamp: bool = True
    ) -> None:
        """Update columns of one row by id."""
        data = dict(values)
        if stamp:
            data["updated_at"] = self.now()
        if not data:
            return
        assignments = ", ".join(f"{k} = ?" for k in data)
        self.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*data.values(), row_id])

    def delete(self, table: str, row_id: int) -> None:
        """Delete one row by id."""
        self.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))

    def get(self, table: str, row_id: int) -> Row | None:
        """One row by id."""
        return self.row(f"SELECT * FROM {table} WHERE id = ?", (row_id,))

    def meta(self, key: str) -> str | None:
        """A value from the meta table."""
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Store a value in the meta table."""
        self.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


class Memo:
    """A cache of reads that empties itself whenever the site model was written to."""

    def __init__(self, store: Store, limit: int = 200_000) -> None:
        self._store = store
        self._limit = limit
        self._generation = -1
        self._data: dict[Any, Any] = {}

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        """The cached value for ``key``, computing (and keeping) it when missing or stale."""
        if self._generation != self._store.generation or len(self._data) >= self._limit:
            self._data.clear()
            self._generation = self._store.generation
        try:
            return cast(T, self._data[key])
        except KeyError:
            value = compute()
            self._data[key] = value
            return value
