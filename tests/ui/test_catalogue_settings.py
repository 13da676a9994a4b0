"""Settings → Fields we collect / Consent purposes, driven by the keyboard: edits become a new catalogue version."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.catalogue import FieldType
from core.storage.data_folder import DataFolder
from ui.catalogue_models import KeyRole
from ui.catalogue_settings import CatalogueFieldsPage
from ui.consent_purposes_page import ConsentPurposesPage
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def set_up_folder(shipped_folder: DataFolder) -> DataFolder:
    """These tests start from the shipped catalogue (version 1), as a new shop's owner does."""
    return shipped_folder


def open_settings(qtbot, window: MainWindow, page_key: str) -> tuple[SettingsDialog, object]:
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()  # the offscreen platform does not activate new windows by itself
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.page_list.setFocus()
    while dialog.stack.currentWidget().key != page_key:  # walk the page list like a person with arrow keys
        qtbot.keyClick(dialog.page_list, Qt.Key.Key_Down)
    return dialog, dialog.page(page_key)


def focus_row(qtbot, page: CatalogueFieldsPage | ConsentPurposesPage, key: str) -> None:
    """Put the cursor on the row of `key` with Ctrl+Home and the Down arrow."""
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(page.model.rowCount()):
        if page.model.data(page.table.currentIndex(), KeyRole) == key:
            return
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    raise AssertionError(f"no row for {key}")


def save(qtbot, dialog: SettingsDialog) -> None:
    with qtbot.waitSignal(dialog.settings_saved):
        qtbot.keyClick(dialog.page_list, Qt.Key.Key_Return)


def test_models_pass_the_model_tester(qtmodeltester, qtbot, unlocked_window: MainWindow) -> None:
    dialog, page = open_settings(qtbot, unlocked_window, "catalogue_fields")
    assert isinstance(page, CatalogueFieldsPage)
    qtmodeltester.check(page.model)
    qtmodeltester.check(dialog.page("catalogue_purposes").model)  # type: ignore[attr-defined]


