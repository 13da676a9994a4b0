"""Rows deleted, brought back or rolled back behind Counterpart's back are found; so is a database put back from an
earlier session. Every attack edits the real file with sqlite3 while the book is closed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from core.book import CustomerBook
from core.consent.events import ConsentMethod
from core.customers.profiling import AnswerStatus
from core.customers.store import CustomerDraft
from core.keys.crypto import FAST_TEST_KDF
from core.storage.book_state import STATE_KEY, BookRolledBack
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE

VERBAL = ConsentMethod.VERBAL


def _reopened(folder: DataFolder) -> CustomerBook:
    book = CustomerBook(folder)
    book.unlock(PASSPHRASE)
    return book


def _problems(folder: DataFolder) -> list[str]:
    book = _reopened(folder)
    try:
        return book.state_check()()
    finally:
        book.close()


def _raw(folder: DataFolder) -> sqlite3.Connection:
    connection = sqlite3.connect(folder.database)
    for table in ("consent_events", "audit_events"):
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name=?", (table,)
        ):
            connection.execute(f'DROP TRIGGER "{name}"')  # as an attacker with a database tool would
    return connection


@pytest.fixture
def stocked(book: CustomerBook) -> tuple[DataFolder, list[str]]:
    ids = []
    for n in range(4):
        customer = book.save_customer(CustomerDraft(name=f"Person {n}"))
        book.profile.record(customer.id, "birthday", AnswerStatus.ANSWERED, "1990-01-01")
        book.desk.set_consent(customer.id, "surveys", True, VERBAL)
        ids.append(customer.id)
    folder = book.folder
    book.close()
    return folder, ids


def test_an_untouched_book_is_whole_after_every_kind_of_write(stocked: tuple[DataFolder, list[str]]) -> None:
    folder, ids = stocked
    book = _reopened(folder)
    existing = book.customers.get(ids[0])
    assert existing is not None
    book.save_customer(CustomerDraft(name="Renamed"), existing=existing)
    book.customers.delete(ids[1])
    book.audit.record("looked_up", ids[2])
    book.close()
    assert _problems(folder) == []


def test_a_deleted_customer_is_found(stocked: tuple[DataFolder, list[str]]) -> None:
    folder, ids = stocked
    with _raw(folder) as raw:
        raw.execute("DELETE FROM customers WHERE id = ?", (ids[0],))
    assert _problems(folder) == ["1 customer records missing: deleted outside Counterpart."]


def test_a_deleted_answer_is_found(stocked: tuple[DataFolder, list[str]]) -> None:
    folder, ids = stocked
    with _raw(folder) as raw:
        raw.execute("DELETE FROM profile_answers WHERE customer_id = ?", (ids[0],))
    assert _problems(folder) == ["1 answers missing: deleted outside Counterpart."]


def test_a_customer_brought_back_is_found(stocked: tuple[DataFolder, list[str]]) -> None:
    folder, ids = stocked
    with sqlite3.connect(folder.database) as raw:
        old = raw.execute("SELECT * FROM customers WHERE id = ?", (ids[0],)).fetchone()
    book = _reopened(folder)
    book.customers.delete(ids[0])
    book.close()
    with _raw(folder) as raw:
        raw.execute(f"INSERT INTO customers VALUES ({', '.join('?' * len(old))})", old)
    assert _problems(folder) == ["1 customer records more than Counterpart wrote: added or brought back."]


def test_a_customer_rolled_back_to_an_older_revision_is_found(stocked: tuple[DataFolder, list[str]]) -> None:
    folder, ids = stocked
    with sqlite3.connect(folder.database) as raw:
        old = raw.execute("SELECT revision, key_version, name, contacts, notes FROM customers WHERE id = ?", (ids[0],))
        old_row = old.fetchone()
    book = _reopened(folder)
    existing = book.customers.get(ids[0])
    assert existing is not None
    book.save_customer(CustomerDraft(name="New name"), existing=existing)
    book.close()
    with _raw(folder) as raw:  # the whole older row back: every value opens, since each matches its revision
        raw.execute(
            "UPDATE customers SET revision=?, key_version=?, name=?, contacts=?, notes=? WHERE id=?", (*old_row, ids[0])
        )
    assert _problems(folder) == ["Some customer records were replaced by older or other copies."]


def test_the_last_withdrawal_deleted_and_its_anchor_copied_back_is_found(stocked: tuple[DataFolder, list[str]]) -> None:
    """The review's attack: the newest consent event removed, the ledger's seal copied from a copy made just
    before it. The chain and its anchor agree again; the book's fingerprint does not."""
    folder, ids = stocked
    book = _reopened(folder)
    with sqlite3.connect(folder.database) as raw:
        (anchor,) = raw.execute("SELECT value FROM settings WHERE key = 'consent/anchor'").fetchone()
        (version,) = raw.execute("SELECT key_version FROM settings WHERE key = 'consent/anchor'").fetchone()
    book.desk.set_consent(ids[0], "surveys", False, VERBAL)  # the withdrawal
    book.close()
    with _raw(folder) as raw:
        raw.execute("DELETE FROM consent_events WHERE seq = (SELECT MAX(seq) FROM consent_events)")
        raw.execute("UPDATE settings SET value = ?, key_version = ? WHERE key = 'consent/anchor'", (anchor, version))
    assert _problems(folder) == ["1 consent events missing: deleted outside Counterpart."]


