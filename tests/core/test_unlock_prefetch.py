"""Reading ciphertext while Argon2id runs: it is used when the database is sound and current, skipped
otherwise, reads only, and gives the very index the ordinary path gives."""

from __future__ import annotations

import hashlib
import threading

import pytest

import core.book
from core.book import CustomerBook
from core.customers.store import CustomerDraft, fetch_sealed_contacts
from core.errors import WrongPassphrase
from tests.conftest import PASSPHRASE


@pytest.fixture
def closed_book(book: CustomerBook) -> CustomerBook:
    book.import_customers([CustomerDraft(f"Person {n}", [f"+1 202 555 01{n:02d}"]) for n in range(40)])
    book.close()
    return book


def _watch_fetch(monkeypatch) -> list[str]:
    threads: list[str] = []

    def watched(engine):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return fetch_sealed_contacts(engine)

    monkeypatch.setattr(core.book, "fetch_sealed_contacts", watched)
    return threads


def test_rows_are_read_on_the_prefetch_thread_and_give_the_same_index(closed_book: CustomerBook, monkeypatch) -> None:
    threads = _watch_fetch(monkeypatch)
    closed_book.unlock(PASSPHRASE)
    assert threads == ["counterpart-prefetch"]
    prefetched = closed_book.index.search("person").ids
    assert len(prefetched) == 40
    # The ordinary path's index, from rows it reads itself, is the same.
    closed_book.index.build_from_contacts(closed_book.customers.iter_contacts())
    assert closed_book.index.search("person").ids == prefetched
    assert [row.name for row in closed_book.index.search("2025550107").rows] == ["Person 7"]


def test_a_wrong_passphrase_leaves_the_database_file_untouched(closed_book: CustomerBook) -> None:
    before = hashlib.sha256(closed_book.folder.database.read_bytes()).hexdigest()
    with pytest.raises(WrongPassphrase):
        closed_book.unlock("certainly not the passphrase")
    closed_book.close()
    assert hashlib.sha256(closed_book.folder.database.read_bytes()).hexdigest() == before


def test_no_prefetch_for_a_database_that_needs_a_migration(closed_book: CustomerBook, monkeypatch) -> None:
    import sqlite3

    with sqlite3.connect(closed_book.folder.database) as raw:
        (head,) = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        raw.execute("UPDATE alembic_version SET version_num = ?", ("0001",))
    threads = _watch_fetch(monkeypatch)
    monkeypatch.setattr("core.storage.engine.migrate", lambda *a, **k: None)  # the migration itself is not the point
    monkeypatch.setattr("core.book.migrate", lambda *a, **k: None)
    closed_book.unlock(PASSPHRASE)
    assert "counterpart-prefetch" not in threads  # read by the ordinary path, after the passphrase
    assert len(closed_book.index.search("person").ids) == 40
    assert head != "0001"
