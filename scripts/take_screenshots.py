"""Screenshots for the README: the real window under Xvfb (`make screenshots`), demo data, a 1366×768 screen.

Usage: xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/take_screenshots.py docs/screenshots

Makes all 22 pictures the README shows: the set-up wizard (the shop, its details, what to ask, the passphrase),
the unlock screen, the main window at the size it picks for that screen, a returning customer's page (today's
question, consent, "What we know" with a corrected answer), the consent history, the unsaved-changes prompt,
F1 help, Ctrl+P with no printer installed, Back up now, the restore warning, replacing the book's key, and the
printed documents (scripts/screenshot_pdfs.py). The demo shop's history is dated three weeks back and the
featured customer's two visits about three weeks and a week back, so today's question is the one a returning
customer would be asked. Every asynchronous step waits for the signal that says it is done.
"""

from __future__ import annotations

import importlib
import itertools
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QTimer, SignalInstance  # noqa: E402
from PySide6.QtGui import QGuiApplication, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget  # noqa: E402

from core.demo import create_demo_shop  # noqa: E402
from core.keys.crypto import FAST_TEST_KDF  # noqa: E402
from core.storage.data_folder import DataFolder  # noqa: E402
from ui.app import build_window  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.printing import Printers  # noqa: E402
from ui.theme import apply_theme  # noqa: E402

Step = Callable[[], None]
PAINT_MS = 300  # after a change, let Qt lay out and paint before grabbing
SIGNAL_TIMEOUT_MS = 60_000
PICTURES = (
    "setup-shop", "setup-details", "setup-ask", "setup-passphrase", "unlock", "main-window", "customer-detail",
    "customer-consent", "what-we-know", "consent-history", "unsaved-changes", "shortcut-help", "notice-no-printer",
    "notice-personal", "notice-personal-page2", "notice-counter-sign", "notice-policy-page1", "recovery-sheet",
    "backup", "restore", "key-rotation", "key-rotation-done",
)  # fmt: skip
SETUP_PASSPHRASE = "lantern-orbit-velvet-canyon-marble-thistle"  # noqa: S105 - only typed into the wizard
FEATURED = "ma"  # typed in the search box; the pictures follow its first match that has no history yet
# The modules whose rows carry the time they were written: customers, visits and answers. The consent ledger,
# the audit log and the notice versions keep the real time (consent is given today, at the counter).
_DATED_MODULES = ("core.customers.store", "core.customers.visits", "core.customers.profiling")
NO_PRINTER = Printers(names=list)  # Xvfb may or may not see a CUPS printer: the picture is of the no-printer case


@contextmanager
def dated(days_ago: int) -> Iterator[None]:
    """Rows written inside are stamped `days_ago` days back (a second apart, in order), as if written then."""
    start = datetime.now(UTC) - timedelta(days=days_ago)
    ticks = itertools.count()

    def clock() -> str:
        return (start + timedelta(seconds=next(ticks))).isoformat(timespec="microseconds")

    modules = [importlib.import_module(name) for name in _DATED_MODULES]
    saved = [module.utc_now for module in modules]  # AttributeError if one stops using utc_now: fix this list
    for module in modules:
        module.utc_now = clock  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.utc_now = original  # type: ignore[attr-defined]


