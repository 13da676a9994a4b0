"""The customer form's unsaved draft, sealed in the book's encrypted settings when idle auto-lock cannot ask.

Auto-lock must lock without a question (nobody is at the counter to answer it), yet what was typed must not be
lost. So the draft is sealed like every personal value (the settings store encrypts it with the data key and
binds the key name in the associated data) just before the keys are forgotten, offered back after the next
unlock, and deleted once it is restored or discarded. It lives in the database, so it also survives the app
being killed while locked: the next unlock offers it all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.customers.store import CustomerDraft
from core.storage.ids import utc_now
from core.storage.settings_store import SettingsStore

DRAFT_KEY = "customers/unsaved-draft"
FORMAT = 1


@dataclass(frozen=True)
class UnsavedDraft:
    """What was typed, and whose page it was typed on (`customer_id` empty: a new customer)."""

    draft: CustomerDraft
    customer_id: str = ""
    sealed_at: str = ""

    @property
    def is_new_customer(self) -> bool:
        return not self.customer_id

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "customer_id": self.customer_id,
            "sealed_at": self.sealed_at,
            "name": self.draft.name,
            "phones": list(self.draft.phones),
            "emails": list(self.draft.emails),
            "notes": self.draft.notes,
            "typed_phones": list(self.draft.typed_phones),
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> UnsavedDraft:
        draft = CustomerDraft(
            name=str(value.get("name", "")),
            phones=[str(p) for p in value.get("phones", [])],
            emails=[str(e) for e in value.get("emails", [])],
            notes=str(value.get("notes", "")),
            typed_phones=[str(p) for p in value.get("typed_phones", [])],
        )
        return cls(draft, str(value.get("customer_id", "")), str(value.get("sealed_at", "")))


class DraftKeeper:
    """One slot: the latest unsaved draft. A second seal replaces the first (only one form is ever open)."""

    def __init__(self, settings: SettingsStore) -> None:
        self._settings = settings

    def seal(self, draft: CustomerDraft, customer_id: str = "") -> UnsavedDraft:
        kept = UnsavedDraft(draft, customer_id, utc_now())
        self._settings.set(DRAFT_KEY, kept.to_json())
        return kept

    def pending(self) -> UnsavedDraft | None:
        """The sealed draft waiting to be offered back, or None. Raises TamperedRecord if it does not open."""
        value = self._settings.get(DRAFT_KEY)
        if not isinstance(value, dict):
            return None
        return UnsavedDraft.from_json(value)

    def forget(self) -> None:
        self._settings.delete(DRAFT_KEY)
