"""Moving every sealed value to the current seal version: a new record format, or a new data key (rotation).

Rows are re-sealed a batch at a time, each batch its own short write transaction, so the counter can keep
working meanwhile and a kill loses nothing: a row is either still under its old seal version (which the vault
keeps mapping, with its key, until no row uses it) or already under the new one. The next unlock resumes.
Chained tables (the consent ledger) re-seal themselves in chain order through the `ChainedTable` protocol,
which keeps the chain whole after every batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine, Table, and_, bindparam, func, select, update

from core.errors import TamperedRecord
from core.storage.book_state import BookState
from core.storage.profile_tables import consent_events, consent_evidence, profile_answers, visits
from core.storage.records import RecordCipher
from core.storage.schema import audit_events, customers, settings
from core.storage.transactions import writing

log = logging.getLogger(__name__)
BATCH = 500


@dataclass(frozen=True)
class SealedTable:
    table: Table
    key: str  # the row's id column
    fields: tuple[str, ...]  # sealed columns
    owner: str | None = None  # the column whose value is bound as the row's owner (format 2)
    revision: str | None = None  # the column bound as the row's revision (format 2)


# Every table with sealed columns, except the chained ones (consent ledger, audit log: they re-seal themselves).
SEALED_TABLES: tuple[SealedTable, ...] = (
    SealedTable(settings, "key", ("value",)),
    SealedTable(customers, "id", ("name", "contacts", "notes"), revision="revision"),
    SealedTable(visits, "id", ("note",), owner="customer_id"),
    SealedTable(profile_answers, "id", ("body",), owner="customer_id"),
    SealedTable(consent_evidence, "id", ("meta", "data"), owner="customer_id"),
)


class ChainedTable(Protocol):
    def pending_reseal(self, cipher: RecordCipher) -> int:
        """Rows not yet under the cipher's current seal version."""

    def reseal_next(self, cipher: RecordCipher, limit: int) -> int:
        """Re-seal up to `limit` rows in chain order in one transaction; returns how many (0: done)."""


@dataclass
class ResealReport:
    moved: int = 0
    damaged: list[tuple[str, str]] = field(default_factory=list)  # (table, row id) that did not open
    cancelled: bool = False

    @property
    def finished(self) -> bool:
        return not self.cancelled and not self.damaged


def pending(engine: Engine, cipher: RecordCipher, chained: Sequence[ChainedTable] = ()) -> int:
    with engine.connect() as connection:
        simple = sum(
            int(
                connection.execute(
                    select(func.count()).select_from(t.table).where(t.table.c.key_version != cipher.key_version)
                ).scalar_one()
            )
            for t in SEALED_TABLES
        )
    return simple + sum(c.pending_reseal(cipher) for c in chained)


def versions_in_use(engine: Engine) -> set[int]:
    """Every seal version some row still carries (chained tables included: they have the same column)."""
    found: set[int] = set()
    with engine.connect() as connection:
        for table in (*(t.table for t in SEALED_TABLES), consent_events, audit_events):
            found |= {int(v) for (v,) in connection.execute(select(table.c.key_version).distinct())}
    return found


def reseal_all(
    engine: Engine,
    cipher: RecordCipher,
    chained: Sequence[ChainedTable] = (),
    progress: Callable[[float], None] = lambda _fraction: None,
    cancelled: Callable[[], bool] = lambda: False,
    state: BookState | None = None,
) -> ResealReport:
    """Move every row to `cipher.key_version`. Stops between batches when `cancelled()`; rows that do not open
    under their own seal (damaged or tampered) are left where they are and reported, never dropped."""
    total = max(1, pending(engine, cipher, chained))
    report = ResealReport()
    for spec in SEALED_TABLES:
        after = ""
        while True:
            if cancelled():
                report.cancelled = True
                return report
            moved, after = _reseal_batch(engine, cipher, spec, after, report, state)
            if after == "":
                break
            report.moved += moved
            progress(min(1.0, report.moved / total))
    for table in chained:
        while True:
            if cancelled():
                report.cancelled = True
                return report
            moved = table.reseal_next(cipher, BATCH)
            if moved == 0:
                break
            report.moved += moved
            progress(min(1.0, report.moved / total))
    progress(1.0)
    return report


