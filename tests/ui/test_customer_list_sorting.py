"""The customer list sorts itself (no sorting proxy): name order from the index, header clicks re-sort, and
the chosen order holds while typing."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from core.customers.search import SearchIndex
from core.customers.store import Customer
from ui.customer_list_view import CustomerListView
from ui.customer_table_model import COLUMN_NAME, COLUMN_PHONE


def _names(view: CustomerListView) -> list[str]:
    return [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]


def _click_header(qtbot, view: CustomerListView, column: int) -> None:
    header = view.table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(column) + 8, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_header_clicks_sort_and_the_order_holds_while_typing(qtbot) -> None:
    index = SearchIndex()
    index.build(
        [
            Customer("1", "Zoë Adams", ("+15550001",), ("zoe@example.com",)),
            Customer("2", "Ángel Brown", ("+15550003",), ("angel@example.com",)),
            Customer("3", "Mia Clarke", ("+15550002",), ("mia@example.com",)),
        ]
    )
    view = CustomerListView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_search(index.search)
    assert _names(view) == ["Ángel Brown", "Mia Clarke", "Zoë Adams"]  # accent-folded name order

    _click_header(qtbot, view, COLUMN_PHONE)
    assert view.table.horizontalHeader().sortIndicatorSection() == COLUMN_PHONE
    assert _names(view) == ["Zoë Adams", "Mia Clarke", "Ángel Brown"]
    qtbot.keyClicks(view.search_box, "example")
    assert _names(view) == ["Zoë Adams", "Mia Clarke", "Ángel Brown"]

    _click_header(qtbot, view, COLUMN_NAME)
    _click_header(qtbot, view, COLUMN_NAME)  # second click: descending
    assert view.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _names(view) == ["Zoë Adams", "Mia Clarke", "Ángel Brown"]
    _click_header(qtbot, view, COLUMN_NAME)
    assert _names(view) == ["Ángel Brown", "Mia Clarke", "Zoë Adams"]
    assert view.current_customer_id() == "2"  # the first row is selected after every refresh
