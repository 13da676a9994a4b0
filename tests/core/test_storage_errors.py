"""A damaged, locked or full database: each says so in plain words, and nothing is written or half-written."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from core.book import CustomerBook
from core.consent.ledger import ANCHOR_KEY, ConsentMethod
from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from core.errors import DamagedFile, StorageError, WrongPassphrase
from core.storage.engine import create_sqlite_engine
from core.storage.transactions import explain_operational_error, storage_errors
from tests.conftest import PASSPHRASE

VERBAL = ConsentMethod.VERBAL


@pytest.fixture
def stocked(book: CustomerBook) -> CustomerBook:
    """A book with enough customers, consent and visits that its file spans many pages, closed cleanly."""
    for n in range(120):
        customer = book.save_customer(CustomerDraft(name=f"Person {n}", notes="likes tea " * 40))
        book.consent.record(customer.id, "surveys", True, VERBAL, "v1 test", "Owner")
        book.visits.record(customer.id, VisitKind.PURCHASE)
    book.close()  # checkpoints the WAL into the file and removes it
    return book


def _folder_state(book: CustomerBook) -> dict[str, str]:
    """Every file under the data folder but the logs, by content hash: what 'nothing was written' means."""
    root = book.folder.database.parent
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "logs" not in path.parts
    }


# --- a damaged database file ---------------------------------------------------------------------------------


def _garbage(data: bytes) -> bytes:
    return bytes((7 * i + 13) % 256 for i in range(len(data)))


def _cut_in_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _zero_length(_data: bytes) -> bytes:
    return b""


def _header_page_only(data: bytes) -> bytes:
    return data[:4096]


def _one_byte_short(data: bytes) -> bytes:
    return data[:-1]


@pytest.mark.parametrize("damage", [_garbage, _cut_in_half, _zero_length, _header_page_only, _one_byte_short])
def test_a_damaged_database_file_says_damaged_and_nothing_is_written(
    stocked: CustomerBook, damage: Callable[[bytes], bytes]
) -> None:
    database = stocked.folder.database
    good = database.read_bytes()
    database.write_bytes(damage(good))
    before = _folder_state(stocked)
    with pytest.raises(DamagedFile) as caught:
        stocked.unlock(PASSPHRASE)
    message = str(caught.value)
    assert "database file" in message
    assert ("damaged" in message) != ("missing or empty" in message)
    assert "backup" in message
    assert "not a wrong passphrase" in message
    assert not stocked.is_unlocked
    assert len(stocked.index) == 0
    stocked.close()
    assert _folder_state(stocked) == before  # no schema made, no migration, no safety copy, no -wal left
    assert not list(stocked.folder.safety_copies.iterdir())

    database.write_bytes(good)  # put back, the same book opens as before
    stocked.unlock(PASSPHRASE)
    assert len(stocked.index) == 120


def test_a_missing_database_file_is_not_replaced_by_an_empty_book(stocked: CustomerBook) -> None:
    stocked.folder.database.unlink()
    with pytest.raises(DamagedFile, match="missing or empty"):
        stocked.unlock(PASSPHRASE)
    stocked.close()
    assert not stocked.folder.database.exists()


def test_wrong_passphrase_is_still_told_apart_from_a_damaged_database(stocked: CustomerBook) -> None:
    stocked.folder.database.write_bytes(_garbage(stocked.folder.database.read_bytes()))
    with pytest.raises(WrongPassphrase):
        stocked.unlock("not the passphrase at all")  # the key file is intact: the passphrase is checked first


def test_a_damaged_file_met_before_a_migration_is_not_copied_over_good_safety_copies(book: CustomerBook) -> None:
    from alembic import command

    from core.storage.engine import _alembic_config, current_revision

    book.import_customers([CustomerDraft(name=f"Person {n}", notes="likes tea " * 40) for n in range(60)])
    command.downgrade(_alembic_config(book.engine), "0001")  # a book made by the first release
    book.close()
    book.unlock(PASSPHRASE)  # migrates, after one good safety copy
    good_copies = sorted(p.name for p in book.folder.safety_copies.iterdir())
    assert len(good_copies) == 1
    command.downgrade(_alembic_config(book.engine), "0001")
    book.close()
    with sqlite3.connect(book.folder.database) as raw:  # damage a customers page, leave the schema readable
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
        root_page = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'customers'").fetchone()[0]
    raw.close()
    data = bytearray(book.folder.database.read_bytes())
    start = (root_page - 1) * page_size
    data[start : start + page_size] = b"\xff" * page_size
    book.folder.database.write_bytes(bytes(data))

    with pytest.raises(DamagedFile, match="damaged"):
        book.unlock(PASSPHRASE)
    assert sorted(p.name for p in book.folder.safety_copies.iterdir()) == good_copies
    assert current_revision(book.engine) == "0001"  # not migrated


# --- a locked database ---------------------------------------------------------------------------------------


@pytest.fixture
def impatient(book: CustomerBook) -> CustomerBook:
    """The book reopened on an engine that waits only 50 ms for another program's lock, with a customer."""
    book.close()
    book._engine = create_sqlite_engine(book.folder.database, busy_timeout_ms=50)
    book.unlock(PASSPHRASE)
    book.customer = book.save_customer(CustomerDraft(name="Ana Souza"))  # type: ignore[attr-defined]
    book.consent.record(book.customer.id, "surveys", True, VERBAL, "v1 test", "Owner")  # type: ignore[attr-defined]
    return book


