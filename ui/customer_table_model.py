"""Table model over the search index's rows: named columns, one role for the customer id."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from core.search import IndexRow
from core.validation import format_phone

COLUMN_NAME = 0
COLUMN_PHONE = 1
COLUMN_EMAIL = 2
HEADERS = {COLUMN_NAME: "Name", COLUMN_PHONE: "Phone", COLUMN_EMAIL: "E-mail"}
CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1

ModelIndex = QModelIndex | QPersistentModelIndex


class CustomerTableModel(QAbstractTableModel):
    """Holds only what the list shows; cleared on lock. Phones are formatted lazily for visible rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[IndexRow] = []
        self._in_name_order: list[IndexRow] = []  # as the search index returned them
        self._phone_display: dict[str, str] = {}
        self._sort_column = COLUMN_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: list[IndexRow]) -> None:
        self.beginResetModel()
        self._in_name_order = rows
        self._rows = self._sorted(rows)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort here, one Python key per row: a sorting proxy calls data() for every comparison, which cost
        more than the search itself on each keystroke (see bench/README.md)."""
        self._sort_column, self._sort_order = column, order
        self.set_rows(self._in_name_order)

    def _sorted(self, rows: list[IndexRow]) -> list[IndexRow]:
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        if self._sort_column == COLUMN_PHONE:
            return sorted(rows, key=lambda row: row.phone, reverse=descending)
        if self._sort_column == COLUMN_EMAIL:
            return sorted(rows, key=lambda row: row.email.casefold(), reverse=descending)
        # The search index already returns rows in name order (accent- and case-folded).
        return rows[::-1] if descending else rows

    def clear(self) -> None:
        self.set_rows([])
        self._phone_display.clear()

    def row_at(self, row: int) -> IndexRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, customer_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == customer_id), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == COLUMN_NAME:
                return row.name
            if column == COLUMN_PHONE:
                return self._phone(row.phone)
            if column == COLUMN_EMAIL:
                return row.email
        if role == CUSTOMER_ID_ROLE:
            return row.id
        return None

    def _phone(self, e164: str) -> str:
        if not e164:
            return ""
        shown = self._phone_display.get(e164)
        if shown is None:
            shown = self._phone_display[e164] = format_phone(e164)
        return shown

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(section)
        return None
