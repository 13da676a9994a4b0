"""Marketing lists: only customers whose *current* consent allows the purpose, and each export audited."""

from __future__ import annotations

import io
from dataclasses import dataclass

from core.catalogue import Catalogue, ConsentPurpose
from core.consent.ledger import ConsentLedger
from core.customers.phones import as_typed
from core.customers.profiling import ProfileSettings, ProfileStore, is_child
from core.customers.store import Customer
from core.storage.audit import AuditLog
from core.text.csv_safe import SafeCsvWriter

# Which contact a channel needs, and the CSV column it fills.
_CONTACT = {"email": "emails", "sms": "phones", "phone": "phones"}
# Purposes a list of names and contacts can serve; sharing with partners or selling is never an export.
EXPORTABLE_KINDS = frozenset({"marketing", "surveys", "profiling"})


def exportable_purposes(catalogue: Catalogue) -> list[ConsentPurpose]:
    """The switched-on purposes a marketing export may be made for, in catalogue order."""
    return [purpose for purpose in catalogue.enabled_purposes() if purpose.kind in EXPORTABLE_KINDS]


@dataclass(frozen=True)
class MarketingExport:
    purpose: str
    rows: int
    csv_text: str


def export_marketing_list(
    *,
    purpose_key: str,
    customers: list[Customer],
    granted_by_customer: dict[str, frozenset[str]],
    ledger: ConsentLedger,
    profile: ProfileStore,
    catalogue: Catalogue,
    settings: ProfileSettings,
    audit: AuditLog,
    staff: str,
) -> MarketingExport:
    """A CSV of name + the channel's contact for everyone who agreed to `purpose_key` and has not withdrawn."""
    purpose = catalogue.purpose(purpose_key)
    contact_field = _CONTACT.get(purpose.channel or "")
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)  # names are typed text: a name starting with = must not become a formula
    writer.writerow(["name", "contact", "consent_since"])
    count = 0
    for customer in customers:
        if purpose_key not in granted_by_customer.get(customer.id, frozenset()):
            continue
        state = ledger.current(customer.id).get(purpose_key)  # re-read: the map is only a fast filter
        if state is None or not state.granted:
            continue
        if is_child(profile.answers(customer.id), settings.child_age_threshold) and not state.guardian_name:
            continue
        contacts = getattr(customer, contact_field) if contact_field else ()
        if contact_field and not contacts:
            continue
        writer.writerow([customer.name, as_typed(contacts[0]) if contacts else "", state.since or ""])  # E.164
        count += 1
    audit.record("marketing_export", details={"purpose": purpose_key, "rows": count, "by": staff})
    return MarketingExport(purpose_key, count, buffer.getvalue())
