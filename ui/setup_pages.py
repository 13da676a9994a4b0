"""The set-up wizard's pages that ask what the privacy notice needs: the shop's details and the fields to ask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from core.catalogue import Catalogue, CatalogueError, load_default_catalogue
from core.catalogue.edits import CONTACT_KEYS, asking_only, setup_choices
from core.errors import ValidationError
from core.shop.authorities import default_authority
from core.shop.basics import ShopBasics
from core.shop.profile import ShopProfile
from core.text.card_details import refuse_card_numbers
from ui.theme import label


@dataclass(frozen=True)
class SetupChoices:
    """What the wizard writes into the new book right after creating it."""

    profile: ShopProfile
    catalogue: Catalogue
    staff_name: str


def _line(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _error(name: str) -> QLabel:
    error = label("", "error")
    error.setObjectName(f"{name}_error")
    error.setWordWrap(True)
    error.hide()
    return error


def _with_error(widget: QWidget, error: QLabel) -> QWidget:
    """The field with its message right under it, so a refusal is read where the fix is typed."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(error)
    holder.setFocusProxy(widget)  # the row's Alt+letter lands in the field, not on the holder
    return holder


class ShopDetailsPage(QWizardPage):
    """Everything `ShopProfile.missing_for_notice` asks for, plus the name written on consent records."""

    def __init__(self, shop: Callable[[], ShopBasics]) -> None:
        super().__init__()
        self._shop = shop
        self._authority_for = ""  # the country the authority fields were filled for
        self.setTitle("Your shop's details")
        self.setSubTitle("Printed on the privacy notice, so customers know who keeps their information.")
        self.legal_name = _line("legal_name", "As registered, e.g. Corner Bakery Ltd")
        self.address = _line("address", "Street, town, postcode")
        self.phone = _line("shop_phone", "The shop's phone")
        self.email = _line("shop_email", "or the shop's e-mail")
        self.privacy_contact = _line("privacy_contact", "A person's name, e.g. Marta Kowalska")
        self.complaint_days = QSpinBox()
        self.complaint_days.setObjectName("complaint_days")
        self.complaint_days.setRange(1, 90)
        self.complaint_days.setValue(ShopProfile().complaint_days)
        self.complaint_days.setSuffix(" days")
        self.authority_name = _line("authority_name", "Where customers can complain about privacy")
        self.authority_contact = _line("authority_contact", "Web address or phone")
        self.staff_name = _line("staff_name", "Written on the consent records you take")
        self.staff_name.setMaxLength(80)
        self.errors = {
            name: _error(name)
            for name in ("legal_name", "address", "contact", "privacy_contact", "complaint_days", "authority_name",
                         "staff_name")
        }  # fmt: skip
        contact = QWidget()
        pair = QHBoxLayout(contact)
        pair.setContentsMargins(0, 0, 0, 0)
        pair.addWidget(self.phone)
        pair.addWidget(self.email)
        contact.setFocusProxy(self.phone)
        form = QFormLayout(self)
        form.setVerticalSpacing(6)
        form.addRow("&Legal name", _with_error(self.legal_name, self.errors["legal_name"]))
        form.addRow("&Address", _with_error(self.address, self.errors["address"]))
        form.addRow("P&hone / e-mail", _with_error(contact, self.errors["contact"]))
        form.addRow("&Privacy contact", _with_error(self.privacy_contact, self.errors["privacy_contact"]))
        form.addRow("Answer &complaints within", _with_error(self.complaint_days, self.errors["complaint_days"]))
        form.addRow("Supervisory a&uthority", _with_error(self.authority_name, self.errors["authority_name"]))
        form.addRow("Authority contact", self.authority_contact)
        form.addRow("&Your name", _with_error(self.staff_name, self.errors["staff_name"]))
        order = (self.legal_name, self.address, self.phone, self.email, self.privacy_contact, self.complaint_days,
                 self.authority_name, self.authority_contact, self.staff_name)  # fmt: skip
        for before, after in pairwise(order):
            QWidget.setTabOrder(before, after)
        self._fixes = {
            "legal_name": self.legal_name, "address": self.address, "contact": self.phone,
            "email": self.email, "privacy_contact": self.privacy_contact, "complaint_days": self.complaint_days,
            "authority_name": self.authority_name, "staff_name": self.staff_name,
        }  # fmt: skip

    def initializePage(self) -> None:
        shop = self._shop()
        if not self.legal_name.text().strip():
            self.legal_name.setText(shop.name.strip())
        if shop.country != self._authority_for:  # filled from the country; kept if the owner typed over it
            authority = default_authority(shop.country)
            self.authority_name.setText(authority.name if authority else "")
            self.authority_contact.setText(authority.contact if authority else "")
            self._authority_for = shop.country
        self.legal_name.setFocus()

    def profile(self) -> ShopProfile:
        return replace(
            ShopProfile.defaults_for(self._shop()),
            legal_name=self.legal_name.text().strip(),
            address=" ".join(self.address.text().split()),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            privacy_contact=" ".join(self.privacy_contact.text().split()),
            complaint_days=self.complaint_days.value(),
            authority_name=self.authority_name.text().strip(),
            authority_contact=self.authority_contact.text().strip(),
        )

    def staff(self) -> str:
        return " ".join(self.staff_name.text().split())

    def problems(self) -> dict[str, str]:
        """Field → message, for every field the notice cannot do without or that is refused as typed."""
        problems: dict[str, str] = {}
        profile = self.profile()
        for missing in profile.missing_for_notice():
            problems.setdefault(missing.field, missing.message.replace(" in Settings → Shop profile", ""))
        try:
            profile.validated()
        except ValidationError as error:
            problems.setdefault("contact" if error.field in ("phone", "email") else error.field, error.message)
        if not self.staff():
            problems["staff_name"] = "Type your name: it is written on the consent records you take."
        else:
            try:
                refuse_card_numbers("staff_name", self.staff())
            except ValidationError as error:
                problems["staff_name"] = error.message
        return problems

    def validatePage(self) -> bool:
        problems = self.problems()
        for name, error in self.errors.items():
            error.setText(problems.get(name, ""))
            error.setVisible(name in problems)
        unplaced = [message for name, message in problems.items() if name not in self.errors]
        if unplaced:  # a rule on a field this page does not show (card digits in a defaulted one): say it at the top
            self.errors["legal_name"].setText(unplaced[0])
            self.errors["legal_name"].show()
        if problems:
            first = next((self._fixes[name] for name in self._fixes if name in problems), self.legal_name)
            first.setFocus()
        return not problems


