"""Re-sealing the consent ledger for a new record format or a new data key, without ever breaking its chain.

The ledger is append-only (triggers refuse UPDATE and DELETE) and each event's MAC covers its sealed body and
the MAC before it, so re-sealing one event changes every MAC after it. The whole ledger therefore moves in ONE
transaction, in chain order: the triggers are set aside inside it, every event is checked against its old MAC
and link first (re-sealing must never launder an edit), re-sealed, and MACed again with the key of the new seal
version; the head anchor follows and the triggers come back before commit. A kill leaves the old ledger or the
new one. It runs where nobody is typing — during unlock, or inside the key rotation's progress dialog — because
it holds the database's write lock for its length (4.4 s for 112,000 events, measured on 2 cores).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select, text, update

from core.consent.checkpoint import CHECKPOINT_KEY
from core.consent.ledger import ANCHOR_KEY, GENESIS, TABLE, event_mac
from core.errors import TamperedRecord
from core.storage.book_state import BookState
from core.storage.chain import set_triggers_aside
from core.storage.profile_tables import consent_events
from core.storage.records import RecordCipher
from core.storage.settings_store import SettingsStore
from core.storage.transactions import writing

_CHUNK = 5000
# One statement for every event (compiled once, executed for a chunk at a time).
_UPDATE_EVENT = (
    update(consent_events)
    .where(consent_events.c.seq == bindparam("w_seq"))
    .values(
        key_version=bindparam("v_version"), body=bindparam("v_body"), prev_mac=bindparam("v_prev"),
        mac=bindparam("v_mac"),
    )
)  # fmt: skip


class LedgerReseal:
    """The consent ledger as a chained table for core/storage/reseal.py."""

    def __init__(
        self,
        engine: Engine,
        settings: SettingsStore,
        mac_keys: Callable[[int], bytes | bytearray],
        state: BookState | None = None,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._mac_keys = mac_keys
        self._state = state

    def pending_reseal(self, cipher: RecordCipher) -> int:
        table = consent_events
        with self._engine.connect() as connection:
            query = select(func.count()).select_from(table).where(table.c.key_version != cipher.key_version)
            return int(connection.execute(query).scalar_one())

    def reseal_next(self, cipher: RecordCipher, limit: int) -> int:
        """For core/storage/reseal.py: the ledger is done in one go (see above), so the second call finds 0."""
        return self.reseal_all(cipher) if self.pending_reseal(cipher) else 0

    def reseal_all(self, cipher: RecordCipher, progress: Callable[[float], None] = lambda _f: None) -> int:
        """Move every event to the cipher's current seal version; returns how many were re-sealed."""
        table, current = consent_events, cipher.key_version
        total = max(1, self.pending_reseal(cipher))
        moved, after, prev_old, prev_new = 0, 0, GENESIS, GENESIS
        changed: dict[int, str] = {}
        with writing(self._engine, immediate=True) as connection:
            triggers = set_triggers_aside(connection, TABLE)
            while rows := connection.execute(
                select(table).where(table.c.seq > after).order_by(table.c.seq).limit(_CHUNK)
            ).all():
                self._check(rows, prev_old)
                prev_old = str(rows[-1].mac)
                key, params = self._mac_keys(current), []
                for row in rows:
                    body = row.body
                    if row.key_version != current:
                        owner = str(row.customer_id)
                        plain = cipher.open_bytes(TABLE, row.id, "body", row.body, row.key_version, owner=owner)
                        body = cipher.seal_bytes(TABLE, row.id, "body", plain, owner=owner)
                        moved += 1
                    mac = event_mac(key, prev_new, row.id, row.customer_id, row.at, current, body)
                    params.append({"w_seq": row.seq, "v_body": body, "v_prev": prev_new, "v_mac": mac})
                    changed[int(row.seq)] = prev_new = mac
                connection.execute(_UPDATE_EVENT, [{**p, "v_version": current} for p in params])
                after = int(rows[-1].seq)
                progress(min(1.0, moved / total))
            self._follow_anchor(connection, changed)
            if self._state is not None:
                self._state.rebuild_table(connection, TABLE)
            for sql in triggers:
                connection.execute(text(sql))
        return moved

    def _check(self, rows: Any, prev: str) -> None:
        """Every event about to be rewritten must be exactly what was recorded, linked as recorded."""
        for row in rows:
            key = self._mac_keys(row.key_version)
            expected = event_mac(key, row.prev_mac, row.id, row.customer_id, row.at, row.key_version, row.body)
            if not hmac.compare_digest(expected, str(row.mac)) or row.prev_mac != prev:
                raise TamperedRecord(TABLE, str(row.id), "mac")
            prev = str(row.mac)

    def _follow_anchor(self, connection: Connection, changed: dict[int, str]) -> None:
        anchor = self._settings.get(ANCHOR_KEY, connection=connection)
        if isinstance(anchor, dict) and anchor.get("seq") in changed:
            self._settings.set(ANCHOR_KEY, {"seq": anchor["seq"], "mac": changed[anchor["seq"]]}, connection=connection)
        # The checkpoint names one event by its MAC; once that MAC changes it would only be ignored. Drop it: the
        # next unlock reads the whole ledger once and writes a new one.
        self._settings.delete(CHECKPOINT_KEY, connection=connection)
