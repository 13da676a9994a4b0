"""Printing as people expect (issue 13): no printer → said, and "Save as PDF…" offered (never a silent image PDF
in the home folder); a printer → named; a refused Ctrl+P carries on once Settings is saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from tests.ui.conftest import printers_into
from tests.ui.test_notice_printing import _complete_profile, _notice_given_count, _open_customer
from ui.main_window import MainWindow
from ui.notice_preview import DocumentPreview
from ui.printing import NO_PRINTER, Printers
from ui.settings_dialog import SettingsDialog
from ui.shop_profile_settings import ShopProfilePage


def _preview(qtbot, window: MainWindow, name: str) -> DocumentPreview:
    _complete_profile(window)
    _open_customer(qtbot, window, name)
    qtbot.keyClick(window.form.name, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = window.notices.dialog
    assert isinstance(preview, DocumentPreview)
    qtbot.waitUntil(preview.save_button.isEnabled, timeout=15_000)
    return preview


def test_no_printer_says_so_and_offers_save_as_pdf(qtbot, unlocked_window, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # where Qt's fallback used to write ~/print.pdf
    monkeypatch.chdir(tmp_path)
    window = unlocked_window
    window.notices.printers = Printers(names=lambda: [])
    preview = _preview(qtbot, window, "Paperless Paula")
    assert NO_PRINTER in preview.status.text()
    assert not preview.print_button.isEnabled()
    assert preview.save_button.isDefault()
    assert QApplication.focusWidget() is preview.save_button
    preview.print_with_dialog()  # a stray click that still got through: nothing printed, nothing written
    assert NO_PRINTER in preview.status.text()
    assert "Sent to the printer" not in preview.status.text()
    assert list(tmp_path.rglob("*.pdf")) == []

    # "Save as PDF…" proposes a name with the shop and the date (not the customer: file lists are not encrypted).
    proposed: list[str] = []
    target = tmp_path / "saved.pdf"

    def choose(_parent, _title, default, _filter):
        proposed.append(default)
        return str(target), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    before = _notice_given_count(window)
    qtbot.keyClick(preview.save_button, Qt.Key.Key_Space)
    assert Path(proposed[0]).name == f"Privacy notice - Ana's Corner Shop - {date.today().isoformat()}.pdf"
    assert "Paula" not in proposed[0]
    assert target.read_bytes() == preview.pdf
    assert preview.status.text() == "Saved saved.pdf."
    assert _notice_given_count(window) == before + 1
    preview.reject()


def test_with_a_printer_the_message_names_it(qtbot, unlocked_window, tmp_path: Path, monkeypatch) -> None:
    window = unlocked_window
    target = tmp_path / "queue.pdf"

    window.notices.printers = printers_into(target, "HP-Counter")
    monkeypatch.setattr(QPrintDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)  # the owner presses Print
    preview = _preview(qtbot, window, "Printed Pete")
    assert preview.print_button.isEnabled()
    assert QApplication.focusWidget() is preview.print_button
    with qtbot.waitSignal(preview.handed_out, timeout=15_000):
        qtbot.keyClick(preview.print_button, Qt.Key.Key_Space)
    assert preview.status.text() == "Sent to the printer HP-Counter."
    assert target.read_bytes().startswith(b"%PDF")
    preview.reject()


def test_refused_ctrl_p_opens_settings_on_the_missing_field_and_printing_carries_on(
    qtbot, unlocked_window, monkeypatch
) -> None:
    window = unlocked_window
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    _open_customer(qtbot, window, "Waiting Wanda")
    qtbot.keyClick(window.form.name, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "address" in shown[-1]
    assert "printing then carries on" in shown[-1]
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    page = dialog.page("shop_profile")
    assert isinstance(page, ShopProfilePage)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.address)  # the first thing missing

    # Only the address, then Save: still not ready, so it says what is left and puts the cursor there.
    qtbot.keyClicks(page.address, "12 High Street, Springfield")
    with qtbot.waitSignal(dialog.settings_saved):
        qtbot.keyClick(page.address, Qt.Key.Key_Return)
    assert len(shown) == 2
    assert "address" not in shown[-1].split("\n\n")[1]
    assert window.notices.dialog is None
    again = window.settings_dialog
    assert isinstance(again, SettingsDialog)
    assert again is not dialog
    page = again.page("shop_profile")
    assert isinstance(page, ShopProfilePage)
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.phone)
    qtbot.keyClicks(page.phone, "+1 202 555 0143")
    page.privacy_contact.setFocus()
    qtbot.keyClicks(page.privacy_contact, "Ana Souza")
    with qtbot.waitSignal(again.settings_saved):
        qtbot.keyClick(page.privacy_contact, Qt.Key.Key_Return)

    # Printing carries on by itself: the preview of Wanda's notice, no second Ctrl+P.
    qtbot.waitUntil(lambda: isinstance(window.notices.dialog, DocumentPreview), timeout=5_000)
    preview = window.notices.dialog
    assert isinstance(preview, DocumentPreview)
    qtbot.waitUntil(preview.save_button.isEnabled, timeout=15_000)
    assert b"%PDF" in preview.pdf[:8]
    assert len(shown) == 2
    preview.reject()
