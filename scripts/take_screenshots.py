"""Screenshots for the README: the real window under Xvfb (`make screenshots`), demo data, 1366×768.

Usage: xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/take_screenshots.py docs/screenshots

Makes all 13 pictures the README shows: the set-up wizard, the unlock screen, the main window, a returning
customer's form and their visits / question / consent, Back up now after a real backup, the restore preview of
that backup, and the printed documents (scripts/screenshot_pdfs.py). The demo data is seeded, the consent is
recorded through the book's desk, and every asynchronous step waits for the signal that says it is done.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QTimer, SignalInstance  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from core.demo import create_demo_shop  # noqa: E402
from core.keys.crypto import FAST_TEST_KDF  # noqa: E402
from core.storage.data_folder import DataFolder  # noqa: E402
from ui.app import build_window  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.theme import apply_theme  # noqa: E402

Step = Callable[[], None]
PAINT_MS = 300  # after a change, let Qt lay out and paint before grabbing
SIGNAL_TIMEOUT_MS = 60_000
PICTURES = (
    "setup-shop", "setup-passphrase", "unlock", "main-window", "customer-detail", "customer-consent",
    "consent-history",
    "notice-personal", "notice-personal-page2", "notice-counter-sign", "notice-policy-page1", "recovery-sheet",
    "backup", "restore", "key-rotation", "key-rotation-done",
)  # fmt: skip
SETUP_PASSPHRASE = "lantern-orbit-velvet-canyon-marble-thistle"  # noqa: S105 - only typed into the wizard
FEATURED = "ma"  # typed in the search box; the first match is the returning customer the pictures follow


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

    def grab(self, widget: Callable[[], QWidget], name: str) -> Director:
        def save() -> None:
            if not widget().grab().save(str(self.out / f"{name}.png")):
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


def stage_demo(window: MainWindow) -> None:
    """What a shop would have after a few weeks, recorded through the book like the window does: the shop
    profile the notices need, two visits and some consent for the featured customer, consent for a few more."""
    from core.consent.ledger import ConsentMethod
    from core.customers.visits import VisitKind

    book = window.book
    notices = book.notices
    notices.save_profile(
        replace(
            notices.profile(),
            address="12 High Street, Kingsbridge TQ7 1AB",
            phone="+44 20 7946 0321",
            email="hello@example.com",
            privacy_contact="Sam Okafor",
        )
    )
    desk = book.desk
    rows = book.index.search("").rows
    featured = book.index.search(FEATURED).rows[0].id
    desk.record_visit(featured, VisitKind.PURCHASE, "Bread and coffee")
    desk.record_visit(featured, VisitKind.ENQUIRY, "Asked about the loyalty card")
    desk.answer(featured, "age_range", "25–39")  # asked last time; today's question comes next
    desk.set_consent(featured, "marketing_email", True, ConsentMethod.VERBAL)
    desk.set_consent(featured, "marketing_sms", True, ConsentMethod.SIGNED_PAPER)
    desk.set_consent(featured, "marketing_post", True, ConsentMethod.WRITTEN)  # and later withdrawn:
    desk.set_consent(featured, "marketing_post", False, ConsentMethod.EMAIL)  # the history shows both
    # A mix in the list's "OK to contact" column, only for channels the customer gave us: about half said no.
    for number, row in enumerate(rows[:40]):
        if row.id == featured or number % 2:
            continue
        channels = (["marketing_email"] if row.emails else []) + (["marketing_sms"] if row.phones else [])
        if row.phones and number % 3 == 0:
            channels.append("marketing_phone")
        for purpose in channels[: 1 + number % 4]:
            desk.set_consent(row.id, purpose, True, ConsentMethod.VERBAL)
    window.list_view.refresh()


def _written_since(path: Path, started: float) -> bool:
    return path.is_file() and path.stat().st_mtime >= started


def main(out: Path) -> int:
    from screenshot_pdfs import render_documents  # scripts/, next to this file

    from ui.setup_wizard import SetupWizard

    out.mkdir(parents=True, exist_ok=True)
    started = time.time() - 1
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="counterpart-shots-"))
    # The setup wizard over an empty folder.
    wizard_window = build_window(DataFolder(work / "new"), {"kdf_provider": lambda: FAST_TEST_KDF})
    wizard = SetupWizard(wizard_window.session)
    wizard.resize(760, 560)
    # A demo shop for the main window.
    demo_folder = DataFolder(work / "demo")
    demo = create_demo_shop(demo_folder)
    window = build_window(demo_folder, {"kdf_provider": lambda: FAST_TEST_KDF})
    window.resize(1366, 768)
    window.show()
    backups = Path(tempfile.mkdtemp(prefix="usb-")) / "Counterpart backups"  # short: the field shows it whole
    backups.mkdir()

    def fill_shop() -> None:
        wizard.show()
        wizard.next()
        wizard.shop_page.name.setText("Ana's Corner Shop")

    def fill_passphrase() -> None:
        wizard.next()
        # Six words as "Suggest one" makes them, fixed so the picture stays the same from run to run.
        fields = wizard.passphrase_page.fields
        fields.show_button.setChecked(True)
        fields.passphrase.setText(SETUP_PASSPHRASE)
        fields.confirm.setText(SETUP_PASSPHRASE)

    def unlock() -> None:
        wizard.hide()
        window.session.unlock(demo.passphrase, "passphrase", False)

    def open_featured() -> None:
        window.list_view.search_box.setText(FEATURED)
        window.list_view.open_current()

    def scroll_to_consent() -> None:
        scroll = window.pane.scroll_area
        # Visits at the top; the question, the consent boxes and the History… button below, all in view.
        top = window.profiles.visit_bar.mapTo(scroll.widget(), QPoint(0, 0)).y()
        scroll.verticalScrollBar().setValue(top - 8)

    def show_history() -> None:
        window.profiles.show_history()

    def close_history() -> None:
        dialog = window.profiles.dialog
        if dialog is not None:
            dialog.close()

    def back_up() -> None:
        window.back_to_search()
        window.backups.back_up()
        window.backups.dialog.folder.setText(str(backups))
        window.backups.dialog.start()

    def restore() -> None:
        result = window.backups.dialog.last_result
        window.backups.dialog.reject()
        window.backups.restore()
        dialog = window.backups.dialog
        dialog.file.setText(str(result.path))
        dialog.secret.setText(window.book.keys.backup_identity)  # as typed from the recovery sheet
        dialog.open_file()

    def check_restore_preview() -> None:
        if window.backups.dialog.opened is None:
            raise RuntimeError("the backup did not open: " + window.backups.dialog.status.text())

    def documents() -> None:
        window.backups.dialog.reject()
        customer = window.book.get_customer(window.profiles.customer.id)
        render_documents(window.book, customer, out)

    def rotation() -> None:
        window.key_upkeep.open()
        window.key_upkeep.dialog.passphrase.setText(demo.passphrase)

    def rotate() -> None:
        window.key_upkeep.dialog._go()

    director = Director(out)
    director.then(fill_shop).grab(lambda: wizard, "setup-shop")
    director.then(fill_passphrase).grab(lambda: wizard, "setup-passphrase")
    director.grab(lambda: window, "unlock")
    director.then_await(unlock, lambda: window.session.unlocked)
    director.then(lambda: stage_demo(window)).grab(lambda: window, "main-window")
    director.then(open_featured).grab(lambda: window, "customer-detail")
    director.then(scroll_to_consent).grab(lambda: window, "customer-consent")
    director.then(show_history).grab(lambda: window.profiles.dialog, "consent-history")
    director.then(close_history, 100)
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
