"""The list's "OK to contact" column: which channels each customer's current consent allows, from the in-memory map
only, for visible rows only, repainted when the pane records a change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from core.consent.ledger import ConsentMethod
from core.customers.search import SearchIndex
from core.customers.store import Customer, CustomerDraft
from ui.customer_list_view import CustomerListView
from ui.customer_table_model import (
    COLUMN_CONTACT_OK,
    COLUMN_NAME,
    CONTACT_CHANNELS_ROLE,
    NO_CONTACT,
    CustomerTableModel,
)
from ui.main_window import MainWindow

CHANNELS = {"marketing_email": "email", "marketing_sms": "sms", "marketing_phone": "phone"}
A11Y = Qt.ItemDataRole.AccessibleTextRole


def _index(count: int) -> SearchIndex:
    index = SearchIndex()
    index.build([Customer(f"id{n:04}", f"Person {n:04}", (), (f"p{n}@example.com",)) for n in range(count)])
    return index


def _cell(model: CustomerTableModel, row: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return model.index(row, COLUMN_CONTACT_OK).data(role)


def test_the_column_says_which_channels_in_short_and_in_plain_words(qtmodeltester) -> None:
    granted = {
        "id0000": frozenset({"marketing_email", "marketing_sms", "marketing_phone"}),
        "id0001": frozenset({"marketing_sms", "surveys"}),  # surveys is no contact channel
        "id0002": frozenset({"marketing_post"}),
    }
    model = CustomerTableModel()
    model.set_rows(_index(4).search("").rows)
    assert model.headerData(COLUMN_CONTACT_OK, Qt.Orientation.Horizontal) == "OK to contact"
    assert _cell(model, 0) is None  # locked / not wired: blank, never a guess
    model.set_consent_lookup(lambda customer_id: granted.get(customer_id, frozenset()), CHANNELS)
    assert [_cell(model, r) for r in range(4)] == ["E-mail · Text · Call", "Text", NO_CONTACT, NO_CONTACT]
    assert _cell(model, 0, CONTACT_CHANNELS_ROLE) == frozenset({"email", "sms", "phone"})
    assert _cell(model, 1, CONTACT_CHANNELS_ROLE) == frozenset({"sms"})
    assert _cell(model, 1, Qt.ItemDataRole.ToolTipRole) == (
        "Agreed to news and offers by text messages. Not by e-mail and phone calls."
    )
    assert _cell(model, 1, A11Y) == _cell(model, 1, Qt.ItemDataRole.ToolTipRole)
    assert _cell(model, 0, A11Y) == "Agreed to news and offers by e-mail, text messages and phone calls."
    assert _cell(model, 3, A11Y) == "No consent to e-mail, text or call them with news and offers."
    qtmodeltester.check(model)
    model.set_consent_lookup(None)
    assert _cell(model, 0) is None
    qtmodeltester.check(model)


def test_a_keystroke_asks_the_consent_map_only_for_visible_rows(qtbot) -> None:
    calls: list[str] = []

    def lookup(customer_id: str) -> frozenset[str]:
        calls.append(customer_id)
        return frozenset({"marketing_email"})

    view = CustomerListView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_consent_lookup(lookup, CHANNELS)
    view.set_search(_index(2_000).search)
    assert view.model.rowCount() == 500  # the cap: the reset the brief worries about
    view.grab()
    calls.clear()
    qtbot.keyClicks(view.search_box, "p")
    view.grab()  # paint now, as the screen would
    visible = view.table.rowAt(view.table.viewport().height() - 1) + 1
    assert 0 < visible < 40
    assert calls  # the column is painted…
    assert len(calls) <= visible  # …from the visible rows only, once each


def test_the_column_does_not_take_a_sort(qtbot) -> None:
    view = CustomerListView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_search(_index(3).search)
    header = view.table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(COLUMN_CONTACT_OK) + 8, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert header.sortIndicatorSection() == COLUMN_NAME
    assert view.proxy.index(0, COLUMN_NAME).data() == "Person 0000"


def _wire(window: MainWindow) -> None:
    # What show_unlocked does once ui/main_window.py carries the line (see the report).
    window.list_view.set_consent_lookup(window.book.desk.granted, window.book.desk.marketing_channels())


def _row_text(window: MainWindow, name: str) -> str:
    proxy = window.list_view.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, COLUMN_NAME).data() == name)
    return str(proxy.index(row, COLUMN_CONTACT_OK).data())


def test_the_list_follows_a_consent_ticked_in_the_pane(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    desk = window.book.desk
    lena = window.book.save_customer(CustomerDraft(name="Lena List", emails=["lena@example.com"])).id
    window.book.save_customer(CustomerDraft(name="Lena Other", emails=["other@example.com"]))
    desk.set_consent(lena, "marketing_email", True, ConsentMethod.VERBAL)
    _wire(window)
    search = window.list_view.search_box
    search.setFocus()
    qtbot.keyClicks(search, "Lena")
    assert _row_text(window, "Lena List") == "E-mail"
    assert _row_text(window, "Lena Other") == NO_CONTACT
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pane.showing_detail)
    box = window.profiles.consent_panel.boxes["marketing_sms"]
    box.setFocus()
    with qtbot.waitSignal(window.list_view.model.dataChanged):
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert _row_text(window, "Lena List") == "E-mail · Text"  # without searching again
    window.profiles.withdraw_all()
    assert _row_text(window, "Lena List") == NO_CONTACT
    window.list_view.set_consent_lookup(None)  # what show_locked does
    assert window.list_view.proxy.index(0, COLUMN_CONTACT_OK).data() is None


def test_screenshot_of_the_list_at_1366_by_768(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    desk = window.book.desk
    people = [
        ("Ana Souza", "+1 202 555 0134", ("marketing_email", "marketing_sms", "marketing_phone")),
        ("Bruno Keller", "+1 202 555 0101", ("marketing_email",)),
        ("Chloé Martin", "+1 202 555 0102", ()),
        ("Dmitri Volkov", "+1 202 555 0103", ("marketing_sms",)),
        ("Emeka Obi", "+1 202 555 0104", ("marketing_email", "marketing_phone")),
        ("Fatima Zahra", "+1 202 555 0105", ("surveys",)),
        ("Grace O'Neill", "+1 202 555 0106", ("marketing_phone",)),
        ("Hiroshi Tanaka", "+1 202 555 0107", ("marketing_email", "marketing_sms")),
    ]
    for name, phone, purposes in people:
        email = name.split()[0].lower().replace("é", "e") + "@example.com"
        customer = window.book.save_customer(CustomerDraft(name=name, phones=[phone], emails=[email]))
        for purpose in purposes:
            desk.set_consent(customer.id, purpose, True, ConsentMethod.VERBAL)
    _wire(window)
    window.list_view.refresh()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    folder = Path("/tmp/consent")
    folder.mkdir(parents=True, exist_ok=True)
    assert window.list_view.grab().save(str(folder / "list.png"))
    assert window.grab().save(str(folder / "window.png"))
    column = window.list_view.table.columnWidth(COLUMN_CONTACT_OK)
    text = window.list_view.table.fontMetrics().horizontalAdvance("E-mail · Text · Call")
    assert column > text  # the longest label fits without eliding
