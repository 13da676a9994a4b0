"""The plaintext inside a backup: a plain tar with a manifest first, so `age -d` then `tar -x` just works.

Members, in order: manifest.json, counterpart.db (an SQLite snapshot holding only ids, times and
ciphertext), vault.json (the wrapped keys), README.txt. The manifest records every member's size and
SHA-256 and the exact archive length, so a verified restore knows it has every byte.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import sqlite3
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.backup.errors import BackupFromNewerVersion, BackupTampered

FORMAT_NAME = "counterpart-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "counterpart.db"
VAULT = "vault.json"
README = "README.txt"
MEMBERS = (MANIFEST, DATABASE, VAULT, README)
# The manifest is padded to a fixed size so the archive length can be stated inside the manifest itself.
MANIFEST_BYTES = 4096
# Every archive spans at least two 64 KiB age chunks (the README is padded if needed), so a file whose
# first chunk is incomplete can only have been cut short — a tampered first chunk is always complete.
MIN_ARCHIVE_BYTES = 2 * 64 * 1024 + 1
_BLOCK = tarfile.BLOCKSIZE
_RECORD = tarfile.RECORDSIZE

README_TEXT = """Counterpart backup
==================

This file is a tar archive encrypted with age (https://age-encryption.org).
Counterpart restores it with "Restore from backup…" on the unlock screen.

Without Counterpart, the standard age tool opens it with the backup key printed on the
shop's recovery sheet (save the AGE-SECRET-KEY-1… line in a file key.txt):

    age -d -i key.txt -o backup.tar backup.age && tar -xf backup.tar

Decrypt to a file first, as above, rather than piping age into tar: from a damaged backup, tar
would already have written partial files by the time age reports the error (then delete
backup.tar and try another backup).

Inside: counterpart.db (the customer book; every personal value in it is still encrypted with the
shop's data key), vault.json (that data key, locked by the passphrase and the recovery key), and
manifest.json (what the backup contains). Keep backups as safe as the recovery sheet.
"""


@dataclass(frozen=True)
class Manifest:
    format_version: int
    app_version: str
    schema_revision: str
    shop_name: str
    created_at: str
    counts: dict[str, int]
    archive_bytes: int
    members: dict[str, dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "format_version": self.format_version,
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "shop_name": self.shop_name,
            "created_at": self.created_at,
            "counts": self.counts,
            "archive_bytes": self.archive_bytes,
            "members": self.members,
        }

    @property
    def customers(self) -> int:
        return self.counts.get("customers", 0)


def count_rows(database: str) -> dict[str, int]:
    """Rows per table of an SQLite file (path); tables are discovered, so new features are counted too."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {}
        for name in names:
            query = f'SELECT COUNT(*) FROM "{name}"'  # noqa: S608 - table names come from sqlite_master
            counts[name] = int(connection.execute(query).fetchone()[0])
        return counts
    finally:
        connection.close()


def _member_span(size: int) -> int:
    return _BLOCK + math.ceil(size / _BLOCK) * _BLOCK


def archive_length(sizes: list[int]) -> int:
    """Exact length tarfile produces for members of these sizes (end marker, then padded to a record)."""
    used = sum(_member_span(size) for size in sizes) + 2 * _BLOCK
    return math.ceil(used / _RECORD) * _RECORD


def _add(tar: tarfile.TarFile, name: str, data: bytes, mtime: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = mtime
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _file_sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write_archive(
    target: Path, *, database: Path, vault: bytes, app_version: str, schema_revision: str, shop_name: str,
    created_at: str, counts: dict[str, int], mtime: int,
) -> Manifest:  # fmt: skip
    """Write the archive to `target`, streaming the database in (it is 150 MB at 100k customers with history)."""
    readme = README_TEXT.encode("utf-8")
    db_size, db_hash = _file_sha256(database)
    shortfall = MIN_ARCHIVE_BYTES - archive_length([MANIFEST_BYTES, db_size, len(vault), len(readme)])
    if shortfall > 0:
        readme += b"\n" * shortfall
    members = {
        DATABASE: {"size": db_size, "sha256": db_hash},
        VAULT: {"size": len(vault), "sha256": hashlib.sha256(vault).hexdigest()},
        README: {"size": len(readme), "sha256": hashlib.sha256(readme).hexdigest()},
    }
    total = archive_length([MANIFEST_BYTES, db_size, len(vault), len(readme)])
    manifest = Manifest(FORMAT_VERSION, app_version, schema_revision, shop_name, created_at, counts, total, members)
    manifest_bytes = _manifest_bytes(manifest)
    with tarfile.open(target, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        _add(tar, MANIFEST, manifest_bytes, mtime)
        info = tarfile.TarInfo(DATABASE)
        info.size, info.mtime, info.mode = db_size, mtime, 0o600
        with database.open("rb") as handle:
            tar.addfile(info, handle)
        _add(tar, VAULT, vault, mtime)
        _add(tar, README, readme, mtime)
    if target.stat().st_size != total:
        raise AssertionError("tar layout changed; archive_length() must follow it")
    return manifest


def _manifest_bytes(manifest: Manifest) -> bytes:
    data = json.dumps(manifest.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
    if len(data) > MANIFEST_BYTES:  # a very long shop name; the manifest must keep its fixed size
        raise ValueError("The backup manifest is too large.")
    return data + b" " * (MANIFEST_BYTES - len(data))


def check_archive_file(path: Path) -> Manifest:
    """read_archive() for an archive on disk, hashing members as they stream past (nothing large in memory)."""
    seen: dict[str, tuple[int, str]] = {}
    manifest: Manifest | None = None
    try:
        with tarfile.open(path, mode="r:") as tar:
            for info in tar:
                if not info.isfile() or info.name not in MEMBERS or info.name in seen:
                    raise BackupTampered()
                handle = tar.extractfile(info)
                if handle is None:
                    raise BackupTampered()
                if info.name == MANIFEST:
                    data = handle.read()
                    manifest = parse_manifest(data)
                    seen[MANIFEST] = (len(data), "")
                    continue
                digest, size = hashlib.sha256(), 0
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
                seen[info.name] = (size, digest.hexdigest())
    except tarfile.TarError as exc:
        raise BackupTampered() from exc
    if manifest is None or set(seen) != set(MEMBERS):
        raise BackupTampered()
    for name, expected in manifest.members.items():
        if seen.get(name) != (expected.get("size"), expected.get("sha256")):
            raise BackupTampered()
    return manifest


def parse_manifest(data: bytes) -> Manifest:
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupTampered() from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise BackupTampered()
    version = raw.get("format_version")
    if not isinstance(version, int):
        raise BackupTampered()
    if version > FORMAT_VERSION:
        raise BackupFromNewerVersion(f"backup format {version}; this version reads up to {FORMAT_VERSION}")
    try:
        return Manifest(
            format_version=version,
            app_version=str(raw["app_version"]),
            schema_revision=str(raw["schema_revision"]),
            shop_name=str(raw["shop_name"]),
            created_at=str(raw["created_at"]),
            counts={str(k): int(v) for k, v in dict(raw["counts"]).items()},
            archive_bytes=int(raw["archive_bytes"]),
            members={str(k): dict(v) for k, v in dict(raw["members"]).items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupTampered() from exc


def manifest_from_prefix(plain_prefix: bytes) -> Manifest | None:
    """The manifest from the first bytes of an archive, or None when they do not hold one."""
    if len(plain_prefix) < _BLOCK + MANIFEST_BYTES:
        return None
    try:
        header = tarfile.TarInfo.frombuf(plain_prefix[:_BLOCK], "utf-8", "surrogateescape")
    except tarfile.TarError:
        return None
    if header.name != MANIFEST:
        return None
    try:
        return parse_manifest(plain_prefix[_BLOCK : _BLOCK + header.size])
    except BackupTampered:
        return None


def read_archive(archive: bytes) -> tuple[Manifest, dict[str, bytes]]:
    """Check and unpack an archive in memory. Nothing is extracted to disk, so member names cannot escape."""
    contents: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            for info in tar:
                if not info.isfile() or info.name not in MEMBERS or info.name in contents:
                    raise BackupTampered()
                handle = tar.extractfile(info)
                if handle is None:
                    raise BackupTampered()
                contents[info.name] = handle.read()
    except tarfile.TarError as exc:
        raise BackupTampered() from exc
    if set(contents) != set(MEMBERS):
        raise BackupTampered()
    manifest = parse_manifest(contents[MANIFEST])
    for name, expected in manifest.members.items():
        data = contents.get(name)
        if (
            data is None
            or len(data) != expected.get("size")
            or hashlib.sha256(data).hexdigest() != expected.get("sha256")
        ):
            raise BackupTampered()
    return manifest, contents
