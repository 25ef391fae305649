"""The keys a load has met so far in one file, with the row that first had each, for duplicate
ids and references to rows further up.

A file of a million rows would need a million keys in a dict (~150 MB). So the keys stay in
memory only up to SPILL_AT; beyond that they move to a private temporary SQLite database (a file
SQLite deletes on close, with a small page cache), and memory stays flat however long the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

SPILL_AT = 100_000


class SeenKeys:
    def __init__(self, spill_at: int | None = None) -> None:
        self.recent: dict[str, int] = {}
        self._spill_at = SPILL_AT if spill_at is None else spill_at
        self._db: sqlite3.Connection | None = None

    def first_row(self, key: str) -> int | None:
        """The row that first had `key`, or None when no row had it."""
        row = self.recent.get(key)
        if row is None and self._db is not None:
            found = self._db.execute("SELECT row FROM seen WHERE key = ?", (key,)).fetchone()
            row = found[0] if found else None
        return row

    def __contains__(self, key: str) -> bool:
        return self.first_row(key) is not None

    def add(self, key: str, row: int) -> None:
        self.recent[key] = row

    def discard(self, key: str) -> None:
        """Forget a key of the current batch (its row was rejected after all)."""
        self.recent.pop(key, None)

    def spill(self) -> None:
        """Between batches: move the keys to disk once there are many of them."""
        if len(self.recent) < self._spill_at:
            return
        if self._db is None:
            # "" is a private temporary database on disk, removed when closed
            self._db = sqlite3.connect("", isolation_level=None)
            self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-4096;"
                                   "CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;")
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", self.recent.items())
        self._db.execute("COMMIT")
        self.recent = {}

    def keys(self) -> Iterator[str]:
        """Every key kept (spilled, then in memory)."""
        if self._db is not None:
            yield from (k for (k,) in self._db.execute("SELECT key FROM seen"))
        yield from self.recent

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
