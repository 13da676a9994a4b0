"""First run, keyboard only: shop → passphrase (refused, then accepted) → recovery key shown once → book open."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from core.book import CustomerBook
from core.storage.data_folder import DataFolder
from tests.core.test_keyring import MemoryBackend
from tests.ui.conftest import make_window
from ui.app import start_setup_if_needed
from ui.main_window import MainWindow
from ui.setup_wizard import SetupWizard

GOOD_PASSPHRASE = "tram leaves at nine sharp"


def _open_wizard(qtbot, data_folder: DataFolder, keyring_backend: MemoryBackend) -> tuple[MainWindow, SetupWizard]:
    window = make_window(qtbot, data_folder, keyring_backend)
    start_setup_if_needed(window)
    wizard = window.setup_wizard
    assert isinstance(wizard, SetupWizard)
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return window, wizard


def _enter(qtbot, wizard: SetupWizard) -> None:
    qtbot.keyClick(wizard.focusWidget() or wizard, Qt.Key.Key_Return)


def fill_shop_details(wizard: SetupWizard) -> None:
    """The details page filled in as an owner would (the keyboard walk is in test_setup_wizard_details.py)."""
    page = wizard.details_page
    page.address.setText("3 Mill Lane, Bristol BS1 4AA")
    page.phone.setText("0117 496 0000")
    page.privacy_contact.setText("Marta Kowalska")
    page.staff_name.setText("Marta")


def test_first_run_setup_by_keyboard(qtbot, data_folder: DataFolder, keyring_backend: MemoryBackend) -> None:
    window, wizard = _open_wizard(qtbot, data_folder, keyring_backend)
    assert not data_folder.is_set_up()
    _enter(qtbot, wizard)  # intro: "Set up a new customer book" is the default
    assert wizard.currentPage() is wizard.shop_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no shop name yet
    wizard.shop_page.name.setFocus()
    qtbot.keyClicks(wizard.shop_page.name, "Corner Bakery")
    _enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.details_page
    fill_shop_details(wizard)
    _enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.ask_page
    _enter(qtbot, wizard)  # name and a phone, as shipped
    assert wizard.currentPage() is wizard.passphrase_page

    fields = wizard.passphrase_page.fields
    fields.passphrase.setFocus()
    qtbot.keyClicks(fields.passphrase, "short one")
    assert "more to go" in fields.verdict.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    fields.passphrase.clear()
    qtbot.keyClicks(fields.passphrase, "password1234567890")
    assert "commonly used" in fields.verdict.text()
    fields.passphrase.clear()
    qtbot.keyClicks(fields.passphrase, GOOD_PASSPHRASE)
    qtbot.keyClick(fields.passphrase, Qt.Key.Key_Tab)
    qtbot.keyClicks(fields.confirm, GOOD_PASSPHRASE)
    assert fields.ok
    _enter(qtbot, wizard)  # "Create the book": key derivation runs in the background

    recovery = wizard.recovery_page
    qtbot.waitUntil(lambda: recovery.result is not None, timeout=15_000)
    shown_key = recovery.key_label.text()
    assert len(shown_key.split("-")) == 8
    assert fields.passphrase.text() == ""  # the passphrase is cleared from the widget after use
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    recovery.confirm.setFocus()
    qtbot.keyClick(recovery.confirm, Qt.Key.Key_Space)
    with qtbot.waitSignal(wizard.finished):
        _enter(qtbot, wizard)
    assert recovery.key_label.text() == ""  # shown once, then gone from the widget
    assert window.pages.currentWidget() is window.book_page
    qtbot.waitUntil(window.list_view.search_box.hasFocus)
    window.book.close()

    # The book opens with the passphrase and with the recovery key that was shown.
    book = CustomerBook(data_folder)
    book.unlock(GOOD_PASSPHRASE)
    assert book.shop.name == "Corner Bakery"
    book.lock()
    book.unlock_with_recovery_key(shown_key)
    assert book.must_change_passphrase
    book.close()


def test_recovery_sheet_saved_from_the_wizard(qtbot, data_folder, keyring_backend, tmp_path: Path) -> None:
    window, wizard = _open_wizard(qtbot, data_folder, keyring_backend)
    wizard.next()
    wizard.shop_page.name.setText("Łódź Café")
    wizard.next()
    fill_shop_details(wizard)
    wizard.next()
    wizard.next()
    wizard.passphrase_page.fields.passphrase.setText(GOOD_PASSPHRASE)
    wizard.passphrase_page.fields.confirm.setText(GOOD_PASSPHRASE)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.recovery_page.result is not None, timeout=15_000)
    target = tmp_path / "sheet.pdf"
    wizard.save_recovery_sheet(target)
    qtbot.waitUntil(lambda: "Saved to" in wizard.recovery_page.sheet_status.text(), timeout=10_000)
    text = PdfReader(target).pages[0].extract_text()
    assert "Łódź Café" in text
    assert wizard.recovery_page.key_label.text().split("-")[0] in text
    window.session.tasks.wait_for_all()
    window.book.close()


def test_i_have_a_backup_leaves_setup_for_restore(qtbot, data_folder, keyring_backend) -> None:
    window, wizard = _open_wizard(qtbot, data_folder, keyring_backend)
    wizard.intro.from_backup.setFocus()
    qtbot.keyClick(wizard.intro.from_backup, Qt.Key.Key_Space)
    with qtbot.waitSignal(wizard.restore_chosen):
        _enter(qtbot, wizard)
    assert not data_folder.is_set_up()
    window.book.close()


def test_a_database_without_its_key_file_gets_an_explanation_not_the_wizard(
    qtbot, tmp_path: Path, set_up_folder: DataFolder, keyring_backend: MemoryBackend
) -> None:
    """Someone copied only counterpart.db: offering set-up there would start a new book over the old one."""
    import shutil

    copied = DataFolder(tmp_path / "copied")
    copied.ensure()
    shutil.copy(set_up_folder.database, copied.database)
    window = make_window(qtbot, copied, keyring_backend)
    start_setup_if_needed(window)
    assert window.setup_wizard is None
    assert window.pages.currentWidget() is window.lock_view
    shown = window.lock_view.error.text()
    assert "vault.json" in shown
    assert "Restore from backup" in shown
    assert window.lock_view.restore_button.isVisible()
    assert not copied.vault.exists()