def on_screen(widget: QWidget) -> QPixmap:
    """What the screen shows where `widget` is, dialogs on top included (a window-modal prompt over the window)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    area = widget.frameGeometry()
    return screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())


class Director:
    """Runs steps one after another on the event loop, so each screen is painted before it is grabbed.

    A step either waits a short paint delay, or (`then_await`) the signal that ends its background work.
    Any exception stops the run with exit status 1."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.steps: list[tuple[Step, int, Callable[[], SignalInstance] | None]] = []
        self.failed = False
        self._timeout = QTimer()
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(lambda: self.fail(TimeoutError("a step never signalled that it was done")))

    def then(self, step: Step, wait_ms: int = PAINT_MS) -> Director:
        self.steps.append((step, wait_ms, None))
        return self

    def then_await(self, step: Step, signal: Callable[[], SignalInstance], wait_ms: int = PAINT_MS) -> Director:
        """Run `step`, then go on `wait_ms` after `signal()` (looked up once the step has run) next fires."""
        self.steps.append((step, wait_ms, signal))
        return self

    def grab(self, widget: Callable[[], QWidget | None], name: str, screen: bool = False) -> Director:
        """Save `widget` as name.png; with `screen`, as the screen shows it (with any dialog over it)."""

        def save() -> None:
            shown = widget()
            if shown is None or not shown.isVisible():
                raise RuntimeError(f"nothing on screen to take {name}.png of")
            picture = on_screen(shown) if screen else shown.grab()
            if not picture.save(str(self.out / f"{name}.png")):
                raise RuntimeError(f"could not save {name}.png")

        return self.then(save, 0)

    def fail(self, error: BaseException) -> None:
        print(f"screenshots failed: {type(error).__name__}: {error}", file=sys.stderr)
        self.failed = True
        self.steps.clear()
        QApplication.exit(1)

    def run(self) -> None:
        if not self.steps:
            QApplication.quit()
            return
        step, wait, signal = self.steps.pop(0)
        try:
            if signal is None:
                step()
                QTimer.singleShot(wait, self.run)
                return
            # Connected after the step (which may create the emitter): background work reports back through
            # the event loop, so the signal cannot fire before this function returns.
            step()
            instance = signal()

            def done(*_args: object) -> None:
                instance.disconnect(done)
                self._timeout.stop()
                QTimer.singleShot(wait, self.run)

            instance.connect(done)
            self._timeout.start(SIGNAL_TIMEOUT_MS)
        except Exception as error:  # report any failure and stop with status 1
            self.fail(error)


def featured_customer(window: MainWindow) -> str:
    """The first match for FEATURED with a phone, an e-mail and no visits yet: the demo gave them no history."""
    book = window.book
    for row in book.index.search(FEATURED).rows:
        if row.phones and row.emails and book.visits.count(row.id) == 0:
            return row.id
    raise RuntimeError(f"no customer matching {FEATURED!r} without a history in the demo shop")


def stage_demo(window: MainWindow, featured: str) -> None:
    """The featured customer's history, recorded through the book's desk like the window does: a first visit
    three weeks ago (age range answered, wrongly), a second a week ago (corrected, and a preferred channel),
    and consent given at the counter, one channel later withdrawn, so the history shows both."""
    from core.consent.ledger import ConsentMethod
    from core.customers.visits import VisitKind

    desk = window.book.desk
    with dated(20):
        desk.record_visit(featured, VisitKind.PURCHASE, "Bread and coffee")
        desk.answer(featured, "age_range", "40–64")
    with dated(6):
        desk.record_visit(featured, VisitKind.ENQUIRY, "Asked about the loyalty card")
        desk.correct_answer(featured, "age_range", "25–39")  # "was 40–64 until …" stays in What we know
        desk.answer(featured, "preferred_contact_channel", "Text message")
    desk.set_consent(featured, "marketing_email", True, ConsentMethod.VERBAL)
    desk.set_consent(featured, "marketing_sms", True, ConsentMethod.SIGNED_PAPER)
    desk.set_consent(featured, "marketing_post", True, ConsentMethod.WRITTEN)  # and later withdrawn:
    desk.set_consent(featured, "marketing_post", False, ConsentMethod.EMAIL)  # the history shows both
    window.list_view.refresh()


def _written_since(path: Path, started: float) -> bool:
    return path.is_file() and path.stat().st_mtime >= started


