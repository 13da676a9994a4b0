"""The standard `age` tool opens our backups, and our restore accepts what `age` encrypted."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from core.backup import open_backup
from core.book import CustomerBook
from core.customers.store import CustomerDraft

AGE = shutil.which("age")
pytestmark = pytest.mark.skipif(AGE is None, reason="the age CLI is not installed (make test installs it as root)")


def _key_file(book: CustomerBook, tmp_path: Path) -> Path:
    key = tmp_path / "key.txt"
    key.write_text(book.keys.backup_identity + "\n")  # exactly what the recovery sheet prints
    key.chmod(0o600)
    return key


def test_age_cli_decrypts_our_backup_with_the_recovery_sheet_key(book: CustomerBook, tmp_path: Path) -> None:
    book.save_customer(CustomerDraft(name="Interop Person"))
    result = book.back_up(tmp_path)
    out = tmp_path / "backup.tar"
    subprocess.run([AGE, "-d", "-i", str(_key_file(book, tmp_path)), "-o", str(out), str(result.path)], check=True)
    with tarfile.open(out) as tar:
        assert tar.getnames()[:3] == ["manifest.json", "counterpart.db", "vault.json"]
        readme = tar.extractfile("README.txt")
        assert readme is not None
        assert b"age -d -i key.txt" in readme.read()


def _age_with_passphrase(args: list[str], passphrase: str) -> int:
    """Run age with a pseudo-terminal, because it reads passphrases from /dev/tty only."""
    pid, fd = pty.fork()
    if pid == 0:  # the child becomes age, with the pty as its controlling terminal
        os.execv(AGE, [AGE, *args])  # type: ignore[arg-type]
    output = b""
    sent = 0
    try:
        while True:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if b"passphrase" in output.lower() and sent < output.lower().count(b"passphrase"):
                os.write(fd, passphrase.encode() + b"\n")
                sent += 1
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status)


def test_age_cli_decrypts_the_passphrase_copy_typed_at_its_prompt(book: CustomerBook, tmp_path: Path) -> None:
    result = book.back_up(tmp_path, passphrase="hand this copy to the accountant")
    assert result.passphrase_copy is not None
    out = tmp_path / "copy.tar"
    code = _age_with_passphrase(["-d", "-o", str(out), str(result.passphrase_copy)], "hand this copy to the accountant")
    assert code == 0
    with tarfile.open(out) as tar:
        assert "counterpart.db" in tar.getnames()


def test_our_restore_accepts_a_backup_reencrypted_by_the_age_cli(book: CustomerBook, tmp_path: Path) -> None:
    book.save_customer(CustomerDraft(name="Round Tripper"))
    result = book.back_up(tmp_path)
    key = _key_file(book, tmp_path)
    plain = tmp_path / "plain.tar"
    subprocess.run([AGE, "-d", "-i", str(key), "-o", str(plain), str(result.path)], check=True)
    again = tmp_path / "by-age-cli.age"
    subprocess.run([AGE, "-r", _recipient(book), "-o", str(again), str(plain)], check=True)
    plain.unlink()
    opened = open_backup(again, book.keys.backup_identity)
    assert opened.manifest == result.manifest


def _recipient(book: CustomerBook) -> str:
    from pyrage import x25519

    return str(x25519.Identity.from_str(book.keys.backup_identity).to_public())
