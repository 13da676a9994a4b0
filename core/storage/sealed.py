"""The column type of every ciphertext column: whatever a hand edit put there, it reads back as bytes or NULL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Dialect, LargeBinary, case, func, literal_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine


class _SqliteSealed(LargeBinary):
    def column_expression(self, colexpr: ColumnElement[Any]) -> ColumnElement[Any]:
        # SQLite keeps any type in any column, and its driver fails on TEXT that is not UTF-8 (a ciphertext
        # CAST to TEXT is exactly that) before Counterpart sees which row it was. So anything but a BLOB or
        # NULL is read as a one-byte BLOB (not empty: that reads as "no value" in places), which no key opens:
        # the cipher raises TamperedRecord naming the row.
        # Literals, not parameters: the unlock fast path runs the compiled SQL on the driver's own cursor.
        stored = func.typeof(colexpr).in_([literal_column("'blob'"), literal_column("'null'")])
        return case((stored, colexpr), else_=literal_column("x'00'", LargeBinary))


class Sealed(TypeDecorator[bytes]):
    """A BLOB of AES-GCM ciphertext (core/storage/records.py). Written as plain bytes; the read is guarded on SQLite,
    while PostgreSQL's bytea cannot hold anything else."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return _SqliteSealed() if dialect.name == "sqlite" else LargeBinary()
