"""Back up now: consistent snapshot → tar with manifest → age → write a partial, verify it from disk → rename."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core.backup.age_file import (
    Sealed,
    check_sealed_file,
    encrypt_file_to_recipient,
    encrypt_with_passphrase,
    verify_passphrase_copy,
    verify_with_identity,
)
from core.backup.archive import Manifest, check_archive_file, count_rows, write_archive
from core.backup.errors import (
    BackupCancelled,
    BackupDestinationUnavailable,
    BackupDiskFull,
    BackupError,
    BackupNotVerified,
)
from core.backup.streams import FdSink, Meter
from core.storage.atomic import ensure_private_dir, fsync_dir
from core.storage.data_folder import DataFolder
from core.storage.engine import current_revision, snapshot_to

if TYPE_CHECKING:
    from sqlalchemy import Engine

Progress = Callable[[str, float], None]
BACKUP_SUFFIX = ".age"
# Automatic backups (daily, on close) end in "-auto.age"; only they are ever rotated away. A manual backup's name
# ends in its time stamp (or "-2" for a second one in the same second), so it can never look automatic.
AUTOMATIC_SUFFIX = "-auto.age"
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
    # False when the book was locked: the file was checked against what was encrypted, not decrypted back.
    decrypted: bool = True
    # True for daily and on-close backups: those are named "-auto.age" and rotation may remove them later.
    automatic: bool = False


# Letters that Unicode does not decompose into a base letter plus an accent.
_NO_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae"})


def shop_slug(shop_name: str) -> str:
    """A file-name-safe form of the shop's name: ASCII letters and digits joined by hyphens."""
    folded = (
        unicodedata.normalize("NFKD", shop_name.translate(_NO_DECOMPOSITION)).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()
    return slug[:40] or "counterpart"


def _stem(shop_name: str, when: datetime) -> str:
    return f"{shop_slug(shop_name)}-{when.strftime('%Y-%m-%d-%H%M%S')}"


def _suffix(automatic: bool) -> str:
    return AUTOMATIC_SUFFIX if automatic else BACKUP_SUFFIX


def backup_name(shop_name: str, when: datetime, automatic: bool = False) -> str:
    return _stem(shop_name, when) + _suffix(automatic)


def _free_name(destination: Path, stem: str, suffix: str) -> Path:
    """Never overwrite an earlier backup, even one made in the same second: the number goes before the suffix,
    so a second automatic backup still ends in "-auto.age" and a second manual one never does."""
    target = destination / f"{stem}{suffix}"
    number = 2
    while target.exists():
        target = destination / f"{stem}-{number}{suffix}"
        number += 1
    return target


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


def _partial_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")


def _drop_cached_pages(fd: int) -> None:
    """After fsync, ask the kernel to forget the file's cached pages, so reading it back reads the drive."""
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def _write_durably(temp: Path, write: Callable[[int], object]) -> None:
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        write(fd)
        os.fsync(fd)
        _drop_cached_pages(fd)
    finally:
        os.close(fd)


def _publish(staged: list[tuple[Path, Path]], destination: Path) -> None:
    """Give verified partial files their final names: all of them or, on failure, none."""
    done: list[Path] = []
    try:
        for temp, target in staged:
            os.replace(temp, target)
            done.append(target)
    except BaseException:
        for target in done:
            with contextlib.suppress(OSError):
                target.unlink()
        raise
    fsync_dir(destination)


def create_backup(
    *,
    engine: object,
    folder: DataFolder,
    shop_name: str,
    recipient: str,
    identity: str | None,
    destination: Path,
    passphrase: str | None = None,
    progress: Progress = _no_progress,
    cancelled: Callable[[], bool] = _never,
    now: datetime | None = None,
    automatic: bool = False,
) -> BackupResult:
    """Write one verified backup into `destination` (and a passphrase copy when a passphrase is given).

    Every file is written as a `.partial`, fsynced and verified from disk before it takes its name, so a
    failure at any step leaves the folder as it was. With `identity` the backup is decrypted back; without
    it (the book is locked) it is checked as far as a public key allows: see check_sealed_file. `automatic`
    marks a daily or on-close backup in its file name, the only kind rotation ever removes.
    """
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    when = now or datetime.now(UTC)
    if not destination.is_dir():
        raise BackupDestinationUnavailable(str(destination), "the folder is missing (is the USB stick plugged in?)")
    clean_stale_temp(destination)
    folder.ensure()
    # A killed earlier run may have left its work folder; one app per data folder, so none is in use.
    for stale in folder.temp.glob("backup-*"):
        shutil.rmtree(stale, ignore_errors=True)
    work = folder.temp / f"backup-{secrets.token_hex(6)}"
    staged: list[tuple[Path, Path]] = []
    try:
        archive, manifest = _pack(engine, folder, work, shop_name, when, progress)
        if cancelled():
            raise BackupCancelled()
        target = _free_name(destination, _stem(shop_name, when), _suffix(automatic))
        copy = (
            target.with_name(target.name.removesuffix(_suffix(automatic)) + PASSPHRASE_SUFFIX) if passphrase else None
        )
        spans = _SPANS_WITH_COPY if copy else _SPANS
        temp = _partial_name(target)
        staged.append((temp, target))
        try:
            sealed = _seal_to_key(archive, temp, recipient, identity, manifest, spans, progress, cancelled)
            if copy is not None and passphrase:
                copy_temp = _partial_name(copy)
                staged.append((copy_temp, copy))
                _seal_with_passphrase(archive, copy_temp, passphrase, sealed, spans, progress, cancelled)
            if cancelled():
                raise BackupCancelled()
            _publish(staged, destination)
        except OSError as exc:
            raise _explain_os_error(exc, destination) from exc
        progress("Backup verified" if identity else "Backup written and checked", 1.0)
        return BackupResult(target, manifest, copy, decrypted=identity is not None, automatic=automatic)
    finally:
        for temp, _target in staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        shutil.rmtree(work, ignore_errors=True)


# Where each stage sits on the progress bar: (encrypt, verify, passphrase copy, verify copy) as (start, end).
_SPANS = ((0.2, 0.6), (0.6, 0.98), (0.98, 0.98), (0.98, 0.98))
_SPANS_WITH_COPY = ((0.2, 0.45), (0.45, 0.65), (0.65, 0.82), (0.82, 0.98))


def _seal_to_key(
    archive: Path,
    temp: Path,
    recipient: str,
    identity: str | None,
    manifest: Manifest,
    spans: tuple[tuple[float, float], ...],
    progress: Progress,
    cancelled: Callable[[], bool],
) -> Sealed:
    encrypting = Meter(
        progress, cancelled, "Encrypting and writing the backup file…", *spans[0], manifest.archive_bytes
    )
    result: list[Sealed] = []
    _write_durably(temp, lambda fd: result.append(encrypt_file_to_recipient(archive, fd, recipient, encrypting)))
    sealed = result[0]
    if sealed.plain_bytes != manifest.archive_bytes:
        raise BackupNotVerified()
    if identity is not None:
        checking = Meter(progress, cancelled, "Verifying the backup…", *spans[1], sealed.cipher_bytes)
        verify_with_identity(temp, identity, sealed, checking)
    else:
        checking = Meter(progress, cancelled, "Checking the backup file…", *spans[1], sealed.cipher_bytes)
        check_sealed_file(temp, sealed, checking)
    return sealed


def _seal_with_passphrase(
    archive: Path,
    temp: Path,
    passphrase: str,
    sealed: Sealed,
    spans: tuple[tuple[float, float], ...],
    progress: Progress,
    cancelled: Callable[[], bool],
) -> None:
    # pyrage has no streaming scrypt mode and cannot be interrupted: Cancel is honoured before and after.
    progress("Making the passphrase copy (this takes a few seconds)…", spans[2][0])
    # Held in a list so the write can drop it: the copy is read back from disk next, not compared in memory.
    blob = [encrypt_with_passphrase(archive.read_bytes(), passphrase)]
    if cancelled():
        raise BackupCancelled()
    _write_durably(temp, lambda fd: FdSink(fd).write(blob.pop()))
    progress("Verifying the passphrase copy…", spans[3][0])
    verify_passphrase_copy(temp, passphrase, sealed.plain_sha256, sealed.plain_bytes)


def _pack(
    engine: Engine, folder: DataFolder, work: Path, shop_name: str, when: datetime, progress: Progress
) -> tuple[Path, Manifest]:
    """Snapshot, check and pack the book into the private work folder. A full data disk says so."""
    try:
        ensure_private_dir(work)
        progress("Taking a consistent copy of the customer book…", 0.02)
        snapshot = work / "snapshot.db"
        snapshot_to(engine, snapshot)
        _check_integrity(snapshot)
        counts = count_rows(str(snapshot))
        revision = current_revision(engine) or ""
        vault = folder.vault.read_bytes()
        progress("Packing…", 0.12)
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
        if check_archive_file(archive) != manifest:
            raise BackupError("The backup could not be packed correctly, so nothing was written. Try again.")
    except sqlite3.OperationalError as exc:
        if "full" in str(exc).lower():
            raise BackupDiskFull(str(folder.root), on_this_computer=True) from exc
        raise BackupError(
            "The customer book could not be copied for the backup just now. Try again in a moment. Nothing was written."
        ) from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise BackupDiskFull(str(folder.root), on_this_computer=True) from exc
        raise BackupError(
            f"The customer book could not be copied for the backup ({exc.strerror or type(exc).__name__}). "
            "Nothing was written."
        ) from exc
    return archive, manifest


def _check_integrity(database: Path) -> None:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
    finally:
        connection.close()
    if not result or result[0] != "ok":
        raise BackupError("The customer book's database failed its integrity check, so it was not backed up.")


def verify_backup(path: Path, identity: str, expected: Manifest) -> Manifest:
    """Check an existing backup file end to end with the backup key (decrypted in memory, nothing on disk)."""
    from core.backup.restore import open_backup

    opened = open_backup(path, identity)
    if opened.manifest != expected:
        raise BackupNotVerified()
    return opened.manifest
