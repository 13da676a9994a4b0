"""The key hierarchy: wraps, typed errors, tamper detection, passphrase change and recovery."""

from __future__ import annotations

import json

import pytest

from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.errors import DamagedFile, TamperedRecord, WrongPassphrase
from core.keys import crypto, vault
from core.keys.crypto import FAST_TEST_KDF, KdfParams
from tests.conftest import PASSPHRASE


def test_aead_round_trip_and_associated_data_binding() -> None:
    aead = crypto.Aead(crypto.new_key())
    sealed = aead.seal(b"Ana Souza", b"customers|abc|name|1")
    assert b"Ana" not in sealed
    assert aead.open(sealed, b"customers|abc|name|1") == b"Ana Souza"
    with pytest.raises(crypto.DecryptionFailed):
        aead.open(sealed, b"customers|abd|name|1")
    assert aead.seal(b"x", b"") != aead.seal(b"x", b""), "every seal uses a fresh nonce"


def test_every_single_byte_tamper_of_a_record_fails(book: CustomerBook) -> None:
    customer = book.save_customer(CustomerDraft(name="Ana Souza", phones=["+1 202 555 0134"]))
    with book.engine.connect() as connection:
        sealed = connection.exec_driver_sql("SELECT name FROM customers WHERE id = ?", (customer.id,)).scalar_one()
    cipher = book.customers._cipher
    assert cipher.open_text("customers", customer.id, "name", sealed, 1, revision=1) == "Ana Souza"
    for position in range(len(sealed)):
        damaged = bytearray(sealed)
        damaged[position] ^= 0x01
        with pytest.raises(TamperedRecord):
            cipher.open_text("customers", customer.id, "name", bytes(damaged), 1, revision=1)


def test_ciphertext_moved_to_another_row_or_field_fails(book: CustomerBook) -> None:
    ana = book.save_customer(CustomerDraft(name="Ana Souza", notes="likes green tea"))
    bo = book.save_customer(CustomerDraft(name="Bo Chen"))
    with book.engine.begin() as connection:
        ana_name = connection.exec_driver_sql("SELECT name FROM customers WHERE id=?", (ana.id,)).scalar_one()
        connection.exec_driver_sql("UPDATE customers SET name=? WHERE id=?", (ana_name, bo.id))
    with pytest.raises(TamperedRecord) as caught:
        book.customers.get(bo.id)
    assert caught.value.row_id == bo.id
    with book.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE customers SET notes=? WHERE id=?", (ana_name, ana.id))
    with pytest.raises(TamperedRecord) as caught:
        book.customers.get(ana.id)
    assert caught.value.field == "notes"


