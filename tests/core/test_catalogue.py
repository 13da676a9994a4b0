"""The field and purpose catalogues: shipped content, validation with line numbers, versioned owner edits."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core.book import CustomerBook
from core.catalogue import (
    CATALOGUE_DIR,
    Catalogue,
    CatalogueError,
    FieldSpec,
    FieldType,
    Sensitivity,
    Stage,
    age_range_bounds,
    load_default_catalogue,
    parse_catalogue,
)
from core.catalogue.edits import custom_field as custom_field_from_form
from core.catalogue.edits import key_from_label, moved, newly_sold, sale_confirmed
from core.catalogue.store import CatalogueChanged, CatalogueStore
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE
from tests.core.test_canary import scan_folder

PURPOSES_TOML = (CATALOGUE_DIR / "purposes.toml").read_text(encoding="utf-8")

# Lines 1-3 are comments, so the tables start on known lines: name 4, email 20, phone 36, the tested field 52.
FIELD_TEMPLATE = """\
# A small catalogue for tests.
# Each table below starts on a line these tests know.

[[field]]
key = "{key}"
label = "{label}"
type = "text"
stage = "first_visit"
order = {order}
category = "Contact details"
purpose = "So we know you."
legal_basis = "legitimate_interests"
legal_basis_text = "Our interest in serving you."
retention = "2 years after your last visit"
retention_days = 730
required = false
if_declined = "Nothing changes."
sensitivity = "ordinary"
"""


def small_catalogue(extra_table: str) -> str:
    core = "".join(
        FIELD_TEMPLATE.format(key=key, label=key.title(), order=n).split("\n", 3)[3] + "\n"
        for n, key in enumerate(("name", "email", "phone"), start=1)
    )
    return FIELD_TEMPLATE.split("[[field]]")[0] + core + extra_table


TESTED_FIELD = """\
[[field]]
key = "shoe_size"
label = "Shoe size"
type = "number"
stage = "later_visits"
order = 100
category = "Preferences"
purpose = "So we can keep your size in stock."
legal_basis = "consent"
legal_basis_text = "You choose whether to tell us."
retention = "Until you ask us to remove it"
retention_days = 0
required = false
if_declined = "Nothing changes."
sensitivity = "ordinary"
"""


def header_line(text: str, key: str) -> int:
    """The line of the [[field]] header above `key = "..."`, found independently of the code under test."""
    lines = text.splitlines()
    key_at = next(i for i, line in enumerate(lines) if line.strip() == f'key = "{key}"')
    return next(i for i in range(key_at, -1, -1) if lines[i].strip() == "[[field]]") + 1


def test_the_small_test_catalogue_is_valid_and_the_field_starts_on_line_52() -> None:
    text = small_catalogue(TESTED_FIELD)
    catalogue = parse_catalogue(text, PURPOSES_TOML)
    assert catalogue.field("shoe_size").type is FieldType.NUMBER
    assert header_line(text, "shoe_size") == 52


# --- the shipped catalogue ---------------------------------------------------------------------------------


def test_default_catalogue_asks_name_and_contacts_first_and_the_rest_later() -> None:
    catalogue = load_default_catalogue()
    assert catalogue.version == 1
    first = [f.key for f in catalogue.enabled_fields() if f.stage is Stage.FIRST_VISIT]
    assert first == ["name", "email", "phone"]
    assert catalogue.field("name").required
    assert not catalogue.field("email").required
    queue = [f.key for f in catalogue.profile_queue_fields()]
    assert queue[:2] == ["age_range", "birthday"]
    for key in ("postal_address", "profession", "marital_status", "children", "interests", "product_preferences",
                "preferred_contact_channel", "preferred_contact_times"):  # fmt: skip
        assert key in queue
    assert catalogue.field("age_range").type is FieldType.CHOICE
    assert catalogue.field("birthday").type is FieldType.DATE
    assert all(f.purpose and f.retention and f.if_declined for f in catalogue.fields)


def test_sensitive_fields_are_shipped_switched_off() -> None:
    catalogue = load_default_catalogue()
    for key in ("national_id", "bank_account", "insurance_details"):
        spec = catalogue.field(key)
        assert spec.sensitivity is Sensitivity.HIGH_RISK
        assert not spec.enabled
    health = catalogue.field("health_notes")
    assert health.sensitivity is Sensitivity.SPECIAL_CATEGORY
    assert health.depends_on == "special_category_health"
    assert not health.enabled
    enabled = {f.key for f in catalogue.enabled_fields()}
    assert enabled.isdisjoint({"national_id", "bank_account", "insurance_details", "health_notes"})


def test_default_purposes() -> None:
    catalogue = load_default_catalogue()
    keys = [p.key for p in catalogue.purposes]
    assert keys == ["marketing_email", "marketing_sms", "marketing_phone", "marketing_post", "profiling_offers",
                    "surveys", "share_partners", "sale_of_data", "special_category_health"]  # fmt: skip
    channels = {p.key: p.channel for p in catalogue.purposes if p.kind == "marketing"}
    assert channels == {"marketing_email": "email", "marketing_sms": "sms", "marketing_phone": "phone",
                        "marketing_post": "post"}  # fmt: skip
    assert not catalogue.purpose("sale_of_data").enabled
    assert catalogue.purpose("special_category_health").kind == "special_category"
    assert all(p.description.endswith(".") for p in catalogue.purposes)
    with pytest.raises(KeyError):
        catalogue.purpose("telepathy")


def test_every_shipped_age_range_has_bounds() -> None:
    choices = load_default_catalogue().field("age_range").choices
    bounds = [age_range_bounds(choice) for choice in choices]
    assert bounds[0] == (0, 12)
    assert bounds[1] == (13, 15)
    assert bounds[-1] == (65, None)
    assert None not in bounds


# --- validation names the field and the line ---------------------------------------------------------------


def drop_line(table: str, setting: str) -> str:
    return "".join(line for line in table.splitlines(keepends=True) if not line.startswith(f"{setting} ="))


def set_line(table: str, setting: str, value: str) -> str:
    return re.sub(rf"^{setting} = .*$", f"{setting} = {value}", table, flags=re.MULTILINE)


@pytest.mark.parametrize(
    ("broken", "words"),
    [
        (drop_line(TESTED_FIELD, "purpose"), "purpose is missing"),
        (set_line(TESTED_FIELD, "purpose", '"  "'), "purpose is missing"),
        (drop_line(TESTED_FIELD, "retention"), "retention period is missing"),
        (set_line(TESTED_FIELD, "type", '"colour"'), "type “colour” is not one of"),
        (set_line(TESTED_FIELD, "stage", '"someday"'), "stage “someday”"),
        (set_line(TESTED_FIELD, "sensitivity", '"secret"'), "sensitivity “secret”"),
        (TESTED_FIELD + 'depends_on = "mind_reading"\n', "“mind_reading”, which is not in the purpose catalogue"),
        (set_line(TESTED_FIELD, "type", '"choice"'), "needs at least two choices"),
        (TESTED_FIELD + 'purpsoe = "typo"\n', "“purpsoe” is not a field setting"),
        (set_line(TESTED_FIELD, "order", '"first"'), "“order” must be a whole number"),
    ],
)
def test_a_broken_field_is_refused_naming_its_key_and_line(broken: str, words: str) -> None:
    text = small_catalogue(broken)
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, PURPOSES_TOML)
    error = caught.value
    assert error.field_key == "shoe_size"
    assert error.line == 52 == header_line(text, "shoe_size")
    assert "line 52" in str(error)
    assert "shoe_size" in str(error)
    assert words in str(error)


def test_a_duplicate_key_points_at_the_second_table() -> None:
    text = small_catalogue(TESTED_FIELD + "\n" + TESTED_FIELD)
    with pytest.raises(CatalogueError, match="already used by another field") as caught:
        parse_catalogue(text, PURPOSES_TOML)
    assert caught.value.field_key == "shoe_size"
    assert caught.value.line == 52 + TESTED_FIELD.count("\n") + 1


def test_a_broken_shipped_field_gets_its_real_line() -> None:
    default = (CATALOGUE_DIR / "fields.toml").read_text(encoding="utf-8")
    broken = default.replace('retention = "Until you ask us to remove it, or 2 years after your last visit"\n', "")
    assert broken != default
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(broken, PURPOSES_TOML)
    assert caught.value.field_key == "birthday"
    assert caught.value.line == header_line(default, "birthday")


def test_toml_syntax_errors_say_where() -> None:
    with pytest.raises(CatalogueError, match="not valid TOML") as caught:
        parse_catalogue(small_catalogue(TESTED_FIELD + 'label = "unterminated\n'), PURPOSES_TOML)
    assert caught.value.line == 52 + TESTED_FIELD.count("\n")


def test_a_marketing_purpose_needs_a_channel() -> None:
    purposes = PURPOSES_TOML.replace('channel = "sms"\n', "")
    with pytest.raises(CatalogueError, match="needs a channel") as caught:
        parse_catalogue(small_catalogue(""), purposes)
    assert caught.value.field_key == "marketing_sms"
    assert caught.value.line == 23


def test_a_sensitive_field_cannot_be_switched_on_without_a_written_reason() -> None:
    table = set_line(TESTED_FIELD, "sensitivity", '"high_risk_identifier"')
    with pytest.raises(CatalogueError, match="write why the shop needs it") as caught:
        parse_catalogue(small_catalogue(table), PURPOSES_TOML)
    assert caught.value.line == 52
    with_reason = table + 'enable_reason = "Needed for trade accounts."\n'
    assert parse_catalogue(small_catalogue(with_reason), PURPOSES_TOML).field("shoe_size").enabled


def test_special_category_data_needs_an_explicit_consent_purpose() -> None:
    table = set_line(TESTED_FIELD, "sensitivity", '"special_category"') + 'enable_reason = "x"\n'
    with pytest.raises(CatalogueError, match="explicit consent"):
        parse_catalogue(small_catalogue(table), PURPOSES_TOML)


# --- the store: owner edits, versions, history -------------------------------------------------------------


def custom_field(key: str = "shoe_size", purpose: str = "So we can keep your size in stock.",
                 retention: str = "Until you ask us to remove it") -> FieldSpec:  # fmt: skip
    return FieldSpec(
        key=key, label="Shoe size", type=FieldType.NUMBER, stage=Stage.LATER_VISITS, order=500, purpose=purpose,
        legal_basis="consent", legal_basis_text="You choose whether to tell us.", retention=retention,
        retention_days=0, recipients=(), required=False, if_declined="Nothing changes.",
        sensitivity=Sensitivity.ORDINARY, depends_on=None, choices=(), category="Preferences", enabled=True,
        enable_reason="", builtin=False,
    )  # fmt: skip


def test_store_starts_with_the_shipped_catalogue(book: CustomerBook) -> None:
    store = book.catalogue
    assert store.current() == load_default_catalogue()
    [shipped] = store.history()
    assert (shipped.version, shipped.changed_by, shipped.saved_at) == (1, "Counterpart", "")
    assert shipped.content_hash == load_default_catalogue().content_hash()


def test_each_save_is_a_new_version_with_history(book: CustomerBook) -> None:
    store = book.catalogue
    first = store.current()
    second = store.save(first.with_field(replace(first.field("profession"), enabled=False)), "Ana", "Too nosy")
    assert second.version == 2
    third = store.save(second.with_field(custom_field()), "Ben")
    assert third.version == 3
    assert store.current() is third
    history = store.history()
    assert [(h.version, h.changed_by, h.note) for h in history] == [
        (1, "Counterpart", "As shipped with Counterpart"), (2, "Ana", "Too nosy"), (3, "Ben", "")
    ]  # fmt: skip
    assert history[2].saved_at.endswith("+00:00")
    assert [h.content_hash for h in history] == [first.content_hash(), second.content_hash(), third.content_hash()]
    assert store.version(1) == first
    assert store.version(2).field("profession").enabled is False
    with pytest.raises(KeyError):
        store.version(9)


def test_saving_unchanged_content_makes_no_new_version(book: CustomerBook) -> None:
    store = book.catalogue
    assert store.save(store.current(), "Ana").version == 1
    assert len(store.history()) == 1


def test_a_stale_copy_is_refused(book: CustomerBook) -> None:
    store = book.catalogue
    stale = store.current()
    store.save(stale.with_field(replace(stale.field("children"), enabled=False)), "Ana")
    with pytest.raises(CatalogueChanged, match="version 2"):
        store.save(stale.with_field(replace(stale.field("interests"), enabled=False)), "Ben")
    assert store.current().field("interests").enabled


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


def test_content_hash_changes_exactly_when_shown_content_changes() -> None:
    base = load_default_catalogue()
    h = base.content_hash()
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", h)

    def edited_field(key: str, **changes: object) -> Catalogue:
        return base.with_field(replace(base.field(key), **changes))  # type: ignore[arg-type]

    # What a customer is shown: every text of an enabled field or purpose, and which ones are enabled.
    changed = [
        edited_field("birthday", purpose="So we can send you a birthday card."),
        edited_field("birthday", retention="1 year"),
        edited_field("postal_address", recipients=("Parcel Co",)),
        edited_field("email", if_declined="You will miss out."),
        edited_field("profession", enabled=False),
        base.with_purpose(replace(base.purpose("surveys"), description="We may ask you to rate us.")),
        base.with_purpose(replace(base.purpose("sale_of_data"), enabled=True)),
        base.with_field(custom_field()),
        # The queue order is visible (the notice lists later questions in the order they are asked).
        edited_field("birthday", order=105),
    ]
    for catalogue in changed:
        assert catalogue.content_hash() != h
    # Never shown: disabled entries, the owner's private reasons, the version, and renumbering that keeps order.
    same = [
        edited_field("national_id", purpose="Anything at all.", order=1),
        edited_field("bank_account", retention="Forever"),
        edited_field("birthday", order=121),
        base.with_purpose(replace(base.purpose("sale_of_data"), description="Different words.")),
        replace(base, version=7),
    ]
    for catalogue in same:
        assert catalogue.content_hash() == h
    reason_a = edited_field("national_id", enabled=True, enable_reason="Required for lottery sales.")
    reason_b = edited_field("national_id", enabled=True, enable_reason="Another reason.")
    assert reason_a.content_hash() == reason_b.content_hash() != h


def test_key_from_label() -> None:
    assert key_from_label("Shoe size (EU)") == "shoe_size_eu"
    assert key_from_label("Café crème") == "cafe_creme"
    assert key_from_label("Name", taken=["name", "name_2"]) == "name_3"
    assert key_from_label("2nd phone") == "field_2nd_phone"
    assert key_from_label("!!!") == "custom"


# --- owner edits (the Settings pages call these) -----------------------------------------------------------


def test_moving_a_field_stays_within_its_stage() -> None:
    base = load_default_catalogue()
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
