"""Visits: one row per time a customer came in (kind readable, note encrypted)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine, func, insert, select

from core.customers import validation
from core.storage.book_state import BookState
from core.storage.ids import new_id, utc_now
from core.storage.profile_tables import visits
from core.storage.records import RecordCipher
from core.storage.transactions import writing

TABLE = "visits"


class VisitKind(StrEnum):
    PURCHASE = "purchase"
    SERVICE = "service"
    ENQUIRY = "enquiry"
    OTHER = "other"


@dataclass(frozen=True)
class Visit:
    id: str
    customer_id: str
    at: str
    kind: VisitKind
    note: str = ""


class VisitStore:
    def __init__(self, engine: Engine, cipher: RecordCipher, state: BookState | None = None) -> None:
        self._engine = engine
        self._cipher = cipher
        self._state = state

    def record(self, customer_id: str, kind: VisitKind, note: str = "", at: str | None = None) -> Visit:
        note = validation.clean_notes(note) if note else ""
        visit = Visit(new_id(), customer_id, at or utc_now(), VisitKind(kind), note)
        sealed = self._cipher.seal_text(TABLE, visit.id, "note", note, owner=customer_id) if note else None
        with writing(self._engine) as connection:
            connection.execute(
                insert(visits).values(
                    id=visit.id, customer_id=customer_id, at=visit.at, kind=visit.kind.value,
                    key_version=self._cipher.key_version, note=sealed,
                )
            )  # fmt: skip
            if self._state is not None:
                self._state.note(connection, TABLE, added=[(visit.id, self._cipher.key_version, customer_id)])
        return visit

    def for_customer(self, customer_id: str) -> list[Visit]:
        """Oldest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(visits).where(visits.c.customer_id == customer_id).order_by(visits.c.at)
            ).all()
        return [
            Visit(
                r.id,
                r.customer_id,
                r.at,
                VisitKind(r.kind),
                self._cipher.open_text(TABLE, r.id, "note", r.note, r.key_version, owner=r.customer_id)
                if r.note
                else "",
            )
            for r in rows
        ]

    def count(self, customer_id: str) -> int:
        with self._engine.connect() as connection:
            statement = select(func.count()).select_from(visits).where(visits.c.customer_id == customer_id)
            return int(connection.execute(statement).scalar_one())
