"""Where a customer book lives on disk, and the lock that keeps one running instance per folder."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from core.errors import AlreadyRunning, CounterpartError
from core.storage.atomic import ensure_private_dir

APP_NAME = "Counterpart"


def default_data_dir() -> Path:
    """The platform's per-user data folder (e.g. ~/.local/share/Counterpart on Linux)."""
    from platformdirs import user_data_path  # imported here: keeps start-up lean for --help

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class DataFolder:
    """Names every file Counterpart keeps in one data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "counterpart.db"

    @property
    def vault(self) -> Path:
        return self.root / "vault.json"

    @property
    def preferences(self) -> Path:
        return self.root / "preferences.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def safety_copies(self) -> Path:
        return self.root / "safety-copies"

    @property
    def temp(self) -> Path:
        """Private scratch space (snapshots for backups); always inside the data folder, never /tmp."""
        return self.root / "tmp"

    @property
    def lock_file(self) -> Path:
        return self.root / "counterpart.lock"

    def ensure(self) -> None:
        for folder in (self.root, self.logs, self.safety_copies, self.temp):
            ensure_private_dir(folder)

    def is_set_up(self) -> bool:
        return self.vault.exists()

    def holds_book_data(self) -> bool:
        """Whether a customer book's data is here (a database with rows, or safety copies), key file or not.

        A database that cannot be read counts as data: never start a new book over something not understood."""
        if self.safety_copies.is_dir() and any(self.safety_copies.iterdir()):
            return True
        wal = self.database.with_name(self.database.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return True
        if not self.database.exists() or self.database.stat().st_size == 0:
            return False
        return _database_has_rows(self.database)

    def orphaned(self) -> bool:
        """Data without its key file: unlockable only with `vault.json` back, or from a backup; never set up over."""
        return not self.is_set_up() and self.holds_book_data()


class BookAlreadyHere(CounterpartError):
    """Set-up was asked for a folder that already holds a customer book, or what is left of one."""


def refuse_existing_book(folder: DataFolder) -> None:
    if folder.is_set_up():
        raise BookAlreadyHere(f"{folder.root} already holds a customer book. Unlock it with its passphrase.")
    if folder.safety_copies.is_dir() and any(folder.safety_copies.iterdir()):
        raise BookAlreadyHere(
            f"{folder.root} holds safety copies of an earlier customer book ({folder.safety_copies.name}/). "
            "Counterpart will not start a new book beside them: use “Restore from backup…”, or move that folder "
            "somewhere else first if you really want a new, empty book."
        )
    if folder.holds_book_data():
        raise BookAlreadyHere(ORPHANED_BOOK.format(root=folder.root))


ORPHANED_BOOK = (
    "{root} holds a customer book (counterpart.db) but not its key file (vault.json), so it cannot be opened. "
    "Counterpart will not start a new book over it. Put vault.json back beside it, or use “Restore from backup…”."
)


def _database_has_rows(path: Path) -> bool:
    import sqlite3

    try:
        # Read-only, no URI tricks with the path: it is ours. Any table with a row (besides Alembic's own) is data.
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return any(
                connection.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()  # noqa: S608 - names from the file
                for name in tables
                if name != "alembic_version" and not name.startswith("sqlite_")
            )
        finally:
            connection.close()
    except sqlite3.Error:
        return True


class InstanceLock:
    """An OS-level exclusive lock on the data folder, released automatically if the process dies."""

    def __init__(self, folder: DataFolder) -> None:
        self._folder = folder
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        self._folder.ensure()
        handle = open(self._folder.lock_file, "a+", encoding="ascii")  # noqa: SIM115 - held for the app's life
        try:
            _lock_exclusive(handle)
        except OSError as exc:
            handle.close()
            raise AlreadyRunning(
                f"Counterpart is already open on this customer book ({self._folder.root}). "
                "Switch to that window instead; two copies at once could damage the book."
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock
            self._handle = None


def _lock_exclusive(handle: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
