"""Set-up asks what the notice needs (issue 13): the shop's details and what it asks customers, by keyboard, with
bad input refused beside the field; the choices land in the new book; the recovery sheet prints or saves."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.book import CustomerBook
from core.storage.data_folder import DataFolder
from tests.core.test_keyring import MemoryBackend
from tests.ui.conftest import printers_into
from tests.ui.keyboard import type_into_focus
from tests.ui.test_setup_wizard import GOOD_PASSPHRASE, _enter, _open_wizard, fill_shop_details
from ui.printing import Printers
from ui.setup_wizard import NO_PRINTER_FOR_SHEET, SetupWizard


def _to_details(qtbot, wizard: SetupWizard, shop: str = "Corner Bakery") -> None:
    _enter(qtbot, wizard)
    wizard.shop_page.name.setFocus()
    qtbot.keyClicks(wizard.shop_page.name, shop)
    wizard.shop_page.country.setCurrentIndex(wizard.shop_page.country.findData("GB"))
    _enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.details_page


def _tab_type(qtbot, text: str) -> None:
    focus = QApplication.focusWidget()
    qtbot.keyClick(focus, Qt.Key.Key_Tab)
    type_into_focus(text)


def _shown_errors(wizard: SetupWizard) -> dict[str, str]:
    return {name: error.text() for name, error in wizard.details_page.errors.items() if error.isVisible()}


def test_wizard_asks_what_the_notice_needs_and_the_book_is_ready_to_print(
    qtbot, data_folder: DataFolder, keyring_backend: MemoryBackend
) -> None:
    window, wizard = _open_wizard(qtbot, data_folder, keyring_backend)
    _to_details(qtbot, wizard)
    page = wizard.details_page
    assert page.legal_name.text() == "Corner Bakery"  # from the previous page, to correct if registered otherwise
    assert "Information Commissioner" in page.authority_name.text()  # from the country
    assert page.authority_contact.text() == "ico.org.uk/make-a-complaint"
    assert QApplication.focusWidget() is page.legal_name

    # Enter with the rest empty: refused, each message beside its field, the cursor on the first one.
    _enter(qtbot, wizard)
    assert wizard.currentPage() is page
    assert set(_shown_errors(wizard)) == {"address", "contact", "privacy_contact", "staff_name"}
    assert "address" in _shown_errors(wizard)["address"]
    assert QApplication.focusWidget() is page.address

    type_into_focus("3 Mill Lane, Bristol BS1 4AA")
    _tab_type(qtbot, "")  # phone: left empty, the e-mail will do
    _tab_type(qtbot, "hello.cornerbakery.example")  # no @
    _tab_type(qtbot, "Marta Kowalska")
    assert QApplication.focusWidget() is page.privacy_contact
    for _ in range(4):  # complaint days, authority, authority contact, your name
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.staff_name
    type_into_focus("Marta")
    _enter(qtbot, wizard)
    assert wizard.currentPage() is page
    assert set(_shown_errors(wizard)) == {"contact"}
    assert "@" in _shown_errors(wizard)["contact"]
    page.email.setFocus()
    page.email.clear()
    type_into_focus("hello@cornerbakery.example")
    _enter(qtbot, wizard)

    # What will you ask? Name always; a phone ticked; everything else off, each with its purpose beside it.
    ask = wizard.ask_page
    assert wizard.currentPage() is ask
    assert [key for key, box in ask.boxes.items() if box.isChecked()] == ["phone"]
    assert {"email", "birthday", "postal_address", "profession", "children"} <= set(ask.boxes)
    assert "national_id" not in ask.boxes  # sensitive: only in Settings, with a written reason
    reason = ask.findChildren(type(ask.error))
    assert any(label.text() == "Why: So we can deliver orders to your home." for label in reason)
    assert QApplication.focusWidget() is ask.boxes["phone"]
    qtbot.keyClick(ask.boxes["phone"], Qt.Key.Key_Space)  # untick the only contact
    _enter(qtbot, wizard)
    assert wizard.currentPage() is ask
    assert ask.error.isVisible()
    assert "at least one way to reach" in ask.error.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ask.boxes["email"]
    qtbot.keyClick(ask.boxes["email"], Qt.Key.Key_Space)
    _enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.passphrase_page

    fields = wizard.passphrase_page.fields
    fields.passphrase.setFocus()
    qtbot.keyClicks(fields.passphrase, GOOD_PASSPHRASE)
    qtbot.keyClick(fields.passphrase, Qt.Key.Key_Tab)
    qtbot.keyClicks(fields.confirm, GOOD_PASSPHRASE)
    _enter(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.recovery_page.result is not None, timeout=15_000)

    # The choices are in the book: the first Ctrl+P has everything it needs.
    book = window.book
    assert book.notices.missing() == []
    profile = book.notices.profile()
    assert (profile.address, profile.email, profile.privacy_contact) == (
        "3 Mill Lane, Bristol BS1 4AA", "hello@cornerbakery.example", "Marta Kowalska"
    )  # fmt: skip
    assert profile.partners == ()
    assert [f.key for f in book.catalogue.current().enabled_fields()] == ["name", "email"]
    assert book.catalogue.history()[-1].note == "Chosen at set-up"
    assert book.staff_member() == "Marta"
    text = book.notices.current()[0].plain()
    for claim in ("Mobile phone", "Postal address", "Profession", "Children", "delivery", "Parcel"):
        assert claim not in text, claim
    assert "Nobody outside the shop receives your information." in text

    recovery = wizard.recovery_page
    recovery.confirm.setFocus()
    qtbot.keyClick(recovery.confirm, Qt.Key.Key_Space)
    with qtbot.waitSignal(wizard.finished):
        _enter(qtbot, wizard)
    window.session.tasks.wait_for_all()
    window.book.close()
    reopened = CustomerBook(data_folder)
    reopened.unlock(GOOD_PASSPHRASE)
    assert reopened.notices.missing() == []
    reopened.close()


def test_card_digits_in_your_name_are_refused_beside_it(qtbot, data_folder, keyring_backend) -> None:
    window, wizard = _open_wizard(qtbot, data_folder, keyring_backend)
    _to_details(qtbot, wizard)
    fill_shop_details(wizard)
    wizard.details_page.staff_name.setText("4111 1111 1111 1111")
    _enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.details_page
    assert set(_shown_errors(wizard)) == {"staff_name"}
    assert QApplication.focusWidget() is wizard.details_page.staff_name
    window.book.close()


def _to_recovery(qtbot, wizard: SetupWizard) -> None:
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


def test_recovery_sheet_print_without_a_printer_says_so_and_offers_the_pdf(
    qtbot, data_folder, keyring_backend, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # where Qt's silent fallback would have written print.pdf
    monkeypatch.chdir(tmp_path)
    window, wizard = _open_wizard(qtbot, data_folder, keyring_backend)
    wizard.printers = Printers(names=lambda: [])
    _to_recovery(qtbot, wizard)
    page = wizard.recovery_page
    assert page.print_sheet.isVisible()
    assert page.save_sheet.isVisible()
    qtbot.keyClick(page.print_sheet, Qt.Key.Key_Space)
    assert page.sheet_status.text() == NO_PRINTER_FOR_SHEET
    assert QApplication.focusWidget() is page.save_sheet
    window.session.tasks.wait_for_all()
    assert list(tmp_path.glob("*.pdf")) == []
    window.book.close()


def test_recovery_sheet_prints_to_the_named_printer(qtbot, data_folder, keyring_backend, tmp_path: Path) -> None:
    window, wizard = _open_wizard(qtbot, data_folder, keyring_backend)
    target = tmp_path / "hp-counter.pdf"

    wizard.printers = printers_into(target, "HP-Counter", "Office")  # the queue, as a file the test can read
    _to_recovery(qtbot, wizard)
    page = wizard.recovery_page
    qtbot.keyClick(page.print_sheet, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Sent to the printer HP-Counter." in page.sheet_status.text(), timeout=15_000)
    assert len(PdfReader(target).pages) >= 1
    window.session.tasks.wait_for_all()
    window.book.close()
