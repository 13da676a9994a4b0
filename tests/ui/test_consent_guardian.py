"""A child's guardian belongs to that child only: never carried to the next customer, gone after lock; a bad
guardian or signed-sheet name is refused beside its box, keyboard only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from ui.main_window import MainWindow

CARD = "4111 1111 1111 1111"


def _child(window: MainWindow, name: str) -> str:
    customer = window.book.save_customer(CustomerDraft(name=name))
    window.book.desk.record_visit(customer.id, VisitKind.PURCHASE)
    window.book.desk.answer(customer.id, "age_range", "13–15")
    window.list_view.refresh()
    return customer.id


def _open(qtbot, window: MainWindow, name: str) -> None:
    search = window.list_view.search_box
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # back to the search box, as at the counter
    assert QApplication.focusWidget() is search
    qtbot.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(search, name)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.form.name.text() == name)


def _type_guardian(qtbot, window: MainWindow, name: str, relationship: str) -> None:
    panel = window.profiles.consent_panel
    panel.guardian_name.setFocus()
    qtbot.keyClicks(panel.guardian_name, name)
    qtbot.keyClick(panel.guardian_name, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.guardian_relationship
    qtbot.keyClicks(panel.guardian_relationship, relationship)


def _tick(qtbot, window: MainWindow, purpose: str) -> None:
    box = window.profiles.consent_panel.boxes[purpose]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def test_the_next_childs_boxes_wait_for_their_own_guardian(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    anna = _child(window, "Anna Child")
    ben = _child(window, "Ben Child")
    _open(qtbot, window, "Anna Child")
    _type_guardian(qtbot, window, "Greta Child", "mother")
    _tick(qtbot, window, "marketing_email")
    assert window.book.consent.events(anna)[-1].guardian_name == "Greta Child"
    # Another consent for the same child keeps the guardian typed for her.
    panel = window.profiles.consent_panel
    assert panel.guardian_name.text() == "Greta Child"
    assert panel.boxes["marketing_sms"].isEnabled()

    _open(qtbot, window, "Ben Child")
    panel = window.profiles.consent_panel
    assert panel.guardian_name.text() == ""
    assert panel.guardian_relationship.text() == ""
    box = panel.boxes["marketing_email"]
    assert not box.isEnabled()
    qtbot.keyClick(box, Qt.Key.Key_Space)  # a disabled box takes no key
    assert window.book.consent.events(ben) == []
    _type_guardian(qtbot, window, "Hugo Child", "father")
    assert box.isEnabled()
    _tick(qtbot, window, "marketing_email")
    events = window.book.consent.events(ben)
    assert [(e.purpose, e.guardian_name, e.guardian_relationship) for e in events] == [
        ("marketing_email", "Hugo Child", "father")
    ]

    with qtbot.waitSignal(window.session.locked):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert panel.guardian_name.text() == ""
    assert panel.guardian_relationship.text() == ""


def test_a_card_number_as_guardian_is_refused_beside_the_box(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    child = _child(window, "Cara Child")
    _open(qtbot, window, "Cara Child")
    _type_guardian(qtbot, window, f"Dora {CARD}", "aunt")
    _tick(qtbot, window, "marketing_email")
    panel = window.profiles.consent_panel
    assert window.book.consent.events(child) == []
    assert panel.guardian_error.isVisible()
    assert "card number" in panel.guardian_error.text()
    assert not panel.error.isVisible()
    assert QApplication.focusWidget() is panel.guardian_name  # ready to fix
    assert not panel.boxes["marketing_email"].isChecked()
    # Fix it with the keyboard and tick again: recorded with the corrected name, and the message goes away.
    panel.guardian_name.selectAll()
    qtbot.keyClicks(panel.guardian_name, "Dora Child")
    _tick(qtbot, window, "marketing_email")
    assert window.book.consent.events(child)[-1].guardian_name == "Dora Child"
    assert not panel.guardian_error.isVisible()


def test_a_bad_signed_sheet_name_is_refused_next_to_the_attach_button(
    qtbot, unlocked_window: MainWindow, tmp_path: Path
) -> None:
    window = unlocked_window
    child = _child(window, "Eva Child")
    _open(qtbot, window, "Eva Child")
    scan = tmp_path / f"{CARD}.pdf"
    scan.write_bytes(b"%PDF-1.4")
    panel = window.profiles.consent_panel
    window.profiles.attach_evidence_file(scan)
    qtbot.waitUntil(lambda: panel.error.isVisible())
    assert "card number" in panel.error.text()
    assert window.profiles.pending_evidence is None
    assert window.book.consent.events(child) == []
