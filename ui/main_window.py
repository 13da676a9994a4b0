"""The main window only composes views and routes their signals to the core; no business rules here.

Built in two steps so the locked window appears at once, before the heavy modules (SQLAlchemy, reportlab,
the PDF renderer) are imported: `MainWindow()` makes the frame, the menus and the lock screen from light
modules only; `attach(session)` adds the customer list, the pane and the controllers once ui/app.py has
imported the rest off the GUI thread. Anything asked of the window in between (a passphrase typed and
entered at once) waits in `_when_attached` and runs on attach.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from ui.lock_view import LockView
from ui.screen_fit import fit_to_screen, never_clip_sideways
from ui.theme import app_icon
from ui.window_host import WindowHost

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from core.book import CustomerBook
    from core.customers.store import Customer, CustomerDraft
    from ui.backup_controller import BackupController
    from ui.customer_form import CustomerForm
    from ui.customer_list_view import CustomerListView
    from ui.customer_pane import CustomerPane
    from ui.idle_lock import IdleWatcher
    from ui.key_rotation import KeyController
    from ui.notice_controller import NoticeController
    from ui.profile_controller import ProfileController
    from ui.session import Session
    from ui.settings_dialog import SettingsDialog
    from ui.unsaved_changes import DraftOffer, UnsavedChanges

log = logging.getLogger(__name__)
STATUS_TIMEOUT_MS = 6000


class MainWindow(WindowHost):
    def __init__(self, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Counterpart")
        self.setWindowIcon(app_icon())
        fit_to_screen(self)

        self.lock_view = LockView()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.lock_view)
        self.setCentralWidget(self.pages)
        self.count_label = QLabel("")
        self.statusBar().addPermanentWidget(self.count_label)
        self.unlocked_actions: list[QAction] = []
        self._deferred_shortcuts: list[tuple[QAction, QKeySequence | QKeySequence.StandardKey]] = []
        self._build_actions()
        for action in self.unlocked_actions:
            action.setEnabled(False)
        self.lock_view.unlock_requested.connect(self._unlock_requested)
        self._when_attached: list[Callable[[], object]] = []
        self.setup_wizard: QWidget | None = None
        self.passphrase_dialog: QWidget | None = None
        self.settings_dialog: QWidget | None = None
        self.ledger_warning: QWidget | None = None
        self.damaged_warning: QWidget | None = None  # customers whose record did not open at unlock
        self.help_dialog: QWidget | None = None
        self.ledger_problems: list[str] | None = None  # the last background check's findings
        self.lock_view.reset()
        if session is not None:
            self.attach(session)

    def attach(self, session: Session) -> None:
        """Second step: the book's views and controllers (imports the heavy modules if not yet imported)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSplitter

        from ui.backup_controller import BackupController
        from ui.customer_list_view import CustomerListView
        from ui.customer_pane import CustomerPane
        from ui.idle_lock import IdleWatcher
        from ui.key_rotation import KeyController
        from ui.notice_controller import NoticeController
        from ui.profile_controller import ProfileController
        from ui.shop_settings import ShopSettings
        from ui.unsaved_changes import DraftOffer, UnsavedChanges

        self.session: Session = session
        self.book: CustomerBook = session.book
        self.list_view: CustomerListView = CustomerListView()
        self.pane: CustomerPane = CustomerPane()
        self.form: CustomerForm = self.pane.form
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list_view)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([780, 520])
        splitter.setChildrenCollapsible(False)
        never_clip_sideways(self.pane.scroll_area)
        splitter.setContentsMargins(12, 12, 12, 4)
        self.book_page = splitter
        self.pages.addWidget(self.book_page)
        for action, shortcut in self._deferred_shortcuts:
            action.setShortcut(shortcut)
        self._deferred_shortcuts.clear()
        if self.settings_action.shortcut().isEmpty():  # not every platform defines a Preferences key
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.idle: IdleWatcher = IdleWatcher(self.book.preferences().auto_lock_minutes, self)
        self.unsaved: UnsavedChanges = UnsavedChanges(self)
        self.draft_offer: DraftOffer = DraftOffer(self, self._open, self._start_new)
        self.idle.idle_timeout.connect(self.lock_when_idle)
        self.idle.lock_pressed.connect(self.lock)
        self.shop_settings = ShopSettings(self)  # the country, idle lock and fields collected, as Settings says
        self._connect()
        self.backups: BackupController = BackupController(self)
        self.profiles: ProfileController = ProfileController(self)
        self.notices: NoticeController = NoticeController(self)
        self.key_upkeep: KeyController = KeyController(self)
        session.setParent(self)
        self.show_locked()
        pending, self._when_attached = self._when_attached, []
        for deferred in pending:
            deferred()

    # --- wiring -----------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu("&Customers")
        self.customers_menu = menu
        self.new_action = self.add_action(menu, "&New customer", QKeySequence.StandardKey.New, self.new_customer)
        self.save_action = self.add_action(menu, "&Save", QKeySequence.StandardKey.Save, self.save_form)
        self.find_action = self.add_action(menu, "&Find", QKeySequence.StandardKey.Find, self.back_to_search)
        menu.addSeparator()
        self.lock_action = self.add_action(menu, "&Lock the book", QKeySequence("Ctrl+L"), self.lock)
        self.add_action(menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.book_menu = self.menuBar().addMenu("&Book")
        self.change_passphrase_action = self.add_action(
            self.book_menu, "Change &passphrase…", None, self.change_passphrase
        )
        self.settings_action = self.add_action(
            self.book_menu, "&Settings…", QKeySequence.StandardKey.Preferences, self.open_settings
        )
        self.escape = QShortcut(QKeySequence("Esc"), self)  # a string: Qt.Key would cost 25 ms at start
        self.escape.setWhatsThis("Back to the search box")  # listed by F1 (ui/help.py)
        self.escape.activated.connect(self.back_to_search)
        self.help_menu = self.menuBar().addMenu("&Help")
        self.help_action = self.add_action(self.help_menu, "&Keyboard shortcuts", QKeySequence("F1"), self.show_help)
        self.unlocked_actions = [
            self.new_action,
            self.save_action,
            self.find_action,
            self.lock_action,
            self.change_passphrase_action,
            self.settings_action,
        ]

    def _unlock_requested(self, secret: str, mode: str, remember: bool) -> None:
        if self.attached:
            self.session.unlock(secret, mode, remember)
            return
        # Typed before the book's modules finished loading (well under a second after start): keep it.
        self.lock_view.set_busy("Opening the customer book…", 0.05)
        self._when_attached.append(lambda: self.session.unlock(secret, mode, remember))

    def _connect(self) -> None:
        self.session.progress.connect(self.lock_view.set_busy)
        self.session.unlocked.connect(self.show_unlocked)
        self.session.unlock_failed.connect(self.lock_view.reset)
        self.session.locked.connect(self.show_locked)
        self.session.notice.connect(lambda text: self.statusBar().showMessage(text, STATUS_TIMEOUT_MS * 2))
        self.list_view.customer_activated.connect(self.open_customer)
        self.list_view.results_changed.connect(self._results_changed)
        self.form.save_requested.connect(self.save_customer)
        self.form.cancelled.connect(self.back_to_search)
        self.form.open_requested.connect(self._open)  # "open them instead?" was the question: nothing to ask

    # --- lock state -------------------------------------------------------------------------------------

    def show_locked(self, message: str = "") -> None:
        """Everything that showed a decrypted value is emptied or dropped (see ARCHITECTURE.md, Locking)."""
        self._close_dialogs()
        self.statusBar().clearMessage()  # "Saved Ana Souza." and the like
        self.ledger_problems = None
        self.list_view.set_consent_lookup(None)
        self.list_view.set_search(None)
        self.form.clear()
        self.pane.show_hint()
        self.count_label.setText("")
        self.idle.stop()
        self.backups.on_locked()
        self.profiles.clear()
        for action in self.unlocked_actions:
            action.setEnabled(False)
        self.pages.setCurrentWidget(self.lock_view)
        self.lock_view.reset(message)

    def _close_dialogs(self) -> None:
        from ui.lock_cleanup import close_dialogs

        close_dialogs(self, [
            (self, "settings_dialog"), (self, "passphrase_dialog"), (self, "ledger_warning"), (self, "damaged_warning"),
            (self.profiles, "dialog"), (self.notices, "dialog"), (self.backups, "dialog"), (self, "help_dialog"),
            (self.unsaved, "prompt"), (self.draft_offer, "dialog"),
        ])  # fmt: skip

    def show_unlocked(self) -> None:
        self.lock_view.idle()
        self.setWindowTitle(f"{self.book.shop.name} — Counterpart")
        for action in self.unlocked_actions:
            action.setEnabled(True)
        self.list_view.set_consent_lookup(self.book.desk.granted, self.book.desk.marketing_channels())
        self.list_view.set_search(self.book.index.search)
        self.shop_settings.apply()
        self.pages.setCurrentWidget(self.book_page)
        self.pane.show_hint()
        self.list_view.focus_search()
        self.idle.start()
        self.backups.on_unlocked()
        self._warn_about_damaged()
        self._check_consent_ledger()
        if self.book.must_change_passphrase:
            self.change_passphrase(forced=True)
        self.draft_offer.offer()  # what was typed when auto-lock came, kept sealed

    def _warn_about_damaged(self) -> None:
        """Customers whose record did not open: the book is open without them; say so without blocking."""
        from ui.damaged_records import damaged_warning, status_line

        damaged = self.book.damaged_customers
        self.damaged_warning = damaged_warning(damaged, self)
        if damaged:
            self.statusBar().showMessage(status_line(len(damaged)))

    def _check_consent_ledger(self) -> None:
        from ui.record_check import check_records

        check_records(self)

    def lock(self) -> None:
        """Ctrl+L asks about unsaved changes; pressed again while it asks, the draft is kept sealed instead."""
        if not self.attached:
            return
        if self.unsaved.asking:
            self.lock_when_idle()
            return
        self.unsaved.then(self.session.lock, "lock the book")

    def lock_when_idle(self) -> None:
        """Auto-lock asks nothing (nobody is there): the unsaved draft is sealed first, offered after unlock."""
        if self.attached and self.book.is_unlocked:
            self.unsaved.keep_draft(self.book)
            self.session.lock()

    # --- customers --------------------------------------------------------------------------------------

    def _results_changed(self, count: int, more: bool) -> None:
        total = len(self.book.index) if self.book.is_unlocked else 0
        self.count_label.setText(f"{total:,} customers" if total != 1 else "1 customer")

    def save_form(self) -> None:
        if self.attached:
            self.form.save()

    def new_customer(self) -> None:
        from core.customers.store import draft_from_search_text

        if not self.attached or not self.book.is_unlocked:
            return
        self.unsaved.then(
            lambda: self._start_new(draft_from_search_text(self.list_view.search_box.text())), "start a new customer"
        )

    def _start_new(self, draft: CustomerDraft) -> None:
        self.form.new_customer(draft)
        self.profiles.clear()
        self.pane.show_detail()

    def customer_on_screen(self) -> Customer | None:
        customer = self.profiles.customer  # the saved customer whose page is open (None: new or none)
        return customer if self.pane.showing_detail else None

    def open_customer(self, customer_id: str) -> None:
        if self.attached and self.book.is_unlocked:
            self.unsaved.then(lambda: self._open(customer_id), "open another customer")

    def _open(self, customer_id: str) -> bool:
        """Show their page; False if they are no longer in the book or their record is damaged."""
        from core.customers.store import DamagedCustomer

        try:
            customer = self.book.get_customer(customer_id)
        except DamagedCustomer:  # shown as damaged, with nothing to edit or save
            self.form.clear()
            self.profiles.clear()
            self.pane.show_damaged(customer_id)
            return False
        if customer is None:
            self.statusBar().showMessage("That customer is no longer in the book.", STATUS_TIMEOUT_MS)
            return False
        self._show(customer)
        self.form.name.setFocus()
        return True

    def _show(self, customer: Customer) -> None:
        self.form.show_customer(customer)
        self.profiles.show(customer)
        self.pane.show_detail()

    def save_customer(self, draft: CustomerDraft, existing: Customer | None, allow_duplicates: bool) -> None:
        from core.customers.desk import DuplicateContact
        from core.errors import StorageError, TamperedRecord, ValidationError

        if not self.book.is_unlocked or not self.pane.showing_detail:
            return
        try:
            saved = self.book.save_customer(draft, existing=existing, allow_duplicates=allow_duplicates)
        except ValidationError as error:
            self.form.show_error(error.field, error.message)
            return
        except DuplicateContact as duplicate:
            self.form.show_duplicate(str(duplicate), duplicate.matches)
            return
        except (StorageError, TamperedRecord) as error:  # TamperedRecord: found damaged since it was opened
            self.form.show_error("form", str(error))
            return
        self._show(saved)
        self.list_view.refresh()
        self.list_view.select_customer(saved.id)
        verb = "Added" if existing is None else "Saved"
        self.statusBar().showMessage(f"{verb} {saved.name}.", STATUS_TIMEOUT_MS)

    def back_to_search(self) -> None:
        if self.attached and self.book.is_unlocked:
            self.unsaved.then(self._back_to_search, "go back to the search")

    def _back_to_search(self) -> None:
        self.form.clear_errors()
        self.pane.show_hint()
        self.list_view.focus_search()

    # --- book -------------------------------------------------------------------------------------------

    def change_passphrase(self, forced: bool = False) -> None:
        from ui.passphrase_dialog import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.session, forced=forced, parent=self)
        dialog.passphrase_changed.connect(
            lambda: self.statusBar().showMessage("Passphrase changed.", STATUS_TIMEOUT_MS)
        )
        dialog.rotation_wanted.connect(self.key_upkeep.open)
        dialog.open()
        self.passphrase_dialog = dialog

    def show_help(self) -> None:
        from ui.help import show_shortcuts

        self.help_dialog = show_shortcuts(self)

    def open_settings(self, page: str = "") -> SettingsDialog:
        """Open Settings, optionally on one page (e.g. when the notice needs the shop's address)."""
        from ui.settings_dialog import SettingsDialog
        from ui.settings_pages import settings_pages

        dialog = SettingsDialog(self.book, settings_pages(), open_page=page, parent=self)
        dialog.settings_saved.connect(self._settings_saved)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def _settings_saved(self) -> None:
        self.shop_settings.apply()
        self.statusBar().showMessage("Settings saved.", STATUS_TIMEOUT_MS)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.attached:  # closed while still starting: nothing is open yet
            event.accept()
            return
        if self.unsaved.pending:  # first, before a backup on close starts: asked again once saved or discarded
            event.ignore()
            self.unsaved.then(self.close, "close Counterpart")
            return
        if self.backups.intercept_close(event):
            return
        if self.session.tasks.busy and not self.backups.closing:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self,
                "Counterpart is still working",
                "Counterpart is still finishing a task. Quit anyway? The task will be abandoned safely.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.session.lock()
        event.accept()
