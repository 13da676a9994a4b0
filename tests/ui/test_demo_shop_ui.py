"""The demo shop in the real window (issue 13): Ctrl+P is not refused, and the versions list has a history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QMessageBox

from core.demo import create_demo_shop
from core.storage.data_folder import DataFolder
from tests.core.test_keyring import MemoryBackend
from tests.ui.conftest import make_window, unlock
from ui.notice_preview import DocumentPreview
from ui.printing import Printers


def test_demo_window_prints_a_real_notice(qtbot, data_folder: DataFolder, keyring_backend: MemoryBackend, monkeypatch):
    demo = create_demo_shop(data_folder, customers=30)
    window = make_window(qtbot, data_folder, keyring_backend)
    refused: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: refused.append(text))
    try:
        unlock(qtbot, window, demo.passphrase)
        book = window.book
        regular = next(c for c in book.customers.iter_all() if book.desk.answers(c.id))
        window.open_customer(regular.id)
        qtbot.waitUntil(lambda: window.pane.showing_detail)
        window.notices.printers = Printers(names=lambda: [])
        qtbot.keyClick(window.form.name, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert refused == []
        preview = window.notices.dialog
        assert isinstance(preview, DocumentPreview)
        qtbot.waitUntil(preview.save_button.isEnabled, timeout=15_000)
        assert preview.pdf.startswith(b"%PDF")
        preview.reject()

        window.notices.history_action.trigger()
        versions = window.notices.dialog.findChild(QListWidget, "notice_versions")
        assert (
            sum(line.text().startswith("Version") for line in versions.findItems("", Qt.MatchFlag.MatchContains)) >= 3
        )
        window.notices.dialog.reject()
    finally:
        window.session.tasks.wait_for_all()
        window.book.close()