def test_a_database_from_an_earlier_session_is_refused(stocked: tuple[DataFolder, list[str]], tmp_path: Path) -> None:
    folder, _ids = stocked
    shutil.copy(folder.database, tmp_path / "earlier.db")  # e.g. what safety-copies/ holds
    _reopened(folder).close()  # a later session
    shutil.copy(tmp_path / "earlier.db", folder.database)
    for suffix in ("-wal", "-shm"):
        Path(str(folder.database) + suffix).unlink(missing_ok=True)
    book = CustomerBook(folder)
    with pytest.raises(BookRolledBack, match="older than its key file"):
        book.unlock(PASSPHRASE)
    assert not book.is_unlocked


def test_the_state_record_deleted_is_refused(stocked: tuple[DataFolder, list[str]]) -> None:
    folder, _ids = stocked
    with _raw(folder) as raw:
        raw.execute("DELETE FROM settings WHERE key = ?", (STATE_KEY,))
    with pytest.raises(BookRolledBack, match="missing"):
        CustomerBook(folder).unlock(PASSPHRASE)


def test_a_book_from_before_gets_its_state_at_first_unlock(stocked: tuple[DataFolder, list[str]]) -> None:
    import json

    folder, _ids = stocked
    with _raw(folder) as raw:
        raw.execute("DELETE FROM settings WHERE key = ?", (STATE_KEY,))
    # An old key file never had an epoch: set it back to 0, the seal fixed up as an old book would not need.
    book = _reopened_with_epoch_zero(folder)
    assert book.state_check()() == []
    assert json.loads(folder.vault.read_text())["epoch"] >= 1
    book.close()


def _reopened_with_epoch_zero(folder: DataFolder) -> CustomerBook:
    from dataclasses import replace

    from core.keys import vault
    from core.storage.vault_file import write_vault

    header = vault.VaultHeader.from_bytes(folder.vault.read_bytes())
    keys = vault.open_with_passphrase(header, PASSPHRASE)
    write_vault(folder.vault, replace(header, epoch=0), keys)
    return _reopened(folder)


def test_rotation_and_the_move_keep_the_state_whole(stocked: tuple[DataFolder, list[str]]) -> None:
    folder, _ids = stocked
    book = _reopened(folder)
    book.rotate_key(PASSPHRASE, FAST_TEST_KDF)
    assert book.state_check()() == []
    assert book.reseal(lambda _f: None, lambda: False).finished
    assert book.state_check()() == []
    book.close()
    assert _problems(folder) == []


def test_saves_at_the_counter_during_a_background_move_keep_the_state_whole(
    stocked: tuple[DataFolder, list[str]], monkeypatch
) -> None:
    import threading

    import core.storage.reseal as reseal_module

    monkeypatch.setattr(reseal_module, "BATCH", 2)
    folder, ids = stocked
    book = _reopened(folder)
    for n in range(30):
        book.save_customer(CustomerDraft(name=f"Extra {n}"))
    book.rotate_key(PASSPHRASE, FAST_TEST_KDF)
    moving = threading.Thread(target=lambda: book.reseal(lambda _f: None, lambda: False))
    moving.start()
    for round_ in range(20):  # edits and additions while rows move underneath
        existing = book.customers.get(ids[round_ % len(ids)])
        assert existing is not None
        book.save_customer(CustomerDraft(name=f"Edited {round_}"), existing=existing)
        book.save_customer(CustomerDraft(name=f"Added {round_}"))
    moving.join(30)
    book.reseal(lambda _f: None, lambda: False)  # whatever the edits left behind
    assert book.state_check()() == []
    assert not book.reseal_pending()
    book.close()
    assert _problems(folder) == []


def test_a_row_deleted_by_another_program_while_the_book_is_open_is_found_after_the_next_unlock(
    stocked: tuple[DataFolder, list[str]],
) -> None:
    folder, ids = stocked
    book = _reopened(folder)
    with _raw(folder) as raw:  # behind the open book's back
        raw.execute("DELETE FROM customers WHERE id = ?", (ids[0],))
    book.save_customer(CustomerDraft(name="Saved afterwards"))  # Counterpart's own write does not absorb it
    book.close()
    assert _problems(folder) == ["1 customer records missing: deleted outside Counterpart."]