class AskPage(QWizardPage):
    """'What will you ask customers?': the name always; one contact on; everything else off until ticked."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("What will you ask customers?")
        self.setSubTitle(
            "Tick only what the shop needs. Each question is printed on the privacy notice with its reason; "
            "you can change this later in Settings → Fields we collect."
        )
        self.catalogue = load_default_catalogue()
        name = QCheckBox("Name — always asked")
        name.setChecked(True)
        name.setEnabled(False)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setSpacing(2)
        column.addWidget(name)
        name_reason = label(f"Why: {self.catalogue.field('name').purpose}", "muted")
        name_reason.setContentsMargins(24, 0, 0, 6)
        column.addWidget(name_reason)
        self.boxes: dict[str, QCheckBox] = {}
        self.error = _error("contacts")
        for spec in setup_choices(self.catalogue):
            box = QCheckBox(spec.label)
            box.setObjectName(f"ask_{spec.key}")
            box.setChecked(spec.enabled)
            reason = label(f"Why: {spec.purpose}", "muted")
            reason.setWordWrap(True)
            reason.setContentsMargins(24, 0, 0, 6)
            column.addWidget(box)
            column.addWidget(reason)
            self.boxes[spec.key] = box
            if spec.key == CONTACT_KEYS[-1]:  # the message sits under the two ways to reach a customer
                column.addWidget(self.error)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab walks the boxes; the area scrolls to the focused one
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def initializePage(self) -> None:
        next(iter(self.boxes.values())).setFocus()

    def chosen(self) -> Catalogue:
        """Raises ValidationError("contacts") or CatalogueError; see core/catalogue/edits.py::asking_only."""
        return asking_only(self.catalogue, [key for key, box in self.boxes.items() if box.isChecked()])

    def validatePage(self) -> bool:
        try:
            self.chosen()
        except (ValidationError, CatalogueError) as error:
            self.error.setText(error.message if isinstance(error, ValidationError) else str(error))
            self.error.show()
            self.boxes[CONTACT_KEYS[0]].setFocus()
            return False
        self.error.hide()
        return True
