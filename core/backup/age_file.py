"""age encryption of backup archives with pyrage, checking what was written, and telling wrong key, cut-short
and tampered files apart.

Decrypted bytes never go to disk, because pyrage's streaming decrypt emits verified chunks before it meets a
bad one, so decrypting into a file could leave plaintext behind. Restore decrypts into memory. Verifying a
freshly written backup streams the decryption into a hash (64 KiB at a time, nothing kept), which must equal
the hash of the archive that was encrypted. A failed decrypt is diagnosed by streaming into memory again: if
every chunk but the last verified and the manifest at the start says the archive is longer than what is
left, the file was cut short; any other failure means it was changed.

Encryption streams from the archive work file (ciphertext database and wrapped keys only) in the data
folder's private tmp/; only the passphrase copy is sealed in memory, since pyrage's scrypt mode has no
streaming form.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from core.backup.archive import manifest_from_prefix
from core.backup.errors import BackupNotVerified, BackupTampered, BackupTruncated, BackupWrongKey, NotABackup
from core.backup.streams import FdSink, HashSink, Meter, MeteredReader, remembered

AGE_MAGIC = b"age-encryption.org/v1\n"
IDENTITY_PREFIX = "AGE-SECRET-KEY-1"
CHUNK = 64 * 1024
TAG = 16
NONCE = 16


@dataclass(frozen=True)
class Sealed:
    """What went into an encryption and what came out, to check the file on disk against."""

    plain_sha256: str
    plain_bytes: int
    cipher_sha256: str
    cipher_bytes: int


def encrypt_to_recipient(archive: bytes, recipient: str) -> bytes:
    return bytes(pyrage.encrypt(archive, [x25519.Recipient.from_str(recipient)]))


def _errno_of(exc: Exception) -> OSError | None:
    found = re.search(r"\[Errno (\d+)\]", str(exc))
    if not found:
        return None
    number = int(found[1])
    return OSError(number, os.strerror(number))


def encrypt_file_to_recipient(source: Path, fd: int, recipient: str, meter: Meter | None = None) -> Sealed:
    """Stream-encrypt `source` into the open descriptor `fd` (memory stays flat), checking Cancel between reads."""
    with source.open("rb") as handle:
        reader, sink = MeteredReader(handle, meter), FdSink(fd)
        try:
            pyrage.encrypt_io(reader, sink, [x25519.Recipient.from_str(recipient)])
        except (pyrage.EncryptError, OSError) as exc:
            original = remembered(reader, sink)
            if original is not None:
                raise original from exc
            # Older pyrage reported the sink's OSError only as text; the errno tells a full disk from a removed stick.
            recovered = _errno_of(exc) if isinstance(exc, pyrage.EncryptError) else None
            if recovered is not None:
                raise recovered from exc
            raise
    return Sealed(reader.sha256, reader.length, sink.sha256, sink.length)


def verify_with_identity(path: Path, identity: str, expected: Sealed, meter: Meter | None = None) -> None:
    """Decrypt the file as it is on disk and require exactly the bytes that were encrypted; nothing is kept."""
    with path.open("rb") as handle:
        reader, sink = MeteredReader(handle, meter), HashSink()
        try:
            pyrage.decrypt_io(reader, sink, [x25519.Identity.from_str(identity)])
        except (pyrage.DecryptError, OSError) as exc:
            original = remembered(reader)
            if original is not None:
                raise original from exc
            raise BackupNotVerified() from exc
    if reader.sha256 != expected.cipher_sha256 or (sink.length, sink.sha256) != (
        expected.plain_bytes,
        expected.plain_sha256,
    ):
        raise BackupNotVerified()


def check_sealed_file(path: Path, expected: Sealed, meter: Meter | None = None) -> None:
    """Without the identity (book locked): the file on disk must be byte for byte what pyrage produced, with
    one X25519 stanza (rage adds random "-grease" ones) and exactly the payload length the archive needs. The
    header MAC and payload tags need the identity, so they are checked only when the file is opened."""
    with path.open("rb") as handle:
        reader = MeteredReader(handle, meter)
        head = reader.read(CHUNK)
        while reader.read(1 << 20):
            pass
    header_end = _header_end(head)
    if (
        not head.startswith(AGE_MAGIC)
        or header_end is None
        or [kind for kind in stanza_kinds(head) if not kind.endswith("-grease")] != ["X25519"]
        or (reader.length, reader.sha256) != (expected.cipher_bytes, expected.cipher_sha256)
        or reader.length - header_end != _expected_payload(expected.plain_bytes)
    ):
        raise BackupNotVerified()


def encrypt_with_passphrase(archive: bytes, passphrase: str) -> bytes:
    """age's scrypt mode (pyrage uses work factor 2^20: about 1 GiB of memory and seconds of CPU, by design)."""
    return bytes(age_passphrase.encrypt(archive, passphrase))


def verify_passphrase_copy(path: Path, passphrase: str, expected_plain_sha256: str, expected_bytes: int) -> None:
    """Decrypt the copy as it is on disk with its passphrase, in memory, and require the archive's exact bytes."""
    try:
        plain = bytes(age_passphrase.decrypt(path.read_bytes(), passphrase))
    except pyrage.DecryptError as exc:
        raise BackupNotVerified() from exc
    matches = len(plain) == expected_bytes and hashlib.sha256(plain).hexdigest() == expected_plain_sha256
    del plain
    if not matches:
        raise BackupNotVerified()


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
