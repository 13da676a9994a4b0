"""Write the golden backup for the current backup format version (run once per new format version).

    .venv/bin/python tests/data/make_golden_backup.py

It sets up a small book with known customers, backs it up, and keeps the backup key next to it, so every
future Counterpart can prove it still restores this version. Never regenerate an existing version's file.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.backup.archive import FORMAT_VERSION
from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.keys.crypto import FAST_TEST_KDF
from core.shop.basics import ShopBasics
from core.storage.data_folder import DataFolder

GOLDEN_PASSPHRASE = "golden backup passphrase for tests"
CUSTOMERS = [
    CustomerDraft(name="Ana Souza", phones=["+44 7400 123456"], emails=["ana@example.com"], notes="Golden note"),
    CustomerDraft(name="Małgorzata Wójcik", emails=["m.wojcik@example.org"]),
    CustomerDraft(name="Γιώργος Παπαδόπουλος", phones=["+30 691 234 5678"]),
]


def main() -> None:
    here = Path(__file__).resolve().parent
    target = here / f"backup-v{FORMAT_VERSION}.age"
    if target.exists():
        raise SystemExit(f"{target.name} exists: golden files are never regenerated.")
    work = Path(tempfile.mkdtemp())
    try:
        book = CustomerBook(DataFolder(work / "data"))
        book.set_up(ShopBasics(name="Golden Shop", country="GB"), GOLDEN_PASSPHRASE, FAST_TEST_KDF)
        for draft in CUSTOMERS:
            book.save_customer(draft)
        out = work / "out"
        out.mkdir()
        result = book.back_up(out)
        shutil.copyfile(result.path, target)
        (here / f"backup-v{FORMAT_VERSION}.key.txt").write_text(book.keys.backup_identity + "\n")
        book.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {target.name}")


if __name__ == "__main__":
    main()
