"""Tables for visits, profile answers and the consent ledger (migration 0002). Readable: ids, times, kinds."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from core.storage.schema import metadata
from core.storage.sealed import Sealed

visits = Table(
    "visits",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # purchase / service / enquiry / other: not personal
    Column("key_version", Integer, nullable=False),
    Column("note", Sealed, nullable=True),
)

# One row per answer given (answered / declined / ask later). The field key is sealed with the value:
# "health_notes: declined" says something about a person, so nothing but ids and times stay readable.
profile_answers = Table(
    "profile_answers",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", String(32), nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("body", Sealed, nullable=False),
)

# Append-only (triggers refuse UPDATE and DELETE) and chained: mac = HMAC(prev_mac | row), keyed from the data
# key, so an edited, deleted or reordered event is found by ConsentLedger.verify(). No foreign key: the
# ledger must outlive edits to the customer row; erasure will handle it deliberately.
consent_events = Table(
    "consent_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(32), nullable=False, unique=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("at", String(32), nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("body", Sealed, nullable=False),
    Column("prev_mac", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
)

consent_evidence = Table(
    "consent_evidence",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("at", String(32), nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("meta", Sealed, nullable=False),
    Column("data", Sealed, nullable=False),
)
