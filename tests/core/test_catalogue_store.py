"""The owner's catalogue edits: versions with history, the rules of a change, and the editing helpers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.book import CustomerBook
from core.catalogue import (
    CatalogueError,
    FieldSpec,
    FieldType,
    Stage,
    load_default_catalogue,
)
from core.catalogue.edits import custom_field as custom_field_from_form
from core.catalogue.edits import key_from_label, moved, newly_sold, sale_confirmed
from core.catalogue.store import CatalogueChanged, CatalogueStore
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE, asking_everything
from tests.core.test_canary import scan_folder
from tests.core.test_catalogue import custom_field


@pytest.fixture
def book(shipped_book: CustomerBook) -> CustomerBook:
    """These tests are about the shipped catalogue itself, before the owner changes anything."""
    return shipped_book


# --- the store: owner edits, versions, history -------------------------------------------------------------


def test_store_starts_with_the_shipped_catalogue(book: CustomerBook) -> None:
    store = book.catalogue
    assert store.current() == load_default_catalogue()
    [shipped] = store.history()
    assert (shipped.version, shipped.changed_by, shipped.saved_at) == (1, "Counterpart", "")
    assert shipped.content_hash == load_default_catalogue().content_hash()


def test_each_save_is_a_new_version_with_history(book: CustomerBook) -> None:
    store = book.catalogue
    first = store.current()
    second = store.save(first.with_field(replace(first.field("profession"), enabled=True)), "Ana", "Asks jobs")
    assert second.version == 2
    third = store.save(second.with_field(custom_field()), "Ben")
    assert third.version == 3
    assert store.current() is third
    history = store.history()
    assert [(h.version, h.changed_by, h.note) for h in history] == [
        (1, "Counterpart", "As shipped with Counterpart"), (2, "Ana", "Asks jobs"), (3, "Ben", "")
    ]  # fmt: skip
    assert history[2].saved_at.endswith("+00:00")
    assert [h.content_hash for h in history] == [first.content_hash(), second.content_hash(), third.content_hash()]
    assert store.version(1) == first
    assert store.version(2).field("profession").enabled is True
    with pytest.raises(KeyError):
        store.version(9)


def test_saving_unchanged_content_makes_no_new_version(book: CustomerBook) -> None:
    store = book.catalogue
    assert store.save(store.current(), "Ana").version == 1
    assert len(store.history()) == 1


def test_a_stale_copy_is_refused(book: CustomerBook) -> None:
    store = book.catalogue
    stale = store.current()
    store.save(stale.with_field(replace(stale.field("birthday"), enabled=True)), "Ana")
    with pytest.raises(CatalogueChanged, match="version 2"):
        store.save(stale.with_field(replace(stale.field("interests"), enabled=True)), "Ben")
    assert not store.current().field("interests").enabled


@pytest.mark.parametrize(
    ("field", "words"),
    [
        (custom_field(purpose=""), "purpose is missing"),
        (custom_field(retention=" "), "retention period is missing"),
        (replace(custom_field(), builtin=True), "must be marked as custom"),
    ],
)
def test_a_custom_field_is_refused_without_purpose_or_retention(
    book: CustomerBook, field: FieldSpec, words: str
) -> None:
    store = book.catalogue
    with pytest.raises(CatalogueError, match=words) as caught:
        store.save(store.current().with_field(field), "Ana")
    assert caught.value.field_key == "shoe_size"
    assert store.current().version == 1
    assert len(store.history()) == 1


def test_switching_on_a_sensitive_field_needs_a_reason_and_its_consent_purpose(book: CustomerBook) -> None:
    store = book.catalogue
    catalogue = store.current()
    health = catalogue.field("health_notes")
    with pytest.raises(CatalogueError, match="write why"):
        store.save(catalogue.with_field(replace(health, enabled=True)), "Ana")
    reasoned = catalogue.with_field(replace(health, enabled=True, enable_reason="We fit orthopaedic shoes."))
    with pytest.raises(CatalogueError, match=r"switched off\. Switch that on first"):
        store.save(reasoned, "Ana")
    purpose = reasoned.purpose("special_category_health")
    saved = store.save(reasoned.with_purpose(replace(purpose, enabled=True)), "Ana")
    assert saved.field("health_notes").enabled
    assert saved.version == 2


def test_fields_are_switched_off_not_removed_and_keep_their_type(book: CustomerBook) -> None:
    store = book.catalogue
    catalogue = store.current()
    without = replace(catalogue, fields=tuple(f for f in catalogue.fields if f.key != "profession"))
    with pytest.raises(CatalogueError, match="cannot be removed"):
        store.save(without, "Ana")
    retyped = catalogue.with_field(replace(catalogue.field("children"), type=FieldType.TEXT))
    with pytest.raises(CatalogueError, match="type of an existing field"):
        store.save(retyped, "Ana")
    no_name = catalogue.with_field(replace(catalogue.field("name"), enabled=False))
    with pytest.raises(CatalogueError, match="name cannot be switched off"):
        store.save(no_name, "Ana")


def test_edits_survive_lock_and_unlock_and_are_stored_encrypted(data_folder: DataFolder, book: CustomerBook) -> None:
    canary = "So we can tell which canary-yellow quaxberry you prefer."
    store = book.catalogue
    store.save(store.current().with_field(custom_field(purpose=canary)), "Ana", "quaxberry season")
    book.lock()
    with pytest.raises(Exception, match="locked"):
        _ = book.catalogue
    book.unlock(PASSPHRASE)
    again = book.catalogue.current()
    assert again.version == 2
    assert again.field("shoe_size").purpose == canary
    assert again.field("shoe_size").builtin is False
    assert book.catalogue.history()[-1].note == "quaxberry season"
    book.close()
    assert scan_folder(data_folder.root, [canary, "canary-yellow quaxberry", "quaxberry season"]) == []


def test_a_fresh_store_reads_what_another_one_saved(book: CustomerBook) -> None:
    book.catalogue.save(book.catalogue.current().with_field(custom_field()), "Ana")
    assert CatalogueStore(book.settings).current().field("shoe_size").label == "Shoe size"


# --- the content hash follows what the notice shows --------------------------------------------------------


def test_key_from_label() -> None:
    assert key_from_label("Shoe size (EU)") == "shoe_size_eu"
    assert key_from_label("Café crème") == "cafe_creme"
    assert key_from_label("Name", taken=["name", "name_2"]) == "name_3"
    assert key_from_label("2nd phone") == "field_2nd_phone"
    assert key_from_label("!!!") == "custom"


# --- owner edits (the Settings pages call these) -----------------------------------------------------------


def test_moving_a_field_stays_within_its_stage() -> None:
    base = asking_everything(load_default_catalogue())
    up = moved(base, "birthday", -1)
    assert [f.key for f in up.profile_queue_fields()][:2] == ["birthday", "age_range"]
    assert moved(up, "birthday", -1) == up  # already first of the later visits: it does not jump into the first visit
    assert [f.key for f in moved(base, "phone", 5).enabled_fields()][:3] == ["name", "email", "phone"]
    assert [f.key for f in moved(base, "email", 1).enabled_fields()][:3] == ["name", "phone", "email"]


def test_a_custom_field_is_built_checked_and_placed_last() -> None:
    base = load_default_catalogue()
    spec = custom_field_from_form(base, "Shoe size (EU)", FieldType.NUMBER, "So we stock your size.", "Until you ask")
    assert (spec.key, spec.builtin, spec.enabled, spec.stage) == ("shoe_size_eu", False, True, Stage.LATER_VISITS)
    assert base.with_field(spec).profile_queue_fields()[-1] == spec
    with pytest.raises(CatalogueError, match="purpose is missing") as caught:
        custom_field_from_form(base, "Shoe size", FieldType.NUMBER, "  ", "Until you ask")
    assert caught.value.setting == "purpose"
    with pytest.raises(CatalogueError, match="retention period is missing") as caught:
        custom_field_from_form(base, "Shoe size", FieldType.NUMBER, "So we stock your size.", "")
    assert caught.value.setting == "retention"
    with pytest.raises(CatalogueError, match="two choices") as caught:
        custom_field_from_form(base, "Colour", FieldType.CHOICE, "So we know.", "A year", choices=["Red", " "])
    assert caught.value.setting == "choices"


def test_switching_on_the_sale_of_data_needs_the_typed_sentence() -> None:
    base = load_default_catalogue()
    selling = base.with_purpose(replace(base.purpose("sale_of_data"), enabled=True))
    assert newly_sold(base, selling)
    assert not newly_sold(selling, selling)
    assert not newly_sold(base, base)
    assert sale_confirmed("  we sell   customer data. ")
    assert not sale_confirmed("we do not sell customer data")
    assert not sale_confirmed("")


def test_a_custom_field_is_judged_on_its_own_not_on_other_unsaved_edits() -> None:
    base = load_default_catalogue()
    draft = base.with_field(replace(base.field("national_id"), enabled=True))  # no reason yet: the page says so
    spec = custom_field_from_form(draft, "Shoe size", FieldType.NUMBER, "So we stock your size.", "Until you ask")
    assert spec.key == "shoe_size"
