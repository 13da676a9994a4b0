"""Backups: round trip, every way a file can be wrong, disk full, rotation — and nothing left behind."""

from __future__ import annotations

import errno
import os
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core import backup as backup_module
from core.backup import (
    BackupDestinationUnavailable,
    BackupDiskFull,
    BackupFromNewerVersion,
    BackupTampered,
    BackupTruncated,
    BackupWrongKey,
    NotABackup,
    RotationPolicy,
    backups_to_remove,
    list_backups,
    open_backup,
)
from core.backup.archive import parse_manifest
from core.backup.export import shop_slug
from core.book import CustomerBook
from core.customers.sample_shop import seed_book
from core.customers.store import CustomerDraft
from tests.conftest import PASSPHRASE

CANARY = "Zygmunt Canaryfield"


def _all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def stocked(book: CustomerBook) -> CustomerBook:
    seed_book(book, 120, seed=11)
    book.save_customer(CustomerDraft(name=CANARY, phones=["+1 202 555 0143"], notes="likes rye bread"))
    return book


def _identity(book: CustomerBook) -> str:
    return book.keys.backup_identity


def _snapshot_values(book: CustomerBook) -> list[tuple[object, ...]]:
    return sorted(
        (c.id, c.name, c.phones, c.emails, c.notes, c.created_at, c.updated_at, c.revision)
        for c in book.customers.iter_all(with_notes=True)
    )


