"""age encryption of backup archives with pyrage, and telling wrong key, cut-short and tampered files apart.

Decryption happens in memory only: pyrage's streaming decrypt writes verified chunks before it finds a
bad one, so decrypting into a file could leave plaintext behind. A failed decrypt is diagnosed by
streaming into memory again: if every chunk but the last verified and the manifest at the start says the
archive is longer than what is left, the file was cut short; any other failure means it was changed.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
from pathlib import Path

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from core.backup.archive import manifest_from_prefix
from core.backup.errors import BackupTampered, BackupTruncated, BackupWrongKey, NotABackup

AGE_MAGIC = b"age-encryption.org/v1\n"
IDENTITY_PREFIX = "AGE-SECRET-KEY-1"
CHUNK = 64 * 1024
TAG = 16
NONCE = 16


def encrypt_to_recipient(archive: bytes, recipient: str) -> bytes:
    return bytes(pyrage.encrypt(archive, [x25519.Recipient.from_str(recipient)]))


class _FdWriter:
    """A file-like sink over a raw descriptor: every write goes through os.write, so a full disk raises
    OSError(ENOSPC) here, where the caller can turn it into a clear message."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view[: 1 << 20])
            view = view[written:]
        return len(data)

    def flush(self) -> None:
        pass


def encrypt_file_to_recipient(source: Path, fd: int, recipient: str) -> None:
    """Stream-encrypt `source` into the open descriptor `fd` (64 KiB chunks; memory stays flat)."""
    with source.open("rb") as reader:
        try:
            pyrage.encrypt_io(reader, _FdWriter(fd), [x25519.Recipient.from_str(recipient)])
        except pyrage.EncryptError as exc:
            # pyrage reports the sink's OSError only as text ("OSError: [Errno 28] …"): recover the errno, since
            # it is what tells a full disk from a removed USB stick.
            found = re.search(r"\[Errno (\d+)\]", str(exc))
            if found:
                number = int(found[1])
                raise OSError(number, os.strerror(number)) from exc
            raise


def decrypt_file_with_identity(source: Path, target: Path, identity: str) -> None:
    """Stream-decrypt for verification into a private work file (the archive holds only ciphertext and the
    wrapped key file, and the caller deletes it in all cases)."""
    with source.open("rb") as reader, target.open("wb") as writer:
        try:
            pyrage.decrypt_io(reader, writer, [x25519.Identity.from_str(identity)])
        except (pyrage.DecryptError, OSError) as exc:
            raise BackupTampered() from exc


def encrypt_with_passphrase(archive: bytes, passphrase: str) -> bytes:
    """age's scrypt mode (pyrage uses work factor 2^20: about 1 GiB of memory and seconds of CPU, by design)."""
    return bytes(age_passphrase.encrypt(archive, passphrase))


def is_identity(secret: str) -> bool:
    return secret.strip().upper().startswith(IDENTITY_PREFIX)


def _header_end(blob: bytes) -> int | None:
    """Offset just after the header's MAC line, or None when the header is incomplete."""
    marker = blob.find(b"\n--- ")
    if marker < 0:
        return None
    end = blob.find(b"\n", marker + 1)
    return None if end < 0 else end + 1


def stanza_kinds(blob: bytes) -> list[str]:
    end = _header_end(blob) or len(blob)
    return [line.split()[1].decode("ascii", "replace") for line in blob[:end].split(b"\n") if line.startswith(b"-> ")]


def _expected_payload(archive_bytes: int) -> int:
    chunks = max(1, math.ceil(archive_bytes / CHUNK))
    return NONCE + archive_bytes + chunks * TAG


def decrypt_backup(blob: bytes, secret: str) -> bytes:
    """The archive inside an age file, or a typed error. Nothing is ever written to disk."""
    if not blob.startswith(AGE_MAGIC):
        raise NotABackup()
    header_end = _header_end(blob)
    if header_end is None:
        raise BackupTruncated()
    kinds = stanza_kinds(blob)
    if is_identity(secret):
        if "X25519" not in kinds:
            raise BackupWrongKey("passphrase" if "scrypt" in kinds else "key")
        try:
            identity = x25519.Identity.from_str(secret.strip())
        except pyrage.IdentityError as exc:
            raise BackupWrongKey() from exc
        try:
            return bytes(pyrage.decrypt(blob, [identity]))
        except pyrage.DecryptError as exc:
            if "No matching keys" in str(exc):
                raise BackupWrongKey() from exc
            raise _diagnose(blob, header_end, identity) from exc
    if "scrypt" not in kinds:
        raise BackupWrongKey()
    try:
        return bytes(age_passphrase.decrypt(blob, secret))
    except pyrage.DecryptError as exc:
        # The passphrase unlocks the header's MAC first: a wrong one fails there, a damaged payload later.
        # pyrage reports both the same way, so the only honest message is the one a person can act on.
        raise BackupWrongKey("passphrase") from exc


def _diagnose(blob: bytes, header_end: int, identity: x25519.Identity) -> Exception:
    produced = io.BytesIO()
    with contextlib.suppress(OSError, pyrage.DecryptError):
        pyrage.decrypt_io(io.BytesIO(blob), produced, [identity])
    manifest = manifest_from_prefix(produced.getvalue())
    payload = len(blob) - header_end
    if manifest is None:
        # Not even the first chunk verified. Every backup has more than one chunk, so an incomplete first
        # chunk means the file was cut short; a complete one that fails was changed.
        return BackupTruncated() if payload < NONCE + CHUNK + TAG else BackupTampered()
    return BackupTruncated() if payload < _expected_payload(manifest.archive_bytes) else BackupTampered()
