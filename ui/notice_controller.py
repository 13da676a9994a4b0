"""Printing notices from the window: Ctrl+P for the open customer, and the shop's other documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QMessageBox, QVBoxLayout, QWidget

from core.customers.profiling import is_child
from core.customers.store import Customer
from core.notice.held import categories_held
from ui.notice_preview import DocumentPreview, paint_pages, print_page_images
from ui.printing import SYSTEM_PRINTERS, Chosen, Printers, pdf_name

if TYPE_CHECKING:
    from ui.window_host import WindowHost


class NoticeController(QObject):
    """Ctrl+P and the Book menu's documents. `printers` is injectable (tests simulate none, or one)."""

    def __init__(self, window: WindowHost, printers: Printers = SYSTEM_PRINTERS) -> None:
        super().__init__(window)
        self.window = window
        self.book = window.book
        self.printers = printers
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

    def _check_ready(self, then: Callable[[], None]) -> bool:
        """True when the notice can be printed. Otherwise say what is missing, open Settings on the field that
        fixes the first item, and run `then` (the print that was refused) once Settings is saved and the notice
        is ready: the owner asked for a print, so fixing the profile should not mean pressing Ctrl+P again."""
        missing = self.book.notices.missing()
        if not missing:
            return True
        QMessageBox.information(
            self.window,
            "The notice needs a few details",
            "Before the privacy notice can be printed:\n\n"
            + "\n".join(f"• {m.message}" for m in missing)
            + "\n\nFill them in and save: printing then carries on.",
        )
        dialog = self.window.open_settings(missing[0].page)
        if dialog is not None:
            dialog.settings_saved.connect(lambda: self._resume(then))
        return False

    def _resume(self, then: Callable[[], None]) -> None:
        # Saved, but maybe not everything was filled in: then() checks again and says what is still missing.
        if self.book.is_unlocked:
            then()

    def _pdf_name(self, document: str) -> str:
        return pdf_name(document, self.book.notices.profile().display_name or self.book.shop.name)

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
            title,
            make_pdf,
            self.window.session.tasks,
            suggested_name=name,
            blank_toggle=toggle,
            printers=self.printers,
            parent=self.window,
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
        if not self._check_ready(self.print_customer_notice):
            return
        book = self.book
        profile = book.notices.profile()
        answers = book.desk.answers(customer.id)
        child = is_child(answers, book.desk.settings().child_age_threshold)
        granted = book.consent.granted_purposes(customer.id)
        categories = categories_held(book.desk.catalogue(), customer, answers, book.desk.visits.count(customer.id))

        def make(blank: bool) -> bytes:
            return book.notices.personal_pdf(customer, granted, child, blank, categories)[0]

        # The customer's name stays out of the file name: file lists and recent-files menus are not encrypted.
        name = self._pdf_name("Privacy notice")
        chosen = self.printers.default() if profile.print_directly else None
        if chosen is not None:
            self._print_directly(make, customer, chosen)
            return
        # No printer: the preview says so and offers "Save as PDF…" (never a silent image PDF in the home folder).
        self._open("Privacy notice", make, name, "personal notice", customer, profile.checkboxes_blank)

    def _print_directly(self, make: Callable[[bool], bytes], customer: Customer, chosen: Chosen) -> None:
        book = self.book
        blank = book.notices.profile().checkboxes_blank

        def done(images: object) -> None:
            assert isinstance(images, list)
            try:
                paint_pages(images, chosen.printer)
            except OSError as error:
                self.window.statusBar().showMessage(str(error), 10_000)
                return
            version = book.notices.current()[1]
            book.notices.versions.record_given(customer.id, version, book.staff_member(), "personal notice")
            sent = chosen.sent().removeprefix("Sent")
            self.window.statusBar().showMessage(f"Notice for {customer.name} sent{sent}", 6000)

        def failed(error: BaseException) -> None:
            self.window.statusBar().showMessage(str(error), 10_000)

        self.window.session.tasks.run(lambda _c: print_page_images(make(blank)), done, failed)

    def print_blank(self) -> None:
        if self._check_ready(self.print_blank):
            notices = self.book.notices

            def make(_blank: bool) -> bytes:
                return notices.personal_pdf(None, frozenset(), child=False, blank_choices=True)[0]

            self._open("Blank privacy notice", make, self._pdf_name("Privacy notice"), "blank notice", None, None)

    def print_sign(self) -> None:
        if self._check_ready(self.print_sign):
            notices = self.book.notices
            sign = lambda _blank: notices.counter_sign_pdf()[0]  # noqa: E731
            self._open("Counter sign", sign, self._pdf_name("Counter sign"), "counter sign", None, None)

    def print_policy(self) -> None:
        if self._check_ready(self.print_policy):
            notices = self.book.notices
            policy = lambda _blank: notices.policy_pdf()[0]  # noqa: E731
            self._open("Privacy policy", policy, self._pdf_name("Privacy policy"), "policy", None, None)

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
