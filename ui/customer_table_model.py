"""Table model over the search index's rows: named columns, one role for the customer id."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from core.customers.phones import display_phone
from core.customers.search import IndexRow

COLUMN_NAME = 0
COLUMN_PHONE = 1
COLUMN_EMAIL = 2
COLUMN_CONTACT_OK = 3
HEADERS = {COLUMN_NAME: "Name", COLUMN_PHONE: "Phone", COLUMN_EMAIL: "E-mail", COLUMN_CONTACT_OK: "OK to contact"}
HEADER_TIPS = {COLUMN_CONTACT_OK: "How the customer agreed to hear from the shop with news and offers, as of now"}
CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CONTACT_CHANNELS_ROLE = Qt.ItemDataRole.UserRole + 2  # frozenset of channels ("email", "sms", "phone")
# Short enough that all three fit a narrow column; the tooltip says it in full.
CHANNEL_LABELS = {"email": "E-mail", "sms": "Text", "phone": "Call"}
CHANNEL_WORDS = {"email": "e-mail", "sms": "text messages", "phone": "phone calls"}
CONTACT_SEPARATOR = " · "
NO_CONTACT = "—"

ConsentLookup = Callable[[str], frozenset[str]]  # customer id -> purpose keys granted now

ModelIndex = QModelIndex | QPersistentModelIndex


class CustomerTableModel(QAbstractTableModel):
    """Holds only what the list shows; cleared on lock. Phones are formatted lazily for visible rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[IndexRow] = []
        self._in_name_order: list[IndexRow] = []  # as the search index returned them
        self._phone_display: dict[str, str] = {}  # stored phone → as shown; phonenumbers runs once per number
        self._phone_region = ""  # the shop's country: its numbers in national format, others international
        self._sort_column = COLUMN_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._consent: ConsentLookup | None = None
        self._channel_of: Mapping[str, str] = {}
        # Granted-purpose set -> (channels, label, sentence). Customers share a handful of distinct sets, so
        # a visible cell costs one dict lookup in the consent map and one here.
        self._contact_cache: dict[frozenset[str], tuple[frozenset[str], str, str]] = {}

    def set_consent_lookup(self, lookup: ConsentLookup | None, channel_of: Mapping[str, str] | None = None) -> None:
        """Feed the "OK to contact" column from the in-memory consent map (None when locked: the column goes blank).
        `channel_of` maps the marketing purposes' keys to their channel."""
        self._consent = lookup
        self._channel_of = dict(channel_of or {})
        self._contact_cache.clear()
        self._contact_column_changed(0, len(self._rows) - 1)

    def consent_changed(self, customer_id: str) -> None:
        """One customer's consent was recorded: repaint their indicator (their row only)."""
        row = self.row_of(customer_id)
        if row >= 0:
            self._contact_column_changed(row, row)

    def _contact_column_changed(self, first: int, last: int) -> None:
        if last >= first:
            self.dataChanged.emit(self.index(first, COLUMN_CONTACT_OK), self.index(last, COLUMN_CONTACT_OK))

    def _contact(self, customer_id: str) -> tuple[frozenset[str], str, str] | None:
        if self._consent is None:
            return None
        granted = self._consent(customer_id)
        shown = self._contact_cache.get(granted)
        if shown is None:
            channels = frozenset(self._channel_of[key] for key in granted if key in self._channel_of)
            yes = [channel for channel in CHANNEL_LABELS if channel in channels]
            no = [CHANNEL_WORDS[channel] for channel in CHANNEL_LABELS if channel not in channels]
            text = CONTACT_SEPARATOR.join(CHANNEL_LABELS[channel] for channel in yes) or NO_CONTACT
            if not yes:
                sentence = "No consent to e-mail, text or call them with news and offers."
            else:
                sentence = "Agreed to news and offers by " + _words([CHANNEL_WORDS[c] for c in yes]) + "."
                if no:
                    sentence += " Not by " + _words(no) + "."
            shown = self._contact_cache[granted] = (channels, text, sentence)
        return shown

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
        self._contact_cache.clear()

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
        if index.column() == COLUMN_CONTACT_OK and role in _CONTACT_ROLES:
            contact = self._contact(row.id)
            if contact is None:
                return None
            channels, text, sentence = contact
            if role == CONTACT_CHANNELS_ROLE:
                return channels
            return text if role == Qt.ItemDataRole.DisplayRole else sentence
        if role == CUSTOMER_ID_ROLE:
            return row.id
        return None

    def set_phone_region(self, region: str) -> None:
        """The shop's country (ShopBasics.phone_region): decides national or international format."""
        if region != self._phone_region:
            self._phone_region = region
            self._phone_display.clear()
            if self._rows:
                self.dataChanged.emit(self.index(0, COLUMN_PHONE), self.index(len(self._rows) - 1, COLUMN_PHONE))

    def _phone(self, stored: str) -> str:
        if not stored:
            return ""
        shown = self._phone_display.get(stored)
        if shown is None:
            shown = self._phone_display[stored] = display_phone(stored, self._phone_region)
        return shown

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(section)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None


_CONTACT_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        CONTACT_CHANNELS_ROLE,
    }
)


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
