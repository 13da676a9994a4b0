"""Reading catalogues: the shipped TOML files and saved copies, validated entry by entry with line numbers."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from core.catalogue.model import (
    CHANNELS,
    CORE_FIELD_KEYS,
    KEY_PATTERN,
    LEGAL_BASES,
    PURPOSE_KINDS,
    Catalogue,
    CatalogueError,
    ConsentPurpose,
    FieldSpec,
    FieldType,
    Sensitivity,
    Stage,
)

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "resources" / "catalogue"


def catalogue_from_json(data: Mapping[str, Any]) -> Catalogue:
    """Rebuild a saved catalogue, validating it exactly like the shipped files (no line numbers)."""
    source = "saved catalogue"
    purposes = _build_purposes([(p, None) for p in data.get("purposes", [])], source)
    fields = _build_fields([(f, None) for f in data.get("fields", [])], purposes, source, builtin_default=True)
    catalogue = Catalogue(int(data.get("version", 1)), fields, purposes)
    check_catalogue(catalogue, source)
    return catalogue


def parse_catalogue(fields_toml: str, purposes_toml: str, source: str = "resources/catalogue") -> Catalogue:
    """Parse and validate both catalogue files; the first problem raises CatalogueError naming key and line."""
    purpose_tables = _tables(purposes_toml, "purpose", f"{source}/purposes.toml")
    field_tables = _tables(fields_toml, "field", f"{source}/fields.toml")
    purposes = _build_purposes(purpose_tables, f"{source}/purposes.toml")
    fields = _build_fields(field_tables, purposes, f"{source}/fields.toml", builtin_default=True)
    catalogue = Catalogue(1, fields, purposes)
    check_catalogue(catalogue, f"{source}/fields.toml")
    return catalogue


def load_default_catalogue() -> Catalogue:
    """The catalogue shipped with Counterpart (version 1)."""
    return parse_catalogue(
        (CATALOGUE_DIR / "fields.toml").read_text(encoding="utf-8"),
        (CATALOGUE_DIR / "purposes.toml").read_text(encoding="utf-8"),
    )


def check_catalogue(catalogue: Catalogue, source: str = "") -> None:
    """Rules across entries: unique keys, known dependencies, reasons for sensitive fields, core fields kept."""
    purposes = {p.key: p for p in catalogue.purposes}
    if len(purposes) != len(catalogue.purposes):
        duplicate = next(p.key for p in catalogue.purposes if sum(q.key == p.key for q in catalogue.purposes) > 1)
        raise CatalogueError(duplicate, _DUPLICATE_PURPOSE, None, source)
    seen: set[str] = set()
    for spec in catalogue.fields:
        if spec.key in seen:
            raise CatalogueError(spec.key, _DUPLICATE_FIELD, None, source)
        seen.add(spec.key)
        _check_field_rules(spec, purposes, None, source)
    for key in CORE_FIELD_KEYS:
        if key not in seen:
            raise CatalogueError(key, "this basic contact field is missing; Counterpart needs it.", None, source)
    if not catalogue.field("name").enabled:
        raise CatalogueError("name", "the name cannot be switched off; every customer record needs one.", None, source,
                             "enabled")  # fmt: skip


def check_field(spec: FieldSpec, catalogue: Catalogue) -> None:
    """The rules for one field in the context of a catalogue's purposes (for a form adding a single field)."""
    _check_field_rules(spec, {p.key: p for p in catalogue.purposes}, None, "")


