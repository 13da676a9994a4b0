"""Writing a backup: verified from disk before it takes its name, cancellable mid-stream, honest progress, and
after any failure the destination and the data folder's tmp/ are exactly as before."""

from __future__ import annotations

import errno
import sqlite3
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from core.backup import (
    BackupCancelled,
    BackupDiskFull,
    BackupNotVerified,
    open_backup,
)
from core.backup import age_file as age_module
from core.backup import export as export_module
from core.book import CustomerBook
from core.customers.sample_shop import seed_book
from core.customers.store import CustomerDraft

COPY_PASSPHRASE = "hand this copy to the accountant"


@pytest.fixture
def stick(book: CustomerBook, tmp_path: Path) -> Path:
    """A destination that already holds one good backup, from a book big enough for many age chunks."""
    seed_book(book, 900, seed=3)
    folder = tmp_path / "stick"
    folder.mkdir()
    book.back_up(folder)
    book.save_customer(CustomerDraft(name="After The Earlier Backup"))
    return folder


def _state(book: CustomerBook, destination: Path) -> tuple[dict[str, bytes], list[Path]]:
    """Every file in the destination with its bytes, and everything left in the data folder's tmp/."""
    return (
        {p.name: p.read_bytes() for p in destination.iterdir()},
        sorted(book.folder.temp.rglob("*")),
    )


def _damage_after_write(monkeypatch: pytest.MonkeyPatch, damage: Callable[[Path], None], which: int = 1) -> None:
    """Damage the `which`-th file written, after its fsync and before it is read back: as a bad drive would."""
    real = export_module._write_durably
    calls: list[Path] = []

    def write_then_damage(temp: Path, write: Callable[[int], object]) -> None:
        real(temp, write)
        calls.append(temp)
        if len(calls) == which:
            damage(temp)

    monkeypatch.setattr(export_module, "_write_durably", write_then_damage)


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))


def _cut(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 70_000])


@pytest.mark.parametrize("damage", [_flip, _cut], ids=["bit-flip", "truncated"])
def test_a_backup_that_fails_verification_never_takes_a_name(
    book: CustomerBook, stick: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[Path], None]
) -> None:
    before, _ = _state(book, stick)
    _damage_after_write(monkeypatch, damage)
    with pytest.raises(BackupNotVerified, match="did not read back correctly"):
        book.back_up(stick)
    assert _state(book, stick) == (before, [])  # previous backup untouched, no partial, tmp/ empty


def test_a_corrupting_decrypt_fails_verification_and_leaves_nothing(
    book: CustomerBook, stick: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = age_module.pyrage.decrypt_io

    class Corrupting:
        def __init__(self, sink: object) -> None:
            self.sink = sink
            self.first = True

        def write(self, data: bytes) -> int:
            if self.first:
                self.first = False
                data = bytes([data[0] ^ 1]) + bytes(data[1:])
            return self.sink.write(data)  # type: ignore[attr-defined, no-any-return]

        def flush(self) -> None:
            pass

    monkeypatch.setattr(age_module.pyrage, "decrypt_io", lambda r, w, ids: real(r, Corrupting(w), ids))
    before, _ = _state(book, stick)
    with pytest.raises(BackupNotVerified):
        book.back_up(stick)
    assert _state(book, stick) == (before, [])


def test_the_final_name_appears_only_after_verification(book: CustomerBook, stick: Path) -> None:
    names_before = {p.name for p in stick.glob("*.age")}
    seen_while_verifying: list[set[str]] = []

    def progress(message: str, _fraction: float) -> None:
        if message.startswith("Verifying"):
            seen_while_verifying.append({p.name for p in stick.glob("*.age")})

    result = book.back_up(stick, progress=progress)
    assert seen_while_verifying
    assert all(names == names_before for names in seen_while_verifying)
    assert result.path.name not in names_before
    assert result.decrypted


def test_passphrase_copy_that_fails_verification_leaves_neither_file(
    book: CustomerBook, stick: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, _ = _state(book, stick)
    _damage_after_write(monkeypatch, _flip, which=2)  # the first file is the key backup, the second the copy
    with pytest.raises(BackupNotVerified):
        book.back_up(stick, passphrase=COPY_PASSPHRASE)
    assert _state(book, stick) == (before, [])  # all or nothing: not even the verified key backup


def test_passphrase_copy_is_verified_with_its_passphrase(book: CustomerBook, stick: Path, monkeypatch) -> None:
    real = age_module.age_passphrase.decrypt
    used: list[str] = []

    def decrypt_and_corrupt(blob: bytes, passphrase: str) -> bytes:
        used.append(passphrase)
        return bytes(real(blob, passphrase))[:-1] + b"\x01"

    monkeypatch.setattr(age_module.age_passphrase, "decrypt", decrypt_and_corrupt)
    before, _ = _state(book, stick)
    with pytest.raises(BackupNotVerified):
        book.back_up(stick, passphrase=COPY_PASSPHRASE)
    assert used == [COPY_PASSPHRASE]
    assert _state(book, stick) == (before, [])


def test_data_disk_full_while_packing_names_this_computer(book: CustomerBook, stick: Path, monkeypatch) -> None:
    def fill_up(src: object, dst: object, length: int | None = None, **_kwargs: object) -> None:
        dst.write(b"\0" * 4096)  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tarfile, "copyfileobj", fill_up)
    before, _ = _state(book, stick)
    with pytest.raises(BackupDiskFull, match="this computer's own disk") as caught:
        book.back_up(stick)
    assert "backup drive is not the problem" in str(caught.value)
    assert str(book.folder.root) in str(caught.value)
    assert _state(book, stick) == (before, [])


def test_data_disk_full_while_snapshotting_names_this_computer(book: CustomerBook, stick: Path, monkeypatch) -> None:
    def full_snapshot(_engine: object, target: Path) -> None:
        target.write_bytes(b"SQLite format 3\0" + bytes(4096))
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export_module, "snapshot_to", full_snapshot)
    before, _ = _state(book, stick)
    with pytest.raises(BackupDiskFull, match="this computer's own disk"):
        book.back_up(stick)
    assert _state(book, stick) == (before, [])


