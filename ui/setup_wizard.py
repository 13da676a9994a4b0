"""First run: the shop's name and country, its details for the notice, what it asks customers, a passphrase, then
the recovery key shown once (printed, or saved as a PDF)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from core.book import SetupResult
from core.errors import CounterpartError, ValidationError
from core.shop.basics import ShopBasics
from ui.countries import country_choices, default_country
from ui.passphrase_fields import PassphraseFields
from ui.printing import SYSTEM_PRINTERS, Printers, pdf_name
from ui.session import Session
from ui.setup_pages import AskPage, SetupChoices, ShopDetailsPage
from ui.sheet_printing import print_sheet
from ui.tasks import TaskContext
from ui.theme import label

# The sheet opens the whole book: a copy left on another computer is worse than a handwritten key.
NO_PRINTER_FOR_SHEET = (
    "No printer is installed on this computer. Write the key down by hand, or save the sheet as a PDF, print it "
    "elsewhere and delete the file straight after."
)


class IntroPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Welcome to Counterpart")
        self.setSubTitle("A customer book that keeps people's information safe: encrypted on this computer.")
        self.new_book = QRadioButton("Set up a new customer book")
        self.new_book.setChecked(True)
        self.from_backup = QRadioButton("I have a backup — restore it")
        layout = QVBoxLayout(self)
        layout.addWidget(label("It takes about a minute. You will need:", "muted"))
        layout.addWidget(
            label(
                "•  the shop's name, country, address and a phone or e-mail\n"
                "•  who answers customers' privacy questions\n"
                "•  a passphrase only you and trusted staff know\n"
                "•  a printer or pen and paper for the recovery key"
            )
        )
        layout.addSpacing(12)
        layout.addWidget(self.new_book)
        layout.addWidget(self.from_backup)
        layout.addStretch(1)


class ShopPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Your shop")
        self.setSubTitle("The name is printed on privacy notices; the country sets phone numbers and paper size.")
        self.name = QLineEdit()
        self.name.setObjectName("shop_name")
        self.name.setPlaceholderText("e.g. Ana's Corner Shop")
        self.country = QComboBox()
        self.country.setObjectName("country")
        for display, code in country_choices():
            self.country.addItem(display, code)
        self.country.setCurrentIndex(max(0, self.country.findData(default_country())))
        self.error = label("", "error")
        self.error.hide()
        form = QFormLayout(self)
        form.addRow("Shop name", self.name)
        form.addRow("Country", self.country)
        form.addRow("", self.error)
        self.name.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return bool(self.name.text().strip())

    def shop(self) -> ShopBasics:
        return ShopBasics(self.name.text(), str(self.country.currentData()))

    def validatePage(self) -> bool:
        try:
            self.shop().validated()
        except ValidationError as error:
            self.error.setText(error.message)
            self.error.show()
            return False
        return True


class PassphrasePage(QWizardPage):
    def __init__(self, shop_page: ShopPage) -> None:
        super().__init__()
        self.setTitle("A passphrase for the book")
        self.setSubTitle("Everything is encrypted with it. Long beats clever: a few random words work well.")
        self.fields = PassphraseFields(lambda: [shop_page.name.text()], self)
        self.fields.validity_changed.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(label("If it is ever forgotten, the recovery key on the next page opens the book.", "muted"))
        layout.addStretch(1)

    def isComplete(self) -> bool:
        return self.fields.ok


class RecoveryPage(QWizardPage):
    """Creates the book in the background, then shows the recovery key exactly once."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Your recovery key")
        self.setCommitPage(True)
        self.result: SetupResult | None = None
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.status = label("Creating the encrypted customer book…", "muted")
        self.key_label = label("", wrap=False)
        self.key_label.setObjectName("recovery_key")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(16)
        mono.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(mono)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = label(
            "This key opens the book if the passphrase is forgotten. It is shown only now. Print the recovery "
            "sheet (it also holds the backup key) and keep it somewhere safe, like a locked drawer. Anyone with "
            "it can read the customer book, so never photograph or e-mail it."
        )
        self.print_sheet = QPushButton("&Print the recovery sheet…")
        self.print_sheet.setObjectName("print_recovery_sheet")
        self.print_sheet.clicked.connect(wizard.print_recovery_sheet)
        self.save_sheet = QPushButton("Save as P&DF…")
        self.save_sheet.setObjectName("save_recovery_sheet")
        self.save_sheet.clicked.connect(self._ask_where_to_save)
        sheet_buttons = QWidget()
        row = QHBoxLayout(sheet_buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.print_sheet)
        row.addWidget(self.save_sheet)
        row.addStretch(1)
        self.sheet_buttons = sheet_buttons
        self.sheet_status = label("", "muted")
        self.confirm = QCheckBox("I have printed the recovery sheet or written the key down")
        self.confirm.setObjectName("confirm_recovery")
        self.confirm.toggled.connect(self.completeChanged)
        self.error = label("", "error")
        self.error.hide()
        layout = QVBoxLayout(self)
        for widget in (
            self.status,
            self.progress,
            self.key_label,
            self.explain,
            self.sheet_buttons,
            self.sheet_status,
            self.confirm,
            self.error,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.sheet_status.setWordWrap(True)
        for widget in (self.key_label, self.explain, self.sheet_buttons, self.confirm):
            widget.hide()

    def initializePage(self) -> None:
        if self.result is None:
            self._wizard.create_book()

    def show_progress(self, message: str, fraction: float) -> None:
        self.status.setText(message)
        self.progress.setValue(int(fraction * 100))

    def show_result(self, result: SetupResult) -> None:
        self.result = result
        self.progress.hide()
        self.status.setText("The customer book is ready.")
        self.key_label.setText(result.recovery_key)
        for widget in (self.key_label, self.explain, self.sheet_buttons, self.confirm):
            widget.show()
        self.completeChanged.emit()
        self.print_sheet.setFocus()

    def show_failure(self, message: str) -> None:
        self.progress.hide()
        self.error.setText(message)
        self.error.show()

    def no_printer(self) -> None:
        self.sheet_status.setText(NO_PRINTER_FOR_SHEET)
        self.save_sheet.setFocus()

    def _ask_where_to_save(self) -> None:
        default = str(Path.home() / pdf_name("Recovery sheet", self._wizard.shop_page.name.text()))
        path, _ = QFileDialog.getSaveFileName(self, "Save the recovery sheet", default, "PDF (*.pdf)")
        if path:
            self._wizard.save_recovery_sheet(Path(path))

    def isComplete(self) -> bool:
        return self.result is not None and self.confirm.isChecked()


class SetupWizard(QWizard):
    """Emits `book_created` when the new book is set up and unlocked, `restore_chosen` for 'I have a backup'."""

    book_created = Signal()
    restore_chosen = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None, printers: Printers = SYSTEM_PRINTERS) -> None:
        super().__init__(parent)
        self.printers = printers  # injectable: tests simulate no printer, or one
        self.setProperty("usable_while_locked", True)  # the book is not open yet while setting up
        self.session = session
        self.setWindowTitle("Set up Counterpart")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(760, 600)  # fits 1366×768 with a taskbar; the longer pages scroll
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.intro = IntroPage()
        self.shop_page = ShopPage()
        self.details_page = ShopDetailsPage(self.shop_page.shop)
        self.ask_page = AskPage()
        self.passphrase_page = PassphrasePage(self.shop_page)
        self.recovery_page = RecoveryPage(self)
        pages = (self.intro, self.shop_page, self.details_page, self.ask_page, self.passphrase_page, self.recovery_page)
        for page in pages:
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Create the book")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Start using Counterpart")

    def validateCurrentPage(self) -> bool:
        if self.currentPage() is self.intro and self.intro.from_backup.isChecked():
            self.restore_chosen.emit()
            self.hide()
            return False
        return super().validateCurrentPage()

    def choices(self) -> SetupChoices:
        """What the details and questions pages chose (both were validated when the owner left them)."""
        return SetupChoices(self.details_page.profile(), self.ask_page.chosen(), self.details_page.staff())

    def create_book(self) -> None:
        shop = self.shop_page.shop()
        choices = self.choices()
        passphrase = self.passphrase_page.fields.value()
        self.passphrase_page.fields.clear()
        book, kdf_provider = self.session.book, self.session.kdf_provider

        def work(context: TaskContext) -> SetupResult:
            context.progress("Measuring this computer to tune the encryption…", 0.05)
            kdf = kdf_provider()
            result = book.set_up(shop, passphrase, kdf, progress=context.progress)
            # Into the new book before anyone can print: the first Ctrl+P finds everything the notice needs.
            preferences = book.preferences()
            preferences.staff_name = choices.staff_name
            book.save_preferences(preferences)
            book.notices.save_profile(choices.profile)
            book.catalogue.save(choices.catalogue, choices.staff_name, "Chosen at set-up")
            return result

        self.session.tasks.run(work, self.recovery_page.show_result, self._failed, self.recovery_page.show_progress)

    def _failed(self, error: BaseException) -> None:
        message = str(error) if isinstance(error, CounterpartError) else f"Set-up failed ({type(error).__name__})."
        self.recovery_page.show_failure(message)

    def _sheet_maker(self, result: SetupResult) -> Callable[[], bytes]:
        """Renders the sheet from values read now, on the GUI thread; the returned call runs in the background."""
        from core.keys.recovery_sheet import render_recovery_sheet
        from core.pdf import PaperSize

        shop = self.session.book.shop
        return lambda: render_recovery_sheet(
            shop.name, date.today(), result.recovery_key, result.backup_identity, PaperSize(shop.paper_size)
        )

    def print_recovery_sheet(self) -> None:
        """To the default printer, named in the message; with no printer, say so and point at "Save as PDF…"."""
        result = self.recovery_page.result
        if result is not None:
            page, make = self.recovery_page, self._sheet_maker(result)
            print_sheet(self.session.tasks, self.printers, make, page.sheet_status, page.no_printer)

    def save_recovery_sheet(self, path: Path) -> None:
        result = self.recovery_page.result
        if result is None:
            return
        make = self._sheet_maker(result)
        sheet_status = self.recovery_page.sheet_status

        def work(_context: TaskContext) -> Path:
            path.write_bytes(make())
            return path

        def done(saved: object) -> None:
            sheet_status.setText(f"Saved to {saved}. Print it now, then delete the file.")

        def failed(error: BaseException) -> None:
            sheet_status.setText(f"Could not save the sheet there: {error}")

        self.session.tasks.run(work, done, failed)

    def accept(self) -> None:
        if self.recovery_page.result is not None:
            self.recovery_page.key_label.clear()  # the key is shown once; do not keep it in a widget
            self.recovery_page.result = None
            super().accept()
            self.book_created.emit()