def _check_field_rules(spec: FieldSpec, purposes: Mapping[str, ConsentPurpose], line: int | None, source: str) -> None:
    def refuse(problem: str, setting: str) -> CatalogueError:
        return CatalogueError(spec.key, problem, line, source, setting)

    for name in ("label", "purpose", "legal_basis_text", "retention", "if_declined", "category"):
        if not getattr(spec, name).strip():
            raise refuse(_MISSING_TEXT[name], name)
    if spec.type is FieldType.CHOICE and len(spec.choices) < 2:
        raise refuse("a choice field needs at least two choices.", "choices")
    if spec.type is not FieldType.CHOICE and spec.choices:
        raise refuse(f"only a choice field can have choices (this one is {spec.type.value}).", "choices")
    if spec.retention_days < 0:
        raise refuse("the retention in days cannot be negative (0 means: while the customer is active).", "retention")
    if spec.depends_on is not None and spec.depends_on not in purposes:
        problem = f"it depends on consent purpose “{spec.depends_on}”, which is not in the purpose catalogue."
        raise refuse(problem, "depends_on")
    if spec.sensitivity is Sensitivity.SPECIAL_CATEGORY and (
        spec.depends_on is None or purposes[spec.depends_on].kind != "special_category"
    ):
        problem = "special-category data needs explicit consent: make it depend on a special-category purpose."
        raise refuse(problem, "depends_on")
    if not spec.enabled:
        return
    if spec.sensitivity is not Sensitivity.ORDINARY and not spec.enable_reason.strip():
        raise refuse("this field is sensitive: write why the shop needs it before switching it on.", "enable_reason")
    if spec.depends_on is not None and not purposes[spec.depends_on].enabled:
        label = purposes[spec.depends_on].label
        problem = f"it depends on the consent purpose “{label}”, which is switched off. Switch that on first."
        raise refuse(problem, "depends_on")


_DUPLICATE_FIELD = "this key is already used by another field; give each field its own key."
_DUPLICATE_PURPOSE = "this key is already used by another purpose; give each purpose its own key."
_MISSING_TEXT = {
    "label": "the label is missing.",
    "purpose": "the purpose is missing: write the sentence that tells the customer why we ask.",
    "legal_basis_text": "the legal basis needs an explanation in plain words.",
    "retention": "the retention period is missing: say how long we keep it.",
    "if_declined": "say what happens if the customer says no.",
    "category": "the data category is missing (for example Contact details).",
}

_FIELD_KEYS = {
    "key": str, "label": str, "type": str, "stage": str, "order": int, "purpose": str, "legal_basis": str,
    "legal_basis_text": str, "retention": str, "retention_days": int, "recipients": list, "required": bool,
    "if_declined": str, "sensitivity": str, "depends_on": str, "choices": list, "category": str,
    "enabled": bool, "enable_reason": str, "builtin": bool,
}  # fmt: skip
_FIELD_DEFAULTS: dict[str, Any] = {
    "recipients": [], "depends_on": None, "choices": [], "enabled": True, "enable_reason": "", "builtin": True,
}  # fmt: skip
_PURPOSE_KEYS = {
    "key": str, "label": str, "description": str, "channel": str, "kind": str, "enabled": bool, "order": int,
}  # fmt: skip
_PURPOSE_DEFAULTS: dict[str, Any] = {"channel": None, "enabled": True}

Table = tuple[Mapping[str, Any], int | None]


