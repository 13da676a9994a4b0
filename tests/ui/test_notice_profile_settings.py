"""Settings → Shop profile: transfers abroad (default none) and the notice language shown, not pretended."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog
from ui.shop_profile_settings import ShopProfilePage


def _page(window: MainWindow) -> tuple[SettingsDialog, ShopProfilePage]:
    window.open_settings("shop_profile")
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    page = dialog.page("shop_profile")
    assert isinstance(page, ShopProfilePage)
    return dialog, page


def test_transfers_default_to_none_with_their_details_hidden(qtbot, unlocked_window) -> None:
    dialog, page = _page(unlocked_window)
    assert page.transfers.currentData() is False
    assert page.transfers.currentText().startswith("None")
    assert not page._form.isRowVisible(page.transfers_abroad)
    assert not page._form.isRowVisible(page.transfer_safeguard)
    dialog.reject()


def test_a_transfer_abroad_is_saved_with_its_safeguard_and_cleared_by_none(qtbot, unlocked_window) -> None:
    window = unlocked_window
    dialog, page = _page(window)
    page.transfers.setCurrentIndex(page.transfers.findData(True))
    assert page._form.isRowVisible(page.transfers_abroad)
    dialog.save()
    assert "say who receives information outside the country" in dialog.error.text()
    page.transfers_abroad.setText("our e-mail service Mailwave, in the USA")
    page.transfer_safeguard.setCurrentText("")
    dialog.save()
    assert "how the information sent abroad is protected" in dialog.error.text()
    page.transfer_safeguard.setCurrentIndex(1)  # one of the usual safeguards, offered ready-made
    with qtbot.waitSignal(dialog.settings_saved):
        dialog.save()
    profile = window.book.notices.profile()
    assert profile.transfers_abroad == "our e-mail service Mailwave, in the USA"
    assert profile.transfer_safeguard == "Standard contractual clauses approved by the European Commission"

    dialog, page = _page(window)
    assert page.transfers.currentData() is True  # loads what was saved
    assert page.transfers_abroad.text() == profile.transfers_abroad
    page.transfers.setCurrentIndex(page.transfers.findData(False))
    with qtbot.waitSignal(dialog.settings_saved):
        dialog.save()
    profile = window.book.notices.profile()
    assert (profile.transfers_abroad, profile.transfer_safeguard) == ("", "")


def test_the_notice_language_is_shown_as_english_and_cannot_be_changed(qtbot, unlocked_window) -> None:
    dialog, page = _page(unlocked_window)
    language = page.findChild(QLabel, "notice_language")
    assert language is not None
    assert "English" in language.text()
    assert page.findChild(QLineEdit, "language") is None
    dialog.reject()