def _reseal_batch(
    engine: Engine, cipher: RecordCipher, spec: SealedTable, after: str, report: ResealReport, state: BookState | None
) -> tuple[int, str]:
    """Re-seal the next batch of rows (id order, after `after`); returns (moved, last id seen) or (0, "")."""
    t, current = spec.table, cipher.key_version
    key = t.c[spec.key]
    columns = [key, t.c.key_version, *(t.c[f] for f in spec.fields)]
    columns += [t.c[spec.owner]] if spec.owner else []
    columns += [t.c[spec.revision]] if spec.revision else []
    query = select(*columns).where(and_(t.c.key_version != current, key > after)).order_by(key).limit(BATCH)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    if not rows:
        return 0, ""
    params: list[dict[str, object]] = []
    notes: list[tuple[str, int, object]] = []  # (id, old version, what identifies the row's state)
    for row in rows:
        row_id, version = str(row[0]), int(row[1])
        owner = str(getattr(row, spec.owner) or "") if spec.owner else ""
        revision = int(getattr(row, spec.revision)) if spec.revision else 0
        try:
            values: dict[str, object] = {}
            for name in spec.fields:
                sealed = getattr(row, name)
                if sealed is None:
                    values[f"v_{name}"] = None
                    continue
                plain = cipher.open_bytes(t.name, row_id, name, sealed, version, owner=owner, revision=revision)
                values[f"v_{name}"] = cipher.seal_bytes(t.name, row_id, name, plain, owner=owner, revision=revision)
        except TamperedRecord:
            report.damaged.append((t.name, row_id))
            log.warning("a %s row did not open under its own seal; left as it is", t.name)
            continue
        params.append({"w_id": row_id, "w_version": version, "w_revision": revision, **values})
        notes.append((row_id, version, revision if spec.revision else (owner if spec.owner else None)))
    if not params:
        return 0, str(rows[-1][0])
    # One statement for the batch (compiled once), in a write transaction taken up front: the rows are looked at
    # again under the lock, and only those nobody changed since they were read move (a save at the counter
    # meanwhile re-sealed its row itself, and noted it in the fingerprint itself).
    condition = and_(key == bindparam("w_id"), t.c.key_version == bindparam("w_version"))
    if spec.revision:
        condition = and_(condition, t.c[spec.revision] == bindparam("w_revision"))
    statement = update(t).where(condition).values(key_version=current, **{f: bindparam(f"v_{f}") for f in spec.fields})
    with writing(engine, immediate=True) as connection:
        still = select(key, t.c.key_version, *([t.c[spec.revision]] if spec.revision else []))
        now = {str(r[0]): (int(r[1]), int(r[2]) if spec.revision else 0) for r in connection.execute(
            still.where(key.in_([p["w_id"] for p in params]))
        )}  # fmt: skip
        unchanged = [i for i, p in enumerate(params) if now.get(str(p["w_id"])) == (p["w_version"], p["w_revision"])]
        params = [params[i] for i in unchanged]
        notes = [notes[i] for i in unchanged]
        moved = int(connection.execute(statement, params).rowcount) if params else 0
        if state is not None and spec.table.name != "settings" and notes:
            added = [(i, current, extra) for i, _v, extra in notes]
            state.note(connection, spec.table.name, added, [(i, v, extra) for i, v, extra in notes])
    return moved, str(rows[-1][0])


class SealOwner(Protocol):
    """The key file: forgets seal versions and keys no row uses any more (core/storage/key_file.py)."""

    def drop_unused(self, versions_in_use: set[int]) -> None: ...


def reseal_book(
    engine: Engine,
    cipher: RecordCipher,
    chained: Sequence[ChainedTable],
    key_file: SealOwner,
    progress: Callable[[float], None],
    cancelled: Callable[[], bool],
    state: BookState | None = None,
) -> ResealReport:
    """`reseal_all`, then — once every row has moved — the vault drops the versions and keys nobody needs."""
    report = reseal_all(engine, cipher, chained, progress, cancelled, state)
    if report.finished and not cancelled():
        key_file.drop_unused(versions_in_use(engine))
    return report
