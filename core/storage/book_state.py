"""The book's state: a keyed fingerprint of every row, so rows deleted, brought back or rolled back are found.

Each value is bound to its row, owner and revision (core/storage/records.py), but that says nothing about rows
that are *missing* or that came back from an older copy whole. So every tracked row has a tag —
HMAC(key_S, table | id | seal version | what identifies this state of the row) — and the book keeps, per table,
the number of rows and the XOR of their tags, sealed in settings (`book/state`) and updated in the same
transaction as every write. Deleting a row, bringing a deleted one back or putting back an older revision changes
the table's fingerprint; recomputing it (`verify`, run in the background after each unlock) finds the difference.

The state also carries an epoch, raised at every unlock and mirrored into vault.json (which is sealed): a
database put back from an older session — e.g. from safety-copies/ — has a smaller epoch than its key file and
is refused at unlock (`BookRolledBack`). What this cannot see is a rollback of *both* files to an older
consistent pair; README says so.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.errors import TamperedRecord
from core.storage.ids import utc_now
from core.storage.profile_tables import consent_events, consent_evidence, profile_answers, visits
from core.storage.records import RecordCipher
from core.storage.schema import audit_events, customers, settings

STATE_KEY = "book/state"


class BookRolledBack(TamperedRecord):
    """The database is older than its key file says: rows were rolled back or the file was replaced."""

    def __init__(self, what: str) -> None:
        Exception.__init__(
            self,
            f"The customer book was changed outside Counterpart: {what}. It is not safe to use. Restore the whole "
            "book from a backup (Restore from backup…), or ask whoever looks after this computer.",
        )
        self.table, self.row_id, self.field = "settings", STATE_KEY, "value"


@dataclass(frozen=True)
class Tracked:
    table: Table
    key: str
    extra: str | None  # the column that identifies this state of the row (revision, owner, chain MAC)


TRACKED: tuple[Tracked, ...] = (
    Tracked(customers, "id", "revision"),
    Tracked(visits, "id", "customer_id"),
    Tracked(profile_answers, "id", "customer_id"),
    Tracked(consent_evidence, "id", "customer_id"),
    Tracked(consent_events, "id", "mac"),
    Tracked(audit_events, "id", "mac"),
)
_BY_NAME = {t.table.name: t for t in TRACKED}


def _tag(key: bytes | bytearray, table: str, row_id: object, version: object, extra: object) -> int:
    message = f"{table}|{row_id}|{version}|{extra if extra is not None else ''}".encode()
    return int.from_bytes(hmac.digest(key, message, "sha256"), "big")


class BookState:
    """Per-table row count and XOR of row tags, sealed under `book/state`; plus the unlock epoch."""

    def __init__(self, cipher: RecordCipher, key: bytes | bytearray, key_version: int) -> None:
        """`key` is derived from data key `key_version`; the state records which, so that after a rotation the
        fingerprints are made again under the new key (a crash between the two is the only gap)."""
        self._cipher = cipher
        self._key = key
        self._key_version = key_version

    def forget_key(self) -> None:
        if isinstance(self._key, bytearray):
            self._key[:] = bytes(len(self._key))

    # --- reading and writing the sealed state --------------------------------------------------------------

    def load(self, connection: Connection) -> dict[str, Any] | None:
        row = connection.execute(select(settings).where(settings.c.key == STATE_KEY)).first()
        if row is None:
            return None
        value = self._cipher.open_json("settings", STATE_KEY, "value", row.value, row.key_version)
        if not isinstance(value, dict) or not isinstance(value.get("tables"), dict):
            raise BookRolledBack("the book's state record is not one Counterpart wrote")
        return value

    def _save(self, connection: Connection, state: Mapping[str, Any]) -> None:
        sealed = self._cipher.seal_json("settings", STATE_KEY, "value", {**state, "key": self._key_version})
        values = {"key": STATE_KEY, "key_version": self._cipher.key_version, "value": sealed, "updated_at": utc_now()}
        statement = sqlite_insert(settings).values(**values)
        connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_=values))

    # --- keeping it current, inside the writer's transaction -----------------------------------------------

    def note(
        self,
        connection: Connection,
        table: str,
        added: Iterable[tuple[object, object, object]] = (),
        removed: Iterable[tuple[object, object, object]] = (),
    ) -> None:
        """Rows `(id, seal version, extra)` that the caller's transaction adds and removes (an update is both)."""
        state = self.load(connection)
        if state is None or state.get("key") != self._key_version:  # unlock (re)builds it before anything is written
            return
        entry = state["tables"].setdefault(table, {"n": 0, "x": "0"})
        count, fingerprint = int(entry["n"]), int(entry["x"], 16)
        for row_id, version, extra in added:
            fingerprint ^= _tag(self._key, table, row_id, version, extra)
            count += 1
        for row_id, version, extra in removed:
            fingerprint ^= _tag(self._key, table, row_id, version, extra)
            count -= 1
        state["tables"][table] = {"n": count, "x": format(fingerprint, "x")}
        self._save(connection, state)

    def rebuild_table(self, connection: Connection, table: str) -> None:
        """After a change that rewrites a whole table in one transaction (a chain re-sealed or first chained)."""
        state = self.load(connection)
        if state is not None:
            state["tables"][table] = self._fingerprint(connection, _BY_NAME[table])
            self._save(connection, state)

    def rebuild(self, connection: Connection) -> None:
        """Every table again, under this state's key (after a rotation gave the book a new one)."""
        state = self.load(connection) or {"epoch": 0, "tables": {}}
        state["tables"] = self.compute(connection)
        self._save(connection, state)

    def _fingerprint(self, connection: Connection, tracked: Tracked) -> dict[str, Any]:
        t = tracked.table
        columns = [t.c[tracked.key], t.c.key_version] + ([t.c[tracked.extra]] if tracked.extra else [])
        count, fingerprint, key, name = 0, 0, self._key, t.name
        for row in connection.execution_options(yield_per=10_000).execute(select(*columns)):
            fingerprint ^= _tag(key, name, row[0], row[1], row[2] if tracked.extra else None)
            count += 1
        return {"n": count, "x": format(fingerprint, "x")}

    def compute(self, connection: Connection) -> dict[str, dict[str, Any]]:
        return {tracked.table.name: self._fingerprint(connection, tracked) for tracked in TRACKED}

    # --- unlock and the background check --------------------------------------------------------------------

    def open_session(self, connection: Connection, vault_epoch: int) -> int:
        """At unlock: refuse a database older than its key file, build a missing state (a book from before),
        then raise the epoch. Returns the new epoch, for the caller to mirror into vault.json."""
        state = self.load(connection)
        if state is None:
            if vault_epoch > 0:
                raise BookRolledBack("the record of the book's state is missing")
            state = {"epoch": 0, "tables": self.compute(connection)}  # a book from before: trusted once
        elif state.get("key") != self._key_version:  # made under the key a rotation replaced
            state["tables"] = self.compute(connection)
        epoch = int(state.get("epoch", 0))
        if epoch < vault_epoch:
            raise BookRolledBack("the database is older than its key file (was it copied back from somewhere?)")
        state["epoch"] = epoch + 1
        self._save(connection, state)
        return epoch + 1

    def verify(self, engine: Engine) -> list[str]:
        """Every table's rows against the sealed fingerprint: plain descriptions of what differs; [] when whole."""
        with engine.connect() as connection:
            state = self.load(connection)
            if state is None:
                return ["The record of the book's state is missing."]
            actual = self.compute(connection)
        problems = []
        for name, found in actual.items():
            kept = state["tables"].get(name, {"n": 0, "x": "0"})
            if found != kept:
                what = _WORDS.get(name, name)
                difference = int(found["n"]) - int(kept["n"])
                if difference < 0:
                    problems.append(f"{-difference} {what} missing: deleted outside Counterpart.")
                elif difference > 0:
                    problems.append(f"{difference} {what} more than Counterpart wrote: added or brought back.")
                else:
                    problems.append(f"Some {what} were replaced by older or other copies.")
        return problems


_WORDS = {
    "customers": "customer records",
    "visits": "visits",
    "profile_answers": "answers",
    "consent_evidence": "consent scans",
    "consent_events": "consent events",
    "audit_events": "audit log entries",
}
