"""The catalogue's data: fields the shop may ask, consent purposes, and the frozen `Catalogue` built from them."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from core.errors import CounterpartError

LEGAL_BASES = ("consent", "contract", "legitimate_interests", "legal_obligation")
CHANNELS = ("email", "sms", "phone", "post")
PURPOSE_KINDS = ("marketing", "profiling", "sharing", "sale", "surveys", "special_category")
# Other features (entry form, duplicate check) are built on these three; the owner may not remove them.
CORE_FIELD_KEYS = ("name", "email", "phone")
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")


class Stage(StrEnum):
    FIRST_VISIT = "first_visit"
    LATER_VISITS = "later_visits"


class FieldType(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    DATE = "date"
    NUMBER = "number"
    YES_NO = "yes_no"


class Sensitivity(StrEnum):
    ORDINARY = "ordinary"
    SPECIAL_CATEGORY = "special_category"
    HIGH_RISK = "high_risk_identifier"


@dataclass(frozen=True)
class FieldSpec:
    """One thing the shop may ask a customer, with everything the notice must say about it."""

    key: str
    label: str
    type: FieldType
    stage: Stage
    order: int
    purpose: str
    legal_basis: str
    legal_basis_text: str
    retention: str
    retention_days: int
    recipients: tuple[str, ...]
    required: bool
    if_declined: str
    sensitivity: Sensitivity
    depends_on: str | None
    choices: tuple[str, ...]
    category: str
    enabled: bool
    enable_reason: str
    builtin: bool


@dataclass(frozen=True)
class ConsentPurpose:
    """One thing a customer can say yes or no to, separately from everything else."""

    key: str
    label: str
    description: str
    channel: str | None
    kind: str
    enabled: bool
    order: int


@dataclass(frozen=True)
class Catalogue:
    version: int
    fields: tuple[FieldSpec, ...]
    purposes: tuple[ConsentPurpose, ...]

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)

    def purpose(self, key: str) -> ConsentPurpose:
        for purpose in self.purposes:
            if purpose.key == key:
                return purpose
        raise KeyError(key)

    def enabled_fields(self) -> tuple[FieldSpec, ...]:
        """Enabled fields, first-visit ones first, each stage in queue order."""
        stage_rank = {Stage.FIRST_VISIT: 0, Stage.LATER_VISITS: 1}
        chosen = [spec for spec in self.fields if spec.enabled]
        return tuple(sorted(chosen, key=lambda s: (stage_rank[s.stage], s.order)))

    def enabled_purposes(self) -> tuple[ConsentPurpose, ...]:
        return tuple(sorted((p for p in self.purposes if p.enabled), key=lambda p: p.order))

    def profile_queue_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(spec for spec in self.enabled_fields() if spec.stage is Stage.LATER_VISITS)

    def content_hash(self) -> str:
        """Identifies what the notice tells customers: every text of the enabled fields and purposes, in the
        order they are shown. Disabled entries, queue numbers (only their resulting sequence counts) and the
        owner's private enable reasons are left out, because a customer is never shown them."""
        shown = {
            "fields": [_shown_field(spec) for spec in self.enabled_fields()],
            "purposes": [_shown_purpose(p) for p in self.enabled_purposes()],
        }
        canonical = json.dumps(shown, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def with_field(self, spec: FieldSpec) -> Catalogue:
        """A copy with `spec` replacing the field of the same key, or added at the end if it is new."""
        if any(f.key == spec.key for f in self.fields):
            return replace(self, fields=tuple(spec if f.key == spec.key else f for f in self.fields))
        return replace(self, fields=(*self.fields, spec))

    def with_purpose(self, purpose: ConsentPurpose) -> Catalogue:
        return replace(self, purposes=tuple(purpose if p.key == purpose.key else p for p in self.purposes))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "fields": [_field_to_json(spec) for spec in self.fields],
            "purposes": [asdict(p) for p in self.purposes],
        }


class CatalogueError(CounterpartError, ValueError):
    """A catalogue entry cannot be accepted. `str()` names the entry and, for a file, the line it starts on."""

    def __init__(
        self, field_key: str, problem: str, line: int | None = None, source: str = "", setting: str = ""
    ) -> None:
        where = f"{source} line {line}" if line is not None else source
        name = f"“{field_key}”" if field_key else ""
        super().__init__(": ".join(part for part in (", ".join(p for p in (where, name) if p), problem) if part))
        self.field_key = field_key
        self.line = line
        self.problem = problem
        self.source = source
        self.setting = setting  # which entry setting is wrong ("purpose", "retention"…), so a form can point at it


def _shown_field(spec: FieldSpec) -> dict[str, Any]:
    shown = _field_to_json(spec)
    for private in ("order", "enabled", "enable_reason", "builtin"):
        del shown[private]
    return shown


def _shown_purpose(purpose: ConsentPurpose) -> dict[str, Any]:
    shown = asdict(purpose)
    del shown["order"], shown["enabled"]
    return shown


def _field_to_json(spec: FieldSpec) -> dict[str, Any]:
    data = asdict(spec)
    data.update(
        type=spec.type.value,
        stage=spec.stage.value,
        sensitivity=spec.sensitivity.value,
        recipients=list(spec.recipients),
        choices=list(spec.choices),
    )
    return data


def age_range_bounds(choice: str) -> tuple[int, int | None] | None:
    """Ages covered by an age-range answer: "13–15" → (13, 15), "Under 13" → (0, 12), "65 or over" → (65, None)."""
    text = choice.strip().lower()
    if match := re.fullmatch(r"under (\d+)", text):
        return 0, int(match[1]) - 1
    if match := re.fullmatch(r"(\d+)\s*(?:–|-|to)\s*(\d+)", text):
        return int(match[1]), int(match[2])
    if match := re.fullmatch(r"(\d+)\s*(?:or over|\+|and over)", text):
        return int(match[1]), None
    return None