Write = Callable[[CustomerBook, str], Any]

WRITES: dict[str, Write] = {
    "consent": lambda b, cid: b.consent.record(cid, "marketing_email", True, VERBAL, "v1 test", "Owner"),
    "evidence": lambda b, cid: b.consent.attach_evidence(
        cid, "sheet.pdf", b"%PDF-" + b"x" * 300_000, "application/pdf"
    ),
    "visit": lambda b, cid: b.visits.record(cid, VisitKind.SERVICE, note="fixed the kettle " * 1000),
    "setting": lambda b, _cid: b.settings.set("test/blob", {"padding": "x" * 100_000}),
    "audit": lambda b, cid: b.audit.record("export", cid, {"rows": 1, "padding": "x" * 100_000}),
}


def _what_is_stored(book: CustomerBook) -> dict[str, object]:
    customer_id = book.customer.id  # type: ignore[attr-defined]
    with book.engine.connect() as connection:
        evidence = connection.exec_driver_sql("SELECT count(*) FROM consent_evidence").scalar_one()
    return {
        "events": [e.id for e in book.consent.events(customer_id)],
        "anchor": book.settings.get(ANCHOR_KEY),
        "evidence": evidence,
        "visits": book.visits.for_customer(customer_id),
        "setting": book.settings.get("test/blob"),
        "audit": [entry["id"] for entry in book.audit.entries()],
    }


@pytest.mark.parametrize("write", list(WRITES))
def test_a_database_locked_by_another_program_refuses_the_write_plainly(impatient: CustomerBook, write: str) -> None:
    book = impatient
    before = _what_is_stored(book)
    other = sqlite3.connect(book.folder.database, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock past our busy timeout
    try:
        with pytest.raises(StorageError, match="busy") as caught:
            WRITES[write](book, book.customer.id)  # type: ignore[attr-defined]
    finally:
        other.rollback()
        other.close()
    assert "Nothing was saved" in str(caught.value)
    assert _what_is_stored(book) == before
    assert book.consent.verify() == []
    book.lock()
    book.unlock(PASSPHRASE)  # the chain still ends at its anchor
    WRITES[write](book, book.customer.id)  # type: ignore[attr-defined]  # and the same write works once free
    assert _what_is_stored(book) != before


@pytest.mark.parametrize("write", ["evidence", "visit", "setting", "audit"])
def test_a_full_disk_refuses_the_write_plainly(impatient: CustomerBook, write: str) -> None:
    book = impatient
    before = _what_is_stored(book)
    with book.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()

    def no_room_to_grow(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # SQLite's own "database or disk is full" (SQLITE_FULL), as a full disk gives it.
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(book.engine, "connect", no_room_to_grow)
    book.engine.dispose()
    try:
        with pytest.raises(StorageError, match="disk is full"):
            WRITES[write](book, book.customer.id)  # type: ignore[attr-defined]
    finally:
        event.remove(book.engine, "connect", no_room_to_grow)
        book.engine.dispose()
    assert _what_is_stored(book) == before
    assert book.consent.verify() == []


def test_a_full_disk_while_moving_the_anchor_leaves_no_event_behind(impatient: CustomerBook) -> None:
    book = impatient
    customer_id = book.customer.id  # type: ignore[attr-defined]
    before = _what_is_stored(book)
    statements: list[str] = []

    def full_at_the_anchor(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.lstrip().upper())
        if statements[-1].startswith("INSERT INTO SETTINGS"):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(book.engine, "before_cursor_execute", full_at_the_anchor)
    try:
        with pytest.raises(StorageError, match="disk is full"):
            book.consent.record(customer_id, "marketing_email", True, VERBAL, "v1 test", "Owner")
    finally:
        event.remove(book.engine, "before_cursor_execute", full_at_the_anchor)
    # The event row went in first; the failed anchor took it back with it.
    assert any(statement.startswith("INSERT INTO CONSENT_EVENTS") for statement in statements)
    assert _what_is_stored(book) == before
    assert book.consent.verify() == []
    book.lock()
    book.unlock(PASSPHRASE)
    assert book.desk.granted(customer_id) == frozenset({"surveys"})


def test_the_shared_helper_words_each_operational_error() -> None:
    def raised(message: str) -> str:
        with pytest.raises(StorageError) as caught, storage_errors():
            raise sqlite3.OperationalError(message)
        return str(caught.value)

    assert "busy" in raised("database is locked")
    assert "disk is full" in raised("database or disk is full")
    assert "read-only" in raised("attempt to write a readonly database")
    assert "disk I/O error" in raised("disk I/O error")
    assert explain_operational_error(sqlite3.OperationalError("database is locked")) == raised("database is busy")
    with pytest.raises(DamagedFile), storage_errors():
        raise sqlite3.DatabaseError("database disk image is malformed")
    with pytest.raises(sqlite3.IntegrityError), storage_errors():  # not a storage problem: passes through
        raise sqlite3.IntegrityError("consent_events is append-only")


def test_the_engine_takes_an_explicit_busy_timeout(tmp_path: Path) -> None:
    engine = create_sqlite_engine(tmp_path / "t.db", busy_timeout_ms=75)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 75
    engine.dispose()
