"""Crash reports never carry personal data: an unexpected error whose message and local variables hold a
customer's name, phone and e-mail is logged and shown as type + code locations only, and a scan of the whole
data folder (log file included) finds none of it."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox

from core.storage.app_logging import configure_logging
from core.storage.data_folder import DataFolder
from tests.core.test_canary import CANARIES, scan_folder
from ui import crash_report


def _fail_with_personal_data() -> None:
    name, phone, email = CANARIES[0], CANARIES[3], CANARIES[2]
    raise ValueError(f"could not save {name} ({phone}, {email})")


def test_unexpected_error_report_and_log_hold_no_personal_data(qapp, data_folder: DataFolder, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.detailedText()) or 0)
    handler = configure_logging(data_folder, level=logging.DEBUG)
    try:
        try:
            _fail_with_personal_data()
        except ValueError as exc:
            crash_report.show_unexpected_error(type(exc), exc, exc.__traceback__)
        handler.flush()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert len(shown) == 1
    report = shown[0]
    assert "ValueError" in report
    assert "_fail_with_personal_data" in report  # where it happened is kept: that is what a report is for
    for canary in CANARIES:
        assert canary not in report
    assert (data_folder.logs / "counterpart.log").read_text(encoding="utf-8").count("unexpected error") == 1
    assert scan_folder(data_folder.root, CANARIES) == []
