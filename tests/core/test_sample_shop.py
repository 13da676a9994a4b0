"""Generated customers are deterministic, varied across scripts, and valid by the app's own rules."""

from __future__ import annotations

import unicodedata

from core.book import CustomerBook
from core.customers.sample_shop import generate_customers, seed_book
from core.customers.store import validate_draft


def test_same_seed_same_customers_other_seed_other_customers() -> None:
    assert list(generate_customers(50, seed=1)) == list(generate_customers(50, seed=1))
    assert list(generate_customers(50, seed=1)) != list(generate_customers(50, seed=2))


def test_every_generated_customer_passes_validation() -> None:
    drafts = list(generate_customers(400, seed=3))
    for draft in drafts:
        validate_draft(draft, "GB")
        assert draft.phones or draft.emails
    scripts = {unicodedata.name(ch).split()[0] for d in drafts for ch in d.name if ch.isalpha()}
    assert {"LATIN", "GREEK", "CYRILLIC", "ARABIC"} <= scripts


def test_seed_book_adds_and_indexes(book: CustomerBook) -> None:
    assert seed_book(book, 250, seed=5, batch=100) == 250
    assert book.customers.count() == 250
    assert len(book.index) == 250
