"""The rules behind automatic backups: the status line and reminder, when the daily backup is due, what closing
the window does, and the on-close backup while the book is locked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.backup import BackupNotVerified, BackupResult, open_backup
from core.backup import export as export_module
from core.backup.schedule import (
    back_up_locked,
    backup_status,
    close_backup_decision,
    daily_backup_due,
    locked_backup_key,
    record_backup,
    remember_backup,
)
from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.storage.preferences import Preferences

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _prefs(folder: Path | None, last: datetime | None = None, **changes: object) -> Preferences:
    preferences = Preferences(backup_folder=str(folder) if folder else "", **changes)  # type: ignore[arg-type]
    preferences.last_backup_at = last.isoformat(timespec="seconds") if last else ""
    return preferences


def test_status_without_any_backup_asks_for_one(tmp_path: Path) -> None:
    status = backup_status(_prefs(tmp_path), NOW)
    assert status.needs_attention
    assert "No backup yet" in status.text


def test_status_of_a_recent_backup_is_calm(tmp_path: Path) -> None:
    status = backup_status(_prefs(tmp_path, NOW - timedelta(hours=3)), NOW)
    assert status == status.__class__("Last backup verified 3 hours ago", False)
    assert backup_status(_prefs(tmp_path, NOW - timedelta(minutes=1)), NOW).text.endswith("just now")


def test_status_reminds_once_the_last_backup_is_older_than_the_setting(tmp_path: Path) -> None:
    on_the_day = backup_status(_prefs(tmp_path, NOW - timedelta(days=7), remind_after_days=7), NOW)
    assert not on_the_day.needs_attention
    overdue = backup_status(_prefs(tmp_path, NOW - timedelta(days=8), remind_after_days=7), NOW)
    assert overdue.needs_attention
    assert overdue.text == "Last backup 8 days ago — press Ctrl+B"
    shorter = backup_status(_prefs(tmp_path, NOW - timedelta(days=3), remind_after_days=2), NOW)
    assert shorter.needs_attention


def test_status_says_when_the_backup_folder_is_missing(tmp_path: Path) -> None:
    status = backup_status(_prefs(tmp_path / "unplugged", NOW - timedelta(hours=1)), NOW)
    assert status.needs_attention
    assert "USB stick" in status.text  # even though the last backup is recent


def test_daily_backup_is_due_after_23_hours_only_when_asked_for_and_the_folder_is_there(tmp_path: Path) -> None:
    assert not daily_backup_due(_prefs(tmp_path, None, backup_daily=False), NOW)
    assert daily_backup_due(_prefs(tmp_path, None, backup_daily=True), NOW)
    assert not daily_backup_due(_prefs(tmp_path, NOW - timedelta(hours=22), backup_daily=True), NOW)
    assert daily_backup_due(_prefs(tmp_path, NOW - timedelta(hours=23), backup_daily=True), NOW)
    assert not daily_backup_due(_prefs(tmp_path / "unplugged", None, backup_daily=True), NOW)
    assert not daily_backup_due(_prefs(None, None, backup_daily=True), NOW)
    damaged = _prefs(tmp_path, None, backup_daily=True)
    damaged.last_backup_at = "not a time"
    assert daily_backup_due(damaged, NOW)


def test_close_decision(tmp_path: Path, book: CustomerBook) -> None:
    key = locked_backup_key(book.shop.name, book.keys.backup_identity)
    off = _prefs(tmp_path, backup_on_close=False)
    on = _prefs(tmp_path, backup_on_close=True)
    assert not close_backup_decision(off, unlocked=True, locked_key=key).run
    assert close_backup_decision(off, unlocked=True, locked_key=key).reason == ""  # not asked for: nothing to say
    unlocked = close_backup_decision(on, unlocked=True, locked_key=None)
    assert unlocked.run
    assert not unlocked.locked
    locked = close_backup_decision(on, unlocked=False, locked_key=key)
    assert locked.run
    assert locked.locked
    never_unlocked = close_backup_decision(on, unlocked=False, locked_key=None)
    assert not never_unlocked.run
    assert "not unlocked" in never_unlocked.reason
    no_folder = close_backup_decision(_prefs(None, backup_on_close=True), unlocked=True, locked_key=key)
    assert not no_folder.run
    assert "folder" in no_folder.reason


def test_locked_key_is_the_public_half_of_the_sealed_identity(book: CustomerBook) -> None:
    key = locked_backup_key(book.shop.name, book.keys.backup_identity)
    assert key.shop_name == "Ana's Corner Shop"
    assert key.recipient.startswith("age1")
    assert "AGE-SECRET-KEY" not in repr(key)
    assert key.recipient == book._require().key_file.header.backup_recipient


def test_remember_backup_sets_the_first_folder_records_and_rotates(book: CustomerBook, tmp_path: Path) -> None:
    preferences = Preferences()
    stale = tmp_path / "ana-s-corner-shop-2020-01-01-090000-auto.age"
    result = book.back_up(tmp_path, automatic=True)
    stale.write_bytes(b"x")
    removed = remember_backup(preferences, result, when=NOW)
    assert preferences.backup_folder == str(tmp_path)
    assert preferences.last_backup_at == NOW.isoformat(timespec="seconds")
    assert preferences.last_backup_file == str(result.path)
    assert removed == []
    assert stale.exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = book.back_up(elsewhere)
    remember_backup(preferences, BackupResult(other.path, other.manifest, None), when=NOW)
    assert preferences.backup_folder == str(tmp_path)  # a one-off copy elsewhere does not move the folder


def _locked(book: CustomerBook) -> tuple[object, str]:
    key = locked_backup_key(book.shop.name, book.keys.backup_identity)
    identity = book.keys.backup_identity
    book.lock()
    return key, identity


def test_on_close_backup_while_locked_is_a_real_backup(book: CustomerBook, tmp_path: Path) -> None:
    book.save_customer(CustomerDraft(name="Saved Before Auto Lock"))
    key, identity = _locked(book)
    assert not book.is_unlocked
    seen: list[str] = []
    result = back_up_locked(
        engine=book.engine,
        folder=book.folder,
        key=key,  # type: ignore[arg-type]
        destination=tmp_path,
        progress=lambda message, _fraction: seen.append(message),
        cancelled=lambda: False,
    )
    assert not result.decrypted
    assert "Checking the backup file…" in seen
    assert "Verifying the backup…" not in seen
    assert result.path.name.startswith("ana-s-corner-shop-")
    opened = open_backup(result.path, identity)  # the owner's key opens it: it is a full backup
    assert opened.manifest == result.manifest
    assert opened.manifest.customers == 1
    assert list(book.folder.temp.rglob("*")) == []
    # What the status bar then says: checked, not verified — it was never decrypted back.
    preferences = _prefs(tmp_path)
    remember_backup(preferences, result, NOW)
    assert not preferences.last_backup_decrypted
    assert (
        backup_status(preferences, NOW).text == "Last backup checked just now (made while locked: not decrypted back)"
    )
    record_backup(preferences, result.path, NOW)  # the next backup made unlocked is verified again
    assert backup_status(preferences, NOW).text == "Last backup verified just now"


def test_a_locked_backup_damaged_on_the_drive_is_refused_and_removed(
    book: CustomerBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, _identity = _locked(book)
    real = export_module._write_durably

    def write_then_flip(temp: Path, write: object) -> None:
        real(temp, write)  # type: ignore[arg-type]
        data = bytearray(temp.read_bytes())
        data[-100] ^= 0x04
        temp.write_bytes(bytes(data))

    monkeypatch.setattr(export_module, "_write_durably", write_then_flip)
    with pytest.raises(BackupNotVerified):
        back_up_locked(
            engine=book.engine,
            folder=book.folder,
            key=key,  # type: ignore[arg-type]
            destination=tmp_path,
            progress=lambda _m, _f: None,
            cancelled=lambda: False,
        )
    assert [p for p in tmp_path.iterdir() if p.name != "data"] == []
    assert list(book.folder.temp.rglob("*")) == []
