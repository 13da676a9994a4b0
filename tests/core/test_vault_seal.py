"""vault.json carries a seal keyed from the data key: an edit that fixes up the plain checksum is still found."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from core.book import CustomerBook
from core.errors import DamagedFile, TamperedRecord, VaultTampered
from core.keys import vault
from core.storage.data_folder import DataFolder
from core.storage.key_file import VAULT_SEALED
from tests.conftest import PASSPHRASE


def _edit_vault(folder: DataFolder, change: Callable[[dict[str, Any]], None]) -> None:
    """Change vault.json the way someone with a text editor and the format in hand would: checksum fixed up."""
    body = json.loads(folder.vault.read_text())
    body.pop("checksum")
    change(body)
    body["checksum"] = vault._checksum(body)
    folder.vault.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n")


def _closed(book: CustomerBook) -> DataFolder:
    folder = book.folder
    book.close()
    return folder


def _drop_recovery_slot(body: dict[str, Any]) -> None:
    body["slots"] = [s for s in body["slots"] if s["kind"] != "recovery"]


def _swap_recipient(body: dict[str, Any]) -> None:
    body["backup_recipient"] = "age1" + "q" * 58


def _force_new_passphrase(body: dict[str, Any]) -> None:
    body["must_change_passphrase"] = True


def _pose_as_format_1(body: dict[str, Any]) -> None:
    body.pop("mac")
    body["version"] = 1
    _drop_recovery_slot(body)


@pytest.mark.parametrize("attack", [_drop_recovery_slot, _swap_recipient, _force_new_passphrase, _pose_as_format_1])
def test_an_edited_vault_is_refused_as_tampered(book: CustomerBook, attack: Callable[[dict[str, Any]], None]) -> None:
    folder = _closed(book)
    _edit_vault(folder, attack)
    reopened = CustomerBook(folder)
    with pytest.raises(VaultTampered) as raised:
        reopened.unlock(PASSPHRASE)
    assert isinstance(raised.value, TamperedRecord)  # the same family of message as a tampered record
    assert "vault.json" in str(raised.value)
    assert not reopened.is_unlocked


def test_a_damaged_vault_is_damaged_not_tampered(book: CustomerBook) -> None:
    folder = _closed(book)
    text = folder.vault.read_text()
    folder.vault.write_text(text.replace('"must_change_passphrase": false', '"must_change_passphrase": true'))
    with pytest.raises(DamagedFile):
        CustomerBook(folder).unlock(PASSPHRASE)


def test_a_book_from_before_the_seal_is_sealed_at_its_first_unlock(book: CustomerBook) -> None:
    folder = _closed(book)
    _edit_vault(folder, lambda body: (body.pop("mac"), body.__setitem__("version", 1)))
    with sqlite3.connect(folder.database) as connection:  # an old book never wrote the marker either
        connection.execute("DELETE FROM settings WHERE key = ?", (VAULT_SEALED,))
    assert "mac" not in json.loads(folder.vault.read_text())
    reopened = CustomerBook(folder)
    reopened.unlock(PASSPHRASE)
    assert json.loads(folder.vault.read_text())["mac"]
    assert reopened.settings.get(VAULT_SEALED) is True
    reopened.close()
    again = CustomerBook(folder)
    again.unlock(PASSPHRASE)
    again.close()


def test_every_vault_write_is_sealed(book: CustomerBook) -> None:
    from core.keys.crypto import FAST_TEST_KDF

    book.change_passphrase("another long passphrase here", FAST_TEST_KDF)
    folder = _closed(book)
    header = vault.VaultHeader.from_bytes(folder.vault.read_bytes())
    keys = vault.open_with_passphrase(header, "another long passphrase here")
    assert keys.vault_sealed
