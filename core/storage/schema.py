"""Table definitions. Personal values live only in BLOB columns holding AES-GCM ciphertext.

What stays readable: random ids, UTC timestamps, revision counters and the key version.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table

from core.storage.sealed import Sealed

metadata = MetaData()

customers = Table(
    "customers",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("revision", Integer, nullable=False, default=1),
    Column("key_version", Integer, nullable=False),
    Column("name", Sealed, nullable=False),
    Column("contacts", Sealed, nullable=False),
    Column("notes", Sealed, nullable=True),
)

# Key/value settings whose values may be personal (the shop's owner can be a sole trader): encrypted too.
settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("key_version", Integer, nullable=False),
    Column("value", Sealed, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

# Who did what and when, without personal data in the clear (details are encrypted). Append-only and chained
# like consent_events (core/storage/audit.py, migration 0003): `seq` orders the chain, mac = HMAC(prev_mac | row).
# prev_mac and mac are NULL only on rows from before the chain, until the first unlock chains them. No foreign
# key: the log outlives the customer row (ON DELETE SET NULL would be an update of a sealed row).
audit_events = Table(
    "audit_events",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("at", String(32), nullable=False),
    Column("action", String(48), nullable=False),
    Column("customer_id", String(32), nullable=True),
    Column("key_version", Integer, nullable=False),
    Column("details", Sealed, nullable=True),
    Column("seq", Integer, nullable=False),
    Column("prev_mac", String(64), nullable=True),
    Column("mac", String(64), nullable=True),
)
Index("ix_audit_events_at", audit_events.c.at)
Index("ix_audit_events_seq", audit_events.c.seq, unique=True)