def test_switch_on_reorder_and_add_a_custom_field_by_keyboard(qtbot, unlocked_window: MainWindow) -> None:
    book = unlocked_window.book
    before = book.catalogue.current()
    dialog, page = open_settings(qtbot, unlocked_window, "catalogue_fields")
    assert isinstance(page, CatalogueFieldsPage)
    assert page.version_line.text() == "Version 1, as shipped with Counterpart"

    # Shipped asking only the name and a phone: the owner ticks what the shop needs.
    for key in ("profession", "age_range", "birthday"):
        focus_row(qtbot, page, key)
        qtbot.keyClick(page.table, Qt.Key.Key_Space)
        assert page.model.catalogue().field(key).enabled is True

    focus_row(qtbot, page, "birthday")
    qtbot.keyClick(page.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [f.key for f in page.model.catalogue().profile_queue_fields()][:2] == ["birthday", "age_range"]
    assert page.selected_key() == "birthday"

    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.custom_field_dialog is not None)  # a mnemonic clicks after a short animation
    form = page.custom_field_dialog
    assert form is not None
    qtbot.waitUntil(form.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.label_edit)
    qtbot.keyClicks(form.label_edit, "Shoe size (EU)")
    assert form.key_hint.text() == "Stored as “shoe_size_eu”"
    qtbot.keyClick(form.label_edit, Qt.Key.Key_Return)
    # Refused: the purpose is missing, said next to the purpose box, which now has the cursor.
    assert form.isVisible()
    assert form.errors["purpose"].isVisible()
    assert "purpose is missing" in form.errors["purpose"].text()
    assert QApplication.focusWidget() is form.purpose_edit
    qtbot.keyClicks(form.purpose_edit, "So we can keep your size in stock.")
    qtbot.keyClick(form.purpose_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.retention_edit
    qtbot.keyClick(form.retention_edit, Qt.Key.Key_Return)
    assert form.errors["retention"].isVisible()
    assert not form.errors["purpose"].isVisible()
    qtbot.keyClicks(form.retention_edit, "Until you ask us to remove it")
    qtbot.keyClick(form.retention_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert page.selected_key() == "shoe_size_eu"

    qtbot.keyClicks(page.change_note, "Spring clean-up")
    save(qtbot, dialog)
    saved = book.catalogue.current()
    assert saved.version == 2
    assert saved.field("profession").enabled is True
    assert [f.key for f in saved.profile_queue_fields()][:2] == ["birthday", "age_range"]
    shoe = saved.field("shoe_size_eu")
    assert (shoe.builtin, shoe.type, shoe.purpose) == (False, FieldType.TEXT, "So we can keep your size in stock.")
    assert saved.profile_queue_fields()[-1].key == "shoe_size_eu"
    last = book.catalogue.history()[-1]
    assert (last.version, last.changed_by, last.note) == (2, "Owner", "Spring clean-up")
    assert last.content_hash == saved.content_hash() != before.content_hash()


def test_a_field_without_purpose_keeps_the_dialog_open_and_says_where(qtbot, unlocked_window: MainWindow) -> None:
    dialog, page = open_settings(qtbot, unlocked_window, "catalogue_fields")
    assert isinstance(page, CatalogueFieldsPage)
    focus_row(qtbot, page, "postal_address")
    page.purpose.setFocus()
    page.purpose.selectAll()
    qtbot.keyClick(page.purpose, Qt.Key.Key_Delete)
    assert page.model.catalogue().field("postal_address").purpose == ""
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.stack.currentWidget() is page
    assert "Postal address" in dialog.error.text()
    assert "purpose is missing" in dialog.error.text()
    assert page.field_error.isVisible()
    assert page.purpose.property("invalid") == "true"
    assert unlocked_window.book.catalogue.current().version == 1
    qtbot.keyClicks(page.purpose, "So we can deliver to your door.")
    save(qtbot, dialog)
    assert unlocked_window.book.catalogue.current().field("postal_address").purpose == "So we can deliver to your door."


def test_switching_on_health_notes_needs_a_reason_and_its_purpose_on_the_other_page(
    qtbot, unlocked_window: MainWindow
) -> None:
    book = unlocked_window.book
    dialog, page = open_settings(qtbot, unlocked_window, "catalogue_fields")
    assert isinstance(page, CatalogueFieldsPage)
    focus_row(qtbot, page, "health_notes")
    assert page.enable_reason.isVisible()
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Return)
    assert "write why the shop needs it" in dialog.error.text()
    assert QApplication.focusWidget() is page.enable_reason
    qtbot.keyClicks(page.enable_reason, "We fit orthopaedic shoes.")
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Return)
    assert "Switch that on first" in dialog.error.text()

    purposes = dialog.page("catalogue_purposes")
    assert isinstance(purposes, ConsentPurposesPage)
    dialog.show_page("catalogue_purposes")
    focus_row(qtbot, purposes, "special_category_health")
    qtbot.keyClick(purposes.table, Qt.Key.Key_Space)
    save(qtbot, dialog)
    saved = book.catalogue.current()
    assert saved.version == 2  # one version for both pages
    assert saved.field("health_notes").enabled
    assert saved.field("health_notes").enable_reason == "We fit orthopaedic shoes."
    assert saved.purpose("special_category_health").enabled


def test_selling_data_needs_the_typed_confirmation(qtbot, unlocked_window: MainWindow) -> None:
    book = unlocked_window.book
    dialog, page = open_settings(qtbot, unlocked_window, "catalogue_purposes")
    assert isinstance(page, ConsentPurposesPage)
    assert not page.sale_banner.isVisible()
    focus_row(qtbot, page, "sale_of_data")
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.sale_banner.isVisible()
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.stack.currentWidget() is page
    assert "We sell customer data" in dialog.error.text()
    assert book.catalogue.current().purpose("sale_of_data").enabled is False
    assert QApplication.focusWidget() is page.sale_confirmation
    qtbot.keyClicks(page.sale_confirmation, "we sell customer data")
    save(qtbot, dialog)
    assert book.catalogue.current().purpose("sale_of_data").enabled


def test_purpose_description_edit_and_history(qtbot, unlocked_window: MainWindow) -> None:
    book = unlocked_window.book
    dialog, page = open_settings(qtbot, unlocked_window, "catalogue_purposes")
    assert isinstance(page, ConsentPurposesPage)
    focus_row(qtbot, page, "surveys")
    page.description.setFocus()
    page.description.selectAll()
    words = "Twice a year we may ask you what you think of us."
    qtbot.keyClicks(page.description, words)
    save(qtbot, dialog)
    assert book.catalogue.current().purpose("surveys").description == words

    dialog, fields = open_settings(qtbot, unlocked_window, "catalogue_fields")
    assert isinstance(fields, CatalogueFieldsPage)
    assert fields.version_line.text().startswith("Version 2, saved ")
    assert fields.version_line.text().endswith(" by Owner")
    assert not fields.history_list.isVisible()
    fields.table.setFocus()
    qtbot.keyClick(fields.table, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(fields.history_list.isVisible)
    assert fields.history_list.count() == 2
    assert fields.history_list.item(1).text().startswith("Version 1, as shipped")
