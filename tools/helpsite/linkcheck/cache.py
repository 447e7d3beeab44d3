"""The persistent result cache: a re-run only requests new or expired URLs.

One SQLite table keyed by the canonical request URL. Only successes (ok, redirected) are
stored, with the anchors of the page when its body was read, so a later run can check new
#fragments without a request. Failures are never stored: a broken link is asked again.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    url TEXT PRIMARY KEY,
    checked_at REAL NOT NULL,
    status TEXT NOT NULL,
    http_status INTEGER,
    final_url TEXT,
    message TEXT NOT NULL,
    anchors TEXT,
    truncated INTEGER NOT NULL DEFAULT 0,
    content TEXT NOT NULL DEFAULT '',
    redirects TEXT NOT NULL DEFAULT '[]'
)
"""
_COMMIT_EVERY = 200
_SCHEMA_VERSION = 2  # 2: the redirect chain of each result


@dataclass(frozen=True)
class CachedResult:
    status: str
    http_status: int | None
    final_url: str | None
    message: str
    anchors: frozenset[str] | None
    truncated: bool
    content: str = ""  # "html"/"script" when the anchors are known, "other" non-HTML, "" unread
    redirects: tuple[tuple[str, int], ...] = ()  # (URL, status) of every hop, in order


class LinkCache:
    def __init__(
        self, path: Path, max_age: float, clock: Callable[[], float] = time.time
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.max_age = max_age
        self._clock = clock
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError:
            # Not a cache we can read (damaged, or another file): start a new one.
            path.unlink(missing_ok=True)
            self._db = self._open(path)
        self._pending = 0
        self.hits = 0

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
            db.execute("DROP TABLE IF EXISTS results")
            db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        db.execute(_SCHEMA)
        return db

    def get(self, url: str) -> CachedResult | None:
        """The stored result when it is younger than the maximum age."""
        row = self._db.execute(
            "SELECT checked_at, status, http_status, final_url, message, anchors, truncated, "
            "content, redirects "
            "FROM results WHERE url = ?", (url,),
        ).fetchone()
        if row is None or self._clock() - row[0] >= self.max_age:
            return None
        anchors = frozenset(json.loads(row[5])) if row[5] is not None else None
        redirects = tuple((str(url), int(status)) for url, status in json.loads(row[8]))
        return CachedResult(row[1], row[2], row[3], row[4], anchors, bool(row[6]), row[7],
                            redirects)

    def put(self, url: str, result: CachedResult) -> None:
        anchors = json.dumps(sorted(result.anchors)) if result.anchors is not None else None
        self._db.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (url, self._clock(), result.status, result.http_status, result.final_url,
             result.message, anchors, int(result.truncated), result.content,
             json.dumps([list(hop) for hop in result.redirects])),
        )
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self._db.commit()
            self._pending = 0

    def forget(self, url: str) -> None:
        self._db.execute("DELETE FROM results WHERE url = ?", (url,))

    def close(self) -> None:
        self._db.commit()
        self._db.close()
