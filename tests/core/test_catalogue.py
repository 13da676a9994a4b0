"""The field and purpose catalogues: shipped content, validation with line numbers, what the content hash covers."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

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
from tests.conftest import asking_everything

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
    shipped = load_default_catalogue()
    assert shipped.version == 1
    # Shipped asking only the name and a phone (issue 13): the rest waits until the owner ticks it.
    assert [f.key for f in shipped.enabled_fields()] == ["name", "phone"]
    catalogue = asking_everything(shipped)
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


def custom_field(key: str = "shoe_size", purpose: str = "So we can keep your size in stock.",
                 retention: str = "Until you ask us to remove it") -> FieldSpec:  # fmt: skip
    return FieldSpec(
        key=key, label="Shoe size", type=FieldType.NUMBER, stage=Stage.LATER_VISITS, order=500, purpose=purpose,
        legal_basis="consent", legal_basis_text="You choose whether to tell us.", retention=retention,
        retention_days=0, recipients=(), required=False, if_declined="Nothing changes.",
        sensitivity=Sensitivity.ORDINARY, depends_on=None, choices=(), category="Preferences", enabled=True,
        enable_reason="", builtin=False,
    )  # fmt: skip


def test_content_hash_changes_exactly_when_shown_content_changes() -> None:
    base = asking_everything(load_default_catalogue())
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
