"""After lock the book holds no key and no decrypted value: checked through the objects it owns (keys zeroed in
place, index and consent map empty, services dropped), then, best effort, by asking the garbage collector whether
any live Python object still references a string holding a made-up customer's name.

What this cannot show, and Python cannot promise: `str` and `bytes` are immutable, so a name or a key that was
decrypted into one is freed, not overwritten, when its last reference goes; the bytes stay in the process's
memory until that memory is reused. Copies outside Python objects (Qt's QString, OpenSSL's key schedule, SQLite's
page cache, which holds only ciphertext) are out of the collector's sight too. Only the bytearrays we own (the
data key, the ledger's MAC key) are zeroed; everything else is dropped, so nothing the app owns leads to it.
"""

from __future__ import annotations

import gc
import secrets

import pytest

from core.book import CustomerBook
from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from core.errors import VaultLocked
from tests.conftest import PASSPHRASE


def new_canary() -> tuple[str, str]:
    """A customer name no other string in the process contains, and the needle to look for it with: a separate
    string object (the name itself may be held by whoever typed it, e.g. a test's own variables)."""
    name = "Canary " + secrets.token_hex(6)
    return name, name[len("Canary ") :]


def holders_of(needle: str) -> list[str]:
    """Type names of live objects that reference a str containing `needle` (not `needle` itself), after a full
    collection. Objects the collector does not track (tuples and dicts of strings only, which CPython untracks
    as an optimisation) are searched through the tracked objects that hold them."""
    gc.collect()
    found: list[str] = []
    seen: set[int] = set()
    for holder in gc.get_objects():
        stack = [holder]
        while stack:
            obj = stack.pop()
            for ref in gc.get_referents(obj):
                if type(ref) is str:
                    if ref is not needle and needle in ref:
                        found.append(type(obj).__name__)
                elif (
                    not gc.is_tracked(ref) and isinstance(ref, tuple | dict | frozenset | list) and id(ref) not in seen
                ):
                    seen.add(id(ref))
                    stack.append(ref)
    return found


def test_lock_zeroes_the_keys_and_empties_what_the_book_holds(book: CustomerBook) -> None:
    ana = book.save_customer(CustomerDraft("Ana Souza", ["+1 202 555 0134"], ["ana@example.com"]))
    book.desk.set_consent(ana.id, "marketing_email", True, ConsentMethod.VERBAL)
    book.lock()
    book.unlock(PASSPHRASE)  # the index as unlock builds it…
    book.save_customer(CustomerDraft("Bo Lind", ["+1 202 555 0135"]))  # …and a save in its overlay
    keys, index, desk, ledger = book.keys, book.index, book.desk, book.consent
    data_key, mac_key = keys.data_key, ledger._mac_key(keys.key_version)
    assert isinstance(mac_key, bytearray)  # made without an immutable copy (crypto.hkdf_key_buffer)
    assert any(data_key)
    assert any(mac_key)
    assert len(index) == 2
    assert desk.granted_by_customer

    book.lock()

    assert data_key == bytearray(32), "zeroed in place, so every holder of the bytearray sees zeros"
    assert mac_key == bytearray(32)
    assert keys.data_key == bytearray()
    assert keys._aead is None
    assert keys.backup_identity == ""
    assert desk.granted_by_customer == {}
    assert len(index) == 0
    assert index.search("").rows == []
    assert [(shard.rows, shard.haystack, list(shard.starts)) for shard in index._shards] == [([], "", [])] * 2
    assert index._by_id == {}
    assert (index._overlay, index._by_phone, index._by_email, index._dead) == ({}, {}, {}, set())
    assert book.damaged_customers == ()
    assert book._open is None  # the stores, ciphers and desks went with it
    with pytest.raises(VaultLocked):
        _ = book.keys


def test_no_live_object_references_a_customers_name_after_lock(book: CustomerBook) -> None:
    name, needle = new_canary()
    customer = book.save_customer(CustomerDraft(name, ["+1 202 555 0136"], notes=f"{name} likes tea"))
    book.lock()
    book.unlock(PASSPHRASE)
    assert [row.name for row in book.index.search(needle).rows] == [name]
    opened = book.get_customer(customer.id)
    assert opened is not None
    assert opened.name == name
    assert holders_of(needle), "the scan finds the name while the book is open"
    del name, customer, opened

    book.lock()

    assert holders_of(needle) == []
