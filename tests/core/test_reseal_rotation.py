"""Format 2 binds owner and revision and pads; old books move to it; a rotation moves the book to a new data key.

Every test attacks or reads the real database file, and the rotation tests hold on to an *old* vault.json, the
way a thief with an old backup would.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path

import pytest

import core.storage.reseal as reseal_module
from core.backup import open_backup
from core.book import CustomerBook
from core.consent.events import ConsentMethod
from core.customers.profiling import AnswerStatus
from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from core.errors import TamperedRecord, WrongPassphrase
from core.keys import vault
from core.keys.crypto import FAST_TEST_KDF
from core.storage.data_folder import DataFolder
from core.storage.records import RecordCipher
from tests.conftest import PASSPHRASE
from tests.core.test_backup_golden import DATA, GOLDEN_PASSPHRASE

VERBAL = ConsentMethod.VERBAL


def _stock(book: CustomerBook, count: int = 12) -> list[str]:
    ids = []
    for n in range(count):
        customer = book.save_customer(CustomerDraft(name=f"Person {n}", phones=[f"+1 202 555 01{n:02d}"]))
        book.visits.record(customer.id, VisitKind.PURCHASE, note=f"bought thing {n}")
        book.profile.record(customer.id, "birthday", AnswerStatus.ANSWERED, "1990-01-01")
        book.desk.set_consent(customer.id, "surveys", n % 2 == 0, VERBAL)
        book.audit.record("looked_up", customer.id, {"n": n})
        ids.append(customer.id)
    return ids


def _everything(book: CustomerBook) -> dict[str, object]:
    """All a person could read back, to compare before and after a re-seal."""
    out: dict[str, object] = {}
    for c in book.customers.iter_all(with_notes=True):
        out[c.id] = (
            c.name, c.phones, c.notes,
            [v.note for v in book.visits.for_customer(c.id)],
            {k: a.value for k, a in book.profile.answers(c.id).items()},
            sorted(book.consent.granted_purposes(c.id)),
        )  # fmt: skip
    out["settings/shop"] = book.settings.get("shop")
    out["audit"] = [(e["action"], e["customer_id"], e["details"]) for e in book.audit.entries("looked_up")]
    assert book.audit.verify() == []
    return out


def test_a_child_row_moved_to_another_customer_no_longer_opens(book: CustomerBook) -> None:
    adult, child = _stock(book, 2)
    with book.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE profile_answers SET customer_id = ? WHERE customer_id = ?", (child, adult))
        connection.exec_driver_sql("UPDATE visits SET customer_id = ? WHERE customer_id = ?", (child, adult))
    with pytest.raises(TamperedRecord):
        book.profile.answers(child)
    with pytest.raises(TamperedRecord):
        book.visits.for_customer(child)


def test_an_older_revisions_value_does_not_open_under_the_current_revision(book: CustomerBook) -> None:
    first = book.save_customer(CustomerDraft(name="Old Name"))
    with book.engine.connect() as connection:
        old = connection.exec_driver_sql("SELECT name FROM customers WHERE id = ?", (first.id,)).scalar_one()
    book.save_customer(CustomerDraft(name="New Name"), existing=first)
    with book.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE customers SET name = ? WHERE id = ?", (old, first.id))
    with pytest.raises(TamperedRecord):
        book.customers.get(first.id)


def test_sealed_values_come_in_size_buckets(book: CustomerBook) -> None:
    sizes = set()
    for length in range(1, 16):
        customer = book.save_customer(CustomerDraft(name="N" * length))
        with book.engine.connect() as connection:
            sizes.add(len(connection.exec_driver_sql("SELECT name FROM customers WHERE id=?", (customer.id,)).scalar()))
    assert len(sizes) == 1  # 1 to 15 characters: one 16-byte bucket, so the length says nothing


def test_a_book_from_before_format_2_moves_to_it(tmp_path: Path) -> None:
    key = (DATA / "backup-v1.key.txt").read_text().strip()
    book = CustomerBook(DataFolder(tmp_path / "data"))
    book.restore(open_backup(DATA / "backup-v1.age", key))
    book.unlock(GOLDEN_PASSPHRASE)
    assert book.reseal_pending()
    before = _everything(book)
    report = book.reseal(lambda _f: None, lambda: False)
    assert report.finished
    assert not book.reseal_pending()
    assert _everything(book) == before
    header = vault.VaultHeader.from_bytes(book.folder.vault.read_bytes())
    assert [(s.key, s.format) for s in header.seal_specs()] == [(1, 2)]
    book.close()
    again = CustomerBook(DataFolder(tmp_path / "data"))
    again.unlock(GOLDEN_PASSPHRASE)
    assert _everything(again) == before
    again.close()


def test_rotation_moves_everything_and_an_old_vault_opens_nothing_new(book: CustomerBook) -> None:
    _stock(book)
    old_vault = book.folder.vault.read_bytes()
    old_recovery = book.setup_result.recovery_key  # type: ignore[attr-defined]
    before = _everything(book)
    rotated = book.rotate_key(PASSPHRASE, FAST_TEST_KDF)
    after_rotation = book.save_customer(CustomerDraft(name="Added After Rotation"))
    report = book.reseal(lambda _f: None, lambda: False)
    assert report.finished
    assert book.consent.verify() == []
    now = _everything(book)
    assert {k: v for k, v in now.items() if k != after_rotation.id} == before
    header = vault.VaultHeader.from_bytes(book.folder.vault.read_bytes())
    assert header.retired_keys == b""
    assert len(header.seal_specs()) == 1
    assert header.backup_recipient != vault.VaultHeader.from_bytes(old_vault).backup_recipient
    folder = book.folder
    book.close()

    # A thief with the old vault.json and the old passphrase: the old key opens no row any more.
    old_header = vault.VaultHeader.from_bytes(old_vault)
    old_keys = vault.open_with_passphrase(old_header, PASSPHRASE)
    old_cipher = RecordCipher.for_book(old_keys, old_header)
    with sqlite3.connect(folder.database) as connection:
        rows = connection.execute("SELECT id, key_version, revision, name FROM customers").fetchall()
    for row_id, version, revision, name in rows:
        with pytest.raises(TamperedRecord):
            old_cipher.open_text("customers", row_id, "name", name, version, revision=revision)

    reopened = CustomerBook(folder)
    with pytest.raises(WrongPassphrase):
        reopened.unlock_with_recovery_key(old_recovery)
    reopened.unlock_with_recovery_key(rotated.recovery_key)
    assert reopened.index.search("Added After Rotation").rows
    reopened.close()


def test_a_wrong_current_passphrase_changes_nothing(book: CustomerBook) -> None:
    vault_before = book.folder.vault.read_bytes()
    with pytest.raises(WrongPassphrase):
        book.rotate_key("not the passphrase at all", FAST_TEST_KDF)
    assert book.folder.vault.read_bytes() == vault_before


def test_a_cancelled_rotation_resumes_and_locking_stops_it(book: CustomerBook, monkeypatch) -> None:
    monkeypatch.setattr(reseal_module, "BATCH", 3)
    _stock(book)
    book.rotate_key(PASSPHRASE, FAST_TEST_KDF)
    calls = []
    report = book.reseal(lambda f: calls.append(f), lambda: len(calls) >= 2)
    assert report.cancelled
    assert book.reseal_pending()
    folder = book.folder
    book.close()
    reopened = CustomerBook(folder)
    reopened.unlock(PASSPHRASE)  # mixed seal versions open
    assert reopened.consent.verify() == []
    assert reopened.reseal(lambda _f: None, lambda: False).finished
    assert not reopened.reseal_pending()
    reopened.close()


def _reseal_killed_after(folder_root: Path, batches: int) -> None:
    """In a forked child: unlock, reseal, SIGKILL right after the `batches`-th committed batch."""
    pid = os.fork()
    if pid == 0:
        try:
            reseal_module.BATCH = 3
            real_simple, count = reseal_module._reseal_batch, [0]

            def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
                result = real_simple(*args, **kwargs)
                count[0] += 1
                if count[0] == batches:
                    os.kill(os.getpid(), signal.SIGKILL)
                return result

            reseal_module._reseal_batch = counted
            from core.consent.rechain import LedgerReseal

            real_chain = LedgerReseal.reseal_next

            def counted_chain(self, cipher, limit):  # type: ignore[no-untyped-def]
                result = real_chain(self, cipher, limit)
                count[0] += 1
                if count[0] == batches:
                    os.kill(os.getpid(), signal.SIGKILL)
                return result

            LedgerReseal.reseal_next = counted_chain  # type: ignore[method-assign]
            book = CustomerBook(DataFolder(folder_root))
            book.unlock(PASSPHRASE)
            book.reseal(lambda _f: None, lambda: False)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def test_a_rotation_killed_after_any_batch_loses_nothing(book: CustomerBook) -> None:
    _stock(book, 8)
    before = _everything(book)
    book.rotate_key(PASSPHRASE, FAST_TEST_KDF)
    folder = book.folder
    book.close()
    template = folder.root.with_name("template")
    import shutil

    shutil.copytree(folder.root, template)
    for batches in range(1, 40, 3):
        shutil.rmtree(folder.root)
        shutil.copytree(template, folder.root)
        _reseal_killed_after(folder.root, batches)
        reopened = CustomerBook(folder)
        reopened.unlock(PASSPHRASE)
        assert reopened.consent.verify() == [], f"after {batches} batches"
        assert _everything(reopened) == before
        assert reopened.reseal(lambda _f: None, lambda: False).finished
        assert _everything(reopened) == before
        reopened.close()
    shutil.rmtree(template)


def test_the_vault_lists_every_seal_version_in_use_until_the_move_ends(book: CustomerBook) -> None:
    _stock(book, 3)
    book.rotate_key(PASSPHRASE, FAST_TEST_KDF)
    body = json.loads(book.folder.vault.read_text())
    assert [s["version"] for s in body["seals"]] == [1, 2]
    assert body["retired_keys"]
    book.reseal(lambda _f: None, lambda: False)
    body = json.loads(book.folder.vault.read_text())
    assert [s["version"] for s in body["seals"]] == [2]


@pytest.mark.parametrize("where", ["before the new vault", "after the new vault, before the ledger moved"])
def test_a_rotation_killed_while_the_owner_waits_loses_nothing(book: CustomerBook, where: str) -> None:
    from core.consent.rechain import LedgerReseal
    from core.storage.key_file import KeyFile

    _stock(book, 4)
    before = _everything(book)
    folder = book.folder
    book.close()
    pid = os.fork()
    if pid == 0:
        try:

            def die(*_args: object, **_kwargs: object) -> None:
                os.kill(os.getpid(), signal.SIGKILL)

            if where.startswith("before"):
                KeyFile._write = die  # type: ignore[method-assign]
            else:
                LedgerReseal.reseal_all = die  # type: ignore[method-assign,assignment]
            child = CustomerBook(folder)
            child.unlock(PASSPHRASE)
            child.rotate_key(PASSPHRASE, FAST_TEST_KDF)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status)
    reopened = CustomerBook(folder)
    reopened.unlock(PASSPHRASE)  # the ledger moves here if the kill came after the new vault
    assert reopened.consent.verify() == []
    assert _everything(reopened) == before
    assert reopened.reseal(lambda _f: None, lambda: False).finished
    assert _everything(reopened) == before
    reopened.close()
