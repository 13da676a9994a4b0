"""Ctrl+P at the counter: missing details open Settings; the notice previews, prints through QPrinter and
is recorded as given."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from core.notice.held import NOTES
from core.shop.profile import PURPOSES_PAGE
from tests.core.test_notice import _boxes
from tests.ui.conftest import printers_into
from ui.main_window import MainWindow
from ui.notice_preview import DocumentPreview
from ui.settings_dialog import SettingsDialog


def _complete_profile(window: MainWindow) -> None:
    notices = window.book.notices
    notices.save_profile(
        replace(
            notices.profile(),
            legal_name="Ana Souza Ltd",
            address="12 High Street, Springfield",
            phone="+1 202 555 0143",
            privacy_contact="Ana Souza",
        )
    )


def _open_customer(qtbot, window: MainWindow, name: str, *, save: bool = True) -> None:
    if save:
        window.book.save_customer(CustomerDraft(name=name))
    window.list_view.refresh()
    search = window.list_view.search_box
    search.setFocus()
    qtbot.keyClicks(search, name)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pane.showing_detail)


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _notice_given_count(window: MainWindow) -> int:
    with window.book.engine.connect() as connection:
        return len(connection.exec_driver_sql("SELECT 1 FROM audit_events WHERE action = 'notice_given'").all())


def test_missing_profile_says_what_and_opens_the_right_settings_page(qtbot, unlocked_window, monkeypatch) -> None:
    window = unlocked_window
    _open_customer(qtbot, window, "Missing Milo")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    qtbot.keyClick(window.form.name, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert shown
    assert "address" in shown[0]
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    assert dialog.stack.currentWidget() is dialog.page("shop_profile")
    dialog.reject()


def test_ctrl_p_previews_prints_through_qprinter_and_records_notice_given(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    _complete_profile(window)
    _open_customer(qtbot, window, "Printing Priya")
    qtbot.keyClick(window.form.name, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = window.notices.dialog
    assert isinstance(preview, DocumentPreview)
    qtbot.waitUntil(preview.save_button.isEnabled, timeout=15_000)
    assert preview.pages.count() in (1, 2)
    assert "For Printing Priya" in " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(preview.pdf)).pages
    )
    before = _notice_given_count(window)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    with qtbot.waitSignal(preview.handed_out):
        preview.print_to(printer)
    printed = target.read_bytes()
    assert printed.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(printed)).pages) == preview.pages.count()
    assert _notice_given_count(window) == before + 1
    preview.save_to(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == preview.pdf
    assert _notice_given_count(window) == before + 2
    preview.reject()


def test_blank_toggle_regenerates_the_preview(qtbot, unlocked_window) -> None:
    window = unlocked_window
    _complete_profile(window)
    _open_customer(qtbot, window, "Toggle Tom")
    customer = window.profiles.customer
    assert customer is not None
    window.book.desk.set_consent(customer.id, "marketing_email", True, ConsentMethod.VERBAL)
    window.notices.print_customer_notice()
    preview = window.notices.dialog
    assert isinstance(preview, DocumentPreview)
    qtbot.waitUntil(preview.save_button.isEnabled, timeout=15_000)
    assert not preview.blank.isChecked()  # the profile's default: current choices
    current = preview.pdf
    assert (True, "News and offers by e-mail") in _boxes(current)
    preview.blank.setChecked(True)
    qtbot.waitUntil(lambda: preview.save_button.isEnabled() and preview.pdf is not current, timeout=15_000)
    blank = preview.pdf
    assert blank != current
    assert not any(ticked for ticked, _label in _boxes(blank))
    assert "On file: yes" not in _pdf_text(blank)
    preview.blank.setChecked(False)  # and back: the ledger's tick returns
    qtbot.waitUntil(lambda: preview.save_button.isEnabled() and preview.pdf is not blank, timeout=15_000)
    assert preview.pdf == current
    preview.reject()


def test_ctrl_p_lists_what_is_held_about_the_customer(qtbot, unlocked_window) -> None:
    window = unlocked_window
    _complete_profile(window)
    book = window.book
    customer = book.save_customer(CustomerDraft(name="Held Hana", phones=("+1 202 555 0123",), notes="Regular"))
    book.desk.answer(customer.id, "profession", "Baker")
    _open_customer(qtbot, window, "Held Hana", save=False)
    window.notices.print_customer_notice()
    preview = window.notices.dialog
    assert isinstance(preview, DocumentPreview)
    qtbot.waitUntil(preview.save_button.isEnabled, timeout=15_000)
    assert f"What we hold about you today: Identity, Contact details, Work, {NOTES}." in _pdf_text(preview.pdf)
    preview.reject()


def test_contradicting_settings_block_ctrl_p_and_open_the_page_that_fixes_them(
    qtbot, unlocked_window, monkeypatch
) -> None:
    window = unlocked_window
    _complete_profile(window)
    notices = window.book.notices
    notices.save_profile(replace(notices.profile(), sells_data=True))  # but "Sale of your details" is off
    _open_customer(qtbot, window, "Contra Carla")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    window.notices.print_customer_notice()
    assert shown
    assert "“Sale of your details” is switched off" in shown[0]
    assert not isinstance(window.notices.dialog, DocumentPreview)  # nothing to hand out
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    assert dialog.stack.currentWidget() is dialog.page(PURPOSES_PAGE)
    dialog.reject()


def test_counter_sign_and_policy_from_the_book_menu(qtbot, unlocked_window) -> None:
    window = unlocked_window
    _complete_profile(window)
    for action, needle in ((window.notices.sign_action, "How we use your information"),
                           (window.notices.policy_action, "Privacy policy")):  # fmt: skip
        action.trigger()
        preview = window.notices.dialog
        assert isinstance(preview, DocumentPreview)
        qtbot.waitUntil(preview.save_button.isEnabled, timeout=15_000)
        text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(preview.pdf)).pages)
        assert needle in " ".join(text.split())  # the sign's big title wraps over two lines
        preview.reject()


def test_shop_profile_page_saves_and_refuses_a_bad_partner_line(qtbot, unlocked_window) -> None:
    from ui.shop_profile_settings import ShopProfilePage

    window = unlocked_window
    window.open_settings("shop_profile")
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    page = dialog.page("shop_profile")
    assert isinstance(page, ShopProfilePage)
    page.address.setText("1 Market Square")
    page.privacy_contact.setText("Ana Souza")
    page.partners.setPlainText("Parcelfast | your address")
    dialog.save()
    assert "Partner line 1" in dialog.error.text()
    page.partners.setPlainText("Parcelfast | your name and address | to deliver your orders")
    with qtbot.waitSignal(dialog.settings_saved):
        dialog.save()
    profile = window.book.notices.profile()
    assert profile.address == "1 Market Square"
    assert profile.partners[0].name == "Parcelfast"


def test_print_directly_is_one_keystroke_to_the_default_printer(qtbot, unlocked_window, tmp_path, monkeypatch) -> None:
    """With "print directly" on, Ctrl+P sends the notice to the default printer without a preview: the pages
    are rendered on the background helper and the notice is recorded as given."""

    window = unlocked_window
    _complete_profile(window)
    notices = window.book.notices
    notices.save_profile(replace(notices.profile(), print_directly=True))
    target = tmp_path / "default-printer.pdf"

    window.notices.printers = printers_into(target, "HP-Counter")  # stands in for the system's default queue
    _open_customer(qtbot, window, "Direct Dora")
    before = _notice_given_count(window)
    qtbot.keyClick(window.form.name, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.notices.dialog is None or not window.notices.dialog.isVisible()  # no preview
    qtbot.waitUntil(lambda: _notice_given_count(window) == before + 1, timeout=15_000)
    printed = target.read_bytes()  # page images (the printer gets pixels), so count pages rather than read text
    assert printed.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(printed)).pages) >= 1
    assert "sent to the printer HP-Counter" in window.statusBar().currentMessage()
