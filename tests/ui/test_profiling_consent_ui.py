"""At the counter, keyboard only: questions with their purpose, declines remembered, consent and its history,
and a child's boxes disabled until a guardian is named."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from tests.conftest import ask_everything
from ui.consent_history import ConsentHistoryDialog, MarketingExportDialog
from ui.main_window import MainWindow


def _open(qtbot, window: MainWindow, name: str) -> None:
    search = window.list_view.search_box
    search.setFocus()
    search.clear()
    qtbot.keyClicks(search, name)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pane.showing_detail)


def _returning(window: MainWindow, name: str) -> str:
    if not window.book.catalogue.current().profile_queue_fields():  # shipped asking nothing later: tests need some
        ask_everything(window.book)
    customer = window.book.save_customer(CustomerDraft(name=name, emails=[f"{name.split()[0].lower()}@example.com"]))
    window.book.desk.record_visit(customer.id, VisitKind.PURCHASE)  # they have been here before
    window.list_view.refresh()
    return customer.id


def _as_if_yesterday(window: MainWindow) -> None:
    """Move every answer a day back (the time is a readable column), as if they were given at the last visit."""
    from sqlalchemy import text

    with window.book.engine.begin() as connection:
        for row_id, at in connection.execute(text("SELECT id, at FROM profile_answers")).all():
            earlier = (datetime.fromisoformat(at) - timedelta(days=1)).isoformat()
            moved = {"at": earlier, "id": row_id}
            connection.execute(text("UPDATE profile_answers SET at = :at WHERE id = :id"), moved)


def test_returning_customer_is_asked_one_thing_with_its_purpose(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Returning Rosa")
    _open(qtbot, window, "Returning Rosa")
    panel = window.profiles.ask_panel
    assert panel.isVisible()
    assert len(panel.rows) == 1
    row = panel.rows[0]
    assert row.spec.key == "age_range"
    purpose = row.findChild(type(window.profiles.consent_panel.child_note), "purpose_age_range")
    assert purpose is not None
    assert row.spec.purpose in purpose.text()
    # Nothing is pre-chosen: a stray Alt+S records nothing (and cannot make the customer a child).
    assert row.value() == ""
    row.input.setFocus()
    qtbot.keyClick(row.input, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert "age_range" not in window.book.desk.answers(customer_id)
    assert panel.rows[0].error.isVisible()
    # Choose "25–39" with the keyboard (the first Down picks the first choice), then Alt+S saves.
    for _ in range(5):
        qtbot.keyClick(panel.rows[0].input, Qt.Key.Key_Down)
    row = panel.rows[0]
    assert row.value() == "25–39"
    qtbot.keyClick(row.input, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert window.book.desk.answers(customer_id)["age_range"].value == "25–39"
    assert panel.rows == []  # one question per visit: the panel steps aside to its tally
    assert panel.done_line.text().startswith("Asked today: 1 of 1")


def test_declined_question_is_not_shown_at_the_next_visit(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    _returning(window, "Declining Dora")
    _open(qtbot, window, "Declining Dora")
    first = window.profiles.ask_panel.rows[0].spec.key
    qtbot.keyClick(window.form.name, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # from anywhere
    qtbot.keyClick(window.list_view.search_box, Qt.Key.Key_Escape)
    _as_if_yesterday(window)
    # Next visit: F2 records it from the pane, then the customer is opened again.
    _open(qtbot, window, "Declining Dora")
    qtbot.keyClick(window.form.name, Qt.Key.Key_F2)
    assert "2 visits" in window.profiles.visit_bar.summary.text()
    _open(qtbot, window, "Declining Dora")
    keys = [row.spec.key for row in window.profiles.ask_panel.rows]
    assert first not in keys
    assert keys


def test_consent_ticked_then_withdrawn_and_history_shows_both(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Consenting Carla")
    _open(qtbot, window, "Consenting Carla")
    panel = window.profiles.consent_panel
    box = panel.boxes["marketing_email"]
    assert not box.isChecked()  # never pre-ticked
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert "marketing_email" in window.book.consent.granted_purposes(customer_id)
    panel.method.setCurrentIndex(panel.method.findData(ConsentMethod.EMAIL.value))
    box = panel.boxes["marketing_email"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert "marketing_email" not in window.book.consent.granted_purposes(customer_id)
    window.profiles.show_history()
    dialog = window.profiles.dialog
    assert isinstance(dialog, ConsentHistoryDialog)
    lines = [dialog.lines.item(i).text() for i in range(dialog.lines.count())]
    assert len(lines) == 2
    assert "withdrew consent to" in lines[0]
    assert "by e-mail" in lines[0]
    assert "agreed to" in lines[1]
    assert "verbally at the counter" in lines[1]
    assert all("UTC" not in line and line.endswith("recorded by Owner") for line in lines)  # local time
    dialog.reject()


def test_child_marketing_boxes_disabled_until_a_guardian_is_named(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Young Yuri")
    window.book.desk.answer(customer_id, "age_range", "13–15")
    _open(qtbot, window, "Young Yuri")
    panel = window.profiles.consent_panel
    assert panel.child_note.isVisible()
    assert not panel.boxes["marketing_email"].isEnabled()
    assert "parent or guardian" in panel.child_note.text()
    qtbot.keyClicks(panel.guardian_name, "Olga Yurievna")
    assert not panel.boxes["marketing_email"].isEnabled()
    qtbot.keyClicks(panel.guardian_relationship, "mother")
    assert panel.boxes["marketing_email"].isEnabled()
    panel.boxes["marketing_email"].setFocus()
    qtbot.keyClick(panel.boxes["marketing_email"], Qt.Key.Key_Space)
    event = window.book.consent.events(customer_id)[-1]
    assert event.granted
    assert event.guardian_name == "Olga Yurievna"


def test_marketing_export_from_the_menu(qtbot, unlocked_window: MainWindow, tmp_path) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Export Erin")
    window.book.desk.set_consent(customer_id, "marketing_email", True, ConsentMethod.VERBAL)
    window.profiles.export_action.trigger()
    dialog = window.profiles.dialog
    assert isinstance(dialog, MarketingExportDialog)
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("marketing_email"))
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as done:
        dialog.export_to(tmp_path / "list.csv")
        # The export decrypts every customer: it runs on the background helper, the window stays responsive.
        assert window.session.tasks.busy
        assert not dialog.save_button.isEnabled()  # no second export while the first runs
    assert done.args == [1]
    assert '"Export Erin","export@example.com"' in (tmp_path / "list.csv").read_text()
    assert "Saved 1 customers to list.csv" in dialog.status.text()
    assert dialog.save_button.isEnabled()


def test_marketing_export_that_cannot_write_says_so(qtbot, unlocked_window: MainWindow, tmp_path) -> None:
    window = unlocked_window
    window.profiles.export_action.trigger()
    dialog = window.profiles.dialog
    assert isinstance(dialog, MarketingExportDialog)
    with qtbot.waitSignal(dialog.export_failed, timeout=10_000) as failed:
        dialog.export_to(tmp_path / "no such folder" / "list.csv")
    assert failed.args[0].startswith("Could not write list.csv")
    assert dialog.status.text() == failed.args[0]
    assert dialog.save_button.isEnabled()


def test_signed_sheet_attached_is_cited_by_the_next_consent(qtbot, unlocked_window: MainWindow, tmp_path) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Signing Sam")
    _open(qtbot, window, "Signing Sam")
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4 signed")
    with qtbot.waitSignal(window.profiles.evidence_stored, timeout=10_000) as stored:
        window.profiles.attach_evidence_file(scan)
        assert window.session.tasks.busy  # read and sealed off the GUI thread
        assert window.profiles.pending_evidence is None  # not citable before it is stored
    assert stored.args[0] == customer_id
    assert window.profiles.pending_evidence == stored.args[1]
    assert "stored (encrypted)" in window.statusBar().currentMessage()
    panel = window.profiles.consent_panel
    panel.method.setCurrentIndex(panel.method.findData(ConsentMethod.SIGNED_PAPER.value))
    panel.boxes["marketing_post"].setFocus()
    qtbot.keyClick(panel.boxes["marketing_post"], Qt.Key.Key_Space)
    event = window.book.consent.events(customer_id)[-1]
    assert event.evidence_id is not None
    assert window.book.consent.evidence(event.evidence_id)[1] == b"%PDF-1.4 signed"


def test_review_list_finds_data_kept_for_a_withdrawn_purpose(qtbot, unlocked_window: MainWindow) -> None:
    from ui.consent_history import ReviewListDialog

    window = unlocked_window
    customer_id = _returning(window, "Reviewed Rita")
    desk = window.book.desk
    desk.set_consent(customer_id, "profiling_offers", True, ConsentMethod.VERBAL)
    desk.answer(customer_id, "interests", "Knitting")
    desk.withdraw_all_marketing(customer_id, ConsentMethod.VERBAL)
    window.profiles.review_action.trigger()
    qtbot.waitUntil(lambda: isinstance(window.profiles.dialog, ReviewListDialog), timeout=10_000)
    dialog = window.profiles.dialog
    assert isinstance(dialog, ReviewListDialog)
    assert dialog.lines.item(0).text().startswith("Reviewed Rita — ")
    dialog.lines.setCurrentRow(0)
    dialog.accept()
    assert window.form.name.text() == "Reviewed Rita"
    assert window.profiles.consent_panel.review.isVisible()


def test_a_sheet_stored_after_moving_on_is_not_cited_for_the_next_customer(
    qtbot, unlocked_window: MainWindow, tmp_path, monkeypatch
) -> None:
    window = unlocked_window
    slow = _returning(window, "Slow Scan")
    other = _returning(window, "Next Nora")
    desk = window.book.desk
    store, gate = desk.attach_evidence_file, threading.Event()

    def held_store(customer_id, path, note=""):
        assert gate.wait(10), "the test never released the worker"
        return store(customer_id, path, note)

    monkeypatch.setattr(desk, "attach_evidence_file", held_store)
    _open(qtbot, window, "Slow Scan")
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4 signed")
    with qtbot.waitSignal(window.profiles.evidence_stored, timeout=10_000) as stored:
        window.profiles.attach_evidence_file(scan)
        _open(qtbot, window, "Next Nora")  # the worker is still held: the result arrives after the switch
        gate.set()
    assert stored.args[0] == slow  # stored for the customer it was attached for
    assert window.profiles.pending_evidence is None
    panel = window.profiles.consent_panel
    panel.boxes["marketing_post"].setFocus()
    qtbot.keyClick(panel.boxes["marketing_post"], Qt.Key.Key_Space)
    assert window.book.consent.events(other)[-1].evidence_id is None
