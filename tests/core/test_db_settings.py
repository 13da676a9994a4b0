"""The SQLite settings the design requires, read back from a real book's engine and files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.storage.engine import BUSY_TIMEOUT_MS, create_sqlite_engine
from tests.conftest import PASSPHRASE


def _pragma(book: CustomerBook, name: str) -> object:
    with book.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()


@pytest.mark.parametrize(
    ("pragma", "required"),
    [
        ("journal_mode", "wal"),
        ("synchronous", 2),  # FULL: a save the counter was told about survives a power cut
        ("foreign_keys", 1),
        ("secure_delete", 1),  # deleted ciphertext is overwritten, not left in free pages
        ("busy_timeout", BUSY_TIMEOUT_MS),
    ],
)
def test_every_connection_of_the_book_has_the_required_pragma(
    book: CustomerBook, pragma: str, required: object
) -> None:
    book.save_customer(CustomerDraft(name="Ana Souza"))
    assert _pragma(book, pragma) == required
    book.engine.dispose()  # and so does every connection opened later, not only the first one
    assert _pragma(book, pragma) == required


def test_wal_mode_is_recorded_in_the_file_itself(book: CustomerBook) -> None:
    book.save_customer(CustomerDraft(name="Ana Souza"))
    book.close()
    header = book.folder.database.read_bytes()[:20]
    assert header[18:20] == b"\x02\x02"  # file format read/write version 2 means WAL


def test_the_database_and_its_wal_files_are_private(book: CustomerBook) -> None:
    book.close()  # removes -wal and -shm, so they are made afresh below
    previous = os.umask(0o022)  # SQLite gives -wal and -shm the database's own mode, not the umask's
    try:
        book.unlock(PASSPHRASE)
        book.save_customer(CustomerDraft(name="Ana Souza"))  # they exist while the book is open
    finally:
        os.umask(previous)
    database = book.folder.database
    for path in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_a_new_database_is_created_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # a umask that would leave a plain new file readable by everyone
    try:
        engine = create_sqlite_engine(tmp_path / "new.db")
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x)")
        engine.dispose()
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.db").stat().st_mode) == 0o600


def test_foreign_keys_are_enforced_not_only_declared(book: CustomerBook) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError, match="FOREIGN KEY"), book.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO visits (id, customer_id, at, kind, key_version) VALUES ('v', 'nobody', 'now', 'other', 1)"
        )
