"""Every released backup format still restores: the golden files in tests/data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.backup import open_backup
from core.book import CustomerBook
from core.storage.data_folder import DataFolder

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN_PASSPHRASE = "golden backup passphrase for tests"


@pytest.mark.parametrize("version", [1])
def test_golden_backup_restores_and_unlocks(version: int, tmp_path: Path) -> None:
    key = (DATA / f"backup-v{version}.key.txt").read_text().strip()
    opened = open_backup(DATA / f"backup-v{version}.age", key)
    assert opened.manifest.shop_name == "Golden Shop"
    assert opened.manifest.counts["customers"] == 3
    book = CustomerBook(DataFolder(tmp_path / "data"))
    book.restore(opened)
    book.unlock(GOLDEN_PASSPHRASE)  # migrations to the current schema run here
    names = sorted(c.name for c in book.customers.iter_all())
    assert names == ["Ana Souza", "Małgorzata Wójcik", "Γιώργος Παπαδόπουλος"]
    ana = next(c for c in book.customers.iter_all(with_notes=True) if c.name == "Ana Souza")
    assert ana.phones == ("+447400123456",)
    assert ana.notes == "Golden note"
    book.close()
