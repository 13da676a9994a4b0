"""The customer page by keyboard: "What we know" (correct, remove, review lands there), one question per visit
that survives F2, the Tab order, Alt+1…9, the wheel over "How given", and the consent history's local time."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from tests.conftest import PASSPHRASE, ask_everything
from tests.ui.conftest import unlock
from ui.consent_history import ConsentHistoryDialog
from ui.main_window import MainWindow
from ui.what_we_know import CorrectDialog


def _returning(window: MainWindow, name: str) -> str:
    if not window.book.catalogue.current().profile_queue_fields():  # shipped asking nothing later: tests need some
        ask_everything(window.book)
    customer = window.book.save_customer(CustomerDraft(name=name, emails=[f"{name.split()[0].lower()}@example.com"]))
    window.book.desk.record_visit(customer.id, VisitKind.PURCHASE)
    window.list_view.refresh()
    return customer.id


def _open(qtbot, window: MainWindow, name: str) -> None:
    search = window.list_view.search_box
    search.setFocus()
    search.clear()
    qtbot.keyClicks(search, name)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pane.showing_detail)


def _press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def test_what_we_know_shows_corrects_with_history_and_removes(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Known Kim")
    window.book.desk.answer(customer_id, "age_range", "25–39")
    _open(qtbot, window, "Known Kim")
    section = window.profiles.what_we_know
    assert section.isVisible()
    shown = section.findChild(QWidget, "known_age_range").text()
    assert "25–39" in shown
    assert "at visit 1" in shown
    correct, remove = section.buttons["age_range"]
    correct.setFocus()
    qtbot.keyClick(correct, Qt.Key.Key_Space)
    dialog = window.profiles.correction
    assert isinstance(dialog, CorrectDialog)
    qtbot.keyClick(dialog.input, Qt.Key.Key_Down)  # 40–64, the next choice
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert window.book.desk.answers(customer_id)["age_range"].value == "40–64"
    shown = section.findChild(QWidget, "known_age_range").text()
    assert "40–64" in shown
    assert "was 25–39 until " in shown  # the history stays on the page
    assert "corrected" in window.statusBar().currentMessage()
    # Remove asks first; Enter on the question is "Cancel".
    remove = section.buttons["age_range"][1]
    remove.setFocus()
    qtbot.keyClick(remove, Qt.Key.Key_Space)
    box = section.confirmation
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert "age_range" in window.book.desk.answers(customer_id)
    section.buttons["age_range"][1].click()
    section.confirmation.buttons()[0 if section.confirmation.buttons()[0].text() == "Remove" else 1].click()
    assert "age_range" not in window.book.desk.answers(customer_id)
    assert "age_range" not in section.buttons
    assert section.empty.isVisible()


def test_a_wrong_date_correction_says_the_expected_format_beside_the_field(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Dated Dee")
    window.book.desk.answer(customer_id, "birthday", "14 May 1980")
    _open(qtbot, window, "Dated Dee")
    assert "14 May 1980" in window.profiles.what_we_know.findChild(QWidget, "known_birthday").text()
    window.profiles.what_we_know.buttons["birthday"][0].click()
    dialog = window.profiles.correction
    assert isinstance(dialog, CorrectDialog)
    dialog.input.setText("")
    qtbot.keyClicks(dialog.input, "14/05/1980")  # a UK order in a US shop
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "month/day/year, e.g. 05/14/1980" in dialog.error.text()
    window.session.lock()  # a correction half-typed goes with the lock
    assert window.profiles.correction is None
    qtbot.waitUntil(lambda: not dialog.isVisible())
    unlock(qtbot, window, PASSPHRASE)
    _open(qtbot, window, "Dated Dee")
    window.profiles.what_we_know.buttons["birthday"][0].click()
    dialog = window.profiles.correction
    assert isinstance(dialog, CorrectDialog)
    dialog.input.setText("")
    qtbot.keyClicks(dialog.input, "05/14")  # without the year
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert window.book.desk.answers(customer_id)["birthday"].value == "--05-14"
    assert "14 May" in window.profiles.what_we_know.findChild(QWidget, "known_birthday").text()


def test_the_review_list_lands_in_what_we_know(qtbot, unlocked_window: MainWindow) -> None:
    from ui.consent_history import ReviewListDialog

    window = unlocked_window
    customer_id = _returning(window, "Reviewed Rhea")
    desk = window.book.desk
    desk.set_consent(customer_id, "profiling_offers", True, ConsentMethod.VERBAL)
    desk.answer(customer_id, "interests", "Knitting")
    desk.withdraw_all_marketing(customer_id, ConsentMethod.VERBAL)
    window.profiles.review_action.trigger()
    qtbot.waitUntil(lambda: isinstance(window.profiles.dialog, ReviewListDialog), timeout=10_000)
    dialog = window.profiles.dialog
    assert isinstance(dialog, ReviewListDialog)
    dialog.lines.setCurrentRow(0)
    dialog.accept()
    section = window.profiles.what_we_know
    # "Remove", on the flagged answer (the window's focus: the dialog may still be the active window offscreen)
    qtbot.waitUntil(lambda: window.focusWidget() is section.buttons["interests"][1])
    assert "review" in section.findChild(QWidget, "known_interests").text()


def test_one_question_per_visit_and_f2_keeps_the_question(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Asked Abe")
    _open(qtbot, window, "Asked Abe")
    panel = window.profiles.ask_panel
    assert [row.spec.key for row in panel.rows] == ["age_range"]  # shown on opening, before any F2
    assert panel.tally.text() == "Asked today: 0 of 1"
    row = panel.rows[0]
    row.input.setFocus()
    for _ in range(5):
        qtbot.keyClick(row.input, Qt.Key.Key_Down)
    assert row.value() == "25–39"
    qtbot.keyClick(row.input, Qt.Key.Key_F2)  # the visit is recorded …
    assert len(window.book.visits.for_customer(customer_id)) == 2
    assert panel.rows == [row]
    assert row.value() == "25–39"  # … and the half-given answer is still there
    qtbot.keyClick(row.input, Qt.Key.Key_Return)
    assert window.book.desk.answers(customer_id)["age_range"].value == "25–39"
    assert panel.rows == []  # no second question today, although more are waiting
    assert panel.isVisible()
    assert panel.done_line.isVisible()
    assert panel.done_line.text() == "Asked today: 1 of 1 — the next question waits for their next visit."


def test_tab_walks_form_save_question_consent_visits(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    _returning(window, "Tabbing Tia")
    _open(qtbot, window, "Tabbing Tia")
    form, profiles = window.form, window.profiles
    form.name.setFocus()
    visited: list[QWidget] = []
    for _ in range(40):
        focused = QApplication.focusWidget()
        assert focused is not None
        visited.append(focused)
        if focused is profiles.visit_bar.kind:
            break
        _press(qtbot, Qt.Key.Key_Tab)
    question = profiles.ask_panel.rows[0].tab_widgets()
    consent = profiles.consent_panel
    expected = [form.name, form.phone, form.email, form.notes, form.save_button, *question, consent.method]
    expected += [*consent.boxes.values(), *consent.buttons, profiles.visit_bar.kind]
    # Others may add a field to the form: they come before Save; after Save there is no detour.
    after_save = visited[visited.index(form.save_button) :]
    assert after_save == expected[expected.index(form.save_button) :]
    assert visited.index(question[0]) <= 8  # the question is a few Tabs from the name, not ~14


def test_alt_number_ticks_consent_and_the_status_line_says_how(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Ticking Ted")
    _open(qtbot, window, "Ticking Ted")
    panel = window.profiles.consent_panel
    keys = list(panel.boxes)
    assert panel.boxes[keys[0]].text().endswith("(Alt+1)")
    assert panel.boxes[keys[1]].text().endswith("(Alt+2)")
    window.form.name.setFocus()
    qtbot.keyClick(window.form.name, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert window.book.consent.granted_purposes(customer_id) == frozenset({keys[1]})
    label = window.book.desk.catalogue().purpose(keys[1]).label
    assert window.statusBar().currentMessage() == f"{label}: recorded — said at the counter"
    _press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert window.book.consent.granted_purposes(customer_id) == frozenset()
    assert window.statusBar().currentMessage() == f"{label}: withdrawal recorded — said at the counter"


def _wheel(widget: QWidget, steps: int = -1) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_how_given_scrolls_the_page_and_changes_nothing(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    customer_id = _returning(window, "Wheeling Will")
    window.resize(1000, 520)  # a page taller than the window, so there is something to scroll
    _open(qtbot, window, "Wheeling Will")
    panel = window.profiles.consent_panel
    window.form.name.setFocus()
    bar = window.pane.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    before = bar.value()
    for _ in range(3):
        _wheel(panel.method)
    assert panel.method.currentData() == ConsentMethod.VERBAL.value
    assert not panel.method.hasFocus()
    assert bar.value() > before  # the page scrolled instead
    first = next(iter(panel.boxes))
    panel.boxes[first].setFocus()
    qtbot.keyClick(panel.boxes[first], Qt.Key.Key_Space)
    assert window.book.consent.events(customer_id)[-1].method is ConsentMethod.VERBAL
    panel.method.setFocus()  # a box the person is in still follows the wheel
    _wheel(panel.method)
    assert panel.method.currentData() != ConsentMethod.VERBAL.value


@pytest.fixture
def far_time_zone() -> Iterator[str]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Kathmandu"  # UTC+5:45: no test machine is there by accident
    time.tzset()
    yield "Asia/Kathmandu"
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_consent_history_in_local_time_with_the_staff_name(
    qtbot, unlocked_window: MainWindow, far_time_zone: str
) -> None:
    from dataclasses import replace

    window = unlocked_window
    window.book.save_preferences(replace(window.book.preferences(), staff_name="Ana"))
    customer_id = _returning(window, "Historic Hal")
    window.book.desk.set_consent(customer_id, "marketing_email", True, ConsentMethod.VERBAL)
    _open(qtbot, window, "Historic Hal")
    window.profiles.show_history()
    dialog = window.profiles.dialog
    assert isinstance(dialog, ConsentHistoryDialog)
    line = dialog.lines.item(0).text()
    from zoneinfo import ZoneInfo

    at = datetime.fromisoformat(window.book.consent.events(customer_id)[0].at)
    assert line.startswith(at.astimezone(ZoneInfo(far_time_zone)).strftime("%d %b %Y %H:%M"))
    assert line.endswith("recorded by Ana")


def test_health_consent_ticked_as_said_at_the_counter_is_refused_beside_the_boxes(
    qtbot, unlocked_window: MainWindow
) -> None:
    from dataclasses import replace

    window = unlocked_window
    catalogue = window.book.catalogue.current()
    window.book.catalogue.save(
        catalogue.with_purpose(replace(catalogue.purpose("special_category_health"), enabled=True)), "Owner"
    )
    customer_id = _returning(window, "Careful Cara")
    _open(qtbot, window, "Careful Cara")
    panel = window.profiles.consent_panel
    box = panel.boxes["special_category_health"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)  # "How given" still says "Said at the counter"
    assert panel.error.isVisible()
    assert "explicit written consent" in panel.error.text()
    assert not panel.boxes["special_category_health"].isChecked()
    assert window.book.consent.events(customer_id) == []
