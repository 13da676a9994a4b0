"""The unsaved draft sealed at idle auto-lock: round trip, one slot, gone once forgotten, never on disk in plain."""

from __future__ import annotations

import pytest

from core.book import CustomerBook
from core.customers.drafts import DRAFT_KEY, DraftKeeper
from core.customers.store import CustomerDraft
from core.errors import TamperedRecord
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE
from tests.core.test_canary import scan_folder

DRAFT_CANARIES = ["Quentin Draftwhistle", "draftwhistle.canary@example.org", "never printed draft canary"]


def test_a_sealed_draft_survives_lock_and_a_closed_book(data_folder: DataFolder, book: CustomerBook) -> None:
    customer = book.save_customer(CustomerDraft(name="Ana Souza"))
    typed = CustomerDraft(
        name="Ana Souza-Lima",
        phones=["020 7946 0958", "0999 1"],
        emails=["ana@example.com"],
        notes="x",
        typed_phones=["0999 1"],  # kept as typed after the warning: still kept as typed when offered back
    )
    DraftKeeper(book.settings).seal(typed, customer.id)
    book.close()  # as if the app died while locked

    reopened = CustomerBook(data_folder)
    reopened.unlock(PASSPHRASE)
    try:
        kept = DraftKeeper(reopened.settings).pending()
        assert kept is not None
        assert kept.customer_id == customer.id
        assert not kept.is_new_customer
        assert kept.draft.name == "Ana Souza-Lima"
        assert list(kept.draft.phones) == ["020 7946 0958", "0999 1"]
        assert list(kept.draft.typed_phones) == ["0999 1"]
        assert list(kept.draft.emails) == ["ana@example.com"]
        assert kept.sealed_at
        DraftKeeper(reopened.settings).forget()
        assert DraftKeeper(reopened.settings).pending() is None
    finally:
        reopened.close()


def test_one_slot_the_latest_draft_wins(book: CustomerBook) -> None:
    keeper = DraftKeeper(book.settings)
    assert keeper.pending() is None
    keeper.seal(CustomerDraft(name="First"))
    keeper.seal(CustomerDraft(name="Second"))
    kept = keeper.pending()
    assert kept is not None
    assert kept.draft.name == "Second"
    assert kept.is_new_customer


def test_a_draft_moved_under_another_key_does_not_open(book: CustomerBook) -> None:
    """Sealed with the key name bound in: copied over another setting's row, it is refused, not shown."""
    from sqlalchemy import update

    from core.storage.schema import settings

    keeper = DraftKeeper(book.settings)
    keeper.seal(CustomerDraft(name="Moved"))
    book.settings.set("other", {"x": 1})
    with book.engine.begin() as connection:
        sealed = connection.execute(settings.select().where(settings.c.key == DRAFT_KEY)).one().value
        connection.execute(update(settings).where(settings.c.key == "other").values(value=sealed))
    with pytest.raises(TamperedRecord):
        book.settings.get("other")


def test_the_draft_is_never_on_disk_in_plain(data_folder: DataFolder, book: CustomerBook) -> None:
    DraftKeeper(book.settings).seal(
        CustomerDraft(
            name="Quentin Draftwhistle", emails=["draftwhistle.canary@example.org"], notes="never printed draft canary"
        )
    )
    book.lock()
    assert scan_folder(data_folder.root, DRAFT_CANARIES) == []
    book.unlock(PASSPHRASE)
    kept = DraftKeeper(book.settings).pending()
    assert kept is not None
    assert kept.draft.name == "Quentin Draftwhistle"
    book.close()
    assert scan_folder(data_folder.root, DRAFT_CANARIES) == []
