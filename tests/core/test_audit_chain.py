"""The audit log is append-only and chained like the consent ledger. Each attack here is made on the real file
with sqlite3 while the book is closed, triggers dropped first as an attacker would: a change to the last entry
stops the unlock (AuditTampered), an older one is found by verify() and refused by entries()."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert

from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.errors import TamperedRecord
from core.storage.audit import ANCHOR_KEY, TABLE, AuditTampered
from core.storage.engine import _alembic_config, create_sqlite_engine
from core.storage.ids import new_id, utc_now
from core.storage.schema import audit_events, metadata
from tests.conftest import PASSPHRASE


@pytest.fixture
def four(book: CustomerBook) -> CustomerBook:
    """A book with four audit entries (seq 1–4), the second about a customer."""
    customer = book.save_customer(CustomerDraft(name="Audit Ada"))
    book.audit.record("marketing_export", details={"purpose": "surveys", "rows": 3})
    book.audit.record("notice_given", customer.id, {"version": "v1", "staff": "Owner"})
    book.audit.record("passphrase_changed")
    book.audit.record("marketing_export", details={"purpose": "marketing_post", "rows": 1})
    return book


@contextmanager
def _closed_and_attacked(book: CustomerBook) -> Iterator[sqlite3.Connection]:
    """The book closed, then a second program on its database file with the append-only triggers dropped."""
    book.close()
    raw = sqlite3.connect(book.folder.database)
    raw.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    raw.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    try:
        yield raw
        raw.commit()
    finally:
        raw.close()


def _refused_at_unlock(book: CustomerBook) -> str:
    with pytest.raises(AuditTampered) as caught:
        book.unlock(PASSPHRASE)
    assert not book.is_unlocked
    message = str(caught.value)
    assert message.startswith("The audit log (Counterpart's record of exports")
    assert message.endswith("Restore the customer book from a backup.")
    return message


def _problems_after_unlock(book: CustomerBook) -> list[str]:
    book.unlock(PASSPHRASE)  # the tail is intact: unlock goes through, the background check finds the rest
    return book.audit.verify()


def test_an_untouched_log_verifies_and_its_anchor_follows_the_last_entry(four: CustomerBook) -> None:
    book = four
    assert book.settings.get(ANCHOR_KEY)["seq"] == 4
    book.close()
    book.unlock(PASSPHRASE)
    assert book.audit.verify() == []
    entries = book.audit.entries()
    actions = [e["action"] for e in entries]
    assert actions == ["marketing_export", "notice_given", "passphrase_changed", "marketing_export"]
    assert entries[0]["details"] == {"purpose": "surveys", "rows": 3}  # the chain's marker is not handed out
    assert [e["action"] for e in book.audit.entries("notice_given")] == ["notice_given"]
    book.audit.record("notice_given")
    assert book.settings.get(ANCHOR_KEY)["seq"] == 5
    assert book.audit.verify() == []


def test_triggers_refuse_update_and_delete(four: CustomerBook) -> None:
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"), four.engine.begin() as connection:
            connection.exec_driver_sql(statement)
    assert len(four.audit.entries()) == 4


def test_deleting_a_customer_keeps_their_audit_entries_intact(four: CustomerBook) -> None:
    customer = next(four.customers.iter_all())
    four.customers.delete(customer.id)  # the foreign key's SET NULL would have been an update of a sealed row
    assert four.audit.entries("notice_given")[0]["customer_id"] == customer.id
    assert four.audit.verify() == []


def test_a_deleted_entry_is_found_by_verify(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute("DELETE FROM audit_events WHERE seq = 1")
    problems = _problems_after_unlock(four)
    assert problems == ["Audit log entry 2: an entry before it is missing or out of order."]


def test_a_deleted_entry_just_before_the_last_stops_unlock(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute("DELETE FROM audit_events WHERE seq = 3")
    assert "entries are missing or out of order" in _refused_at_unlock(four)


def test_deleting_the_last_entry_stops_unlock(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute("DELETE FROM audit_events WHERE seq = 4")
    assert "entries are missing or out of order" in _refused_at_unlock(four)


def test_an_edited_action_is_found_by_verify_and_refused_by_entries(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute("UPDATE audit_events SET action = 'passphrase_changed' WHERE seq = 1")
    assert _problems_after_unlock(four) == ["Audit log entry 1: it was changed after it was recorded."]
    with pytest.raises(TamperedRecord) as caught:
        four.audit.entries()
    assert (caught.value.table, caught.value.field) == (TABLE, "mac")


@pytest.mark.parametrize("column", ["action", "at", "customer_id"])
def test_an_edit_to_the_last_entry_stops_unlock(four: CustomerBook, column: str) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute(f"UPDATE audit_events SET {column} = 'edited' WHERE seq = 4")
    assert "its latest entry was altered" in _refused_at_unlock(four)


def test_edited_details_ciphertext_is_found_by_verify(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        (sealed,) = raw.execute("SELECT details FROM audit_events WHERE seq = 2").fetchone()
        raw.execute("UPDATE audit_events SET details = ? WHERE seq = 2", (sealed[:-1] + bytes([sealed[-1] ^ 1]),))
    assert _problems_after_unlock(four) == ["Audit log entry 2: it was changed after it was recorded."]
    with pytest.raises(TamperedRecord):
        four.audit.entries()


def test_swapped_entries_are_found_by_verify(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute("UPDATE audit_events SET seq = -1 WHERE seq = 1")
        raw.execute("UPDATE audit_events SET seq = 1 WHERE seq = 2")
        raw.execute("UPDATE audit_events SET seq = 2 WHERE seq = -1")
    problems = _problems_after_unlock(four)
    assert "Audit log entry 1: it was changed after it was recorded." in problems
    assert "Audit log entry 2: an entry before it is missing or out of order." in problems
    assert "Audit log entry 3: an entry before it is missing or out of order." in problems


def test_swapping_the_last_entry_stops_unlock(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute("UPDATE audit_events SET seq = -1 WHERE seq = 3")
        raw.execute("UPDATE audit_events SET seq = 3 WHERE seq = 4")
        raw.execute("UPDATE audit_events SET seq = 4 WHERE seq = -1")
    assert "its latest entry was altered" in _refused_at_unlock(four)


def _copy_anchor_from(older: Path, raw: sqlite3.Connection) -> None:
    with sqlite3.connect(older) as old:
        row = old.execute("SELECT key, key_version, value, updated_at FROM settings WHERE key = ?", (ANCHOR_KEY,))
        raw.execute("INSERT OR REPLACE INTO settings VALUES (?, ?, ?, ?)", row.fetchone())
    old.close()


def _copy_before_the_last_append(book: CustomerBook, tmp_path: Path) -> Path:
    """Record two entries, keep a copy of the file taken before the second, return the copy."""
    book.audit.record("marketing_export", details={"rows": 1})
    book.close()  # the WAL is folded into the file, so the copy is whole
    older = tmp_path / "older.db"
    shutil.copyfile(book.folder.database, older)
    book.unlock(PASSPHRASE)
    book.audit.record("marketing_export", details={"rows": 2})
    return older


def test_an_older_anchor_copied_back_without_deleting_is_caught(book: CustomerBook, tmp_path: Path) -> None:
    older = _copy_before_the_last_append(book, tmp_path)
    with _closed_and_attacked(book) as raw:
        _copy_anchor_from(older, raw)
    assert "entries are missing or out of order" in _refused_at_unlock(book)


def test_two_entries_deleted_under_an_anchor_one_entry_older_are_caught(book: CustomerBook, tmp_path: Path) -> None:
    older = _copy_before_the_last_append(book, tmp_path)
    with _closed_and_attacked(book) as raw:
        raw.execute("DELETE FROM audit_events WHERE seq >= 1")
        _copy_anchor_from(older, raw)
    assert "entries are missing or out of order" in _refused_at_unlock(book)


def test_the_last_entry_deleted_and_the_anchor_copied_back_from_just_before_it(
    book: CustomerBook, tmp_path: Path
) -> None:
    """The chain and its anchor agree again, byte for byte as in the older copy; the book's fingerprint
    (core/storage/book_state.py) still counts one entry more than the table holds."""
    older = _copy_before_the_last_append(book, tmp_path)
    with _closed_and_attacked(book) as raw:
        raw.execute("DELETE FROM audit_events WHERE seq = 2")
        _copy_anchor_from(older, raw)
    assert _problems_after_unlock(book) == []  # the chain alone cannot tell
    reopened = CustomerBook(book.folder)
    reopened.unlock(PASSPHRASE)
    assert reopened._require().state.verify(reopened.engine) == [
        "1 audit log entries missing: deleted outside Counterpart."
    ]
    reopened.close()


def test_a_deleted_anchor_stops_unlock(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute("DELETE FROM settings WHERE key = ?", (ANCHOR_KEY,))
    assert "the seal on its latest entry is missing or altered" in _refused_at_unlock(four)


def test_an_altered_anchor_stops_unlock(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        (sealed,) = raw.execute("SELECT value FROM settings WHERE key = ?", (ANCHOR_KEY,)).fetchone()
        raw.execute("UPDATE settings SET value = ? WHERE key = ?", (sealed[:-1] + bytes([sealed[-1] ^ 1]), ANCHOR_KEY))
    assert "the seal on its latest entry is missing or altered" in _refused_at_unlock(four)


def _unsealed_row(seq: int) -> tuple[object, ...]:
    return (new_id(), utc_now(), "marketing_export", None, 1, b"\x00" * 40, seq)


def test_an_unsealed_entry_added_at_the_end_stops_unlock(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute(
            "INSERT INTO audit_events (id, at, action, customer_id, key_version, details, seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            _unsealed_row(5),
        )
    assert "an entry was added without Counterpart's seal" in _refused_at_unlock(four)


def test_an_unsealed_entry_slipped_in_is_found_by_verify(four: CustomerBook) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute(
            "INSERT INTO audit_events (id, at, action, customer_id, key_version, details, seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            _unsealed_row(0),
        )
    assert "Audit log entry 0: it was added without Counterpart's seal." in _problems_after_unlock(four)


def test_blanked_seals_and_a_deleted_anchor_do_not_pass_for_a_log_from_before_the_chain(
    four: CustomerBook,
) -> None:
    with _closed_and_attacked(four) as raw:
        raw.execute("UPDATE audit_events SET prev_mac = NULL, mac = NULL")
        raw.execute("DELETE FROM settings WHERE key = ?", (ANCHOR_KEY,))
    assert "the seal on its latest entry is missing or altered" in _refused_at_unlock(four)


def _append_as_before_the_chain(book: CustomerBook, action: str, at: str) -> None:
    """What AuditLog.record wrote before the chain existed: sealed details, no marker, no MAC, no anchor
    (seq as migration 0003 numbers them)."""
    cipher = book.audit._cipher
    event_id = new_id()
    details = cipher.seal_json(TABLE, event_id, "details", {"by": "Owner"})
    with book.engine.begin() as connection:
        seq = connection.exec_driver_sql("SELECT coalesce(max(seq), 0) + 1 FROM audit_events").scalar()
        connection.execute(
            insert(audit_events).values(
                id=event_id, at=at, action=action, key_version=cipher.key_version, details=details, seq=seq
            )
        )


def test_a_log_from_before_the_chain_is_chained_once_at_unlock(book: CustomerBook) -> None:
    for n, action in enumerate(("marketing_export", "notice_given", "passphrase_changed")):
        _append_as_before_the_chain(book, action, f"2026-11-0{n + 1}T10:00:00.000000+00:00")
    assert book.settings.get(ANCHOR_KEY) is None
    book.close()
    book.unlock(PASSPHRASE)
    assert book.settings.get(ANCHOR_KEY)["seq"] == 3
    assert book.audit.verify() == []
    assert [e["details"] for e in book.audit.entries()] == [{"by": "Owner"}] * 3
    book.audit.record("notice_given")  # appends onto the chained head
    book.close()
    book.unlock(PASSPHRASE)
    assert book.audit.verify() == []
    with _closed_and_attacked(book) as raw:  # from now on the chained rows are held to their MACs
        raw.execute("UPDATE audit_events SET action = 'notice_given' WHERE seq = 1")
    assert _problems_after_unlock(book) == ["Audit log entry 1: it was changed after it was recorded."]


def test_an_append_after_a_deleted_last_entry_is_refused_and_writes_nothing(four: CustomerBook) -> None:
    anchor = four.settings.get(ANCHOR_KEY)
    with sqlite3.connect(four.folder.database) as raw:  # while the book is open
        raw.execute("DROP TRIGGER audit_events_no_delete")
        raw.execute("DELETE FROM audit_events WHERE seq = 4")
    raw.close()
    with pytest.raises(AuditTampered, match="entries are missing"):
        four.audit.record("notice_given")
    assert four.settings.get(ANCHOR_KEY) == anchor
    assert len(four.audit.entries()) == 3


def test_migration_0003_numbers_old_entries_by_time_and_matches_the_tables(tmp_path: Path) -> None:
    engine = create_sqlite_engine(tmp_path / "old.db")
    config = _alembic_config(engine)
    command.upgrade(config, "0002")
    old_rows = [("b", "2026-11-02"), ("z", "2026-11-01"), ("a", "2026-11-02")]
    with engine.begin() as connection:
        for event_id, at in old_rows:
            connection.exec_driver_sql(
                "INSERT INTO audit_events (id, at, action, key_version, details) VALUES (?, ?, 'x', 1, x'00')",
                (event_id, at),
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        ordered = connection.exec_driver_sql("SELECT id, seq, mac FROM audit_events ORDER BY seq").all()
        assert [tuple(row) for row in ordered] == [("z", 1, None), ("a", 2, None), ("b", 3, None)]
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    engine.dispose()
