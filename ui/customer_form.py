"""The customer's detail pane: edit in place, errors beside each field, duplicate warning with a way out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.customers.collected import ALL_CONTACTS, CONTACT_KEYS, CollectedContacts
from core.customers.emails import split_emails
from core.customers.search import DuplicateMatch
from core.customers.store import Customer, CustomerDraft, split_contacts
from ui.contact_hints import ActionNote, email_suggestion, keepable_phone, replace_email, shown_phones
from ui.theme import label, mark_invalid

FIELDS = ("name", "phone", "email", "notes")
PLACEHOLDERS = {"phone": "e.g. 020 7946 0958 — several: separate with commas", "email": "e.g. ana@example.com"}
NOT_COLLECTED = "Not collected any more — you can correct or remove it."


class CustomerForm(QWidget):
    """Emits `save_requested(draft, existing or None, allow_duplicates)`; the window decides what happens."""

    save_requested = Signal(object, object, bool)
    cancelled = Signal()
    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._existing: Customer | None = None
        self._pending_duplicate_of: str = ""
        # What the widgets held when the customer (or the new customer's prefill) was loaded: unsaved changes are
        # differences from this, not "any keystroke", so typing a letter and deleting it again asks nothing.
        self._loaded: tuple[str, str, str, str] = ("", "", "", "")
        # The draft the duplicate warning was about: Ctrl+S again on the same draft means "save anyway".
        self._warned_draft: CustomerDraft | None = None
        self._phone_region = ""  # the shop's country: its numbers are shown in national format
        self._kept_as_typed: set[str] = set()  # numbers staff chose to keep although phonenumbers refuses them
        # The contact fields the shop collects (core/customers/collected.py): only those are offered; one that is
        # switched off shows only while it holds a value, so that value can be corrected or removed.
        self._collected: CollectedContacts = ALL_CONTACTS
        self.title = label("New customer", "heading")
        self.title.setObjectName("customer_title")
        self.meta = label("", "muted")

        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.name.setPlaceholderText("As the customer likes to be called")
        self.phone = QLineEdit(self)
        self.phone.setObjectName("phone")
        self.email = QLineEdit(self)
        self.email.setObjectName("email")
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.notes.setPlaceholderText("Anything useful to remember. Never card numbers or health details.")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(90)
        self.errors: dict[str, QLabel] = {}
        self._inputs: dict[str, QWidget] = {
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "notes": self.notes,
        }
        self._contacts: dict[str, QLineEdit] = {"phone": self.phone, "email": self.email}

        self.not_collected: dict[str, QLabel] = {}
        form = QFormLayout()
        self._form = form
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(4)
        form.setHorizontalSpacing(12)
        for key, caption in (("name", "Name"), ("phone", "Phone"), ("email", "E-mail"), ("notes", "Notes")):
            error = label("", "error")
            error.setObjectName(f"{key}_error")
            error.hide()
            self.errors[key] = error
            form.addRow(caption, self._inputs[key])
            form.addRow("", error)
            if key in CONTACT_KEYS:
                hint = self.not_collected[key] = label(NOT_COLLECTED, "muted")
                hint.setObjectName(f"{key}_not_collected")
                form.addRow("", hint)
            if key == "phone":
                self.keep_phone = ActionNote("keep_phone", "hint", self)
                self.keep_phone.accepted.connect(self._keep_as_typed)
                form.addRow("", self.keep_phone)
            elif key == "email":
                self.email_hint = ActionNote("email_hint", "hint", self)
                self.email_hint.accepted.connect(self._use_suggestion)
                form.addRow("", self.email_hint)
        self.email.textChanged.connect(self._suggest_email)
        # Each note's button right after its field, so Tab from the field reaches it (hidden ones are skipped).
        QWidget.setTabOrder(self.phone, self.keep_phone.button)
        QWidget.setTabOrder(self.keep_phone.button, self.email)
        QWidget.setTabOrder(self.email, self.email_hint.button)
        QWidget.setTabOrder(self.email_hint.button, self.notes)
        self._show_contacts()

        self.banner = QFrame(self)
        self.banner.setProperty("role", "banner")
        self.banner.setObjectName("duplicate_banner")
        self.banner_text = label("")
        # Mnemonics Alt+O / Alt+A: Alt+S is taken window-wide by the question panel (ui/profile_panels.py).
        self.open_other = QPushButton("&Open the existing customer", self.banner)
        self.open_other.setObjectName("duplicate_open_existing")
        self.open_other.clicked.connect(lambda: self.open_requested.emit(self._pending_duplicate_of))
        self.save_anyway = QPushButton("Save &anyway  (Ctrl+S)", self.banner)
        self.save_anyway.setObjectName("duplicate_save_anyway")
        self.save_anyway.clicked.connect(lambda: self._emit_save(allow_duplicates=True))
        banner_layout = QVBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text)
        banner_buttons = QHBoxLayout()
        banner_buttons.addStretch(1)
        banner_buttons.addWidget(self.open_other)
        banner_buttons.addWidget(self.save_anyway)
        banner_layout.addLayout(banner_buttons)
        self.banner.hide()

        self.form_error = label("", "error")
        self.form_error.setObjectName("form_error")
        self.form_error.hide()
        self.errors["form"] = self.form_error

        self.save_button = QPushButton("Save  (Ctrl+S)", self)
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(lambda: self._emit_save(allow_duplicates=False))
        self.cancel_button = QPushButton("Back to search  (Esc)", self)
        self.cancel_button.clicked.connect(self.cancelled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        # self.title is placed by the pane, above its scroll area, so the name stays in view while the
        # consent boxes further down are ticked.
        layout.addWidget(self.meta)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(self.form_error)
        layout.addLayout(buttons)

    @property
    def existing(self) -> Customer | None:
        return self._existing

    def show_customer(self, customer: Customer) -> None:
        self._existing = customer
        self.title.setText(customer.name)
        since = customer.created_at[:10]
        self.meta.setText(f"Customer since {since} · last changed {customer.updated_at[:10]}")
        self.name.setText(customer.name)
        phones, self._kept_as_typed = shown_phones(customer.phones, self._phone_region)
        self.phone.setText(phones)
        self.email.setText(", ".join(customer.emails))
        self.notes.setPlainText(customer.notes)
        self.clear_errors()
        self._loaded = self._typed()
        self._show_contacts()

    def new_customer(self, draft: CustomerDraft) -> None:
        self._existing = None
        self.title.setText("New customer")
        self.meta.setText(self._collected.start_line())
        self.name.setText(draft.name)
        self._kept_as_typed = set(draft.typed_phones)
        # A prefill from the search box goes only into a field the shop asks (the search box keeps the text).
        self.phone.setText(", ".join(draft.phones) if "phone" in self._collected else "")
        self.email.setText(", ".join(draft.emails) if "email" in self._collected else "")
        self.notes.setPlainText(draft.notes)
        self.clear_errors()
        self._loaded = self._typed()
        self._show_contacts()
        shown = [self.name, *(field for field in self._contacts.values() if not field.isHidden())]
        first_empty = next((w for w in shown if not w.text()), self.name)
        first_empty.setFocus()

    def draft(self) -> CustomerDraft:
        phones = split_contacts(self.phone.text())
        return CustomerDraft(
            name=self.name.text(),
            phones=phones,
            emails=split_emails(self.email.text()),  # a comma typed for a dot stays inside its address
            notes=self.notes.toPlainText(),
            typed_phones=tuple(phone for phone in phones if phone in self._kept_as_typed),
        )

    def set_phone_region(self, region: str) -> None:
        """The shop's country: its numbers show in national format, and phones typed without +… are read as its."""
        self._phone_region = region

    def set_collected(self, collected: CollectedContacts) -> None:
        """The contact fields the shop collects (at unlock and when Settings is saved): the form offers those."""
        self._collected = collected
        if self._existing is None and self.meta.text():  # a new customer's page: its opening line follows
            self.meta.setText(collected.start_line())
        self._show_contacts()

    @property
    def collected(self) -> CollectedContacts:
        return self._collected

    def _show_contacts(self) -> None:
        """Each contact field shows when the shop collects it, or while it holds a value (loaded or typed, so
        nothing typed vanishes): then a muted line says it is not collected any more, and no example invites
        adding one. Hidden widgets drop out of the Tab order by themselves; the pane's order stays as it is."""
        for key, field in self._contacts.items():
            asked = key in self._collected
            held = bool(field.text().strip()) or bool(self._loaded[FIELDS.index(key)].strip())
            self._form.setRowVisible(field, asked or held)
            self._form.setRowVisible(self.not_collected[key], held and not asked)
            field.setPlaceholderText(PLACEHOLDERS[key] if asked else "")

    def _keep_as_typed(self, typed: str) -> None:
        """Staff checked the number with the customer: keep it as typed and save."""
        if typed:
            self._kept_as_typed.add(typed)
            self._emit_save(allow_duplicates=False)

    def _suggest_email(self) -> None:
        found = email_suggestion(self.email.text())
        if found is None:
            self.email_hint.withdraw()
            return
        typed, suggestion = found
        button = "&Use " + suggestion.replace("&", "&&")  # a lone & would make the next letter a mnemonic
        self.email_hint.offer(f"Did you mean {suggestion}?", button, f"{typed}\n{suggestion}")

    def _use_suggestion(self, value: str) -> None:
        typed, _, suggestion = value.partition("\n")
        replace_email(self.email, typed, suggestion)
        self.errors["email"].hide()
        mark_invalid(self.email, False)
        self.email.setFocus()

    def _emit_save(self, allow_duplicates: bool) -> None:
        self.save_requested.emit(self.draft(), self._existing, allow_duplicates)

    def save(self) -> None:
        """Ctrl+S. Pressed again while the duplicate warning is up, for the draft it warned about: save anyway."""
        again = not self.banner.isHidden() and self._warned_draft is not None and self.draft() == self._warned_draft
        self._emit_save(allow_duplicates=again)

    # --- unsaved changes (asked about by ui/unsaved_changes.py) -----------------------------------------------

    def _typed(self) -> tuple[str, str, str, str]:
        return (self.name.text(), self.phone.text(), self.email.text(), self.notes.toPlainText())

    def has_unsaved_changes(self) -> bool:
        return self._typed() != self._loaded

    def discard_changes(self) -> None:
        """Put back what was loaded (the person chose Discard)."""
        name, phone, email, notes = self._loaded
        self.name.setText(name)
        self.phone.setText(phone)
        self.email.setText(email)
        self.notes.setPlainText(notes)
        self.clear_errors()
        self._show_contacts()

    def restore_draft(self, draft: CustomerDraft) -> None:
        """Fill in a draft kept at auto-lock over what is loaded; it stays unsaved until Ctrl+S."""
        self.name.setText(draft.name)
        self._kept_as_typed = set(draft.typed_phones)
        self.phone.setText(", ".join(draft.phones))
        self.email.setText(", ".join(draft.emails))
        self.notes.setPlainText(draft.notes)
        self.clear_errors()
        self._show_contacts()  # everything kept shows, even a field switched off since: the save then says why

    def clear_errors(self) -> None:
        for key in FIELDS:
            self.errors[key].hide()
            mark_invalid(self._inputs[key], False)
        self.keep_phone.withdraw()
        self.form_error.hide()
        self.banner.hide()

    def show_error(self, field: str, message: str) -> None:
        key = field if field in self.errors else "form"
        self.clear_errors()
        self.errors[key].setText(message)
        self.errors[key].show()
        if key in self._inputs:
            mark_invalid(self._inputs[key], True)
            self._inputs[key].setFocus()
        typed = keepable_phone(self.phone.text(), self._phone_region, self._kept_as_typed) if key == "phone" else ""
        if typed:
            self.keep_phone.offer("", "&Keep as typed", typed)

    def show_duplicate(self, message: str, matches: list[DuplicateMatch]) -> None:
        self.clear_errors()
        self._pending_duplicate_of = matches[0].customer_id
        self._warned_draft = self.draft()
        self.banner_text.setText(message)
        self.open_other.setText(f"&Open {matches[0].name.replace('&', '&&')}")
        self.banner.show()
        self.open_other.setFocus()

    def clear(self) -> None:
        """Drop every personal value from the widgets (lock), undo history included: QLineEdit.clear() is itself
        an undoable edit, so Ctrl+Z would bring the name back; setText("") starts a new, empty history.
        QPlainTextEdit.clear() does drop its history (checked by tests/ui/test_lock_forgets.py)."""
        self._existing = None
        self._pending_duplicate_of = ""
        self._warned_draft = None
        self._loaded = ("", "", "", "")
        self._kept_as_typed = set()
        for widget in (self.name, self.phone, self.email):
            widget.setText("")
        self.notes.clear()
        for text in (self.title, self.meta, self.banner_text, *self.errors.values()):
            text.setText("")  # errors may quote what was typed ("“0201…” is not a valid number")
        self.open_other.setText("&Open the existing customer")  # "Open Ana Souza" from a duplicate warning
        self.clear_errors()
