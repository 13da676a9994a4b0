"""Row ids and timestamps: the only readable columns besides revisions and key versions."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def new_id() -> str:
    """A random row id: it says nothing about the customer or the order rows were added in."""
    return secrets.token_hex(16)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
