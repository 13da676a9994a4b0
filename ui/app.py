"""Start the application: data folder and its lock, logging, theme, the main window and first-run set-up."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core.app_logging import configure_logging
from core.book import CustomerBook
from core.crypto import calibrate_kdf
from core.data_folder import DataFolder, InstanceLock, default_data_dir
from core.errors import AlreadyRunning
from core.keyring_cache import DeviceKeyring
from ui import crash_report
from ui.main_window import MainWindow
from ui.session import Session
from ui.tasks import BackgroundTasks, TaskContext
from ui.theme import apply_theme

log = logging.getLogger(__name__)


def build_window(folder: DataFolder, session_kwargs: dict[str, object] | None = None) -> MainWindow:
    """The window over a data folder (also used by tests, which pass a fast KDF provider explicitly)."""
    book = CustomerBook(folder)
    tasks = BackgroundTasks()
    kwargs: dict[str, object] = {"kdf_provider": calibrate_kdf, "keyring_factory": DeviceKeyring}
    kwargs.update(session_kwargs or {})
    session = Session(book, tasks, **kwargs)  # type: ignore[arg-type]
    tasks.setParent(session)
    window = MainWindow(session)
    session.setParent(window)
    return window


def start_setup_if_needed(window: MainWindow) -> None:
    from ui.setup_wizard import SetupWizard

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
        QMessageBox.warning(None, "Counterpart is already open", str(exc))
        return 1
    configure_logging(folder)
    crash_report.install()
    log.info("starting (demo=%s)", bool(args.demo))

    window = build_window(folder)
    window.show()
    if args.bench_exit_when_shown:
        QTimer.singleShot(0, app.quit)
    elif args.demo:
        _prepare_demo(window)
    else:
        start_setup_if_needed(window)
    try:
        return app.exec()
    finally:
        window.session.book.close()
        lock.release()
        if demo_root is not None:
            shutil.rmtree(demo_root, ignore_errors=True)


def _prepare_demo(window: MainWindow) -> None:
    from core.demo import create_demo_shop

    folder = window.book.folder
    window.lock_view.set_busy("Creating a demo shop with generated customers…", 0.3)

    def work(_context: TaskContext) -> str:
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
