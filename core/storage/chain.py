"""What the two append-only chains share (the consent ledger and the audit log): the chain MAC, the first
entry's `prev_mac`, and the sealed head anchor kept in the settings store.

Each row's MAC is HMAC-SHA256 over the previous row's MAC and the row itself, under a key derived from the data
key, so nobody without the key can forge, edit, drop or reorder rows unnoticed. A chain alone cannot show that
its newest rows were cut off, so the last row's seq and MAC are also sealed in the settings store (the anchor),
moved in the same transaction as each append.
"""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy import Connection

from core.errors import TamperedRecord
from core.storage.settings_store import SettingsStore

GENESIS = "0" * 64  # the prev_mac of a chain's first row


def chain_mac(key: bytes | bytearray, body: object, *fields: object) -> str:
    """HMAC-SHA256 over `field|field|…|` followed by the sealed body's ciphertext, as 64 hex digits.

    "" when `body` is not bytes (TEXT, a number or NULL put there by hand): it matches no stored MAC, so the row
    reads as tampered. One-shot HMAC: unlock and the background checks run this for every row, and hmac.new()
    costs twice as much per call."""
    if not isinstance(body, bytes | bytearray | memoryview):
        return ""
    message = "|".join(map(str, fields)).encode() + b"|" + body
    return hmac.digest(key, message, "sha256").hex()


def read_anchor(settings: SettingsStore, key: str, connection: Connection) -> tuple[int, str] | None:
    """The anchored head (seq, MAC) under `key`, or None when there is none. Raises TamperedRecord when the
    sealed value does not open or is not an anchor."""
    value: Any = settings.get(key, connection=connection)
    if value is None:
        return None
    if not (isinstance(value, dict) and isinstance(value.get("seq"), int) and isinstance(value.get("mac"), str)):
        raise TamperedRecord("settings", key, "value")
    return value["seq"], value["mac"]


def write_anchor(settings: SettingsStore, key: str, seq: int, mac: str, connection: Connection) -> None:
    """Seal the new head under `key`, inside the caller's write transaction (the one that appended it)."""
    settings.set(key, {"seq": seq, "mac": mac}, connection=connection)


def set_triggers_aside(connection: Connection, table: str) -> list[str]:
    """Drop an append-only table's triggers inside this transaction (for re-sealing it whole); returns their
    SQL, to run again before the transaction commits."""
    from sqlalchemy import text

    found = connection.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"), {"table": table}
    ).all()
    for name, _sql in found:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    return [str(sql) for _name, sql in found]