def main(out: Path) -> int:
    from screenshot_pdfs import render_documents  # scripts/, next to this file

    from core.customers.store import CustomerDraft
    from ui.setup_wizard import SetupWizard

    out.mkdir(parents=True, exist_ok=True)
    started = time.time() - 1
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="counterpart-shots-"))
    # The setup wizard over an empty folder.
    wizard_window = build_window(DataFolder(work / "new"), {"kdf_provider": lambda: FAST_TEST_KDF})
    wizard = SetupWizard(wizard_window.session)
    # A demo shop for the main window, opened three weeks ago. The window sizes itself from the screen.
    demo_folder = DataFolder(work / "demo")
    with dated(21):
        demo = create_demo_shop(demo_folder)
    window = build_window(demo_folder, {"kdf_provider": lambda: FAST_TEST_KDF})
    window.show()
    backups = Path(tempfile.mkdtemp(prefix="usb-")) / "Counterpart backups"  # short: the field shows it whole
    backups.mkdir()
    featured = ""

    def on_page(page: QWidget) -> None:
        if wizard.currentPage() is not page:
            raise RuntimeError(f"the wizard stayed on {type(wizard.currentPage()).__name__}")

    def fill_shop() -> None:
        wizard.show()
        wizard.next()
        wizard.shop_page.name.setText("Ana's Corner Shop")
        wizard.shop_page.country.setCurrentIndex(wizard.shop_page.country.findData("GB"))
        on_page(wizard.shop_page)

    def fill_details() -> None:
        wizard.next()
        on_page(wizard.details_page)
        page = wizard.details_page  # as tests/ui/test_setup_wizard.py::fill_shop_details fills it
        page.address.setText("12 Fore Street, Kingsbridge TQ7 1PP")
        page.phone.setText("0117 496 0000")
        page.email.setText("hello@example.com")
        page.privacy_contact.setText("Ana Souza")
        page.staff_name.setText("Ana")

    def ask() -> None:
        wizard.next()
        on_page(wizard.ask_page)  # as shipped: the name and a phone

    def fill_passphrase() -> None:
        wizard.next()
        on_page(wizard.passphrase_page)
        # Six words as "Suggest one" makes them, fixed so the picture stays the same from run to run.
        fields = wizard.passphrase_page.fields
        fields.show_button.setChecked(True)
        fields.passphrase.setText(SETUP_PASSPHRASE)
        fields.confirm.setText(SETUP_PASSPHRASE)

    def unlock() -> None:
        wizard.hide()
        window.session.unlock(demo.passphrase, "passphrase", False)

    def stage() -> None:
        nonlocal featured
        featured = featured_customer(window)
        stage_demo(window, featured)

    def open_featured() -> None:
        window.list_view.search_box.setText(FEATURED)
        window.list_view.select_customer(featured)
        window.open_customer(featured)
        if window.profiles.customer is None or window.profiles.customer.id != featured:
            raise RuntimeError("the featured customer did not open")

    def scroll_to(widget: QWidget, above: int = 8) -> None:
        scroll = window.pane.scroll_area
        top = widget.mapTo(scroll.widget(), QPoint(0, 0)).y()
        scroll.verticalScrollBar().setValue(top - above)

    def answer_today() -> None:
        # F2 (the visit today), then today's question in the shop's local date format (UK).
        window.profiles.record_visit("purchase", "")
        row = window.profiles.ask_panel.rows[0]
        if row.spec.key != "birthday":
            raise RuntimeError(f"today's question is {row.spec.key}, not the birthday")
        row.input.setText("14/05/1991")
        row._answer()
        if window.profiles.ask_panel.rows:
            raise RuntimeError("the panel still asks a question after today's answer")
        # "Asked today: 1 of 1" at the top, then the consent boxes and the visits.
        scroll_to(window.profiles.ask_panel)

    def scroll_to_known() -> None:
        # The visits, and What we know: today's birthday, the corrected age range with what it replaced.
        scroll = window.pane.scroll_area
        scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())

    def show_history() -> None:
        window.profiles.show_history()

    def close_history() -> None:
        dialog = window.profiles.dialog
        if dialog is not None:
            dialog.close()

    def leave_with_changes() -> None:
        scroll_to(window.form, 0)
        window.form.notes.setPlainText("Prefers oat milk")
        window.back_to_search()  # Esc
        if window.unsaved.prompt is None:
            raise RuntimeError("Esc with unsaved changes did not ask")

    def cancel_leaving() -> None:
        prompt: QMessageBox | None = window.unsaved.prompt
        if prompt is None:
            raise RuntimeError("the unsaved-changes prompt is gone")
        cancel = prompt.findChild(QPushButton, "unsaved_cancel")
        if cancel is None:
            raise RuntimeError("the unsaved-changes prompt has no Cancel button")
        cancel.click()
        window.form.discard_changes()

    def help_keys() -> None:
        window.show_help()

    def print_without_printer() -> None:
        window.help_dialog.close()
        window.notices.printers = NO_PRINTER
        window.notices.print_customer_notice()

    def back_up() -> None:
        window.notices.dialog.close()
        window.back_to_search()
        window.backups.back_up()
        window.backups.dialog.folder.setText(str(backups))
        window.backups.dialog.start()

    def restore() -> None:
        result = window.backups.dialog.last_result
        window.backups.dialog.reject()
        # A customer added after the backup: the warning says what restoring it would lose.
        window.book.save_customer(CustomerDraft("Tom Baker", ("07911 123456",), ("tom.baker@example.com",)))
        window.backups.restore()
        dialog = window.backups.dialog
        dialog.file.setText(str(result.path))
        dialog.secret.setText(window.book.keys.backup_identity)  # as typed from the recovery sheet
        dialog.open_file()

    def check_restore_preview() -> None:
        dialog = window.backups.dialog
        if dialog.opened is None:
            raise RuntimeError("the backup did not open: " + dialog.status.text())
        if not dialog.warning.isVisible():
            raise RuntimeError("the restore preview shows no warning")

    def documents() -> None:
        window.backups.dialog.reject()
        customer = window.book.get_customer(featured)
        render_documents(window.book, customer, out)

    def rotation() -> None:
        window.key_upkeep.open()
        window.key_upkeep.dialog.passphrase.setText(demo.passphrase)

    def rotate() -> None:
        window.key_upkeep.dialog._go()

    director = Director(out)
    director.then(fill_shop).grab(lambda: wizard, "setup-shop")
    director.then(fill_details).grab(lambda: wizard, "setup-details")
    director.then(ask).grab(lambda: wizard, "setup-ask")
    director.then(fill_passphrase).grab(lambda: wizard, "setup-passphrase")
    director.grab(lambda: window, "unlock")
    director.then_await(unlock, lambda: window.session.unlocked)
    director.then(stage).grab(lambda: window, "main-window")
    director.then(open_featured).grab(lambda: window, "customer-detail")
    director.then(answer_today).grab(lambda: window, "customer-consent")
    director.then(scroll_to_known).grab(lambda: window, "what-we-know")
    director.then(show_history).grab(lambda: window.profiles.dialog, "consent-history")
    director.then(close_history, 100)
    director.then(leave_with_changes).grab(lambda: window, "unsaved-changes", screen=True)
    director.then(cancel_leaving, 100)
    director.then(help_keys).grab(lambda: window.help_dialog, "shortcut-help")
    director.then_await(print_without_printer, lambda: window.session.tasks.task_finished)
    director.grab(lambda: window.notices.dialog, "notice-no-printer")
    director.then_await(back_up, lambda: window.backups.dialog.backup_finished)
    director.grab(lambda: window.backups.dialog, "backup")
    director.then_await(restore, lambda: window.session.tasks.task_finished)
    director.then(check_restore_preview).grab(lambda: window.backups.dialog, "restore")
    director.then(documents, 0)
    director.then(rotation).grab(lambda: window.key_upkeep.dialog, "key-rotation")
    director.then_await(rotate, lambda: window.key_upkeep.dialog.rotated)
    director.grab(lambda: window.key_upkeep.dialog, "key-rotation-done")
    QTimer.singleShot(PAINT_MS, director.run)
    try:
        status = app.exec()
    finally:
        window.session.tasks.wait_for_all()
        window.book.close()
        wizard_window.book.close()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(backups.parent, ignore_errors=True)
    stale = [name for name in PICTURES if not _written_since(out / f"{name}.png", started)]
    if stale:
        print(f"screenshots not made: {', '.join(stale)}", file=sys.stderr)
    return 1 if status or director.failed or stale else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
