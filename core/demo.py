"""A throwaway demo shop: generated customers in a temporary folder, with a generated passphrase."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.book import CustomerBook
from core.keys.crypto import MIN_ITERATIONS, MIN_MEMORY_KIB, KdfParams
from core.keys.passphrase_policy import generate_passphrase
from core.shop.basics import ShopBasics
from core.storage.data_folder import DataFolder

DEMO_CUSTOMERS = 300
# The demo is throwaway and fake, so it uses the floor cost rather than calibrating.
DEMO_KDF = KdfParams(memory_kib=MIN_MEMORY_KIB, iterations=MIN_ITERATIONS)


@dataclass(frozen=True)
class DemoShop:
    folder: DataFolder
    passphrase: str


def new_demo_folder() -> DataFolder:
    return DataFolder(Path(tempfile.mkdtemp(prefix="counterpart-demo-")))


def create_demo_shop(folder: DataFolder, customers: int = DEMO_CUSTOMERS, seed: int = 7) -> DemoShop:
    """Set up a demo book with generated customers, then lock it. Slow-ish: run it in the background."""
    from core.customers.sample_shop import seed_book

    passphrase = generate_passphrase(words=4)
    book = CustomerBook(folder)
    try:
        book.set_up(ShopBasics(name="Demo Corner Shop", country="GB"), passphrase, DEMO_KDF)
        seed_book(book, customers, seed)
    finally:
        book.close()
    return DemoShop(folder=folder, passphrase=passphrase)
