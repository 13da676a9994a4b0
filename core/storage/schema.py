"""Table definitions. Personal values live only in BLOB columns holding AES-GCM ciphertext.

What stays readable: random ids, UTC timestamps, revision counters and the key version.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table

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

# Who did what and when, without personal data in the clear (details are encrypted).
audit_events = Table(
    "audit_events",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("at", String(32), nullable=False),
    Column("action", String(48), nullable=False),
    Column("customer_id", String(32), ForeignKey("customers.id", ondelete="SET NULL"), nullable=True),
    Column("key_version", Integer, nullable=False),
    Column("details", Sealed, nullable=True),
)
Index("ix_audit_events_at", audit_events.c.at)
