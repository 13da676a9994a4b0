"""Wires visits, questions and consent into the customer pane and the menus; the rules live in core."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from core.customers.store import Customer, DamagedCustomer, damaged_name
from core.customers.visits import VisitKind
from core.errors import CounterpartError, ValidationError
from ui.consent_history import ConsentHistoryDialog, MarketingExportDialog
from ui.consent_panel import ConsentPanel
from ui.profile_panels import AskPanel, VisitBar
from ui.what_we_know import CorrectDialog, WhatWeKnowSection

if TYPE_CHECKING:
    from ui.window_host import WindowHost


class ProfileController(QObject):
    consent_recorded = Signal(str)  # customer id: their current consent may have changed
    evidence_stored = Signal(str, str)  # customer id, evidence id

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window)
        self.window = window
        self.book = window.book
        self.customer: Customer | None = None
        self.visit_bar = VisitBar()
        self.ask_panel = AskPanel()
        self.consent_panel = ConsentPanel()
        self.what_we_know = WhatWeKnowSection()
        # Shown in the order Tab visits them: question → consent → visits → what we know (after form and Save).
        for section in (self.ask_panel, self.consent_panel, self.visit_bar, self.what_we_know):
            window.pane.add_section(section, section)
            section.hide()
        self.what_we_know.correction_requested.connect(self.open_correction)
        self.what_we_know.removal_confirmed.connect(self.remove_answer)
        self.visit_bar.visit_requested.connect(self.record_visit)
        self.ask_panel.answered.connect(self.answer)
        self.ask_panel.declined.connect(self.decline)
        self.ask_panel.later.connect(self.ask_later)
        self.consent_panel.consent_changed.connect(self.set_consent)
        self.consent_panel.withdraw_all_requested.connect(self.withdraw_all)
        self.consent_panel.history_requested.connect(self.show_history)
        self.consent_panel.evidence_requested.connect(self.attach_evidence)
        self.pending_evidence: str | None = None
        self.consent_recorded.connect(window.list_view.refresh_customer)
        menu = window.customers_menu
        menu.addSeparator()
        self.visit_action = window.add_action(menu, "Record &visit", QKeySequence("F2"), self.visit_bar.request)
        self.export_action = window.add_action(menu, "&Export marketing list…", None, self.export_marketing)
        self.review_action = window.add_action(menu, "&Review list…", None, self.review_list)
        window.unlocked_actions += [self.visit_action, self.export_action, self.review_action]
        self.visit_action.setEnabled(False)
        self.dialog: QWidget | None = None
        self.correction: CorrectDialog | None = None

    # --- which customer ---------------------------------------------------------------------------------------

    def show(self, customer: Customer | None) -> None:
        """Refresh the sections for the open customer (None: a new, unsaved customer or nothing open)."""
        if customer is None or self.customer is None or customer.id != self.customer.id:
            # A scan and a guardian belong to the customer they were given for, never to the next one.
            self.pending_evidence = None
            self.consent_panel.clear_guardian()
        self.customer = customer
        visible = customer is not None and self.book.is_unlocked
        for widget in (self.visit_bar, self.consent_panel, self.what_we_know):
            widget.setVisible(visible)
        self.visit_action.setEnabled(visible)
        if not visible or customer is None:
            self.ask_panel.hide()
            return
        desk = self.book.desk
        view = desk.view(customer.id, created_at=customer.created_at)
        visits = self.book.visits.for_customer(customer.id)
        self.visit_bar.summary.setText(
            f"{len(visits)} visit{'s' if len(visits) != 1 else ''}"
            + (f", last on {visits[-1].at[:10]}" if visits else " yet — press F2 when they buy or ask something")
        )
        self.ask_panel.country = self.book.shop.country
        self.ask_panel.show_questions(view.questions, view.asked_today, view.per_visit)
        self.consent_panel.set_purposes(desk.catalogue().enabled_purposes())
        self.consent_panel.show_state(view.granted, view.child, [spec.label for spec in view.to_review])
        self.what_we_know.show_answers(desk.known(customer.id))
        self.window.pane.refresh_tab_order()

    def clear(self) -> None:
        """No customer open (lock, a new customer, a damaged one): the sections forget what they showed."""
        self.show(None)
        self.ask_panel.show_questions([])  # answers typed but not saved go with their rows
        self.what_we_know.show_answers([])
        dialog, self.correction = self.correction, None
        if dialog is not None:  # a value being corrected belongs to the customer who is gone from the page
            dialog.done(QDialog.DialogCode.Rejected)
            dialog.deleteLater()
        self.visit_bar.note.setText("")  # setText, not clear(): that would stay in the undo history
        self.visit_bar.summary.setText("")
        self.consent_panel.show_error("")
        self.consent_panel.review.setText("")

    def _refresh(self, message: str = "") -> None:
        if self.customer is not None:
            self.show(self.customer)
        if message:
            self.window.statusBar().showMessage(message, 6000)

    # --- actions --------------------------------------------------------------------------------------------

    def record_visit(self, kind: str, note: str) -> None:
        if self.customer is None:
            return
        try:
            self.book.desk.record_visit(self.customer.id, VisitKind(kind), note)
        except ValidationError as error:
            self.window.statusBar().showMessage(error.message, 8000)
            return
        self._refresh(f"Visit recorded for {self.customer.name}.")

    def answer(self, key: str, value: str) -> None:
        if self.customer is None:
            return
        try:
            self.book.desk.answer(self.customer.id, key, value)
        except ValidationError as error:
            self.ask_panel.row(key).show_error(error.message)
            return
        self._refresh("Answer saved.")

    def decline(self, key: str) -> None:
        if self.customer is not None:
            self.book.desk.decline(self.customer.id, key)
            self._refresh("Noted: they would rather not say. We will not ask again for a while.")

    def ask_later(self, key: str) -> None:
        if self.customer is not None:
            self.book.desk.ask_later(self.customer.id, key)
            self._refresh("We will ask at their next visit.")

    def set_consent(self, purpose: str, granted: bool) -> None:
        if self.customer is None:
            return
        panel = self.consent_panel
        try:
            self.book.desk.set_consent(
                self.customer.id, purpose, granted, panel.method_value(),
                guardian_name=panel.guardian_name.text(), guardian_relationship=panel.guardian_relationship.text(),
                evidence_id=self.pending_evidence,
            )  # fmt: skip
        except CounterpartError as error:
            self._refresh()
            panel.show_error(str(error), error.field if isinstance(error, ValidationError) else "")
            return
        self.consent_recorded.emit(self.customer.id)
        # The method is said back, so a "How given" changed by mistake is seen at once, not in the ledger later.
        what = "recorded" if granted else "withdrawal recorded"
        purpose_label = self.book.desk.catalogue().purpose(purpose).label
        self._refresh(f"{purpose_label}: {what} — {panel.method_text()}")

    def withdraw_all(self) -> None:
        if self.customer is None:
            return
        events = self.book.desk.withdraw_all_marketing(self.customer.id, self.consent_panel.method_value())
        self.consent_recorded.emit(self.customer.id)
        self._refresh(f"Withdrew {len(events)} marketing consents for {self.customer.name}.")

    def show_history(self) -> None:
        if self.customer is None:
            return
        dialog = ConsentHistoryDialog(self.book, self.customer.id, self.customer.name, self.window)
        self.dialog = dialog
        dialog.open()

    def attach_evidence(self) -> None:
        if self.customer is None:
            return
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Attach the signed sheet", "", "Scans (*.pdf *.png *.jpg *.jpeg);;All files (*)"
        )
        if chosen:
            self.attach_evidence_file(Path(chosen))

    def attach_evidence_file(self, path: Path) -> None:
        """Store a scan encrypted, off the GUI thread (up to 20 MB to read and seal); the consent changes made
        next for this customer cite it."""
        if self.customer is None:
            return
        desk, customer_id = self.book.desk, self.customer.id
        self.consent_panel.show_error("")
        self.window.statusBar().showMessage(f"Storing {path.name[:80]} (encrypted)…")

        def work(_context: object) -> str:
            return desk.attach_evidence_file(customer_id, path)

        def stored(evidence_id: object) -> None:
            assert isinstance(evidence_id, str)
            if self.customer is not None and self.customer.id == customer_id:
                self.pending_evidence = evidence_id
                self.window.statusBar().showMessage(
                    f"Signed sheet {path.name[:80]} stored (encrypted); the consent you record next cites it.", 8000
                )
            self.evidence_stored.emit(customer_id, evidence_id)

        def failed(error: BaseException) -> None:
            self.window.statusBar().clearMessage()
            if self.customer is None or self.customer.id != customer_id:
                return
            if isinstance(error, CounterpartError):
                self.consent_panel.show_error(str(error), "evidence")
            else:
                self.consent_panel.show_error(f"Could not store {path.name[:80]}. Try again.", "evidence")

        self.window.session.tasks.run(work, stored, failed)

    def review_list(self) -> None:
        if not self.book.is_unlocked:
            return
        from ui.consent_history import ReviewListDialog

        book = self.book

        def work(_context: object) -> list[tuple[str, str, list[str]]]:
            rows = []
            for customer_id, fields in book.desk.review_list():
                try:
                    customer = book.get_customer(customer_id)
                except DamagedCustomer:
                    rows.append((customer_id, damaged_name(customer_id), [spec.label for spec in fields]))
                    continue
                if customer is not None:
                    rows.append((customer_id, customer.name, [spec.label for spec in fields]))
            return rows

        def show(rows: object) -> None:
            assert isinstance(rows, list)
            if not book.is_unlocked:  # locked while the names were read: do not show them now
                return
            dialog = ReviewListDialog(rows, self.window)
            dialog.accepted.connect(lambda: self._open_reviewed(dialog))
            self.dialog = dialog
            dialog.open()

        self.window.session.tasks.run(work, show)

    def _open_reviewed(self, dialog: object) -> None:
        from ui.consent_history import ReviewListDialog

        assert isinstance(dialog, ReviewListDialog)
        chosen = dialog.chosen()
        if chosen:
            self.window.open_customer(chosen)
            if self.customer is not None and self.customer.id == chosen:
                # The list said "keep or remove" the answers: land on them.
                self.window.pane.scroll_area.ensureWidgetVisible(self.what_we_know)
                self.what_we_know.focus_first()

    # --- what we know -------------------------------------------------------------------------------------

    def open_correction(self, key: str) -> None:
        if self.customer is None:
            return
        known = next((k for k in self.what_we_know.known if k.field_key == key), None)
        try:
            spec = self.book.desk.catalogue().field(key)
        except KeyError:
            self.window.statusBar().showMessage("That question is no longer in the catalogue: remove it.", 8000)
            return
        if known is None:
            return
        dialog = CorrectDialog(spec, known, self.book.shop.country, self.window)
        dialog.submitted.connect(self.correct)
        self.correction = dialog
        dialog.open()

    def correct(self, key: str, value: str) -> None:
        if self.customer is None or self.correction is None:
            return
        try:
            self.book.desk.correct_answer(self.customer.id, key, value)
        except ValidationError as error:
            self.correction.show_error(error.message)
            return
        self.correction.accept()
        self.correction = None
        self._refresh(f"{self.book.desk.catalogue().field(key).label} corrected; the earlier value stays listed.")

    def remove_answer(self, key: str) -> None:
        if self.customer is None:
            return
        label = next((k.label for k in self.what_we_know.known if k.field_key == key), key)
        self.book.desk.remove_answer(self.customer.id, key)
        self._refresh(f"{label} removed from {self.customer.name}'s record.")

    def export_marketing(self) -> None:
        if not self.book.is_unlocked:
            return
        dialog = MarketingExportDialog(self.book, self.window.session.tasks, self.window)
        self.dialog = dialog
        dialog.open()
