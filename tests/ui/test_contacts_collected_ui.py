"""The form offers only the contact fields the shop collects; one switched off stays visible (with a muted line)
while a customer still has a value in it, follows Settings at once, and Tab walks past what is hidden."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.customers.store import Customer, CustomerDraft
from tests.ui.keyboard import type_text
from tests.ui.test_catalogue_settings import focus_row, open_settings, save
from ui.catalogue_settings import CatalogueFieldsPage
from ui.customer_form import NOT_COLLECTED
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def asking(window: MainWindow, keys: Iterable[str]) -> None:
    """Save a catalogue asking exactly these contact fields, and tell the window as Settings does."""
    chosen = set(keys)
    current = window.book.catalogue.current()
    fields = tuple(replace(f, enabled=f.key in chosen) if f.key in ("phone", "email") else f for f in current.fields)
    window.book.catalogue.save(replace(current, fields=fields), "Owner", "Contacts")
    window._settings_saved()


def new_customer(qtbot, window: MainWindow) -> None:
    window.list_view.focus_search()
    qtbot.keyClick(window.list_view.search_box, Qt.Key.Key_N, CTRL)
    assert window.pane.showing_detail


def open_customer(window: MainWindow, customer: Customer) -> None:
    window.list_view.refresh()
    window.open_customer(customer.id)
    assert window.form.existing is not None
    assert window.form.existing.id == customer.id


@pytest.mark.parametrize(
    ("keys", "start", "search"),
    [
        (("phone", "email"), "one way to reach them", "name, phone or e-mail"),
        (("phone",), "a phone number", "name or phone"),
        (("email",), "an e-mail address", "name or e-mail"),
        ((), "Start with a name. Ask", "name"),
    ],
)
def test_a_new_customer_is_offered_only_what_the_shop_collects(
    qtbot, unlocked_window: MainWindow, keys: tuple[str, ...], start: str, search: str
) -> None:
    window = unlocked_window
    asking(window, keys)
    new_customer(qtbot, window)
    form = window.form
    assert (form.phone.isVisible(), form.email.isVisible()) == ("phone" in keys, "email" in keys)
    for key in ("phone", "email"):
        assert not form.not_collected[key].isVisible()
        caption = form._form.labelForField(form._contacts[key])
        assert caption is not None
        assert caption.isVisible() == (key in keys)
    assert start in form.meta.text()
    assert form.email.placeholderText() == ("e.g. ana@example.com" if "email" in keys else "")
    assert window.list_view.search_box.placeholderText() == f"Find a customer: {search}"
    assert f"a {search} to find a customer" in window.pane.hint.text()
    assert QApplication.focusWidget() is form.name


def test_a_searched_email_does_not_prefill_a_field_the_shop_does_not_ask(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    asking(window, ["phone"])
    type_text(window.list_view.search_box, "ana@example.com")
    qtbot.keyClick(window.list_view.search_box, Qt.Key.Key_N, CTRL)
    assert window.form.email.text() == ""
    assert not window.form.email.isVisible()
    assert window.list_view.search_box.text() == "ana@example.com"  # still there: nothing typed is lost


def test_a_value_on_file_stays_visible_to_correct_or_remove(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    ana = window.book.save_customer(CustomerDraft("Ana Souza", ["202 555 0134"], ["ana@example.com"]))
    bo = window.book.save_customer(CustomerDraft("Bo Lind", ["202 555 0188"]))
    asking(window, ["phone"])
    form = window.form
    open_customer(window, bo)
    assert not form.email.isVisible()
    open_customer(window, ana)
    assert form.email.isVisible()
    assert form.email.text() == "ana@example.com"
    assert form.not_collected["email"].isVisible()
    assert form.not_collected["email"].text() == NOT_COLLECTED
    assert form.not_collected["email"].property("role") == "muted"
    assert form.email.placeholderText() == ""
    assert not form.not_collected["phone"].isVisible()

    form.email.setFocus()
    type_text(form.email, ", ana@work.example")  # adding one is refused beside the field
    qtbot.keyClick(form.email, Qt.Key.Key_S, CTRL)
    assert form.errors["email"].isVisible()
    assert "does not collect e-mail addresses any more" in form.errors["email"].text()
    assert window.book.get_customer(ana.id).emails == ("ana@example.com",)  # type: ignore[union-attr]

    form.email.setText("")  # removing it works, and the field stays until the page is opened again
    qtbot.keyClick(form.email, Qt.Key.Key_S, CTRL)
    assert window.book.get_customer(ana.id).emails == ()  # type: ignore[union-attr]
    assert window.statusBar().currentMessage() == "Saved Ana Souza."
    assert not form.email.isVisible()


def test_a_new_email_on_a_new_customer_is_refused_beside_the_field(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    new_customer(qtbot, window)
    form = window.form
    type_text(form.name, "Ana Souza")
    form.email.setFocus()
    type_text(form.email, "ana@example.com")
    asking(window, ["phone"])  # switched off while typing: what was typed stays, and saving says why
    assert form.email.isVisible()
    assert form.not_collected["email"].isVisible()
    qtbot.keyClick(form.email, Qt.Key.Key_S, CTRL)
    assert form.errors["email"].text().startswith("This shop does not collect e-mail addresses. To start, switch")
    assert QApplication.focusWidget() is form.email
    assert window.book.customers.count() == 0


def test_the_form_follows_settings_at_once(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    new_customer(qtbot, window)
    assert window.form.email.isVisible()
    dialog, page = open_settings(qtbot, window, "catalogue_fields")
    assert isinstance(page, CatalogueFieldsPage)
    focus_row(qtbot, page, "email")
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # untick E-mail
    assert page.model.catalogue().field("email").enabled is False
    save(qtbot, dialog)
    assert window.statusBar().currentMessage() == "Settings saved."
    assert not window.form.email.isVisible()
    assert "name and a phone number" in window.form.meta.text()
    assert window.list_view.search_box.placeholderText() == "Find a customer: name or phone"


@pytest.mark.parametrize(("off", "on"), [("email", "phone"), ("phone", "email")])
def test_tab_walks_past_a_hidden_field(qtbot, unlocked_window: MainWindow, off: str, on: str) -> None:
    window = unlocked_window
    asking(window, [on])
    new_customer(qtbot, window)
    form = window.form
    form.name.setFocus()
    seen = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [form._contacts[on], form.notes, form.save_button]
    qtbot.keyClick(form.save_button, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(form.notes, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is form._contacts[on]
