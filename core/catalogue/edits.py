"""Edits the owner makes to a catalogue draft: reorder the queue, add a custom field, confirm selling data."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from core.catalogue.model import Catalogue, FieldSpec, FieldType, Sensitivity, Stage
from core.catalogue.parse import check_field

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
