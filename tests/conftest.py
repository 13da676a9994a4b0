"""Shared fixtures: a private data folder and a set-up book with a fast, explicit test KDF profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.book import CustomerBook
from core.catalogue import Catalogue
from core.catalogue.edits import asking_only, setup_choices
from core.keys.crypto import FAST_TEST_KDF
from core.shop.basics import ShopBasics
from core.storage.data_folder import DataFolder

PASSPHRASE = "correct horse battery staple"
SHOP = ShopBasics(name="Ana's Corner Shop", country="US")


@pytest.fixture
def data_folder(tmp_path: Path) -> DataFolder:
    return DataFolder(tmp_path / "data")


@pytest.fixture
def book(data_folder: DataFolder) -> Iterator[CustomerBook]:
    """A freshly set-up, unlocked book (US shop: phone region US) that asks a phone and an e-mail, as the tests
    saving customers were written for (the shipped catalogue asks no e-mail, and saving one is then refused)."""
    b = CustomerBook(data_folder)
    b.setup_result = b.set_up(SHOP, PASSPHRASE, FAST_TEST_KDF)  # type: ignore[attr-defined]
    ask_contacts(b)
    yield b
    b.close()


@pytest.fixture
def shipped_book(data_folder: DataFolder) -> Iterator[CustomerBook]:
    """A freshly set-up, unlocked book with the shipped catalogue as it is (name and a phone only, version 1)."""
    b = CustomerBook(data_folder)
    b.set_up(SHOP, PASSPHRASE, FAST_TEST_KDF)
    yield b
    b.close()


def asking_everything(catalogue: Catalogue) -> Catalogue:
    """The shipped catalogue as it was before issue 13: every ordinary field switched on (the shop ships asking
    only the name and a phone). For tests about the questions, the queue and the notice's field lines."""
    return asking_only(catalogue, [spec.key for spec in setup_choices(catalogue)])


def ask_contacts(book: CustomerBook) -> None:
    """Ask both ways to reach a customer, a phone and an e-mail, and nothing more (catalogue version 2)."""
    book.catalogue.save(asking_only(book.catalogue.current(), ["phone", "email"]), "Owner", "Phone and e-mail")


def ask_everything(book: CustomerBook) -> None:
    """Save `asking_everything` as the book's catalogue (version 2), as an owner ticking every ordinary field."""
    book.catalogue.save(asking_everything(book.catalogue.current()), "Owner", "Ask everything")
