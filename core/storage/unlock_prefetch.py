"""Reading the book's ciphertext while Argon2id runs.

The key derivation releases the GIL and takes half a second to a second by design, so the customer rows (a
150 MB database at 100,000 customers) are read off the disk on another thread meanwhile. Only ciphertext is
read, nothing is written, and only from a database already at the newest schema: a database that needs a
migration, or that cannot be read, is left to the ordinary path after the passphrase is checked, where it
gets its safety copy and its proper error message.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Generic, TypeVar

from sqlalchemy import Engine

from core.errors import CounterpartError
from core.storage.engine import check_database_file, current_revision, head_revision

log = logging.getLogger(__name__)
Rows = TypeVar("Rows")


class CiphertextPrefetch(Generic[Rows]):
    """`with CiphertextPrefetch(path, engine, fetch) as prefetch: …derive the key…; rows = prefetch.result()`."""

    def __init__(self, database: Path, engine: Callable[[], Engine], fetch: Callable[[Engine], Rows]) -> None:
        self._database = database
        self._engine = engine
        self._fetch = fetch
        self._result: Rows | None = None
        self._thread = threading.Thread(target=self._run, name="counterpart-prefetch", daemon=True)

    def _run(self) -> None:
        try:
            engine = self._engine()
            if current_revision(engine) == head_revision():
                self._result = self._fetch(engine)
        except Exception as exc:  # any problem is the ordinary path's to report, with its own message
            log.info("prefetch skipped (%s)", type(exc).__name__)

    def __enter__(self) -> CiphertextPrefetch[Rows]:
        try:
            # The file check the ordinary path makes, here on this thread and before any engine exists:
            # SQLite would write a header into a missing or empty file.
            check_database_file(self._database)
        except CounterpartError:
            return self  # nothing to read ahead; the ordinary path will say what is wrong
        self._engine()  # made here, not raced for by two threads
        self._thread.start()
        return self

    def result(self) -> Rows | None:
        """The fetched rows, or None when the ordinary path must read them itself."""
        self._join()
        return self._result

    def _join(self) -> None:
        if self._thread.ident is not None:  # started
            self._thread.join()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._join()
        self._result = None