def _raw_tables(database: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    finally:
        connection.close()


def test_round_trip_every_value_identical_after_wipe_and_restore(stocked: CustomerBook, tmp_path: Path) -> None:
    before = _snapshot_values(stocked)
    stocked.engine.dispose()
    tables_before = _raw_tables(stocked.folder.database)
    assert len(tables_before) >= 4
    settings_before = stocked.settings.get("shop")
    stick = tmp_path / "usb"
    stick.mkdir()
    result = stocked.back_up(stick)
    assert result.path.name.startswith("ana-s-corner-shop-")
    assert result.manifest.counts["customers"] == 121
    assert result.path.read_bytes().startswith(b"age-encryption.org/v1\n")
    identity = _identity(stocked)
    folder = stocked.folder
    stocked.close()
    for path in _all_files(folder.root):  # the disk died
        path.unlink()

    opened = open_backup(result.path, identity)
    assert opened.manifest.shop_name == "Ana's Corner Shop"
    fresh = CustomerBook(folder)
    safety = fresh.restore(opened)
    assert safety is None  # nothing was there to keep
    assert _raw_tables(folder.database) == tables_before  # every table, every row, byte for byte
    fresh.unlock(PASSPHRASE)
    assert _snapshot_values(fresh) == before
    assert fresh.settings.get("shop") == settings_before
    assert fresh.index.search("canaryfield").rows[0].name == CANARY
    fresh.close()


def test_restore_keeps_the_current_book_as_a_safety_copy(stocked: CustomerBook, tmp_path: Path) -> None:
    result = stocked.back_up(tmp_path)
    identity = _identity(stocked)
    stocked.save_customer(CustomerDraft(name="Added After The Backup"))
    opened = open_backup(result.path, identity)
    safety = stocked.restore(opened)
    assert safety is not None
    assert {p.name for p in safety.iterdir()} >= {"counterpart.db", "vault.json"}
    stocked.unlock(PASSPHRASE)
    assert not stocked.index.search("Added After").rows


def test_the_backup_and_its_work_files_contain_no_plaintext(stocked: CustomerBook, tmp_path: Path) -> None:
    result = stocked.back_up(tmp_path)
    assert list(stocked.folder.temp.iterdir()) == []  # the snapshot was removed
    blob = result.path.read_bytes()
    for needle in (CANARY, "Canaryfield", "likes rye bread", "2025550143"):
        for encoded in (needle.encode(), needle.encode("utf-16-le"), needle.lower().encode()):
            assert encoded not in blob


def test_wrong_key_and_passphrase_given_for_a_key_file(stocked: CustomerBook, tmp_path: Path) -> None:
    from pyrage import x25519

    result = stocked.back_up(tmp_path)
    with pytest.raises(BackupWrongKey, match="does not open"):
        open_backup(result.path, str(x25519.Identity.generate()))
    with pytest.raises(BackupWrongKey, match="AGE-SECRET-KEY-1"):
        open_backup(result.path, "a passphrase instead of the key")


def test_not_a_backup(tmp_path: Path) -> None:
    for content in (b"", b"hello", b"SQLite format 3\x00" + bytes(100)):
        path = tmp_path / "x.age"
        path.write_bytes(content)
        with pytest.raises(NotABackup):
            open_backup(path, "AGE-SECRET-KEY-1XYZ")
    with pytest.raises(NotABackup):
        open_backup(tmp_path, "AGE-SECRET-KEY-1XYZ")


@pytest.fixture
def big_backup(book: CustomerBook, tmp_path: Path) -> tuple[Path, str]:
    seed_book(book, 900, seed=3)  # several 64 KiB chunks
    result = book.back_up(tmp_path)
    assert result.path.stat().st_size > 4 * 65_536
    return result.path, _identity(book)


def test_truncation_anywhere_is_refused_and_said_so(big_backup: tuple[Path, str], tmp_path: Path) -> None:
    path, identity = big_backup
    blob = path.read_bytes()
    header_end = blob.index(b"\n--- ") + 1
    header_end = blob.index(b"\n", header_end) + 1
    payload_start = header_end + 16
    boundaries = [payload_start + k * (65_536 + 16) for k in range(1, len(blob) // 65_536)]
    rng = random.Random(5)
    cuts = sorted({*boundaries, *(rng.randrange(1, len(blob)) for _ in range(12)), len(blob) - 1})
    before = set(_all_files(tmp_path))
    for cut in cuts:
        damaged = tmp_path / "cut.age"
        damaged.write_bytes(blob[:cut])
        with pytest.raises((BackupTruncated, NotABackup)) as caught:
            open_backup(damaged, identity)
        if cut >= header_end + 17:
            assert isinstance(caught.value, BackupTruncated), cut
        damaged.unlink()
    assert set(_all_files(tmp_path)) == before  # nothing decrypted was left anywhere


def test_bit_flips_and_trailing_garbage_are_refused(big_backup: tuple[Path, str], tmp_path: Path) -> None:
    path, identity = big_backup
    blob = path.read_bytes()
    header_end = blob.index(b"\n", blob.index(b"\n--- ") + 1) + 1
    rng = random.Random(9)
    offsets = [rng.randrange(header_end, len(blob)) for _ in range(10)] + [len(blob) - 1, header_end + 20]
    for offset in offsets:
        damaged = bytearray(blob)
        damaged[offset] ^= 1 << rng.randrange(8)
        target = tmp_path / "flip.age"
        target.write_bytes(bytes(damaged))
        with pytest.raises(BackupTampered):
            open_backup(target, identity)
    for offset in (30, header_end - 10):  # inside the header: the key no longer matches its stanza or MAC
        damaged = bytearray(blob)
        damaged[offset] ^= 0x01
        target = tmp_path / "flip.age"
        target.write_bytes(bytes(damaged))
        with pytest.raises((BackupWrongKey, BackupTampered, NotABackup)):
            open_backup(target, identity)
    target = tmp_path / "garbage.age"
    target.write_bytes(blob + b"trailing garbage")
    with pytest.raises(BackupTampered):
        open_backup(target, identity)


def test_passphrase_copy_opens_with_its_passphrase_only(book: CustomerBook, tmp_path: Path) -> None:
    result = book.back_up(tmp_path, passphrase="give this to the accountant")
    assert result.passphrase_copy is not None
    assert result.passphrase_copy.name.endswith("-passphrase.age")
    opened = open_backup(result.passphrase_copy, "give this to the accountant")
    assert opened.manifest == result.manifest
    with pytest.raises(BackupWrongKey, match="passphrase"):
        open_backup(result.passphrase_copy, "wrong words entirely")
    with pytest.raises(BackupWrongKey, match="passphrase"):
        open_backup(result.passphrase_copy, _identity(book))


def test_newer_format_or_schema_is_refused(book: CustomerBook, tmp_path: Path, monkeypatch) -> None:
    import dataclasses

    from core.backup import restore

    result = book.back_up(tmp_path)
    newer = dataclasses.replace(result.manifest, schema_revision="9999")
    real_read = restore.read_archive
    monkeypatch.setattr(restore, "read_archive", lambda archive: (newer, real_read(archive)[1]))
    with pytest.raises(BackupFromNewerVersion, match="newer Counterpart"):
        open_backup(result.path, _identity(book))
    raw = newer.to_json() | {"format_version": 2}
    with pytest.raises(BackupFromNewerVersion):
        parse_manifest(__import__("json").dumps(raw).encode())


def test_disk_full_changes_nothing_and_leaves_nothing(book: CustomerBook, tmp_path: Path, monkeypatch) -> None:
    earlier = book.back_up(tmp_path)
    earlier_bytes = earlier.path.read_bytes()

    def full_disk(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_module.export.os, "write", full_disk)  # the whole os module: as a full disk
    book.save_customer(CustomerDraft(name="After Earlier Backup", notes="x" * 5000))
    seed_book(book, 300, seed=2)
    before = {p.name for p in tmp_path.iterdir()}
    with pytest.raises(BackupDiskFull, match="not enough free space"):
        book.back_up(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == before
    assert earlier.path.read_bytes() == earlier_bytes
    assert list(book.folder.temp.iterdir()) == []


def test_missing_or_read_only_destination(book: CustomerBook, tmp_path: Path) -> None:
    with pytest.raises(BackupDestinationUnavailable, match="USB stick"):
        book.back_up(tmp_path / "not-plugged-in")
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o500)
    try:
        if os.geteuid() != 0:  # root ignores folder permissions
            with pytest.raises(BackupDestinationUnavailable, match="read-only"):
                book.back_up(read_only)
    finally:
        read_only.chmod(0o700)


def test_stale_partial_files_from_a_killed_backup_are_cleaned(book: CustomerBook, tmp_path: Path) -> None:
    stale = tmp_path / ".ana-s-corner-shop-2026-01-01-0900.age.dead.partial"
    stale.write_bytes(b"age-encryption.org/v1\n-> X25519 half written")
    book.back_up(tmp_path)
    assert not stale.exists()


def test_two_backups_in_the_same_second_never_overwrite(book: CustomerBook, tmp_path: Path) -> None:
    first, second = book.back_up(tmp_path), book.back_up(tmp_path)
    assert first.path != second.path
    assert first.path.exists()
    assert second.path.exists()


def test_names_are_filesystem_safe() -> None:
    assert shop_slug("Łódź Café & Co.") == "lodz-cafe-co"
    assert shop_slug("書店") == "counterpart"
    assert shop_slug("../../etc") == "etc"


def test_rotation_keeps_daily_weekly_monthly_and_never_the_newest(tmp_path: Path) -> None:
    start = datetime(2026, 1, 1, 18, 0)
    made = []
    for day in range(200):
        for hour in (9, 18):
            when = start + timedelta(days=day, hours=hour - 18)
            path = tmp_path / f"shop-{when.strftime('%Y-%m-%d-%H%M%S')}-auto.age"
            path.write_bytes(b"x")
            made.append(path)
    (tmp_path / "shop-2026-03-01-0900-passphrase.age").write_bytes(b"x")
    (tmp_path / "other-2026-03-01-0900.age").write_bytes(b"x")
    backups = list_backups(tmp_path, "shop")
    assert len(backups) == 400
    policy = RotationPolicy(daily=7, weekly=4, monthly=12)
    remove = backups_to_remove(backups, policy, keep=made[0])
    kept = {b.path for b in backups} - set(remove)
    assert made[-1] in kept  # newest
    assert made[0] in kept  # the one we were told to keep
    assert len(kept) <= 7 + 4 + 12 + 1
    kept_days = {b.taken_at.date() for b in backups if b.path in kept}
    newest_day = backups[0].taken_at.date()
    assert {newest_day - timedelta(days=d) for d in range(7)} <= kept_days
    assert backups_to_remove(backups[:1], policy) == []
