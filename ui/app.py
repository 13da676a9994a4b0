"""Start the application: data folder and its lock, logging, theme, the main window and first-run set-up.

The locked window is shown first, from light modules only; the book's modules (SQLAlchemy, Alembic,
cryptography, reportlab, the PDF renderer: about 0.6 s of imports) load on the background helper while
the window is already on screen and the passphrase field takes typing. See bench/README.md, "start-up".
"""

from __future__ import annotations

import argparse
import importlib
import logging
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from core.errors import AlreadyRunning
from core.storage.data_folder import DataFolder, InstanceLock, default_data_dir
from ui import crash_report
from ui.main_window import MainWindow
from ui.tasks import BackgroundTasks
from ui.theme import apply_theme

if TYPE_CHECKING:
    from ui.session import Session

log = logging.getLogger(__name__)


def build_session(
    folder: DataFolder, tasks: BackgroundTasks | None = None, session_kwargs: dict[str, object] | None = None
) -> Session:
    """The session over a data folder's book (tests pass a fast KDF provider explicitly)."""
    from core.book import CustomerBook
    from core.keys.crypto import calibrate_kdf
    from core.keys.keyring_cache import DeviceKeyring
    from ui.session import Session

    tasks = tasks or BackgroundTasks()
    kwargs: dict[str, object] = {"kdf_provider": calibrate_kdf, "keyring_factory": DeviceKeyring}
    kwargs.update(session_kwargs or {})
    session = Session(CustomerBook(folder), tasks, **kwargs)  # type: ignore[arg-type]
    tasks.setParent(session)
    return session


def build_window(folder: DataFolder, session_kwargs: dict[str, object] | None = None) -> MainWindow:
    """The whole window over a data folder, in one step (tests; the app itself starts in two)."""
    return MainWindow(build_session(folder, session_kwargs=session_kwargs))


# Imported on the background helper right after the window is shown (module code only: no widgets, no data).
BOOK_MODULES = (
    "core.book",
    "core.demo",
    "ui.session",
    "ui.backup_controller",
    "ui.customer_list_view",
    "ui.customer_pane",
    "ui.notice_controller",
    "ui.profile_controller",
    "ui.settings_dialog",
)


def _load(folder: DataFolder, demo: bool) -> str:
    """On the background helper: logging (its handlers module alone is 15 ms), then the book's modules, then
    finish any change to the folder a crash interrupted (restore, set-up). Returns a problem to show, or ''."""
    from core.errors import CounterpartError
    from core.storage.app_logging import configure_logging

    configure_logging(folder)
    log.info("starting (demo=%s)", demo)
    for name in BOOK_MODULES:
        importlib.import_module(name)
    from core.storage.switch import complete_pending_switch

    try:
        complete_pending_switch(folder)
    except CounterpartError as exc:
        return str(exc)
    return ""


def start_setup_if_needed(window: MainWindow) -> None:
    from core.storage.data_folder import ORPHANED_BOOK
    from ui.setup_wizard import SetupWizard

    folder = window.book.folder
    if folder.orphaned():  # data without its key file: the set-up wizard would only make things worse
        from ui.theme import mark_invalid

        window.lock_view.reset(ORPHANED_BOOK.format(root=folder.root))
        mark_invalid(window.lock_view.secret, False)  # nothing typed was wrong: the folder is
        return
    if window.book.is_set_up:
        window.session.try_keyring_unlock()
        return
    wizard = SetupWizard(window.session, window)
    wizard.book_created.connect(window.show_unlocked)
    wizard.restore_chosen.connect(window.backups.restore)
    # The wizard held the focus; hand it back so the counter can start typing at once.
    wizard.finished.connect(lambda _result: _refocus(window))
    window.setup_wizard = wizard
    wizard.open()


def _refocus(window: MainWindow) -> None:
    window.activateWindow()
    window.list_view.focus_search()


def run(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Counterpart")
    app.setOrganizationName("Counterpart")
    app.setDesktopFileName("counterpart")
    apply_theme(app)

    demo_root: Path | None = None
    if args.demo:
        from core.demo import new_demo_folder

        folder = new_demo_folder()
        demo_root = folder.root
    else:
        folder = DataFolder(Path(args.data_dir) if args.data_dir else default_data_dir())
    lock = InstanceLock(folder)
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, "Counterpart is already open", str(exc))
        return 1
    crash_report.install()

    window = MainWindow()
    if not folder.is_set_up():
        window.lock_view.set_busy("Preparing the first-run set-up…", 0.05)
    window.show()
    tasks = BackgroundTasks()

    def attach(problem: object) -> None:
        window.attach(build_session(folder, tasks))
        if args.bench_exit_when_ready:
            QTimer.singleShot(0, app.quit)
        elif problem:
            window.lock_view.reset(str(problem))
        elif args.demo:
            _prepare_demo(window)
        else:
            start_setup_if_needed(window)

    def failed(error: BaseException) -> None:
        log.error("the book's modules failed to load: %s", type(error).__name__)
        window.lock_view.reset(f"Counterpart could not start ({type(error).__name__}). Reinstall it, please.")

    if args.bench_exit_when_shown:
        QTimer.singleShot(0, app.quit)
    else:
        tasks.run(lambda _context: _load(folder, bool(args.demo)), attach, failed)
    try:
        return app.exec()
    finally:
        tasks.wait_for_all(10_000)  # closed while still loading: let the import finish before tearing down
        if window.attached:
            window.session.book.close()
        lock.release()
        if demo_root is not None:
            shutil.rmtree(demo_root, ignore_errors=True)


def _prepare_demo(window: MainWindow) -> None:
    from core.demo import create_demo_shop

    folder = window.book.folder
    window.lock_view.set_busy("Creating a demo shop with generated customers…", 0.3)

    def work(_context: object) -> str:
        return create_demo_shop(folder).passphrase

    def ready(passphrase: object) -> None:
        window.lock_view.reset()
        window.lock_view.prompt.setText(
            f"Demo shop with made-up customers. Its passphrase is:\n{passphrase}\n"
            "Everything is deleted when you close the window."
        )
        window.lock_view.prompt.setTextInteractionFlags(
            window.lock_view.prompt.textInteractionFlags()
            | window.lock_view.prompt.textInteractionFlags().TextSelectableByMouse
        )

    window.session.tasks.run(work, ready, lambda error: window.lock_view.reset(f"The demo could not start: {error}"))
