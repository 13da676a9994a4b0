"""SQLite failures in plain words: the one place that turns driver errors into StorageError or DamagedFile."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from core.errors import DamagedFile, StorageError

DAMAGED_DATABASE = (
    "The customer book's database file (counterpart.db) is damaged and cannot be read. This is not a wrong "
    "passphrase. Nothing was changed: restore the book from a backup."
)
EMPTY_DATABASE = (
    "The customer book's database file (counterpart.db) is missing or empty, although its key file is there. "
    "This is not a wrong passphrase. Nothing was changed: restore the book from a backup."
)
# SQLITE_NOTADB and SQLITE_CORRUPT; the driver raises both as the bare DatabaseError class.
_DAMAGE_SIGNS = ("not a database", "malformed", "corrupt")


def explain_operational_error(exc: BaseException) -> str:
    """What an OperationalError (SQLAlchemy's or the driver's) means for the person at the counter."""
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).lower()
    if "locked" in text or "busy" in text:
        return "The customer book is busy (another program holds it). Nothing was saved; try again in a moment."
    if "full" in text:
        return "The disk is full. Nothing was saved: free some space and try again."
    if "readonly" in text or "read-only" in text:
        return "The customer book is read-only here. Nothing was saved: check the folder's permissions."
    return f"The customer book could not be written ({cause}). Nothing was saved."


def is_damaged(exc: BaseException) -> bool:
    """Whether `exc` says the database file itself is unreadable (as opposed to busy, full or a bad query)."""
    if isinstance(exc, OperationalError | sqlite3.OperationalError):
        return False
    if not isinstance(exc, DatabaseError | sqlite3.DatabaseError):
        return False
    cause = getattr(exc, "orig", None) or exc
    return any(sign in str(cause).lower() for sign in _DAMAGE_SIGNS)


@contextmanager
def storage_errors() -> Iterator[None]:
    """Raise StorageError for a locked, full or read-only database and DamagedFile for an unreadable one;
    anything else (integrity errors, the ledger's triggers) passes through unchanged."""
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as exc:
        raise StorageError(explain_operational_error(exc)) from exc
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        if is_damaged(exc):
            raise DamagedFile(DAMAGED_DATABASE) from exc
        raise


@contextmanager
def writing(engine: Engine, *, immediate: bool = False) -> Iterator[Connection]:
    """One write transaction, committed when the block ends and rolled back on any error, with the errors
    above in plain words. `immediate` takes the write lock before the first read, for a read-then-write that
    must not interleave with another writer (the driver would otherwise begin only at the first write)."""
    with storage_errors(), engine.begin() as connection:
        if immediate:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection
