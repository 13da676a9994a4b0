"""Index upkeep that the benchmarks tuned: shared contacts survive a removal, changed contacts are forgotten,
hits on the first and last lines of the haystack, and the bulk unlock path decrypts exactly like `get`."""

from __future__ import annotations

from core.book import CustomerBook
from core.customers.search import SearchIndex
from core.customers.store import Customer, CustomerDraft


def _customer(cid: str, name: str, phones: tuple[str, ...] = (), emails: tuple[str, ...] = ()) -> Customer:
    return Customer(id=cid, name=name, phones=phones, emails=emails)


def test_shared_phone_outlives_one_owner_and_changed_contacts_are_forgotten() -> None:
    index = SearchIndex()
    index.build([_customer("1", "Ana", ("+15550134",)), _customer("2", "Bo", ("+15550134",), ("Bo@X.org",))])
    assert [m.customer_id for m in index.duplicates(["+15550134"], [])] == ["1", "2"]
    index.remove("1")
    assert [m.customer_id for m in index.duplicates(["+15550134"], [])] == ["2"]
    index.upsert(_customer("2", "Bo", ("+15550199",), ("bo@y.org",)))
    assert index.duplicates(["+15550134"], ["bo@x.org"]) == []
    assert [m.name for m in index.duplicates(["+15550199"], ["BO@Y.ORG"])] == ["Bo", "Bo"]


def test_hits_on_first_and_last_line_and_across_many_lines() -> None:
    index = SearchIndex()
    index.build([_customer(str(n), f"Name{n:03d} Zed", (f"+1555{n:07d}",)) for n in range(300)])
    assert index.search("name000").ids == ["0"]
    assert index.search("name299").ids == ["299"]
    assert index.search("zed name29").ids == [str(n) for n in range(290, 300)]
    assert len(index.search("55500001").rows) == 100  # +1 555 000 01nn
    assert index.search("zzz").ids == []


def test_bulk_unlock_path_matches_single_reads(book: CustomerBook) -> None:
    book.import_customers(
        [
            CustomerDraft("Łukasz Wójcik", ["+48 601 234 567"], ["lukasz@example.pl"], "note"),
            CustomerDraft("Mei Chen", [], ["mei@example.com"]),
        ]
    )
    bulk = {c.id: c for c in book.customers.iter_all()}
    for customer_id, customer in bulk.items():
        single = book.customers.get(customer_id)
        assert single is not None
        assert customer == Customer(**{**single.__dict__, "notes": ""})
    contacts = {entry[0]: entry for entry in book.customers.iter_contacts()}
    assert contacts == {c.id: (c.id, c.name, c.phones, c.emails) for c in bulk.values()}


def test_bulk_unlock_path_refuses_a_moved_ciphertext(book: CustomerBook) -> None:
    import sqlite3

    import pytest

    from core.errors import TamperedRecord

    first, second = book.import_customers([CustomerDraft("Ana Souza"), CustomerDraft("Bo Lind")])
    with sqlite3.connect(book.folder.database) as raw:
        (name,) = raw.execute("SELECT name FROM customers WHERE id = ?", (first.id,)).fetchone()
        raw.execute("UPDATE customers SET name = ? WHERE id = ?", (name, second.id))
    with pytest.raises(TamperedRecord):
        list(book.customers.iter_contacts())


def test_fold_table_matches_the_per_character_rule() -> None:
    """The translate table must do exactly what stripping unicodedata.combining() marks after NFKD did."""
    import unicodedata

    from core.customers.search import _EXTRA_FOLDS, fold

    def by_hand(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text).casefold()
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_EXTRA_FOLDS)

    samples = ["Łódź Wójcik", "Nguyễn Thị Hương", "Ελένη Παπαδοπούλου", "がぎぐ", "Ærø Þór", "İstanbul", "ﬁle Straße"]
    samples += ["".join(chr(cp) for cp in range(start, start + 64)) for start in range(0x00C0, 0x3100, 64)]
    for text in samples:
        assert fold(text) == by_hand(text), text
