"""UI fixtures: the real main window over a temp folder, a fast KDF passed in explicitly, a memory keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from core.book import CustomerBook
from core.keys.crypto import FAST_TEST_KDF
from core.keys.keyring_cache import DeviceKeyring
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE, SHOP, ask_contacts
from tests.core.test_keyring import MemoryBackend
from ui.app import build_window
from ui.main_window import MainWindow
from ui.printing import Printers


@pytest.fixture
def keyring_backend() -> MemoryBackend:
    return MemoryBackend()


def make_window(qtbot, folder: DataFolder, keyring_backend: MemoryBackend) -> MainWindow:
    window = build_window(
        folder,
        {"kdf_provider": lambda: FAST_TEST_KDF, "keyring_factory": lambda: DeviceKeyring(keyring_backend, timeout=2)},
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


@pytest.fixture
def set_up_folder(data_folder: DataFolder) -> DataFolder:
    """A set-up, closed book that asks a phone and an e-mail: the form shows both, as these tests were written for."""
    book = CustomerBook(data_folder)
    book.set_up(SHOP, PASSPHRASE, FAST_TEST_KDF)
    ask_contacts(book)
    book.close()
    return data_folder


@pytest.fixture
def shipped_folder(data_folder: DataFolder) -> DataFolder:
    """A set-up, closed book with the shipped catalogue as it is (name and a phone, version 1)."""
    book = CustomerBook(data_folder)
    book.set_up(SHOP, PASSPHRASE, FAST_TEST_KDF)
    book.close()
    return data_folder


@pytest.fixture
def locked_window(qtbot, set_up_folder: DataFolder, keyring_backend: MemoryBackend) -> Iterator[MainWindow]:
    window = make_window(qtbot, set_up_folder, keyring_backend)
    yield window
    window.session.tasks.wait_for_all()
    window.book.close()


@pytest.fixture
def unlocked_window(qtbot, locked_window: MainWindow) -> MainWindow:
    unlock(qtbot, locked_window, PASSPHRASE)
    return locked_window


def unlock(qtbot, window: MainWindow, passphrase: str) -> None:
    from PySide6.QtCore import Qt

    secret = window.lock_view.secret
    secret.setFocus()
    qtbot.keyClicks(secret, passphrase)
    with qtbot.waitSignal(window.session.unlocked, timeout=10_000):
        qtbot.keyClick(secret, Qt.Key.Key_Return)


def printers_into(target: Path, *names: str) -> Printers:
    """Printers whose queues all print into the PDF file `target`, so a test can read what was "printed"."""
    from PySide6.QtPrintSupport import QPrinter

    def queue(_name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    return Printers(names=lambda: list(names), make=queue)
