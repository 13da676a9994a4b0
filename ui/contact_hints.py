"""The notes with one button beside the phone and e-mail fields: "Keep as typed" for a number phonenumbers
does not know, "Use tom.baker@gmail.com" for a likely slip in an e-mail address."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QWidget

from core.customers import emails as email_rules
from core.customers import phones as phone_rules
from core.customers.store import split_contacts
from core.customers.validation import InvalidPhone, normalise_phone
from core.errors import ValidationError
from ui.theme import label


class ActionNote(QWidget):
    """A line of text and one button that acts on it; hidden until there is something to say."""

    accepted = Signal(str)  # the value the button carries (the number to keep, the address to use)

    def __init__(self, name: str, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.value = ""
        self.text: QLabel = label("", role, self)
        self.text.setObjectName(f"{name}_text")
        self.button = QPushButton(self)
        self.button.setObjectName(f"{name}_button")
        self.button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.button.clicked.connect(lambda: self.accepted.emit(self.value))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)  # alone (no text), it sits under the field's start
        self.hide()

    def offer(self, text: str, button: str, value: str) -> None:
        self.value = value
        self.text.setText(text)
        self.text.setVisible(bool(text))
        self.button.setText(button)
        self.show()

    def withdraw(self) -> None:
        """Hide and forget what was offered (it may quote a phone or an address)."""
        self.value = ""
        self.text.setText("")
        self.button.setText("")
        self.hide()


def keepable_phone(field_text: str, region: str, kept: set[str]) -> str:
    """The first number in the phone field that phonenumbers refuses but may be kept as typed, "" if none."""
    for part in split_contacts(field_text):
        if part in kept:
            continue
        try:
            normalise_phone(part, region)
        except InvalidPhone as error:
            return part if error.keepable else ""
        except ValidationError:  # a card number, control characters: never kept
            return ""
    return ""


def email_suggestion(field_text: str) -> tuple[str, str] | None:
    """(what was typed, the address it most likely means) for the first address in the field with a suggestion."""
    for part in email_rules.split_emails(field_text):
        suggestion = email_rules.suggest_email(part)
        if suggestion:
            return part, suggestion
    return None


def replace_email(field: QLineEdit, typed: str, suggestion: str) -> None:
    """Put `suggestion` in place of `typed` in the e-mail field, the other addresses untouched."""
    parts = [suggestion if part == typed else part for part in email_rules.split_emails(field.text())]
    field.setText(", ".join(parts))


def shown_phones(stored: tuple[str, ...], region: str) -> tuple[str, set[str]]:
    """The phone field's text for a customer's phones, and the numbers in it that were kept as typed (saving the
    form again keeps them without asking twice)."""
    text = ", ".join(phone_rules.display_phone(phone, region) for phone in stored)
    return text, {phone_rules.as_typed(phone) for phone in stored if phone_rules.is_typed(phone)}