def test_destination_disk_full_leaves_nothing(book: CustomerBook, stick: Path, monkeypatch) -> None:
    real_write = export_module.os.write
    written = [0]

    def fills_after_a_while(fd: int, data: bytes) -> int:
        written[0] += 1
        if written[0] > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(export_module.os, "write", fills_after_a_while)
    before, _ = _state(book, stick)
    with pytest.raises(BackupDiskFull, match=str(stick)):
        book.back_up(stick)
    assert _state(book, stick) == (before, [])


@pytest.mark.parametrize("stage", ["Encrypting", "Verifying"])
def test_cancel_mid_stream_leaves_nothing(book: CustomerBook, stick: Path, stage: str) -> None:
    before, _ = _state(book, stick)
    cancel = [False]
    partial_seen: list[bool] = []
    fractions: list[float] = []

    def progress(message: str, fraction: float) -> None:
        if message.startswith(stage) and fraction >= (0.3 if stage == "Encrypting" else 0.7):
            partial_seen.append(bool(list(stick.glob(".*.partial"))))
            fractions.append(fraction)
            cancel[0] = True

    with pytest.raises(BackupCancelled):
        book.back_up(stick, progress=progress, cancelled=lambda: cancel[0])
    assert partial_seen[0]  # the cancel came while the file was half written / half read back
    low, high = (0.2, 0.6) if stage == "Encrypting" else (0.6, 0.98)
    assert low < fractions[0] < high
    assert _state(book, stick) == (before, [])


def test_progress_reports_real_fractions_while_encrypting_and_verifying(book: CustomerBook, stick: Path) -> None:
    seen: list[tuple[str, float]] = []
    book.back_up(stick, progress=lambda message, fraction: seen.append((message, fraction)))
    fractions = [fraction for _message, fraction in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    encrypting = {f for m, f in seen if m.startswith("Encrypting")}
    verifying = {f for m, f in seen if m.startswith("Verifying")}
    assert len(encrypting) >= 10
    assert len(verifying) >= 10


def test_verification_writes_nothing_and_work_files_are_gone_after_success(book: CustomerBook, stick: Path) -> None:
    during_verify: list[set[str]] = []

    def progress(message: str, _fraction: float) -> None:
        if message.startswith("Verifying"):
            during_verify.append({p.name for p in book.folder.temp.rglob("*") if p.is_file()})

    result = book.back_up(stick, progress=progress)
    assert during_verify
    assert all(names == {"archive.tar"} for names in during_verify)  # decrypted bytes are hashed, not stored
    assert book.folder.temp.exists()
    assert list(book.folder.temp.rglob("*")) == []
    assert open_backup(result.path, book.keys.backup_identity).manifest == result.manifest
