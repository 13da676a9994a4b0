"""Back up now: consistent snapshot → tar with manifest → age → atomic write → verify by reading it back."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.atomic import ensure_private_dir, fsync_dir
from core.backup.age_file import decrypt_file_with_identity, encrypt_file_to_recipient, encrypt_with_passphrase
from core.backup.archive import Manifest, check_archive_file, count_rows, write_archive
from core.backup.errors import (
    BackupCancelled,
    BackupDestinationUnavailable,
    BackupDiskFull,
    BackupError,
    BackupTampered,
)
from core.data_folder import DataFolder
from core.db.engine import current_revision, snapshot_to

Progress = Callable[[str, float], None]
BACKUP_SUFFIX = ".age"
PASSPHRASE_SUFFIX = "-passphrase.age"  # noqa: S105 - a file-name suffix, not a password
APP_VERSION = "0.1.0"


def _no_progress(_message: str, _fraction: float) -> None:
    pass


def _never() -> bool:
    return False


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    passphrase_copy: Path | None


# Letters that Unicode does not decompose into a base letter plus an accent.
_NO_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae"})


def shop_slug(shop_name: str) -> str:
    """A file-name-safe form of the shop's name: ASCII letters and digits joined by hyphens."""
    folded = (
        unicodedata.normalize("NFKD", shop_name.translate(_NO_DECOMPOSITION)).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()
    return slug[:40] or "counterpart"


def backup_name(shop_name: str, when: datetime) -> str:
    return f"{shop_slug(shop_name)}-{when.strftime('%Y-%m-%d-%H%M%S')}{BACKUP_SUFFIX}"


def _free_name(destination: Path, name: str) -> Path:
    """Never overwrite an earlier backup, even one made in the same second."""
    target = destination / name
    number = 2
    while target.exists():
        target = destination / name.replace(BACKUP_SUFFIX, f"-{number}{BACKUP_SUFFIX}")
        number += 1
    return target


def _write_atomically_with(target: Path, write: Callable[[int], None]) -> None:
    """Like _write_atomically, with the content produced by `write(fd)` (a streaming encryption)."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            write(fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(target.parent)


def _write_atomically(target: Path, data: bytes) -> None:
    """Temp file beside the target, fsync, rename, fsync the folder; any failure leaves no temp behind."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view[: 1 << 20])
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(target.parent)


def _explain_os_error(exc: OSError, where: Path) -> BackupError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return BackupDiskFull(str(where))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BackupDestinationUnavailable(str(where), "the folder is read-only or not yours")
    if exc.errno == errno.ENOENT:
        return BackupDestinationUnavailable(str(where), "the folder is missing (is the USB stick plugged in?)")
    return BackupDestinationUnavailable(str(where), exc.strerror or type(exc).__name__)


def clean_stale_temp(destination: Path) -> None:
    """Remove `.partial` files a killed backup may have left (they are encrypted, but useless clutter)."""
    with contextlib.suppress(OSError):
        for stale in destination.glob(".*.partial"):
            stale.unlink(missing_ok=True)


def create_backup(
    *,
    engine: object,
    folder: DataFolder,
    shop_name: str,
    recipient: str,
    identity: str,
    destination: Path,
    passphrase: str | None = None,
    progress: Progress = _no_progress,
    cancelled: Callable[[], bool] = _never,
    now: datetime | None = None,
) -> BackupResult:
    """Write one verified backup into `destination` (and a passphrase copy when a passphrase is given)."""
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    when = now or datetime.now(UTC)
    if not destination.is_dir():
        raise BackupDestinationUnavailable(str(destination), "the folder is missing (is the USB stick plugged in?)")
    clean_stale_temp(destination)
    folder.ensure()
    # A killed earlier run may have left its snapshot folder; one app per data folder, so none is in use.
    for stale in folder.temp.glob("backup-*"):
        shutil.rmtree(stale, ignore_errors=True)
    work = folder.temp / f"backup-{secrets.token_hex(6)}"
    try:
        ensure_private_dir(work)
        progress("Taking a consistent copy of the customer book…", 0.1)
        snapshot = work / "snapshot.db"
        snapshot_to(engine, snapshot)
        _check_integrity(snapshot)
        counts = count_rows(str(snapshot))
        revision = current_revision(engine) or ""
        vault = folder.vault.read_bytes()
        if cancelled():
            raise BackupCancelled()
        progress("Packing…", 0.3)
        archive = work / "archive.tar"  # ciphertext database + wrapped keys: nothing here is readable plaintext
        manifest = write_archive(
            archive,
            database=snapshot,
            vault=vault,
            app_version=APP_VERSION,
            schema_revision=revision,
            shop_name=shop_name,
            created_at=when.isoformat(timespec="seconds"),
            counts=counts,
            mtime=int(when.timestamp()),
        )
        snapshot.unlink()
        if cancelled():
            raise BackupCancelled()
        target = _free_name(destination, backup_name(shop_name, when))
        progress("Encrypting and writing the backup file…", 0.45)
        try:
            _write_atomically_with(target, lambda fd: encrypt_file_to_recipient(archive, fd, recipient))
        except OSError as exc:
            raise _explain_os_error(exc, destination) from exc
        progress("Verifying the backup…", 0.7)
        verify_backup(target, identity, manifest, work)
        copy: Path | None = None
        if passphrase:
            progress("Making the passphrase copy (this takes a few seconds)…", 0.85)
            copy = target.with_name(target.name.removesuffix(BACKUP_SUFFIX) + PASSPHRASE_SUFFIX)
            sealed = encrypt_with_passphrase(archive.read_bytes(), passphrase)  # pyrage has no streaming scrypt
            try:
                _write_atomically(copy, sealed)
            except OSError as exc:
                raise _explain_os_error(exc, destination) from exc
        progress("Backup verified", 1.0)
        return BackupResult(target, manifest, copy)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_integrity(database: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
    finally:
        connection.close()
    if not result or result[0] != "ok":
        raise BackupError("The customer book's database failed its integrity check, so it was not backed up.")


def verify_backup(path: Path, identity: str, expected: Manifest, work: Path) -> None:
    """Read the file back from disk, stream-decrypt it into the private work folder, and check every member's
    size and hash against the manifest. The decrypted copy is deleted whatever happens."""
    plain = work / "verify.tar"
    try:
        decrypt_file_with_identity(path, plain, identity)
        if plain.stat().st_size != expected.archive_bytes or check_archive_file(plain) != expected:
            raise BackupTampered()
    finally:
        plain.unlink(missing_ok=True)