def _tables(text: str, name: str, source: str) -> list[Table]:
    """The [[name]] tables of a TOML text, each with the line its header is on (tomllib keeps no positions)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise CatalogueError("", f"this is not valid TOML ({exc}).", int(match[1]) if match else None, source) from exc
    unknown = sorted(set(data) - {name})
    if unknown:
        raise CatalogueError("", f"only [[{name}]] tables belong in this file, not “{unknown[0]}”.", None, source)
    tables = data.get(name, [])
    if not isinstance(tables, list):
        raise CatalogueError("", f"write each entry as a [[{name}]] table.", None, source)
    header = re.compile(rf"^\s*\[\[\s*{name}\s*\]\]\s*(#.*)?$")
    starts = [number for number, line in enumerate(text.splitlines(), start=1) if header.match(line)]
    if len(starts) != len(tables):  # a header hidden in a multi-line string would shift the count: give no lines
        return [(table, None) for table in tables]
    return list(zip(tables, starts, strict=True))


def _checked(table: Mapping[str, Any], types: Mapping[str, type], defaults: Mapping[str, Any], line: int | None,
             source: str, what: str) -> dict[str, Any]:  # fmt: skip
    key = table.get("key")
    key_text = key if isinstance(key, str) else ""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise CatalogueError(key_text, f"every {what} needs a key of lowercase letters, digits and _.", line, source)
    for name in table:
        if name not in types:
            raise CatalogueError(key, f"“{name}” is not a {what} setting (a typing mistake?).", line, source)
    values = dict(defaults)
    values.update(table)
    for name, expected in types.items():
        if name not in values:
            problem = _MISSING_TEXT.get(name, f"“{name}” is missing.")
            raise CatalogueError(key, problem, line, source, name)
        value = values[name]
        if value is None and name in defaults and defaults[name] is None:
            continue
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise CatalogueError(key, f"“{name}” must be a whole number.", line, source)
        if not isinstance(value, expected):
            raise CatalogueError(key, f"“{name}” must be {_TYPE_WORDS[expected]}.", line, source)
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise CatalogueError(key, f"“{name}” must be a list of texts.", line, source)
    return values


_TYPE_WORDS: dict[type, str] = {str: "a text in quotes", int: "a whole number", bool: "true or false", list: "a list"}


def _enum(enum: type[StrEnum], value: str, name: str, key: str, line: int | None, source: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise CatalogueError(key, f"{name} “{value}” is not one of: {allowed}.", line, source) from None


def _build_fields(tables: Iterable[Table], purposes: tuple[ConsentPurpose, ...], source: str,
                  builtin_default: bool) -> tuple[FieldSpec, ...]:  # fmt: skip
    defaults = {**_FIELD_DEFAULTS, "builtin": builtin_default}
    fields: list[FieldSpec] = []
    for table, line in tables:
        v = _checked(table, _FIELD_KEYS, defaults, line, source, "field")
        key = v["key"]
        if any(f.key == key for f in fields):
            raise CatalogueError(key, _DUPLICATE_FIELD, line, source)
        if v["legal_basis"] not in LEGAL_BASES:
            raise CatalogueError(key, f"legal basis “{v['legal_basis']}” is not one of: {', '.join(LEGAL_BASES)}.",
                                 line, source)  # fmt: skip
        depends_on = v["depends_on"] or None
        spec = FieldSpec(
            key=key,
            label=v["label"].strip(),
            type=_enum(FieldType, v["type"], "type", key, line, source),
            stage=_enum(Stage, v["stage"], "stage", key, line, source),
            order=v["order"],
            purpose=v["purpose"].strip(),
            legal_basis=v["legal_basis"],
            legal_basis_text=v["legal_basis_text"].strip(),
            retention=v["retention"].strip(),
            retention_days=v["retention_days"],
            recipients=tuple(r.strip() for r in v["recipients"] if r.strip()),
            required=v["required"],
            if_declined=v["if_declined"].strip(),
            sensitivity=_enum(Sensitivity, v["sensitivity"], "sensitivity", key, line, source),
            depends_on=depends_on,
            choices=tuple(c.strip() for c in v["choices"] if c.strip()),
            category=v["category"].strip(),
            enabled=v["enabled"],
            enable_reason=v["enable_reason"].strip(),
            builtin=v["builtin"],
        )
        _check_field_rules(spec, {p.key: p for p in purposes}, line, source)
        fields.append(spec)
    return tuple(fields)


def _build_purposes(tables: Iterable[Table], source: str) -> tuple[ConsentPurpose, ...]:
    purposes: list[ConsentPurpose] = []
    for table, line in tables:
        v = _checked(table, _PURPOSE_KEYS, _PURPOSE_DEFAULTS, line, source, "purpose")
        key, kind, channel = v["key"], v["kind"], v["channel"] or None
        if any(p.key == key for p in purposes):
            raise CatalogueError(key, _DUPLICATE_PURPOSE, line, source)
        if kind not in PURPOSE_KINDS:
            raise CatalogueError(key, f"kind “{kind}” is not one of: {', '.join(PURPOSE_KINDS)}.", line, source)
        if channel is not None and channel not in CHANNELS:
            raise CatalogueError(key, f"channel “{channel}” is not one of: {', '.join(CHANNELS)}.", line, source)
        if kind == "marketing" and channel is None:
            raise CatalogueError(key, "a marketing purpose needs a channel (email, sms, phone or post).", line, source)
        for name in ("label", "description"):
            if not v[name].strip():
                raise CatalogueError(key, f"the {name} is missing: customers read it before they agree.", line, source)
        purposes.append(
            ConsentPurpose(key, v["label"].strip(), v["description"].strip(), channel, kind, v["enabled"], v["order"])
        )
    return tuple(purposes)


# --- notice content and small helpers ---------------------------------------------------------------------
