"""Edits the owner makes to a catalogue draft: reorder the queue, add a custom field, confirm selling data."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from core.catalogue.model import Catalogue, CatalogueError, FieldSpec, FieldType, Sensitivity, Stage
from core.catalogue.parse import check_catalogue, check_field
from core.errors import ValidationError

# Typed by the owner before the "sale of data" purpose is switched on: selling customers' details changes what
# the notice must say (CCPA "Do Not Sell"), so it must never happen by a stray click.
SALE_CONFIRMATION = "We sell customer data"
CUSTOM_LEGAL_BASIS_TEXT = "Your consent: you choose whether to tell us, and can ask us to delete it at any time."
CUSTOM_IF_DECLINED = "Nothing changes."
CUSTOM_CATEGORY = "Other details"


def can_switch_off(spec: FieldSpec) -> bool:
    """Every customer record needs a name; everything else is the owner's choice."""
    return spec.key != "name"


def moved(catalogue: Catalogue, key: str, steps: int) -> Catalogue:
    """Move a field up (negative) or down within its stage's queue; orders are renumbered 10, 20, 30…"""
    spec = catalogue.field(key)
    stage = sorted((f for f in catalogue.fields if f.stage is spec.stage), key=lambda f: f.order)
    position = stage.index(spec)
    target = max(0, min(len(stage) - 1, position + steps))
    stage.insert(target, stage.pop(position))
    renumbered = {f.key: replace(f, order=(n + 1) * 10) for n, f in enumerate(stage)}
    return replace(catalogue, fields=tuple(renumbered.get(f.key, f) for f in catalogue.fields))


def key_from_label(label: str, taken: Iterable[str] = ()) -> str:
    """A field key for a custom field: "Shoe size (EU)" → "shoe_size_eu", made unique against `taken`."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii").lower()
    base = "_".join(re.findall(r"[a-z0-9]+", ascii_text))[:32].strip("_") or "custom"
    if not base[0].isalpha():
        base = "field_" + base
    used = set(taken)
    key, number = base, 2
    while key in used:
        key, number = f"{base}_{number}", number + 1
    return key


def custom_field(
    catalogue: Catalogue,
    label: str,
    field_type: FieldType,
    purpose: str,
    retention: str,
    retention_days: int = 0,
    choices: Iterable[str] = (),
    stage: Stage = Stage.LATER_VISITS,
    sensitivity: Sensitivity = Sensitivity.ORDINARY,
    depends_on: str | None = None,
    enable_reason: str = "",
) -> FieldSpec:
    """A new owner-defined field at the end of its stage's queue, checked against the catalogue it joins.
    Raises CatalogueError (with `.setting`) when something the notice needs is missing."""
    last = max((f.order for f in catalogue.fields if f.stage is stage), default=0)
    spec = FieldSpec(
        key=key_from_label(label, (f.key for f in catalogue.fields)),
        label=" ".join(label.split()),
        type=field_type,
        stage=stage,
        order=last + 10,
        purpose=purpose.strip(),
        legal_basis="consent",
        legal_basis_text=CUSTOM_LEGAL_BASIS_TEXT,
        retention=retention.strip(),
        retention_days=retention_days,
        recipients=(),
        required=False,
        if_declined=CUSTOM_IF_DECLINED,
        sensitivity=sensitivity,
        depends_on=depends_on,
        choices=tuple(c.strip() for c in choices if c.strip()) if field_type is FieldType.CHOICE else (),
        category=CUSTOM_CATEGORY,
        enabled=True,
        enable_reason=enable_reason.strip(),
        builtin=False,
    )
    # Only this field is checked: problems elsewhere in an unsaved draft belong to the page, not to this form.
    check_field(spec, catalogue)
    return spec


def newly_sold(before: Catalogue, after: Catalogue) -> bool:
    """True when a sale-of-data purpose is switched on by this edit (it needs the typed confirmation)."""
    was_on = {p.key for p in before.purposes if p.enabled}
    return any(p.kind == "sale" and p.enabled and p.key not in was_on for p in after.purposes)


def sale_confirmed(typed: str) -> bool:
    return " ".join(typed.split()).casefold().rstrip(".") == SALE_CONFIRMATION.casefold()


# Ways to reach a customer; a shop must ask for at least one, or a record is only a name.
CONTACT_KEYS = ("phone", "email")


def setup_choices(catalogue: Catalogue) -> tuple[FieldSpec, ...]:
    """The fields the set-up wizard offers to tick: every ordinary field but the name (always asked). Sensitive
    fields need a written reason and consent purposes of their own, so they are switched on in Settings only."""
    return tuple(
        spec
        for spec in catalogue.enabled_fields() + tuple(f for f in catalogue.fields if not f.enabled)
        if spec.key != "name" and spec.sensitivity is Sensitivity.ORDINARY
    )


def asking_only(catalogue: Catalogue, keys: Iterable[str]) -> Catalogue:
    """The catalogue with the name and exactly the ordinary fields in `keys` switched on, everything else off.

    Raises ValidationError("contacts") when no way to reach the customer is chosen, and CatalogueError when a key
    is unknown or names a field the set-up cannot switch on (a sensitive one, or one whose consent purpose is off).
    """
    chosen = set(keys)
    if not chosen & set(CONTACT_KEYS):
        raise ValidationError("contacts", "Tick at least one way to reach customers: a phone number or an e-mail.")
    offered = {spec.key for spec in setup_choices(catalogue)}
    for key in sorted(chosen - offered):
        raise CatalogueError(key, "this field cannot be switched on here; use Settings → Fields we collect.")
    result = replace(
        catalogue, fields=tuple(replace(f, enabled=f.key == "name" or f.key in chosen) for f in catalogue.fields)
    )
    check_catalogue(result)
    return result
