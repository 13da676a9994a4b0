"""Search box + customer table: type to filter at once, Down to move into the list, Enter to open."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from core.customers.search import SearchResult
from ui.customer_table_model import (
    CHANNEL_LABELS,
    COLUMN_CONTACT_OK,
    COLUMN_EMAIL,
    COLUMN_NAME,
    COLUMN_PHONE,
    CONTACT_SEPARATOR,
    CUSTOMER_ID_ROLE,
    HEADERS,
    ConsentLookup,
    CustomerTableModel,
)
from ui.theme import label

SearchFunction = Callable[[str], SearchResult]


class CustomerListView(QWidget):
    """Emits `customer_activated(id)` on Enter/double-click and `new_requested(search text)` for Ctrl+N."""

    customer_activated = Signal(str)
    results_changed = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search: SearchFunction | None = None
        self.model = CustomerTableModel(self)
        # A pass-through proxy: the model sorts itself (a sorting proxy re-sorted through Python data() calls
        # on every keystroke, the largest cost of a search at 100,000 customers).
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("search")
        self.set_search_words("name, phone or e-mail")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search customers")
        self.search_box.textChanged.connect(self.refresh)
        self.search_box.returnPressed.connect(self.open_current)
        self.search_box.installEventFilter(self)

        self.table = QTableView(self)
        self.table.setObjectName("customer_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # Tab leaves the list (to the customer's page) instead of walking its cells: arrows move within it.
        self.table.setTabKeyNavigation(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COLUMN_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMN_PHONE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_EMAIL, QHeaderView.ResizeMode.Stretch)
        # A fixed width, measured once: fitting it to contents would measure it again on every keystroke.
        header.setSectionResizeMode(COLUMN_CONTACT_OK, QHeaderView.ResizeMode.Fixed)
        metrics = self.table.fontMetrics()
        widest = max(
            metrics.horizontalAdvance(CONTACT_SEPARATOR.join(CHANNEL_LABELS.values())),
            header.fontMetrics().horizontalAdvance(HEADERS[COLUMN_CONTACT_OK]) + 24,  # room for the sort arrow
        )
        header.resizeSection(COLUMN_CONTACT_OK, widest + 24)
        header.setResizeContentsPrecision(0)  # fit the phone column to the visible rows, not up to 1,000 of them
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COLUMN_NAME, Qt.SortOrder.AscendingOrder)
        self._sorted_by = (COLUMN_NAME, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_requested)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.table.installEventFilter(self)

        self.empty_state = label("", "hint")
        self.empty_state.setObjectName("empty_state")
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.more_label = label("", "muted")
        self.more_label.setObjectName("more_results")
        self.more_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.search_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_state, 1)
        layout.addWidget(self.more_label)

    def set_search_words(self, words: str) -> None:
        """The box promises to find only what the shop collects ("name or phone"; set by ui/shop_settings.py)."""
        self.search_box.setPlaceholderText(f"Find a customer: {words}")

    def set_search(self, search: SearchFunction | None) -> None:
        """Connect the list to the unlocked book's index (None when locked)."""
        self._search = search
        if search is None:
            self.search_box.setText("")  # not clear(): that is undoable, so the typed name would stay in history
            self.model.clear()
        self.refresh()

    def set_consent_lookup(self, lookup: ConsentLookup | None, channel_of: Mapping[str, str] | None = None) -> None:
        """Connect the "OK to contact" column to the unlocked book's consent map (None when locked).

        `lookup(customer id)` gives the purposes granted now and must be a memory lookup: it runs in data()."""
        self.model.set_consent_lookup(lookup, channel_of)

    def refresh_customer(self, customer_id: str) -> None:
        """Their consent changed: repaint their indicator without searching again."""
        self.model.consent_changed(customer_id)

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if column == COLUMN_CONTACT_OK:
            # Not sortable: holding that order while typing would ask the consent map for every result on
            # every keystroke, not only for the visible rows. Put the arrow back where it was.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(*self._sorted_by)
            header.blockSignals(False)
            return
        self._sorted_by = (column, order)
        self.model.sort(column, order)

    def refresh(self) -> None:
        if self._search is None:
            self.model.clear()
            self._update_states(0, False, "")
            return
        text = self.search_box.text()
        result = self._search(text)
        self.model.set_rows(result.rows)
        self._update_states(len(result.rows), result.more, text)
        if result.rows:
            self.table.selectRow(0)

    def _update_states(self, count: int, more: bool, text: str) -> None:
        if count == 0:
            self.empty_state.setText(
                f"No customer matches “{text.strip()}”.\nPress Ctrl+N to add them as a new customer."
                if text.strip()
                else "No customers yet — press Ctrl+N to add the first one."
            )
        self.empty_state.setVisible(count == 0 and self._search is not None)
        self.table.setVisible(count > 0)
        self.more_label.setText(f"Showing the first {count:,} matches — keep typing to narrow the list.")
        self.more_label.setVisible(more)
        self.results_changed.emit(count, more)

    def current_customer_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            index = self.proxy.index(0, 0)
        value = self.proxy.data(index, CUSTOMER_ID_ROLE) if index.isValid() else None
        return value if isinstance(value, str) else None

    def open_current(self) -> None:
        customer_id = self.current_customer_id()
        if customer_id:
            self.customer_activated.emit(customer_id)

    def _activated(self, index: QModelIndex) -> None:
        value = self.proxy.data(index, CUSTOMER_ID_ROLE)
        if isinstance(value, str):
            self.customer_activated.emit(value)

    def focus_search(self, select_all: bool = True) -> None:
        self.search_box.setFocus()
        if select_all:
            self.search_box.selectAll()

    def select_customer(self, customer_id: str) -> None:
        row = self.model.row_of(customer_id)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_box and key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.proxy.rowCount():
                self.table.setFocus()
                if not self.table.currentIndex().isValid():
                    self.table.selectRow(0)
                return True
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if watched is self.table and key == Qt.Key.Key_Up and self.table.currentIndex().row() <= 0:
                self.focus_search(select_all=False)
                return True
        return super().eventFilter(watched, event)
