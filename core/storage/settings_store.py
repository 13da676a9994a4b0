"""Encrypted key/value settings (the shop's profile may name a sole trader). The audit log is core/storage/audit.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy import delete as sa_delete
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.storage.ids import utc_now
from core.storage.records import RecordCipher
from core.storage.schema import settings
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
