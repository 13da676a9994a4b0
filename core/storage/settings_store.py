"""Encrypted key/value settings (the shop's profile may name a sole trader) and the encrypted audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy import delete as sa_delete
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.storage.ids import new_id, utc_now
from core.storage.records import RecordCipher
from core.storage.schema import audit_events, settings
from core.storage.transactions import writing


class SettingsStore:
    def __init__(self, engine: Engine, cipher: RecordCipher) -> None:
        self._engine = engine
        self._cipher = cipher

    def get(self, key: str, default: Any = None, *, connection: Connection | None = None) -> Any:
        """The value under `key`; with `connection`, read inside the caller's transaction."""
        statement = select(settings).where(settings.c.key == key)
        if connection is None:
            with self._engine.connect() as own:
                row = own.execute(statement).first()
        else:
            row = connection.execute(statement).first()
        if row is None:
            return default
        return self._cipher.open_json("settings", key, "value", row.value, row.key_version)

    def set(self, key: str, value: Any, *, connection: Connection | None = None) -> None:
        """Store `value` under `key`; with `connection`, as part of the caller's transaction (which then owns
        commit, rollback and error wording)."""
        sealed = self._cipher.seal_json("settings", key, "value", value)
        values = {"key": key, "key_version": self._cipher.key_version, "value": sealed, "updated_at": utc_now()}
        statement = sqlite_insert(settings).values(**values)
        statement = statement.on_conflict_do_update(index_elements=["key"], set_=values)
        if connection is not None:
            connection.execute(statement)
            return
        with writing(self._engine) as own:
            own.execute(statement)

    def delete(self, key: str, *, connection: Connection | None = None) -> None:
        statement = sa_delete(settings).where(settings.c.key == key)
        if connection is not None:
            connection.execute(statement)
            return
        with writing(self._engine) as own:
            own.execute(statement)


class AuditLog:
    """Append-only record of sensitive actions (exports, reveals, erasures). Details are encrypted."""

    def __init__(self, engine: Engine, cipher: RecordCipher) -> None:
        self._engine = engine
        self._cipher = cipher

    def record(self, action: str, customer_id: str | None = None, details: dict[str, Any] | None = None) -> str:
        event_id = new_id()
        sealed = self._cipher.seal_json("audit_events", event_id, "details", details or {}, owner=customer_id or "")
        with writing(self._engine) as connection:
            connection.execute(
                insert(audit_events).values(
                    id=event_id,
                    at=utc_now(),
                    action=action,
                    customer_id=customer_id,
                    key_version=self._cipher.key_version,
                    details=sealed,
                )
            )
        return event_id

    def entries(self, action: str | None = None) -> list[dict[str, Any]]:
        query = select(audit_events).order_by(audit_events.c.at)
        if action is not None:
            query = query.where(audit_events.c.action == action)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            {
                "id": row.id,
                "at": row.at,
                "action": row.action,
                "customer_id": row.customer_id,
                "details": self._cipher.open_json(
                    "audit_events", row.id, "details", row.details, row.key_version, owner=row.customer_id or ""
                ),
            }
            for row in rows
        ]