def test_wrong_passphrase_damaged_file_and_tampered_record_are_three_errors(book: CustomerBook) -> None:
    book.save_customer(CustomerDraft(name="Ana Souza"))
    book.lock()
    with pytest.raises(WrongPassphrase) as wrong:
        book.unlock("not the passphrase at all")
    original = book.folder.vault.read_bytes()
    book.folder.vault.write_bytes(original.replace(b'"key_version": 1', b'"key_version": 2'))
    with pytest.raises(DamagedFile) as damaged:
        book.unlock(PASSPHRASE)
    book.folder.vault.write_bytes(original[: len(original) // 2])
    with pytest.raises(DamagedFile):
        book.unlock(PASSPHRASE)
    book.folder.vault.write_bytes(original)
    # A tampered book-wide record (the shop's settings) keeps the book locked; one customer's does not
    # (tests/core/test_damaged_customer.py).
    with book.engine.begin() as connection:
        sealed = connection.exec_driver_sql("SELECT value FROM settings WHERE key = 'shop'").scalar_one()
        connection.exec_driver_sql(
            "UPDATE settings SET value = ? WHERE key = 'shop'", (sealed[:-1] + bytes([sealed[-1] ^ 1]),)
        )
    with pytest.raises(TamperedRecord) as tampered:
        book.unlock(PASSPHRASE)
    assert not book.is_unlocked
    messages = {str(wrong.value), str(damaged.value), str(tampered.value)}
    assert len(messages) == 3
    assert "passphrase" in str(wrong.value)
    assert "not a wrong passphrase" in str(damaged.value)
    assert "integrity" in str(tampered.value)


def test_a_damaged_database_is_told_apart_from_a_damaged_key_file_and_a_wrong_passphrase(book: CustomerBook) -> None:
    book.save_customer(CustomerDraft(name="Ana Souza"))
    book.close()
    good = book.folder.database.read_bytes()
    book.folder.database.write_bytes(good[: len(good) // 2])
    with pytest.raises(WrongPassphrase) as wrong:
        book.unlock("not the passphrase at all")  # the key file is read and checked before the database
    with pytest.raises(DamagedFile) as database:
        book.unlock(PASSPHRASE)
    book.folder.database.write_bytes(good)
    book.folder.vault.write_bytes(book.folder.vault.read_bytes()[:40])
    with pytest.raises(DamagedFile) as key_file:
        book.unlock(PASSPHRASE)
    assert len({str(wrong.value), str(database.value), str(key_file.value)}) == 3
    assert "database file" in str(database.value)
    assert "vault.json" in str(key_file.value)
    assert "passphrase is not right" not in str(database.value)


def test_lowering_the_kdf_cost_in_the_file_is_detected(book: CustomerBook) -> None:
    book.lock()
    body = json.loads(book.folder.vault.read_text())
    body["slots"][0]["kdf"]["iterations"] = 1
    body["slots"][0]["kdf"]["memory_kib"] = 8 * 1024 * 2
    body.pop("checksum")
    body["checksum"] = vault._checksum(body)  # a deliberate forger recomputes the checksum
    book.folder.vault.write_text(json.dumps(body))
    with pytest.raises(WrongPassphrase):
        book.unlock(PASSPHRASE)  # the parameters are bound into the wrap: the unwrap fails


def test_doctored_kdf_cost_is_refused_before_deriving(book: CustomerBook) -> None:
    book.lock()
    body = json.loads(book.folder.vault.read_text())
    body["slots"][0]["kdf"]["memory_kib"] = 64 * 1024 * 1024  # 64 GiB: would hang or exhaust memory
    body.pop("checksum")
    body["checksum"] = vault._checksum(body)
    book.folder.vault.write_text(json.dumps(body))
    with pytest.raises(DamagedFile, match="out of range"):
        book.unlock(PASSPHRASE)


def test_passphrase_change_rewraps_only(book: CustomerBook) -> None:
    ana = book.save_customer(CustomerDraft(name="Ana Souza"))
    with book.engine.connect() as connection:
        before = connection.exec_driver_sql("SELECT name FROM customers").scalar_one()
    book.change_passphrase("a completely new passphrase", FAST_TEST_KDF)
    book.lock()
    with pytest.raises(WrongPassphrase):
        book.unlock(PASSPHRASE)
    book.unlock("a completely new passphrase")
    assert book.get_customer(ana.id).name == "Ana Souza"  # type: ignore[union-attr]
    with book.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT name FROM customers").scalar_one() == before


def test_recovery_key_unlocks_and_forces_a_new_passphrase(book: CustomerBook) -> None:
    recovery = book.setup_result.recovery_key  # type: ignore[attr-defined]
    book.save_customer(CustomerDraft(name="Ana Souza"))
    book.lock()
    book.unlock_with_recovery_key(recovery.lower().replace("-", " "))
    assert book.must_change_passphrase
    assert len(book.index) == 1
    book.change_passphrase("my brand new passphrase here", FAST_TEST_KDF)
    assert not book.must_change_passphrase
    book.lock()
    book.unlock("my brand new passphrase here")
    assert not book.must_change_passphrase


def test_recovery_key_typos_and_foreign_keys_are_told_apart(book: CustomerBook) -> None:
    recovery = book.setup_result.recovery_key  # type: ignore[attr-defined]
    book.lock()
    typo = ("B" if recovery[0] != "B" else "C") + recovery[1:]
    with pytest.raises(WrongPassphrase, match="typo"):
        book.unlock_with_recovery_key(typo)
    other, _ = vault.new_recovery_key()
    with pytest.raises(WrongPassphrase, match="does not belong"):
        book.unlock_with_recovery_key(other)
    with pytest.raises(WrongPassphrase, match="8 groups"):
        book.unlock_with_recovery_key("ABCDE")


def test_kdf_parameters_respect_floor_and_read_caps() -> None:
    params = crypto.calibrate_kdf(target_seconds=0.05, preferred_memory_kib=64 * 1024)
    assert params.memory_kib >= crypto.MIN_MEMORY_KIB
    assert params.iterations >= crypto.MIN_ITERATIONS
    assert params.lanes == 4
    with pytest.raises(ValueError, match="iteration"):
        KdfParams(memory_kib=65536, iterations=21).check_readable()
    with pytest.raises(ValueError, match="lane"):
        KdfParams(memory_kib=65536, iterations=3, lanes=17).check_readable()


def test_vault_file_is_private_and_holds_no_key_in_the_clear(book: CustomerBook) -> None:
    mode = book.folder.vault.stat().st_mode & 0o777
    assert mode == 0o600
    text = book.folder.vault.read_text()
    assert book.keys.data_key.hex() not in text
    assert book.keys.backup_identity not in text


def test_lock_clears_keys_and_index(book: CustomerBook) -> None:
    book.save_customer(CustomerDraft(name="Ana Souza"))
    keys = book.keys
    book.lock()
    assert not book.is_unlocked
    assert keys.data_key == bytearray()
    assert len(book.index) == 0
    assert book.index.search("ana").rows == []
