"""Printing notices from the window: Ctrl+P for the open customer, and the shop's other documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QMessageBox, QVBoxLayout, QWidget

from core.customers.profiling import is_child
from core.customers.store import Customer
from core.notice.held import categories_held
from ui.notice_preview import DocumentPreview, paint_pages, print_page_images

if TYPE_CHECKING:
    from ui.window_host import WindowHost


class NoticeController(QObject):
    def __init__(self, window: WindowHost) -> None:
        super().__init__(window)
        self.window = window
        self.book = window.book
        menu = window.customers_menu
        self.print_action = window.add_action(
            menu, "&Print privacy notice…", QKeySequence.StandardKey.Print, self.print_customer_notice
        )
        book_menu = window.book_menu
        book_menu.addSeparator()
        self.blank_action = window.add_action(book_menu, "Print &blank notice…", None, self.print_blank)
        self.sign_action = window.add_action(book_menu, "Print counter &sign…", None, self.print_sign)
        self.policy_action = window.add_action(book_menu, "Print full &privacy policy…", None, self.print_policy)
        self.history_action = window.add_action(book_menu, "Notice &versions…", None, self.show_versions)
        window.unlocked_actions += [
            self.print_action, self.blank_action, self.sign_action, self.policy_action, self.history_action,
        ]  # fmt: skip
        self.dialog: QWidget | None = None

    def _check_ready(self) -> bool:
        missing = self.book.notices.missing()
        if not missing:
            return True
        QMessageBox.information(
            self.window,
            "The notice needs a few details",
            "Before the privacy notice can be printed:\n\n" + "\n".join(f"• {m.message}" for m in missing),
        )
        self.window.open_settings(missing[0].page)
        return False

    def _open(
        self,
        title: str,
        make_pdf: Callable[[bool], bytes],
        name: str,
        kind: str,
        customer: Customer | None,
        toggle: bool | None,
    ) -> None:
        book = self.book
        dialog = DocumentPreview(
            title, make_pdf, self.window.session.tasks, suggested_name=name, blank_toggle=toggle, parent=self.window
        )

        def given(_how: str) -> None:
            version = book.notices.current()[1]
            book.notices.versions.record_given(customer.id if customer else None, version, book.staff_member(), kind)
            self.window.statusBar().showMessage(f"Notice {version.short} given; recorded.", 6000)

        dialog.handed_out.connect(given)
        self.dialog = dialog
        dialog.open()

    def _customer(self) -> Customer | None:
        return self.window.customer_on_screen()

    def print_customer_notice(self) -> None:
        customer = self._customer()
        if customer is None:
            self.window.statusBar().showMessage("Open a customer first, or use Book → Print blank notice.", 6000)
            return
        if not self._check_ready():
            return
        book = self.book
        profile = book.notices.profile()
        answers = book.desk.answers(customer.id)
        child = is_child(answers, book.desk.settings().child_age_threshold)
        granted = book.consent.granted_purposes(customer.id)
        categories = categories_held(book.desk.catalogue(), customer, answers, book.desk.visits.count(customer.id))

        def make(blank: bool) -> bytes:
            return book.notices.personal_pdf(customer, granted, child, blank, categories)[0]

        if profile.print_directly:
            self._print_directly(make, customer)
            return
        name = f"Privacy notice - {customer.name}.pdf"
        self._open("Privacy notice", make, name, "personal notice", customer, profile.checkboxes_blank)

    def _print_directly(self, make: Callable[[bool], bytes], customer: Customer) -> None:
        book = self.book
        blank = book.notices.profile().checkboxes_blank

        def done(images: object) -> None:
            assert isinstance(images, list)
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # the default printer
            try:
                paint_pages(images, printer)
            except OSError as error:
                self.window.statusBar().showMessage(str(error), 10_000)
                return
            version = book.notices.current()[1]
            book.notices.versions.record_given(customer.id, version, book.staff_member(), "personal notice")
            self.window.statusBar().showMessage(f"Notice for {customer.name} sent to the printer.", 6000)

        def failed(error: BaseException) -> None:
            self.window.statusBar().showMessage(str(error), 10_000)

        self.window.session.tasks.run(lambda _c: print_page_images(make(blank)), done, failed)

    def print_blank(self) -> None:
        if self._check_ready():
            notices = self.book.notices

            def make(_blank: bool) -> bytes:
                return notices.personal_pdf(None, frozenset(), child=False, blank_choices=True)[0]

            self._open("Blank privacy notice", make, "Privacy notice.pdf", "blank notice", None, None)

    def print_sign(self) -> None:
        if self._check_ready():
            notices = self.book.notices
            sign = lambda _blank: notices.counter_sign_pdf()[0]  # noqa: E731
            self._open("Counter sign", sign, "Counter sign.pdf", "counter sign", None, None)

    def print_policy(self) -> None:
        if self._check_ready():
            notices = self.book.notices
            policy = lambda _blank: notices.policy_pdf()[0]  # noqa: E731
            self._open("Privacy policy", policy, "Privacy policy.pdf", "policy", None, None)

    def show_versions(self) -> None:
        versions = self.book.notices.versions
        self.book.notices.current()  # a change since the last print becomes a version now
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Notice versions — Counterpart")
        dialog.resize(760, 420)
        lines = QListWidget()
        lines.setObjectName("notice_versions")
        lines.setWordWrap(True)
        for version in reversed(versions.versions()):
            lines.addItem(f"{version.short} — effective {version.effective[:10]}")
            for change in versions.changes(version.number)[:12]:
                lines.addItem(f"    {change[:200]}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(lines, 1)
        layout.addWidget(buttons)
        self.dialog = dialog
        dialog.open()
