"""The audit log: an append-only, chained record of sensitive actions (exports, printed notices, passphrase
changes). Details are sealed; the readable columns (seq, time, action, customer id) are covered by the chain.

Built like the consent ledger (core/storage/chain.py): each row's MAC is HMAC-SHA256 over the previous row's
MAC and the row itself, under a key derived from the data key; triggers refuse UPDATE and DELETE; the last
row's seq and MAC are sealed under `audit/anchor` in the same transaction as each append. Unlock checks only
the tail (`check_tail`: the anchor and the last two rows, whatever the log's length); `verify` walks the whole
chain and runs in the background after unlock.

Rows written before the chain existed have no MAC. The first unlock chains them, in order of seq, and writes
the anchor in one transaction; the UPDATE trigger protects only rows that have a MAC, so this one-time filling
needs no trigger dropped (migration 0003). From then on the anchor exists, so a row without a MAC is tampering.
Every row appended since the chain also carries a marker inside its sealed details: a book whose anchor was
deleted and whose MACs were blanked does not pass for one from before the chain, and is not chained again.

What an anchor kept in the same file cannot see: the last entries deleted together with an older, genuinely
sealed anchor copied back from an earlier copy of the file. That reads exactly like the earlier copy itself
(a whole-file rollback); only something kept outside the file could tell them apart.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, text, update

from core.errors import CounterpartError, TamperedRecord
from core.storage.book_state import BookState
from core.storage.chain import GENESIS, chain_mac, read_anchor, set_triggers_aside, write_anchor
from core.storage.ids import new_id, utc_now
from core.storage.records import RecordCipher
from core.storage.schema import audit_events
from core.storage.settings_store import SettingsStore
from core.storage.transactions import writing

TABLE = "audit_events"
ANCHOR_KEY = "audit/anchor"
# Sealed into the details of every entry appended since the chain exists, and taken out again on reading
# (callers' keys never start with "_").
_CHAINED = "_chained"


class AuditTampered(CounterpartError):
    """The audit log was changed outside Counterpart."""

    @classmethod
    def because(cls, what: str) -> AuditTampered:
        return cls(
            "The audit log (Counterpart's record of exports, printed notices and other sensitive actions) was "
            f"changed outside Counterpart: {what}. It can no longer be trusted. Restore the customer book from "
            "a backup."
        )

    @classmethod
    def latest_changed(cls) -> AuditTampered:
        return cls.because("its latest entry was altered")

    @classmethod
    def entries_missing(cls) -> AuditTampered:
        return cls.because("entries are missing or out of order")

    @classmethod
    def seal_changed(cls) -> AuditTampered:
        return cls.because("the seal on its latest entry is missing or altered, so entries may be missing too")

    @classmethod
    def unsealed_entry(cls) -> AuditTampered:
        return cls.because("an entry was added without Counterpart's seal")


def _mac(
    key: bytes | bytearray, prev_mac: str, seq: int, event_id: str, at: str, action: str, customer_id: str | None,
    key_version: int, details: bytes,
) -> str:  # fmt: skip
    # prev | seq | id | at | action | customer ("" for none) | key version | details ciphertext
    return chain_mac(key, details, prev_mac, seq, event_id, at, action, customer_id or "", key_version)


class AuditLog:
    """Append and read audit entries. There is deliberately no update or delete method."""

    def __init__(
        self,
        engine: Engine,
        cipher: RecordCipher,
        mac_keys: Callable[[int], bytes | bytearray],
        state: BookState | None = None,
    ) -> None:
        """`mac_keys(seal version)`: each entry's MAC is keyed from the data key that sealed it (see the ledger)."""
        self._engine = engine
        self._cipher = cipher
        self._mac_keys = mac_keys
        self._settings = SettingsStore(engine, cipher)
        self._state = state

    def forget_key(self) -> None:
        """Zero the MAC keys (at lock)."""
        forget = getattr(self._mac_keys, "forget", None)
        if forget is not None:
            forget()

    def _row_mac(self, row: Any, prev_mac: str | None = None) -> str:
        prev = row.prev_mac if prev_mac is None else prev_mac
        key = self._mac_keys(row.key_version)
        return _mac(key, prev, row.seq, row.id, row.at, row.action, row.customer_id, row.key_version, row.details)

    def _intact(self, row: Any) -> bool:
        """Whether the row's stored MAC is the one its columns give ("" for unopenable details matches none)."""
        expected = self._row_mac(row)
        return bool(expected) and hmac.compare_digest(expected, str(row.mac))

    # --- writing -------------------------------------------------------------------------------------------

    def record(self, action: str, customer_id: str | None = None, details: dict[str, Any] | None = None) -> str:
        """Append one entry. Raises AuditTampered (and writes nothing) when the log's tail is not the anchored
        one, so an entry removed while the book is open is not papered over by the next."""
        event_id = new_id()
        owner = customer_id or ""
        sealed = self._cipher.seal_json(TABLE, event_id, "details", {**(details or {}), _CHAINED: True}, owner=owner)
        # The write lock is taken before the head is read, so two appends at once cannot fork the chain; the
        # anchor moves with the new entry or not at all.
        with writing(self._engine, immediate=True) as connection:
            head = self._tail(connection)
            last_seq, prev = self._chain(connection) if head is None else head
            values = {
                "seq": last_seq + 1, "id": event_id, "at": utc_now(), "action": action, "customer_id": customer_id,
                "key_version": self._cipher.key_version, "details": sealed, "prev_mac": prev,
            }  # fmt: skip
            mac = self._row_mac(SimpleNamespace(**values))
            connection.execute(insert(audit_events).values(**values, mac=mac))
            write_anchor(self._settings, ANCHOR_KEY, last_seq + 1, mac, connection)
            if self._state is not None:
                self._state.note(connection, TABLE, added=[(event_id, values["key_version"], mac)])
        return event_id

    # --- unlock ---------------------------------------------------------------------------------------------

    def check_tail(self) -> None:
        """Unlock's check, cheap whatever the log's length: the anchor and the last two rows. Raises AuditTampered
        when the last entry was altered or removed, the anchor is gone or altered, or an entry lacks its seal.
        A log from before the chain is chained here, once."""
        with self._engine.connect() as connection:
            head = self._tail(connection)
        if head is None:
            with writing(self._engine, immediate=True) as connection:
                if self._tail(connection) is None:  # still unchained now that the write lock is held
                    self._chain(connection)

    def _tail(self, connection: Connection) -> tuple[int, str] | None:
        """The anchored head (seq, MAC), (0, GENESIS) for an empty log, None for a log from before the chain."""
        anchor = self._anchor(connection)
        rows = connection.execute(select(audit_events).order_by(audit_events.c.seq.desc()).limit(2)).all()
        if not rows:
            if anchor is None:
                return 0, GENESIS
            raise AuditTampered.entries_missing()
        last = rows[0]
        if last.mac is None:
            if anchor is None and not self._any_chained(connection):
                return None
            raise AuditTampered.unsealed_entry()
        if anchor is None:
            raise AuditTampered.seal_changed()
        if not self._intact(last):
            raise AuditTampered.latest_changed()
        before = str(rows[1].mac) if len(rows) > 1 else GENESIS
        if last.prev_mac != before or (int(last.seq), str(last.mac)) != anchor:
            raise AuditTampered.entries_missing()
        return anchor

    @staticmethod
    def _any_chained(connection: Connection) -> bool:
        # A full scan, but only for a log whose last row has no MAC: from before the chain, or tampered.
        chained = select(audit_events.c.seq).where(audit_events.c.mac.is_not(None)).limit(1)
        return connection.execute(chained).first() is not None

    def _chain(self, connection: Connection) -> tuple[int, str]:
        """Chain a log from before the chain existed, oldest first, and anchor it; returns the new head."""
        last_seq, prev = 0, GENESIS
        rows = connection.execute(select(audit_events).order_by(audit_events.c.seq)).all()
        for row in rows:
            # Each sealed row must open (the details and id belong together) and must not be one written since
            # the chain: blanked MACs and a deleted anchor must not make a chained log look old.
            owner = row.customer_id or ""
            details = self._cipher.open_json(TABLE, row.id, "details", row.details, row.key_version, owner=owner)
            if isinstance(details, dict) and _CHAINED in details:
                raise AuditTampered.seal_changed()
            mac = self._row_mac(row, prev_mac=prev)
            connection.execute(update(audit_events).where(audit_events.c.id == row.id).values(prev_mac=prev, mac=mac))
            last_seq, prev = int(row.seq), mac
        write_anchor(self._settings, ANCHOR_KEY, last_seq, prev, connection)
        if self._state is not None:
            self._state.rebuild_table(connection, TABLE)
        return last_seq, prev

    def _anchor(self, connection: Connection) -> tuple[int, str] | None:
        try:
            return read_anchor(self._settings, ANCHOR_KEY, connection)
        except TamperedRecord as exc:
            raise AuditTampered.seal_changed() from exc

    # --- reading --------------------------------------------------------------------------------------------

    def entries(self, action: str | None = None) -> list[dict[str, Any]]:
        """Oldest first. Each row's MAC is checked: an edited or unsealed entry raises TamperedRecord."""
        query = select(audit_events).order_by(audit_events.c.seq)
        if action is not None:
            query = query.where(audit_events.c.action == action)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [self._open(row) for row in rows]

    def _open(self, row: Any) -> dict[str, Any]:
        if row.mac is None or not self._intact(row):
            raise TamperedRecord(TABLE, row.id, "mac")
        owner = row.customer_id or ""
        details = self._cipher.open_json(TABLE, row.id, "details", row.details, row.key_version, owner=owner)
        if isinstance(details, dict):
            details.pop(_CHAINED, None)
        return {"id": row.id, "at": row.at, "action": row.action, "customer_id": row.customer_id, "details": details}

    def verify(self) -> list[str]:
        """Walk the whole chain and compare its end with the anchor. Returns plain descriptions of every
        problem; [] when intact."""
        problems: list[str] = []
        last_seq, prev = 0, GENESIS
        t = audit_events
        columns = (t.c.seq, t.c.id, t.c.at, t.c.action, t.c.customer_id, t.c.key_version, t.c.details, t.c.prev_mac)
        statement = select(*columns, t.c.mac).order_by(t.c.seq)
        keys: dict[int, bytes | bytearray] = {}
        same = hmac.compare_digest
        with self._engine.connect() as connection:
            # Bare columns, as the consent ledger's verify: this walks every entry in the background after
            # each unlock and must not hold the interpreter long while the counter types.
            for seq, event_id, at, action, customer, version, details, prev_mac, mac in connection.execution_options(
                yield_per=5000
            ).execute(statement):
                if mac is None:
                    problems.append(f"Audit log entry {seq}: it was added without Counterpart's seal.")
                else:
                    if prev_mac != prev:
                        problems.append(f"Audit log entry {seq}: an entry before it is missing or out of order.")
                    key = keys.get(version) or keys.setdefault(version, self._mac_keys(version))
                    expected = _mac(key, prev_mac, seq, event_id, at, action, customer, version, details)
                    if not (expected and same(expected, str(mac))):
                        problems.append(f"Audit log entry {seq}: it was changed after it was recorded.")
                last_seq, prev = int(seq), str(mac)
            try:
                anchor = self._anchor(connection)
                if anchor is None and last_seq:
                    raise AuditTampered.seal_changed()
                if anchor is not None and anchor != (last_seq, prev):
                    raise AuditTampered.entries_missing()
            except AuditTampered as exc:
                problems.append(str(exc))
        return problems

    # --- moving to a new seal version (core/storage/reseal.py) ---------------------------------------------

    def pending_reseal(self, cipher: RecordCipher) -> int:
        query = select(func.count()).select_from(audit_events).where(audit_events.c.key_version != cipher.key_version)
        with self._engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def reseal_next(self, cipher: RecordCipher, limit: int) -> int:
        """Chained, so the whole log moves in one transaction (like the consent ledger): the second call finds 0."""
        return self.reseal_all(cipher) if self.pending_reseal(cipher) else 0

    def reseal_all(self, cipher: RecordCipher) -> int:
        """Every entry checked against its old MAC and link, re-sealed, and chained again under the current seal
        version's key, in one transaction with the triggers set aside; the anchor follows."""
        t, current, moved = audit_events, cipher.key_version, 0
        with writing(self._engine, immediate=True) as connection:
            if self._tail(connection) is None:
                self._chain(connection)
            triggers = set_triggers_aside(connection, TABLE)
            prev_old = prev_new = GENESIS
            last_seq, params = 0, []
            for row in connection.execute(select(t).order_by(t.c.seq)).all():
                if row.prev_mac != prev_old or not self._intact(row):
                    raise AuditTampered.entries_missing()
                prev_old = str(row.mac)
                details = row.details
                if row.key_version != current:
                    owner = row.customer_id or ""
                    plain = cipher.open_bytes(TABLE, row.id, "details", row.details, row.key_version, owner=owner)
                    details = cipher.seal_bytes(TABLE, row.id, "details", plain, owner=owner)
                    moved += 1
                fresh = SimpleNamespace(**{**row._asdict(), "key_version": current, "details": details})
                mac = self._row_mac(fresh, prev_mac=prev_new)
                params.append({"w_seq": row.seq, "v_details": details, "v_prev": prev_new, "v_mac": mac})
                prev_new, last_seq = mac, int(row.seq)
            if params:
                statement = (
                    update(t)
                    .where(t.c.seq == bindparam("w_seq"))
                    .values(
                        key_version=current,
                        details=bindparam("v_details"),
                        prev_mac=bindparam("v_prev"),
                        mac=bindparam("v_mac"),
                    )
                )
                connection.execute(statement, params)
            if last_seq:
                write_anchor(self._settings, ANCHOR_KEY, last_seq, prev_new, connection)
            if self._state is not None:
                self._state.rebuild_table(connection, TABLE)
            for sql in triggers:
                connection.execute(text(sql))
        return moved
