"""A shop's first day, lived by keyboard in the real window (issue 13's proof).

Set-up with the shop's details and what to ask; five customers (a national-format phone, an e-mail slip fixed
with the suggestion, a duplicate saved on purpose, a non-Latin name); each found by how people say it; Esc with
unsaved changes; a returning customer's question answered and corrected; consent ticked after the wheel rolled
over the page; the notice saved as PDF with no printer; Ctrl+B twice; restore with its warning; lock and unlock.
Only where Qt's offscreen platform has no keyboard path (choosing a file in the native dialog) is a value set.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from shiboken6 import isValid

from core.consent.ledger import ConsentMethod
from core.customers.phones import TYPED_PREFIX
from core.storage.data_folder import DataFolder
from tests.core.test_keyring import MemoryBackend
from tests.ui.conftest import unlock
from tests.ui.keyboard import type_into_focus, type_text
from tests.ui.test_backup_ui import _backup_by_keyboard
from tests.ui.test_setup_wizard import GOOD_PASSPHRASE, _enter, _open_wizard
from ui.backup_dialogs import RestoreDialog
from ui.main_window import MainWindow
from ui.notice_preview import DocumentPreview
from ui.printing import NO_PRINTER, Printers
from ui.what_we_know import CorrectDialog

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None, "nothing has the keyboard"
    qtbot.keyClick(focused, key, modifier)


def tab_and_type(qtbot, text: str) -> None:
    press(qtbot, Qt.Key.Key_Tab)
    type_into_focus(text)


def set_up_the_shop(qtbot, data_folder: DataFolder, keyring_backend: MemoryBackend) -> MainWindow:
    window, wizard = _open_wizard(qtbot, data_folder, keyring_backend)
    _enter(qtbot, wizard)  # "Set up a new customer book"
    wizard.shop_page.name.setFocus()
    type_into_focus("Corner Bakery")
    country = wizard.shop_page.country
    country.setCurrentIndex(country.findData("GB"))  # a long list: picked, as a person picks it by typing
    _enter(qtbot, wizard)
    details = wizard.details_page
    assert QApplication.focusWidget() is details.legal_name
    tab_and_type(qtbot, "3 Mill Lane, Bristol BS1 4AA")
    tab_and_type(qtbot, "0117 496 0000")
    tab_and_type(qtbot, "hello@cornerbakery.example")
    tab_and_type(qtbot, "Marta Kowalska")
    for _ in range(4):  # complaint days, authority, its contact: pre-filled; then "Your name"
        press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is details.staff_name
    type_into_focus("Marta")
    _enter(qtbot, wizard)

    ask = wizard.ask_page
    assert wizard.currentPage() is ask
    for key in ("email", "birthday"):  # a phone is on already; e-mail and a birthday treat are chosen
        ask.boxes[key].setFocus()
        press(qtbot, Qt.Key.Key_Space)
    _enter(qtbot, wizard)
    fields = wizard.passphrase_page.fields
    fields.passphrase.setFocus()
    type_into_focus(GOOD_PASSPHRASE)
    tab_and_type(qtbot, GOOD_PASSPHRASE)
    _enter(qtbot, wizard)
    recovery = wizard.recovery_page
    qtbot.waitUntil(lambda: recovery.result is not None, timeout=15_000)
    recovery.confirm.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    with qtbot.waitSignal(wizard.finished):
        _enter(qtbot, wizard)
    qtbot.waitUntil(window.list_view.search_box.hasFocus)
    window.activateWindow()  # offscreen, the window does not become active by itself when the wizard closes
    qtbot.waitUntil(window.isActiveWindow)
    assert window.book.notices.missing() == []  # the first Ctrl+P will have what it needs
    return window


def add_customer(qtbot, window: MainWindow, name: str, phone: str = "", email: str = "") -> None:
    window.list_view.focus_search()
    window.list_view.search_box.clear()
    type_text(window.list_view.search_box, name)
    press(qtbot, Qt.Key.Key_N, CTRL)  # the name typed in the search box comes along
    form = window.form
    assert form.name.text() == name
    assert QApplication.focusWidget() is form.phone
    type_into_focus(phone)
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.email
    type_into_focus(email)
    press(qtbot, Qt.Key.Key_S, CTRL)


def found(window: MainWindow, typed: str) -> list[str]:
    window.list_view.search_box.clear()
    type_text(window.list_view.search_box, typed)
    model = window.list_view.model
    return sorted(model.index(row, 0).data() for row in range(model.rowCount()))


def open_customer(qtbot, window: MainWindow, typed: str) -> None:
    window.list_view.focus_search()
    found(window, typed)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pane.showing_detail)


def answer_box(qtbot, box: QMessageBox, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    box.activateWindow()  # the offscreen platform does not activate new windows by itself
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.keyClick(box, key, modifier)
    window = box.parentWidget().window()
    qtbot.waitUntil(lambda: not isValid(box) or not box.isVisible())
    window.activateWindow()  # the window takes the keyboard back
    qtbot.waitUntil(window.isActiveWindow)


def roll_the_wheel_over(widget: QWidget) -> None:
    centre = QPointF(widget.rect().center())
    for _ in range(3):
        event = QWheelEvent(
            centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, -120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(widget, event)


def test_a_shops_first_day_by_keyboard(
    qtbot, data_folder: DataFolder, keyring_backend: MemoryBackend, tmp_path: Path, monkeypatch
) -> None:
    window = set_up_the_shop(qtbot, data_folder, keyring_backend)
    book, form = window.book, window.form

    # --- five customers -----------------------------------------------------------------------------------
    add_customer(qtbot, window, "Olivia Brown", phone="07911 123456")
    assert window.statusBar().currentMessage() == "Added Olivia Brown."
    assert form.phone.text() == "07911 123456"  # a UK shop sees UK numbers the way people say them

    add_customer(qtbot, window, "Tom Baker", email="tom.baker@gmial,com")
    assert "“tom.baker@gmial,com”" in form.errors["email"].text()  # quoted exactly as typed
    assert form.email_hint.isVisible()
    press(qtbot, Qt.Key.Key_U, ALT)  # "Use tom.baker@gmail.com" (a mnemonic clicks after its short animation)
    qtbot.waitUntil(lambda: form.email.text() == "tom.baker@gmail.com")
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert window.statusBar().currentMessage() == "Added Tom Baker."

    add_customer(qtbot, window, "Sofia Rossi", phone="020 7946 0958", email="sofia@example.it")
    assert window.statusBar().currentMessage() == "Added Sofia Rossi."

    add_customer(qtbot, window, "Olivia's daughter Mia", phone="+44 7911 123456")  # the family shares a phone
    assert form.banner.isVisible(), "the same phone as Olivia Brown: a duplicate warning first"
    assert book.customers.count() == 3
    press(qtbot, Qt.Key.Key_S, CTRL)  # Ctrl+S again: save anyway
    assert window.statusBar().currentMessage() == "Added Olivia's daughter Mia."

    add_customer(qtbot, window, "Ольга Петрова", phone="+7 912 345-67-89", email="olga@example.ru")
    assert window.statusBar().currentMessage() == "Added Ольга Петрова."
    assert book.customers.count() == 5
    assert all(not p.startswith(TYPED_PREFIX) for c in book.customers.iter_all() for p in c.phones)

    # --- found the way people say it ------------------------------------------------------------------------
    assert found(window, "07911") == ["Olivia Brown", "Olivia's daughter Mia"]
    assert found(window, "07911 123456") == ["Olivia Brown", "Olivia's daughter Mia"]
    assert found(window, "020 7946") == ["Sofia Rossi"]
    assert found(window, "0044 20 7946 0958") == ["Sofia Rossi"]
    assert found(window, "петр") == ["Ольга Петрова"]
    assert found(window, "baker@gm") == ["Tom Baker"]
    assert found(window, "rossi") == ["Sofia Rossi"]

    # --- Esc with unsaved changes asks; Cancel keeps typing, Save keeps it ----------------------------------
    open_customer(qtbot, window, "Sofia")
    form.notes.setFocus()
    type_into_focus("Prefers rye")
    press(qtbot, Qt.Key.Key_Escape)
    box = window.unsaved.prompt
    assert box is not None
    assert box.isVisible()
    answer_box(qtbot, box, Qt.Key.Key_Escape)  # Esc cancels: still on the form, still typed
    assert form.notes.toPlainText() == "Prefers rye"
    form.notes.setFocus()
    press(qtbot, Qt.Key.Key_Escape)
    box = window.unsaved.prompt
    assert box is not None
    answer_box(qtbot, box, Qt.Key.Key_Return)  # Enter saves
    [sofia] = [c for c in book.customers.iter_all(with_notes=True) if c.name == "Sofia Rossi"]
    assert sofia.notes == "Prefers rye"

    # --- a returning customer: the question is there on opening, answered, then corrected -------------------
    open_customer(qtbot, window, "Olivia Brown")
    form.name.setFocus()
    press(qtbot, Qt.Key.Key_F2)  # she bought bread: the visit is recorded
    [olivia] = [c for c in book.customers.iter_all() if c.name == "Olivia Brown"]
    panel = window.profiles.ask_panel
    assert [row.spec.key for row in panel.rows] == ["birthday"]
    row = panel.rows[0]
    row.input.setFocus()
    type_into_focus("14/05/1980")  # the UK's day/month order
    press(qtbot, Qt.Key.Key_Return)
    assert book.desk.answers(olivia.id)["birthday"].value == "1980-05-14"
    assert panel.done_line.text().startswith("Asked today: 1 of 1")
    section = window.profiles.what_we_know
    section.buttons["birthday"][0].setFocus()  # "Correct…"
    press(qtbot, Qt.Key.Key_Space)
    dialog = window.profiles.correction
    assert isinstance(dialog, CorrectDialog)
    dialog.input.selectAll()
    type_text(dialog.input, "15/05/1980")
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert book.desk.answers(olivia.id)["birthday"].value == "1980-05-15"
    shown = section.findChild(QWidget, "known_birthday").text()
    assert "15 May 1980" in shown
    assert "was 14 May 1980 until" in shown  # the history stays on the page

    # --- consent, after the wheel rolled over "How given" ---------------------------------------------------
    consent = window.profiles.consent_panel
    form.name.setFocus()
    roll_the_wheel_over(consent.method)
    assert consent.method.currentData() == ConsentMethod.VERBAL.value
    first_purpose = next(iter(consent.boxes))
    press(qtbot, Qt.Key.Key_1, ALT)
    assert book.consent.events(olivia.id)[-1].method is ConsentMethod.VERBAL
    assert book.consent.events(olivia.id)[-1].staff == "Marta"
    assert window.statusBar().currentMessage().endswith("recorded — said at the counter")
    assert book.consent.granted_purposes(olivia.id) == frozenset({first_purpose})

    # --- Ctrl+P with no printer installed: said, and saved as PDF -------------------------------------------
    window.notices.printers = Printers(names=lambda: [])
    form.name.setFocus()
    press(qtbot, Qt.Key.Key_P, CTRL)
    preview = window.notices.dialog
    assert isinstance(preview, DocumentPreview)
    qtbot.waitUntil(preview.save_button.isEnabled, timeout=15_000)
    assert NO_PRINTER in preview.status.text()
    saved_notice = tmp_path / "notice.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(saved_notice), "PDF (*.pdf)"))
    qtbot.keyClick(preview.save_button, Qt.Key.Key_Space)
    text = "".join(page.extract_text() for page in PdfReader(saved_notice).pages)
    for said in ("Corner Bakery", "Marta Kowalska", "Olivia Brown", "Birthday"):
        assert said in text, said
    for never_chosen in ("Postal address", "Profession", "Age range"):
        assert never_chosen not in text, never_chosen
    preview.reject()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    # --- Ctrl+B twice: both kept ----------------------------------------------------------------------------
    stick = tmp_path / "stick"
    stick.mkdir()
    window.list_view.focus_search()
    _backup_by_keyboard(qtbot, window, stick).reject()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.list_view.focus_search()
    second = _backup_by_keyboard(qtbot, window, stick)
    assert "removed" not in second.status.text()
    second.reject()
    backups = sorted(stick.glob("*.age"))
    assert len(backups) == 2

    # --- a sixth customer after the backup, then restore: the warning says what will be lost ----------------
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    add_customer(qtbot, window, "Late Larry")
    window.backups.restore_action.trigger()
    restore = window.backups.dialog
    assert isinstance(restore, RestoreDialog)
    type_text(restore.file, str(backups[-1]))
    qtbot.keyClick(restore.file, Qt.Key.Key_Tab)
    qtbot.keyClick(restore.secret, Qt.Key.Key_Return)  # empty: this book's own backup key
    qtbot.waitUntil(restore.restore_button.isEnabled, timeout=10_000)
    warning = restore.warning.text()
    assert warning.startswith("Your current book has 6 customers and changes up to today ")
    assert "with 5 customers. Restoring replaces the current book." in warning
    with qtbot.waitSignal(restore.restored, timeout=10_000):
        qtbot.keyClick(restore.restore_button, Qt.Key.Key_Space)

    # --- lock and unlock: the restored book, without Larry; the lock screen forgets the restore -------------
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    unlock(qtbot, window, GOOD_PASSPHRASE)
    assert found(window, "Larry") == []
    assert found(window, "07911") == ["Olivia Brown", "Olivia's daughter Mia"]
    window.list_view.focus_search()
    with qtbot.waitSignal(window.session.locked, timeout=5_000):
        press(qtbot, Qt.Key.Key_L, CTRL)  # nothing unsaved: locks at once
    assert not window.lock_view.notice.isVisible()
    unlock(qtbot, window, GOOD_PASSPHRASE)
    assert window.book.customers.count() == 5
    window.session.tasks.wait_for_all()
    window.book.close()
