"""The catalogue: what the shop may ask and why, the consent purposes, and the owner's versioned edits.

Imports only core.errors and core.storage (the edits are kept sealed in the settings store)."""

from core.catalogue.model import (
    CHANNELS,
    CORE_FIELD_KEYS,
    LEGAL_BASES,
    PURPOSE_KINDS,
    Catalogue,
    CatalogueError,
    ConsentPurpose,
    FieldSpec,
    FieldType,
    Sensitivity,
    Stage,
    age_range_bounds,
)
from core.catalogue.parse import (
    CATALOGUE_DIR,
    catalogue_from_json,
    check_catalogue,
    check_field,
    load_default_catalogue,
    parse_catalogue,
)

__all__ = [
    "CATALOGUE_DIR",
    "CHANNELS",
    "CORE_FIELD_KEYS",
    "LEGAL_BASES",
    "PURPOSE_KINDS",
    "Catalogue",
    "CatalogueError",
    "ConsentPurpose",
    "FieldSpec",
    "FieldType",
    "Sensitivity",
    "Stage",
    "age_range_bounds",
    "catalogue_from_json",
    "check_catalogue",
    "check_field",
    "load_default_catalogue",
    "parse_catalogue",
]
