"""Settings → Shop profile: who the shop is and what it promises; the privacy notice is generated from it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.book import CustomerBook
from core.errors import ValidationError
from core.shop.authorities import transfer_area
from core.shop.profile import PROFILE_PAGE, Partner
from ui.settings_dialog import SettingsPage, heading
from ui.theme import label

SAFEGUARDS = (
    "The European Commission has found that country's protection adequate",
    "Standard contractual clauses approved by the European Commission",
    "The UK International Data Transfer Agreement",
    "Binding corporate rules approved by a data-protection authority",
)


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class ShopProfilePage(SettingsPage):
    key = PROFILE_PAGE
    title = "Shop profile"

    def __init__(self, book: CustomerBook, parent: QWidget | None = None) -> None:
        super().__init__(book, parent)
        self.legal_name = _line("legal_name", "As registered, e.g. Corner Bakery Ltd")
        self.trading_name = _line("trading_name", "The name on the door")
        self.address = _line("address", "Street, town, postcode")
        self.phone = _line("shop_phone")
        self.email = _line("shop_email")
        self.privacy_contact = _line("privacy_contact", "A person's name, e.g. Marta Kowalska")
        self.complaint_days = QSpinBox()
        self.complaint_days.setRange(1, 90)
        self.complaint_days.setSuffix(" days")
        self.authority_name = _line("authority_name")
        self.authority_contact = _line("authority_contact", "Web address or phone")
        self.partners = QPlainTextEdit()
        self.partners.setObjectName("partners")
        self.partners.setPlaceholderText(
            "One per line: name | what they receive | why\n"
            "e.g. Parcelfast | your name and address | to deliver your orders"
        )
        self.partners.setFixedHeight(70)
        self.sells = QCheckBox("We sell customer information")
        self.shares = QCheckBox("We share customer information for advertising")
        self.policy_location = _line("policy_location", "e.g. cornerbakery.example/privacy, or ask at the counter")
        area = transfer_area(book.shop.country)
        self.transfers = QComboBox()
        self.transfers.setObjectName("transfers")
        self.transfers.addItem(f"None: nothing is sent outside {area}", False)
        self.transfers.addItem(f"Yes: some information is sent outside {area}", True)
        self.transfers_abroad = _line("transfers_abroad", "Who receives it, and where, e.g. our e-mail service, USA")
        self.transfer_safeguard = QComboBox()
        self.transfer_safeguard.setObjectName("transfer_safeguard")
        self.transfer_safeguard.setEditable(True)  # the usual safeguards, or the owner's own words
        self.transfer_safeguard.addItems(SAFEGUARDS)
        self.transfer_safeguard.setCurrentIndex(-1)
        safeguard_edit = self.transfer_safeguard.lineEdit()
        if safeguard_edit is not None:
            safeguard_edit.setPlaceholderText("How it is protected there")
        self.transfers.currentIndexChanged.connect(self._show_transfer_details)
        # The notice has only ever been written in English; a choice of language would be a promise not kept.
        self.language = label("English (the notice is written in English only)", "muted")
        self.language.setObjectName("notice_language")
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.blank_boxes = QCheckBox("Print consent boxes blank, to tick by hand (otherwise: current choices)")
        self.print_directly = QCheckBox("Ctrl+P prints straight to the default printer (no preview)")
        form = QFormLayout()
        for text, widget in (
            ("Legal name", self.legal_name),
            ("Trading name", self.trading_name),
            ("Address", self.address),
            ("Phone", self.phone),
            ("E-mail", self.email),
            ("Privacy contact", self.privacy_contact),
            ("Answer complaints within", self.complaint_days),
            ("Supervisory authority", self.authority_name),
            ("Authority contact", self.authority_contact),
            ("Partners", self.partners),
            ("", self.sells),
            ("", self.shares),
            ("Full policy at", self.policy_location),
            ("Transfers abroad", self.transfers),
            ("Sent to", self.transfers_abroad),
            ("Safeguard", self.transfer_safeguard),
            ("Notice language", self.language),
            ("Paper", self.paper),
            ("", self.blank_boxes),
            ("", self.print_directly),
        ):
            form.addRow(text, widget)
        self._form = form
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(heading("Shop profile"))
        inner_layout.addWidget(
            label("The privacy notice is written from these details and the fields you collect.", "muted")
        )
        inner_layout.addLayout(form)
        scroll = self._scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def focus_first_problem(self) -> None:
        fields: dict[str, QWidget] = {
            "legal_name": self.legal_name, "address": self.address, "contact": self.phone,
            "privacy_contact": self.privacy_contact, "authority_name": self.authority_name,
            "policy_location": self.policy_location, "transfer_safeguard": self.transfer_safeguard,
            "partners": self.partners, "sale_of_data": self.sells, "complaint_days": self.complaint_days,
        }  # fmt: skip
        missing = [m.field for m in self.book.notices.missing() if m.page == self.key and m.field in fields]
        if missing:
            widget = fields[missing[0]]
            self._scroll.ensureWidgetVisible(widget)
            widget.setFocus()

    def _show_transfer_details(self) -> None:
        abroad = bool(self.transfers.currentData())
        for widget in (self.transfers_abroad, self.transfer_safeguard):
            self._form.setRowVisible(widget, abroad)

    def load(self) -> None:
        profile = self.book.notices.profile()
        for edit, value in (
            (self.legal_name, profile.legal_name),
            (self.trading_name, profile.trading_name),
            (self.address, profile.address),
            (self.phone, profile.phone),
            (self.email, profile.email),
            (self.privacy_contact, profile.privacy_contact),
            (self.authority_name, profile.authority_name),
            (self.authority_contact, profile.authority_contact),
            (self.policy_location, profile.policy_location),
        ):
            edit.setText(value)
        self.complaint_days.setValue(profile.complaint_days)
        self.partners.setPlainText("\n".join(f"{p.name} | {p.receives} | {p.why}" for p in profile.partners))
        self.sells.setChecked(profile.sells_data)
        self.shares.setChecked(profile.shares_for_advertising)
        self.transfers_abroad.setText(profile.transfers_abroad)
        self.transfer_safeguard.setCurrentText(profile.transfer_safeguard)
        self.transfers.setCurrentIndex(1 if profile.transfers_abroad.strip() else 0)
        self._show_transfer_details()
        self.paper.setCurrentIndex(max(0, self.paper.findData(profile.paper_size or self.book.shop.paper_size)))
        self.blank_boxes.setChecked(profile.checkboxes_blank)
        self.print_directly.setChecked(profile.print_directly)

    def save(self) -> str | None:
        partners = []
        for number, line in enumerate(self.partners.toPlainText().splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not all(parts):
                return f"Partner line {number}: write name | what they receive | why."
            partners.append(Partner(*parts))
        abroad = bool(self.transfers.currentData())
        transfers_abroad = self.transfers_abroad.text().strip() if abroad else ""
        if abroad and not transfers_abroad:
            area = transfer_area(self.book.shop.country)
            return f"Transfers abroad: say who receives information outside {area}, and where, or choose None."
        profile = replace(
            self.book.notices.profile(),
            legal_name=self.legal_name.text().strip(),
            trading_name=self.trading_name.text().strip(),
            address=self.address.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            privacy_contact=self.privacy_contact.text().strip(),
            complaint_days=self.complaint_days.value(),
            authority_name=self.authority_name.text().strip(),
            authority_contact=self.authority_contact.text().strip(),
            partners=tuple(partners),
            sells_data=self.sells.isChecked(),
            shares_for_advertising=self.shares.isChecked(),
            policy_location=self.policy_location.text().strip(),
            transfers_abroad=transfers_abroad,
            transfer_safeguard=self.transfer_safeguard.currentText().strip() if abroad else "",
            paper_size=str(self.paper.currentData()),
            checkboxes_blank=self.blank_boxes.isChecked(),
            print_directly=self.print_directly.isChecked(),
        )
        try:
            self.book.notices.save_profile(profile)
        except ValidationError as error:
            return error.message
        return None
